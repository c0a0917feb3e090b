// soft_wrap(): greedy line filling, word by word, measured with the current font.
#include "soft_wrap.hpp"

#include <imgui.h>

#include <algorithm>

namespace attn {

bool soft_wrap(char* text, int length, float width) {
    const auto separator = [](char c) { return c == ' ' || c == '\n'; };
    const float space_w = ImGui::CalcTextSize(" ").x;
    bool changed = false;
    float line_w = 0.0f;
    int i = 0;
    while (i < length) {
        // the word after the separator at i (or at i itself for the first word)
        const bool at_separator = separator(text[i]);
        const int begin = at_separator ? i + 1 : i;
        int end = begin;
        while (end < length && !separator(text[end]))
            ++end;
        const float w = ImGui::CalcTextSize(text + begin, text + end).x;
        if (at_separator) {
            const bool wrap = line_w > 0.0f && w > 0.0f && line_w + space_w + w > width;
            const char want = wrap ? '\n' : ' ';
            if (text[i] != want) text[i] = want, changed = true;
            line_w = wrap ? w : line_w + space_w + w;
        } else {
            line_w += w;
        }
        i = std::max(end, i + 1);
    }
    return changed;
}

bool soft_wrap(std::string& text, float width) {
    return soft_wrap(text.data(), static_cast<int>(text.size()), width);
}

std::string unwrapped(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

} // namespace attn

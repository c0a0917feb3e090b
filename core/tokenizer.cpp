// Word/punctuation tokenizer; see tokenizer.hpp for the rules.
#include "tokenizer.hpp"

namespace attn {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_word_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

} // namespace

TokenizeResult tokenize(std::string_view text, std::size_t max_tokens) {
    TokenizeResult out;
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto emit = [&](std::size_t begin, std::size_t end) {
        ++out.total_tokens;
        if (out.tokens.size() < max_tokens) out.tokens.emplace_back(text.substr(begin, end - begin));
    };
    while (i < n) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (is_space(c)) {
            ++i;
        } else if (is_word_char(c)) {
            const std::size_t begin = i;
            while (i < n) {
                const auto d = static_cast<unsigned char>(text[i]);
                if (is_word_char(d)) {
                    ++i;
                } else if (d == '\'' && i + 1 < n && is_word_char(static_cast<unsigned char>(text[i + 1]))) {
                    i += 2; // an apostrophe between word characters stays inside the word
                } else {
                    break;
                }
            }
            emit(begin, i);
        } else {
            emit(i, i + 1);
            ++i;
        }
    }
    out.truncated = out.total_tokens > out.tokens.size();
    return out;
}

std::string join_tokens(const std::vector<std::string>& tokens) {
    std::string s;
    for (const auto& t : tokens) {
        const bool punct = t.size() == 1 && !is_word_char(static_cast<unsigned char>(t[0]));
        const bool opening = t == "(" || t == "[" || t == "\"";
        if (!s.empty() && (!punct || opening) && s.back() != '(' && s.back() != '[') s += ' ';
        s += t;
    }
    return s;
}

std::string normalize_word(std::string_view word) {
    std::string s(word);
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

} // namespace attn

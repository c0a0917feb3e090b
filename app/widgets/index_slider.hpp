// A slider over 0-based indices (layers, heads) that shows them 1-based, like the Model panel's "L1 H1".
#pragma once

#include <imgui.h>

namespace attn {

inline bool index_slider(const char* id, int& index, int count, const char* format = "%d") {
    int shown = index + 1;
    const bool changed = ImGui::SliderInt(id, &shown, 1, count > 0 ? count : 1, format);
    if (changed) index = shown - 1;
    return changed;
}

} // namespace attn

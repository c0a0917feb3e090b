// A row of controls that wraps: the next item stays on the current line when it fits in what is left of
// the row, else it starts a new line. A narrow pane (a 1280×800 projector, the longer German labels) then
// shows every control instead of clipping the last ones at its right edge.
#pragma once

#include <imgui.h>

namespace attn {

// Width of a control whose frame is `frame_w` wide with its label after it ("##id" labels draw nothing).
inline float labelled_width(float frame_w, const char* label) {
    const float text = ImGui::CalcTextSize(label, nullptr, true).x;
    return frame_w + (text > 0.0f ? ImGui::GetStyle().ItemInnerSpacing.x + text : 0.0f);
}

// Width of a button with this label.
inline float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f;
}

inline float text_width(const char* text) {
    return ImGui::CalcTextSize(text).x;
}

// SameLine() when an item `width` wide still fits after the last item (with `spacing`, the style's when
// negative); otherwise the next item starts on a new line.
inline void same_line_if_fits(float width, float spacing = -1.0f) {
    const float sp = spacing < 0.0f ? ImGui::GetStyle().ItemSpacing.x : spacing;
    const float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + sp + width <= right) ImGui::SameLine(0.0f, sp);
}

// Continues the line with a radio button labelled `label` only when it fits whole; else it starts a new
// line, so a narrow panel wraps its choices instead of cutting them ("caus…").
inline void radio_same_line_if_fits(const char* label) {
    same_line_if_fits(labelled_width(ImGui::GetFrameHeight(), label));
}

} // namespace attn

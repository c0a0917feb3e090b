// draw_colorbar(): the heatmap legend (see colorbar.hpp). Uses the same viridis stops as the shader.
#include "colorbar.hpp"

#include "app/i18n/i18n.hpp"

#include "palette.hpp"

#include <imgui.h>

#include <algorithm>

namespace attn {

namespace {
float bar_w() {
    return ImGui::GetFontSize() * 0.9f;
}
const char* k_masked = N_("masked"); // translated where drawn
} // namespace

float colorbar_width(const char* top_label, const char* bottom_label) {
    const float labels = std::max({ImGui::CalcTextSize(top_label).x, ImGui::CalcTextSize(bottom_label).x,
                                   ImGui::CalcTextSize(_(k_masked)).x});
    return bar_w() + 6.0f + labels + 4.0f;
}

void draw_colorbar(const char* id, float height, const char* top_label, const char* bottom_label,
                   bool show_masked) {
    ImGui::PushID(id);
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float line_h = ImGui::GetTextLineHeight();
    const float w = bar_w();
    const float swatch = show_masked ? line_h * 1.6f : 0.0f;
    const float bar_h = std::max(line_h * 2.0f, height - swatch);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int segments = 10;
    for (int s = 0; s < segments; ++s) {
        const float t_top = 1.0f - static_cast<float>(s) / segments,
                    t_bot = 1.0f - static_cast<float>(s + 1) / segments;
        const float y0 = o.y + bar_h * static_cast<float>(s) / segments,
                    y1 = o.y + bar_h * static_cast<float>(s + 1) / segments;
        const ImU32 a = viridis_u32(t_top), b = viridis_u32(t_bot);
        dl->AddRectFilledMultiColor(ImVec2(o.x, y0), ImVec2(o.x + w, y1), a, a, b, b);
    }
    dl->AddRect(o, ImVec2(o.x + w, o.y + bar_h), ImGui::GetColorU32(ImGuiCol_Border));
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    dl->AddText(ImVec2(o.x + w + 6.0f, o.y), text, top_label);
    dl->AddText(ImVec2(o.x + w + 6.0f, o.y + bar_h - line_h), text, bottom_label);
    if (show_masked) {
        // the same grey stripes the shader draws for masked cells
        const ImVec2 s0(o.x, o.y + bar_h + line_h * 0.4f), s1(o.x + w, s0.y + w);
        dl->AddRectFilled(s0, s1, IM_COL32(66, 66, 71, 255));
        dl->PushClipRect(s0, s1, true);
        for (float k = -w; k < w; k += 4.0f)
            dl->AddLine(ImVec2(s0.x + k, s1.y), ImVec2(s0.x + k + w, s0.y), IM_COL32(107, 107, 115, 255),
                        1.5f);
        dl->PopClipRect();
        dl->AddText(ImVec2(o.x + w + 6.0f, s0.y + (w - line_h) * 0.5f), dim, _(k_masked));
    }
    ImGui::Dummy(ImVec2(colorbar_width(top_label, bottom_label), bar_h + swatch));
    ImGui::PopID();
}

} // namespace attn

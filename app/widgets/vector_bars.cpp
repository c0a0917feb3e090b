// draw_vector_bars() / draw_value_strip(): signed vectors as bars or coloured cells (see vector_bars.hpp).
#include "vector_bars.hpp"

#include "app/i18n/i18n.hpp"
#include "palette.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace attn {

namespace {

float largest_abs(const float* v, int n) {
    float m = 0.0f;
    for (int i = 0; i < n; ++i)
        if (std::isfinite(v[i])) m = std::max(m, std::fabs(v[i]));
    return m > 0.0f ? m : 1.0f;
}

} // namespace

std::string format_number(float v, int decimals) {
    if (std::isinf(v)) return v < 0 ? "-∞" : "+∞";
    if (std::isnan(v)) return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.*f", decimals, static_cast<double>(v));
    return buf;
}

int draw_vector_bars(const char* id, const float* values, int n, const VectorBarsStyle& style) {
    int hovered = -1;
    if (n <= 0) return hovered;
    ImGui::PushID(id);
    const float line_h = ImGui::GetTextLineHeight();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = style.width > 0 ? style.width : std::max(ImGui::GetContentRegionAvail().x, 40.0f);
    const bool labelled = n <= style.max_labelled;
    const float height = style.height > 0 ? style.height : line_h * 4.0f;
    const float label_h = labelled ? line_h + 2.0f : 0.0f;
    const float range = style.range > 0 ? style.range : largest_abs(values, n);
    const float slot = width / static_cast<float>(n);
    const float bar_w = std::max(1.0f, slot * (slot > 6.0f ? 0.72f : 1.0f));
    const float zero_y = origin.y + height * 0.5f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 axis = ImGui::GetColorU32(ImGuiCol_TextDisabled, 0.6f);
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height),
                      ImGui::GetColorU32(ImGuiCol_FrameBg, 0.5f));
    dl->AddLine(ImVec2(origin.x, zero_y), ImVec2(origin.x + width, zero_y), axis);
    ImGui::InvisibleButton("##bars", ImVec2(width, height + label_h));
    const bool over = ImGui::IsItemHovered();
    if (over) hovered = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - origin.x) / slot), 0, n - 1);
    for (int d = 0; d < n; ++d) {
        const float v = std::isfinite(values[d]) ? values[d] : 0.0f;
        const float t = std::clamp(v / range, -1.0f, 1.0f);
        const float x0 = origin.x + slot * static_cast<float>(d) + (slot - bar_w) * 0.5f;
        const float y1 = zero_y - t * (height * 0.5f - 2.0f);
        const ImU32 col = style.color ? style.color : diverging_color(t);
        dl->AddRectFilled(ImVec2(x0, std::min(zero_y, y1)), ImVec2(x0 + bar_w, std::max(zero_y, y1) + 0.5f),
                          col);
        if (d == hovered)
            dl->AddRect(ImVec2(x0 - 1, origin.y), ImVec2(x0 + bar_w + 1, origin.y + height),
                        ImGui::GetColorU32(ImGuiCol_Text));
        if (labelled) {
            char label[24];
            std::snprintf(label, sizeof label, "%s%d", style.dim_prefix, d);
            const float lw = ImGui::CalcTextSize(label).x;
            if (lw < slot - 2.0f)
                dl->AddText(ImVec2(x0 + bar_w * 0.5f - lw * 0.5f, origin.y + height + 1.0f),
                            ImGui::GetColorU32(ImGuiCol_TextDisabled), label);
        }
    }
    if (over && hovered >= 0)
        ImGui::SetTooltip("%s%d = %s", style.dim_prefix, hovered, format_number(values[hovered], 4).c_str());
    ImGui::PopID();
    return hovered;
}

int draw_value_strip(const char* id, const float* values, int n, float range, float height) {
    int hovered = -1;
    if (n <= 0) return hovered;
    ImGui::PushID(id);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = std::max(ImGui::GetContentRegionAvail().x, 40.0f);
    const float r = range > 0 ? range : largest_abs(values, n);
    const float cell = width / static_cast<float>(n);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int d = 0; d < n; ++d) {
        const float x0 = origin.x + cell * static_cast<float>(d);
        dl->AddRectFilled(ImVec2(x0, origin.y), ImVec2(x0 + std::max(cell, 1.0f), origin.y + height),
                          diverging_color(values[d] / r));
    }
    ImGui::InvisibleButton("##strip", ImVec2(width, height));
    if (ImGui::IsItemHovered()) {
        hovered = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - origin.x) / cell), 0, n - 1);
        ImGui::SetTooltip(_("entry %d = %s"), hovered, format_number(values[hovered], 4).c_str());
    }
    ImGui::PopID();
    return hovered;
}

} // namespace attn

// draw_heatmap(): axis labels (column labels rotated 90°), the colormapped image, hover and click.
#include "heatmap.hpp"

#include <algorithm>
#include <cmath>

namespace attn {

int heatmap_cell_px(int n_cells, float display_px) {
    if (n_cells <= 0) return 1;
    const int px = static_cast<int>(std::ceil(display_px / static_cast<float>(n_cells)));
    return std::clamp(px, 1, std::max(1, 2048 / n_cells));
}

namespace {

// Draws text rotated 90° counter-clockwise with its baseline end at `pos` (reading bottom to top).
void add_text_vertical(ImDrawList* dl, ImVec2 pos, ImU32 col, const char* text) {
    const int vtx_begin = dl->VtxBuffer.Size;
    dl->AddText(pos, col, text);
    const ImVec2 size = ImGui::CalcTextSize(text);
    // rotate around pos by -90°: (x, y) -> (pos.x + (y - pos.y), pos.y - (x - pos.x)), then shift up
    for (int i = vtx_begin; i < dl->VtxBuffer.Size; ++i) {
        ImDrawVert& v = dl->VtxBuffer[i];
        const float dx = v.pos.x - pos.x, dy = v.pos.y - pos.y;
        v.pos = ImVec2(pos.x + dy, pos.y - dx + size.x);
    }
}

} // namespace

std::string fit_label(const std::string& s, float max_w) {
    // One measuring pass that stops at the width (ImGui cuts at whole UTF-8 characters). Removing one
    // character at a time and measuring again froze the app on a 30,000-character word (issue 16).
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize();
    const char* const begin = s.data();
    const char* const end = begin + s.size();
    if (ImGui::CalcTextSize(begin, end).x <= max_w) return s;
    const char* stop = end;
    const float ellipsis = ImGui::CalcTextSize("…").x;
    font->CalcTextSizeA(size, std::max(0.0f, max_w - ellipsis), -1.0f, begin, end, &stop);
    return std::string(begin, stop) + "…";
}

HeatmapResult draw_heatmap(const char* id, HeatmapTextureSource& source, std::uint64_t content_key,
                           HeatmapImage img, const HeatmapStyle& style) {
    HeatmapResult res;
    ImGui::PushID(id);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float line_h = ImGui::GetTextLineHeight();
    const int n_rows = std::max(1, img.rows), n_cols = std::max(1, img.cols);

    // label gutters: sized to the longest label, capped so the matrix keeps most of the space
    auto longest = [](const std::vector<std::string>* labels) {
        float w = 0;
        if (labels)
            for (const auto& s : *labels)
                w = std::max(w, ImGui::CalcTextSize(s.c_str()).x);
        return w;
    };
    const float gutter_cap = std::max(60.0f, 0.25f * std::min(avail.x, avail.y));
    const float left = std::min(longest(style.row_labels), gutter_cap) + 8.0f;
    const float top = std::min(longest(style.col_labels), gutter_cap) + 8.0f;
    float side = std::min(avail.x - left - style.reserve_right, avail.y - top);
    if (style.max_size > 0) side = std::min(side, style.max_size);
    side = std::max(side, 32.0f);
    const float cell = side / static_cast<float>(std::max(n_rows, n_cols));
    const ImVec2 p0(origin.x + left, origin.y + top);
    const ImVec2 p1(p0.x + cell * static_cast<float>(n_cols), p0.y + cell * static_cast<float>(n_rows));
    res.image_min = p0;
    res.image_max = p1;

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const bool labels_fit = cell >= line_h * 0.9f;
    if (style.row_labels && labels_fit) {
        for (int r = 0; r < img.rows && r < static_cast<int>(style.row_labels->size()); ++r) {
            const std::string s = fit_label((*style.row_labels)[static_cast<std::size_t>(r)], left - 8.0f);
            const float w = ImGui::CalcTextSize(s.c_str()).x;
            const float y = p0.y + cell * (static_cast<float>(r) + 0.5f) - line_h * 0.5f;
            dl->AddText(ImVec2(p0.x - 6.0f - w, y), r == style.highlight_row ? text_col : dim_col, s.c_str());
        }
    }
    if (style.col_labels && labels_fit) {
        for (int c = 0; c < img.cols && c < static_cast<int>(style.col_labels->size()); ++c) {
            const std::string s = fit_label((*style.col_labels)[static_cast<std::size_t>(c)], top - 8.0f);
            const float w = ImGui::CalcTextSize(s.c_str()).x;
            const float x = p0.x + cell * (static_cast<float>(c) + 0.5f) - line_h * 0.5f;
            add_text_vertical(dl, ImVec2(x, p0.y - 6.0f - w), dim_col, s.c_str());
        }
    }
    if (!labels_fit && (style.row_labels || style.col_labels)) {
        dl->AddText(ImVec2(origin.x, origin.y), dim_col, "hover for tokens");
    }

    img.cell_px = heatmap_cell_px(std::max(n_rows, n_cols), side);
    const ImTextureID tex = source.texture(id, content_key, img);
    dl->AddImage(tex, p0, p1, ImVec2(0, 1), ImVec2(1, 0)); // render target: flip V
    if (style.highlight_row >= 0 && style.highlight_row < img.rows) {
        const float y = p0.y + cell * static_cast<float>(style.highlight_row);
        dl->AddRect(ImVec2(p0.x - 1, y - 1), ImVec2(p1.x + 1, y + cell + 1), IM_COL32(255, 80, 80, 255), 0, 0,
                    2.0f);
    }

    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("##cells", ImVec2(p1.x - p0.x, p1.y - p0.y));
    if (ImGui::IsItemHovered() && img.rows > 0 && img.cols > 0) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        res.hovered.col = std::clamp(static_cast<int>((m.x - p0.x) / cell), 0, img.cols - 1);
        res.hovered.row = std::clamp(static_cast<int>((m.y - p0.y) / cell), 0, img.rows - 1);
        const float x = p0.x + cell * static_cast<float>(res.hovered.col);
        const float y = p0.y + cell * static_cast<float>(res.hovered.row);
        dl->AddRect(ImVec2(x, y), ImVec2(x + cell, y + cell), IM_COL32(255, 255, 255, 255), 0, 0, 2.0f);
        if (ImGui::IsItemClicked()) res.clicked = res.hovered;
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, p1.y + 4.0f));
    ImGui::Dummy(ImVec2(p1.x - origin.x, 0.0f));
    ImGui::PopID();
    return res;
}

} // namespace attn

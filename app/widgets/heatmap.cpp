// draw_heatmap(): axis labels (column labels rotated 90°), the colormapped image, hover and click.
#include "heatmap.hpp"
#include "app/i18n/i18n.hpp"

#include <imgui_internal.h> // SetItemUsingMouseWheel

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

float widest_label(const std::vector<std::string>& labels) {
    float w = 0;
    for (const auto& l : labels)
        w = std::max(w, ImGui::CalcTextSize(l.data(), l.data() + l.size()).x);
    return w;
}

namespace {

// Wheel, drag and click on the map; returns the cell under the mouse.
void handle_map_input(const HeatmapStyle& style, const HeatmapImage& img, ImVec2 p0, ImVec2 size,
                      float max_zoom, HeatmapResult& res) {
    const ImGuiIO& io = ImGui::GetIO();
    MapZoom* z = style.zoom;
    const bool hovered = ImGui::IsItemHovered();
    if (z && hovered) ImGui::SetItemUsingMouseWheel();
    const float zoom = z ? z->zoom : 1.0f;
    const float u0 = z ? z->u0 : 0.0f, v0 = z ? z->v0 : 0.0f;
    const ImVec2 m = io.MousePos;
    const float u = u0 + (m.x - p0.x) / size.x / zoom, v = v0 + (m.y - p0.y) / size.y / zoom;
    if (z && hovered && io.MouseWheel != 0.0f)
        zoom_map_at(*z, std::pow(1.25f, io.MouseWheel), u, v, max_zoom);
    const float drag_px = io.MouseDragThreshold;
    const bool dragged = io.MouseDragMaxDistanceSqr[0] > drag_px * drag_px;
    if (z && ImGui::IsItemActive() && dragged && z->zoom > 1.0f)
        pan_map(*z, -io.MouseDelta.x / size.x / z->zoom, -io.MouseDelta.y / size.y / z->zoom, max_zoom);
    if (hovered && img.rows > 0 && img.cols > 0 && !(ImGui::IsItemActive() && dragged)) {
        res.hovered.col =
            std::clamp(static_cast<int>(std::floor(u * static_cast<float>(img.cols))), 0, img.cols - 1);
        res.hovered.row =
            std::clamp(static_cast<int>(std::floor(v * static_cast<float>(img.rows))), 0, img.rows - 1);
        // a click selects on release, so a drag that pans does not also select
        if (ImGui::IsItemDeactivated() && !dragged) res.clicked = res.hovered;
    }
}

// The whole map small, with the zoomed window framed; click or drag in it to move the window.
void draw_minimap(ImDrawList* dl, ImTextureID tex, ImVec2 a, float side, MapZoom& z, float max_zoom) {
    const ImVec2 b(a.x + side, a.y + side);
    dl->AddRectFilled(ImVec2(a.x - 2, a.y - 2), ImVec2(b.x + 2, b.y + 2),
                      ImGui::GetColorU32(ImGuiCol_Border));
    dl->AddImage(tex, a, b, ImVec2(0, 1), ImVec2(1, 0));
    const float span = side / z.zoom;
    const ImVec2 w0(a.x + z.u0 * side, a.y + z.v0 * side);
    dl->AddRect(ImVec2(w0.x - 1, w0.y - 1), ImVec2(w0.x + span + 1, w0.y + span + 1), IM_COL32(0, 0, 0, 255),
                0, 0, 3.0f);
    dl->AddRect(w0, ImVec2(w0.x + span, w0.y + span), IM_COL32(255, 255, 255, 255), 0, 0, 1.5f);
    ImGui::SetCursorScreenPos(a);
    ImGui::InvisibleButton("##minimap", ImVec2(side, side));
    if (ImGui::IsItemActive()) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        center_map(z, z.zoom, (m.x - a.x) / side, (m.y - a.y) / side, max_zoom);
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(_("The whole map: the frame is the part shown. Click or drag to move it."));
}

} // namespace

HeatmapResult draw_heatmap(const char* id, HeatmapTextureSource& source, std::uint64_t content_key,
                           HeatmapImage img, const HeatmapStyle& style) {
    HeatmapResult res;
    ImGui::PushID(id);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float line_h = ImGui::GetTextLineHeight();
    const int n_rows = std::max(1, img.rows), n_cols = std::max(1, img.cols);
    const float max_zoom = max_map_zoom(std::max(n_rows, n_cols));
    if (style.zoom) clamp_map_zoom(*style.zoom, max_zoom);
    const float zoom = style.zoom ? style.zoom->zoom : 1.0f;
    const float u0 = style.zoom ? style.zoom->u0 : 0.0f, v0 = style.zoom ? style.zoom->v0 : 0.0f;

    // label gutters: sized to the longest label, capped so the matrix keeps most of the space; a map that
    // can zoom keeps room for its minimap in the corner
    auto longest = [&](const std::vector<std::string>* labels) {
        if (!labels) return 0.0f;
        return style.label_width >= 0.0f ? style.label_width : widest_label(*labels);
    };
    const float gutter_cap = std::max(60.0f, 0.25f * std::min(avail.x, avail.y));
    const float gutter_min = style.zoom && max_zoom > 1.0f ? ImGui::GetFontSize() * 4.5f : 0.0f;
    // a pane wider than tall has width to spare beside the square matrix: the row labels may use it
    const float left_cap = std::max(gutter_cap, avail.x - style.reserve_right - avail.y);
    const float left = std::max(std::min(longest(style.row_labels), left_cap), gutter_min) + 8.0f;
    const float top = std::max(std::min(longest(style.col_labels), gutter_cap), gutter_min) + 8.0f;
    float side = std::min(avail.x - left - style.reserve_right, avail.y - top);
    if (style.max_size > 0) side = std::min(side, style.max_size);
    side = std::max(side, 32.0f);
    const float cell0 = side / static_cast<float>(std::max(n_rows, n_cols)); // a cell at zoom 1
    const ImVec2 p0(origin.x + left, origin.y + top);
    const ImVec2 size(cell0 * static_cast<float>(n_cols), cell0 * static_cast<float>(n_rows));
    const ImVec2 p1(p0.x + size.x, p0.y + size.y);
    res.image_min = p0;
    res.image_max = p1;
    const float cell = cell0 * zoom; // a cell on screen
    // screen position of the start of row r / column c
    const auto row_y = [&](float r) { return p0.y + (r / static_cast<float>(n_rows) - v0) * size.y * zoom; };
    const auto col_x = [&](float c) { return p0.x + (c / static_cast<float>(n_cols) - u0) * size.x * zoom; };
    res.rows_shown = visible_cells(v0, 1.0f / zoom, img.rows);
    res.cols_shown = visible_cells(u0, 1.0f / zoom, img.cols);

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const float label_room = line_h * 1.1f; // one label's height, with a little air
    res.label_stride = label_stride(cell, label_room);
    // when only every k-th token is named, each label says which token it is, for finding one's way
    const auto numbered = [&](const std::string& label, int index) {
        if (res.label_stride == 1) return label;
        std::string out = std::to_string(index);
        out += ' ';
        out += label;
        return out;
    };
    res.row_labels_min = ImVec2(origin.x, p0.y);
    res.row_labels_max = ImVec2(p0.x, p1.y);
    if (style.row_labels) {
        dl->PushClipRect(ImVec2(origin.x, p0.y - line_h * 0.5f), ImVec2(p0.x, p1.y + line_h * 0.5f), true);
        const CellRange rr{res.rows_shown.first,
                           std::min(res.rows_shown.last, static_cast<int>(style.row_labels->size()))};
        for (const int r : labelled_cells(rr, cell, label_room, style.highlight_row)) {
            const std::string s =
                fit_label(numbered((*style.row_labels)[static_cast<std::size_t>(r)], r), left - 8.0f);
            const float w = ImGui::CalcTextSize(s.c_str()).x;
            const float y = row_y(static_cast<float>(r) + 0.5f) - line_h * 0.5f;
            dl->AddText(ImVec2(p0.x - 6.0f - w, y), r == style.highlight_row ? text_col : dim_col, s.c_str());
        }
        dl->PopClipRect();
    }
    if (style.col_labels) {
        // The text is laid out level and turned afterwards, and ImGui drops the glyphs that lie past the
        // clip rect's right edge while laying it out: the rect reaches a label's length past the last column
        // (even beyond the window), or the last columns' labels lose their ends ("10 t" for "10 tired").
        // Turned, every label stands over its own column, inside the map's width.
        const ImVec2 clip_min = dl->GetClipRectMin(), clip_max = dl->GetClipRectMax();
        dl->PushClipRect(ImVec2(std::max(clip_min.x, p0.x - line_h * 0.5f), std::max(clip_min.y, origin.y)),
                         ImVec2(p1.x + line_h * 0.5f + top, std::min(clip_max.y, p0.y)), false);
        const CellRange cr{res.cols_shown.first,
                           std::min(res.cols_shown.last, static_cast<int>(style.col_labels->size()))};
        for (const int c : labelled_cells(cr, cell, label_room)) {
            const std::string s =
                fit_label(numbered((*style.col_labels)[static_cast<std::size_t>(c)], c), top - 8.0f);
            const float w = ImGui::CalcTextSize(s.c_str()).x;
            const float x = col_x(static_cast<float>(c) + 0.5f) - line_h * 0.5f;
            add_text_vertical(dl, ImVec2(x, p0.y - 6.0f - w), dim_col, s.c_str());
        }
        dl->PopClipRect();
    }

    img.cell_px = heatmap_cell_px(std::max(n_rows, n_cols), side);
    const ImTextureID whole = source.texture(id, content_key, img);
    dl->PushClipRect(p0, p1, true);
    const float span = 1.0f / zoom;
    // copied pixel for pixel, with the grid and the hatching drawn at screen resolution at every zoom; where
    // that cannot be done (no GPU), the whole map's texture scaled
    if (!source.draw_exact(dl, id, content_key, img, p0, p1, u0, v0, span))
        dl->AddImage(whole, p0, p1, ImVec2(u0, 1.0f - v0), ImVec2(u0 + span, 1.0f - v0 - span)); // flip V
    if (style.highlight_row >= 0 && style.highlight_row < img.rows) {
        const float y = row_y(static_cast<float>(style.highlight_row));
        dl->AddRect(ImVec2(p0.x - 1, y - 1), ImVec2(p1.x + 1, y + cell + 1), IM_COL32(255, 80, 80, 255), 0, 0,
                    2.0f);
    }
    dl->PopClipRect();

    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("##cells", size);
    handle_map_input(style, img, p0, size, max_zoom, res);
    if (res.hovered.row >= 0) {
        const float x = col_x(static_cast<float>(res.hovered.col)),
                    y = row_y(static_cast<float>(res.hovered.row));
        dl->PushClipRect(p0, p1, true);
        dl->AddRect(ImVec2(x, y), ImVec2(x + cell, y + cell), IM_COL32(255, 255, 255, 255), 0, 0, 2.0f);
        dl->PopClipRect();
    }
    if (style.zoom && style.zoom->zoom > 1.0f) {
        const float mini = std::min(left, top) - 12.0f;
        if (mini >= 24.0f) {
            const ImVec2 at(origin.x + 2.0f, origin.y + 2.0f);
            draw_minimap(dl, whole, at, mini, *style.zoom, max_zoom);
            res.minimap_min = at;
            res.minimap_max = ImVec2(at.x + mini, at.y + mini);
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, p1.y + 4.0f));
    ImGui::Dummy(ImVec2(p1.x - origin.x, 0.0f));
    ImGui::PopID();
    return res;
}

} // namespace attn

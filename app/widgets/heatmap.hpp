// A labelled matrix heatmap: the image comes from a HeatmapTextureSource (the GPU colormap pass in the
// app, a stand-in in headless tests), so a 512×512 map is one textured quad, not 262,144 rectangles. The
// same source keeps other expensive drawings as textures (canvas()).
#pragma once

#include "app/state/map_zoom.hpp"

#include <imgui.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

// The data behind one heatmap: row-major values, NaN where a cell is masked.
struct HeatmapImage {
    const float* values = nullptr; // (rows, cols)
    int rows = 0, cols = 0;
    float vmin = 0.0f, vmax = 1.0f;
    int cell_px = 1; // resolution of the rendered texture per cell
};

class HeatmapTextureSource {
  public:
    virtual ~HeatmapTextureSource() = default;
    // A texture showing img through the colormap; re-rendered only when content_key changes.
    virtual ImTextureID texture(std::string_view slot, std::uint64_t content_key,
                                const HeatmapImage& img) = 0;
    // True when texture() would reuse the slot's image without reading img.values, so a caller may skip
    // building the values (e.g. dozens of thumbnails). The default always says no.
    virtual bool is_current(std::string_view slot, std::uint64_t content_key, int rows, int cols,
                            int cell_px) const {
        (void)slot, (void)content_key, (void)rows, (void)cols, (void)cell_px;
        return false;
    }

    // Draws the cells of img in the window u0 … u0 + span (columns) × v0 … v0 + span (rows) onto the screen
    // rectangle p0–p1 pixel for pixel, from a texture rendered at exactly that size when the content, the
    // window or the size changes: a software renderer then copies the map each frame instead of filtering
    // a large texture. Masked cells keep their hatching and large cells their grid lines. Returns false
    // when it cannot (no GPU in headless tests), and the caller shows texture() as an image instead.
    virtual bool draw_exact(ImDrawList* dl, std::string_view slot, std::uint64_t content_key,
                            const HeatmapImage& img, ImVec2 p0, ImVec2 p1, float u0, float v0, float span) {
        (void)dl, (void)slot, (void)content_key, (void)img, (void)p0, (void)p1, (void)u0, (void)v0,
            (void)span;
        return false;
    }

    // A drawing kept as a texture and shown as one quad, for views whose geometry would cost a software
    // renderer far more per frame than it costs to build (thousands of lines in the arc view). `geometry`
    // is in the canvas's own coordinates, (0, 0) top-left to (w, h), drawn over an opaque `background`;
    // `pixel_scale` is the framebuffer pixels per unit. Re-rendered only when content_key or the size
    // changes. Returns nullptr when there is no GPU (headless tests).
    virtual ImTextureID canvas(std::string_view slot, std::uint64_t content_key, ImVec2 size,
                               float pixel_scale, ImU32 background, const ImDrawList& geometry) {
        (void)slot, (void)content_key, (void)size, (void)pixel_scale, (void)background, (void)geometry;
        return nullptr;
    }
    // True when canvas() would reuse the slot's texture, so the caller may skip building the geometry.
    virtual bool canvas_current(std::string_view slot, std::uint64_t content_key, ImVec2 size,
                                float pixel_scale) const {
        (void)slot, (void)content_key, (void)size, (void)pixel_scale;
        return false;
    }
};

struct HeatmapCell {
    int row = -1, col = -1;
};

struct HeatmapStyle {
    const std::vector<std::string>* row_labels = nullptr; // queries, down the left
    const std::vector<std::string>* col_labels = nullptr; // keys, along the top (rotated)
    int highlight_row = -1;
    float max_size = 0.0f;      // 0 = use all available space
    float reserve_right = 0.0f; // width kept free to the right of the matrix (e.g. for a colour bar)
    // Zoom and pan (wheel about the cursor, drag, the minimap); null = always the whole map.
    MapZoom* zoom = nullptr;
    // The widest label in pixels when the caller keeps it (measuring thousands of labels every frame
    // costs); negative = measure here.
    float label_width = -1.0f;
};

struct HeatmapResult {
    HeatmapCell hovered;
    HeatmapCell clicked;
    ImVec2 image_min, image_max; // screen rectangle of the matrix itself
    int label_stride = 1;        // 1 = every row and column on screen labelled, k = every k-th
    CellRange rows_shown, cols_shown;
    ImVec2 minimap_min, minimap_max;       // the minimap's rectangle (empty when not zoomed)
    ImVec2 row_labels_min, row_labels_max; // the gutter of row labels
};

HeatmapResult draw_heatmap(const char* id, HeatmapTextureSource& source, std::uint64_t content_key,
                           HeatmapImage img, const HeatmapStyle& style);

// Picks how many texture pixels each cell gets for a map drawn `display_px` wide.
int heatmap_cell_px(int n_cells, float display_px);
// The widest of the labels in pixels at the current font.
float widest_label(const std::vector<std::string>& labels);
// The label itself when it fits max_w pixels, else its longest prefix (whole characters) followed by "…".
std::string fit_label(const std::string& label, float max_w);

} // namespace attn

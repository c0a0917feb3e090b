// A labelled matrix heatmap: the image comes from a HeatmapTextureSource (the GPU colormap pass in the
// app, a stand-in in headless tests), so a 512×512 map is one textured quad, not 262,144 rectangles.
#pragma once

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
    int cell_px = 1;               // resolution of the rendered texture per cell
};

class HeatmapTextureSource {
  public:
    virtual ~HeatmapTextureSource() = default;
    // A texture showing img through the colormap; re-rendered only when content_key changes.
    virtual ImTextureID texture(std::string_view slot, std::uint64_t content_key, const HeatmapImage& img) = 0;
    // True when texture() would reuse the slot's image without reading img.values, so a caller may skip
    // building the values (e.g. dozens of thumbnails). The default always says no.
    virtual bool is_current(std::string_view slot, std::uint64_t content_key, int rows, int cols, int cell_px) const {
        (void)slot, (void)content_key, (void)rows, (void)cols, (void)cell_px;
        return false;
    }
};

struct HeatmapCell { int row = -1, col = -1; };

struct HeatmapStyle {
    const std::vector<std::string>* row_labels = nullptr; // queries, down the left
    const std::vector<std::string>* col_labels = nullptr; // keys, along the top (rotated)
    int highlight_row = -1;
    float max_size = 0.0f; // 0 = use all available space
    float reserve_right = 0.0f; // width kept free to the right of the matrix (e.g. for a colour bar)
};

struct HeatmapResult {
    HeatmapCell hovered;
    HeatmapCell clicked;
    ImVec2 image_min, image_max; // screen rectangle of the matrix itself
};

HeatmapResult draw_heatmap(const char* id, HeatmapTextureSource& source, std::uint64_t content_key,
                           HeatmapImage img, const HeatmapStyle& style);

// Picks how many texture pixels each cell gets for a map drawn `display_px` wide.
int heatmap_cell_px(int n_cells, float display_px);

} // namespace attn

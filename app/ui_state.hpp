// UiState — how things look. Panels change it directly; it never affects what the core computes.
#pragma once

#include <imgui.h>

#include <map>
#include <string>
#include <vector>

namespace attn {

struct Rect { float x = 0, y = 0, w = 0, h = 0; };

struct UiState {
    std::vector<bool> panel_open;        // indexed like panels()
    int selected_layer = 0;
    int selected_head = 0;               // -1 = mean over heads
    int selected_query = -1;             // token row selected in the heatmap, -1 = none
    std::string text_buffer;             // the sentence box being edited (committed as SetText)
    std::uint64_t text_buffer_revision = ~0ull; // AppState revision the buffer was last synced from
    std::string status;                  // last message for the user (refusals, cuts)
    float content_scale = 1.0f;          // monitor content scale (DPI), fonts are built for it
    // Screen rectangles of named regions recorded while drawing; written out for GUI tests.
    std::map<std::string, Rect> regions;
};

inline void record_region(UiState& ui, const std::string& name, ImVec2 min, ImVec2 max) {
    ui.regions[name] = Rect{min.x, min.y, max.x - min.x, max.y - min.y};
}

} // namespace attn

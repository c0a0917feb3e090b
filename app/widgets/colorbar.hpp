// A vertical colour-bar legend for the heatmaps: the viridis scale with its top and bottom values, and a
// hatched swatch that says what a masked cell looks like.
#pragma once

namespace attn {

// Draws at the cursor, `height` tall; labels are printed to the right of the bar.
void draw_colorbar(const char* id, float height, const char* top_label, const char* bottom_label,
                   bool show_masked);
// The width draw_colorbar() will take, so a caller can leave room for it beside a heatmap.
float colorbar_width(const char* top_label, const char* bottom_label);

} // namespace attn

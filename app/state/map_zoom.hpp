// Zoom and pan of a square map (the heatmap), as pure arithmetic on fractions of the map so it is testable
// without a window: which part of the map is on screen, zooming about a point that stays put, panning,
// and which rows get a label when there are more rows on screen than labels fit.
#pragma once

#include <vector>

namespace attn {

// The visible window of a map: `zoom` 1 shows the whole map, k shows 1/k of its rows and of its columns;
// (u0, v0) is the window's top-left corner as a fraction of the map's width and height.
struct MapZoom {
    float zoom = 1.0f;
    float u0 = 0.0f, v0 = 0.0f;
};

// The largest useful zoom for a map of n cells a side: the window still holds at least four cells.
float max_map_zoom(int n_cells);
// Keeps zoom in [1, max_zoom] and the window inside the map.
void clamp_map_zoom(MapZoom& z, float max_zoom);
// Multiplies the zoom by `factor`, keeping the map point (u, v) (fractions of the map) where it was on
// screen, as a mouse wheel zooms about the cursor.
void zoom_map_at(MapZoom& z, float factor, float u, float v, float max_zoom);
// Moves the window by (du, dv) fractions of the map.
void pan_map(MapZoom& z, float du, float dv, float max_zoom);
// Centres the window on the map point (u, v) at the given zoom.
void center_map(MapZoom& z, float zoom, float u, float v, float max_zoom);

// Cells [first, last) of n that are at least partly inside [t0, t0 + span) (fractions of the map).
struct CellRange {
    int first = 0, last = 0;
};
CellRange visible_cells(float t0, float span, int n);

// The cells of `range` that get a label when each cell is `cell_px` pixels and a label needs `label_px`:
// every k-th cell (k = 1 when they all fit, multiples of k so labels stay put while panning), plus
// `keep` (a selected row, -1 for none) with its neighbours that would overlap it left out.
std::vector<int> labelled_cells(CellRange range, float cell_px, float label_px, int keep = -1);
// The k above: how many cells share one label's room.
int label_stride(float cell_px, float label_px);

} // namespace attn

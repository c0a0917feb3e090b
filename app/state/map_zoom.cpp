// Zoom, pan and label thinning of the heatmap (map_zoom.hpp).
#include "map_zoom.hpp"

#include <algorithm>
#include <cmath>

namespace attn {

float max_map_zoom(int n_cells) {
    return std::max(1.0f, static_cast<float>(n_cells) / 4.0f);
}

void clamp_map_zoom(MapZoom& z, float max_zoom) {
    if (!std::isfinite(z.zoom)) z.zoom = 1.0f;
    if (!std::isfinite(z.u0)) z.u0 = 0.0f;
    if (!std::isfinite(z.v0)) z.v0 = 0.0f;
    z.zoom = std::clamp(z.zoom, 1.0f, std::max(1.0f, max_zoom));
    const float span = 1.0f / z.zoom;
    z.u0 = std::clamp(z.u0, 0.0f, 1.0f - span);
    z.v0 = std::clamp(z.v0, 0.0f, 1.0f - span);
}

void zoom_map_at(MapZoom& z, float factor, float u, float v, float max_zoom) {
    clamp_map_zoom(z, max_zoom);
    if (!(factor > 0.0f) || !std::isfinite(factor)) return;
    const float old_span = 1.0f / z.zoom;
    // where (u, v) sits inside the window, as a fraction of the window: kept after the zoom
    const float fx = (u - z.u0) / old_span, fy = (v - z.v0) / old_span;
    z.zoom = std::clamp(z.zoom * factor, 1.0f, std::max(1.0f, max_zoom));
    const float span = 1.0f / z.zoom;
    z.u0 = u - fx * span;
    z.v0 = v - fy * span;
    clamp_map_zoom(z, max_zoom);
}

void pan_map(MapZoom& z, float du, float dv, float max_zoom) {
    if (std::isfinite(du)) z.u0 += du;
    if (std::isfinite(dv)) z.v0 += dv;
    clamp_map_zoom(z, max_zoom);
}

void center_map(MapZoom& z, float zoom, float u, float v, float max_zoom) {
    z.zoom = zoom;
    clamp_map_zoom(z, max_zoom);
    const float span = 1.0f / z.zoom;
    z.u0 = u - 0.5f * span;
    z.v0 = v - 0.5f * span;
    clamp_map_zoom(z, max_zoom);
}

CellRange visible_cells(float t0, float span, int n) {
    CellRange r;
    if (n <= 0 || !(span > 0.0f)) return r;
    const float nf = static_cast<float>(n);
    r.first = std::clamp(static_cast<int>(std::floor(t0 * nf)), 0, n);
    r.last = std::clamp(static_cast<int>(std::ceil((t0 + span) * nf)), r.first, n);
    return r;
}

int label_stride(float cell_px, float label_px) {
    if (!(cell_px > 0.0f) || !(label_px > 0.0f)) return 1;
    return std::max(1, static_cast<int>(std::ceil(label_px / cell_px - 1e-4f)));
}

std::vector<int> labelled_cells(CellRange range, float cell_px, float label_px, int keep) {
    std::vector<int> out;
    const int k = label_stride(cell_px, label_px);
    const bool keep_shown = keep >= range.first && keep < range.last;
    const int first = (range.first + k - 1) / k * k;
    for (int c = first; c < range.last; c += k) {
        if (keep_shown && c != keep && std::abs(c - keep) < k) continue; // would overlap the kept label
        if (keep_shown && c > keep && (out.empty() || out.back() < keep)) out.push_back(keep);
        out.push_back(c);
    }
    if (keep_shown && std::find(out.begin(), out.end(), keep) == out.end()) {
        out.push_back(keep);
        std::sort(out.begin(), out.end());
    }
    return out;
}

} // namespace attn

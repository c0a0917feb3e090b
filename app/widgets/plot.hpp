// A reusable 2-D plot drawn with ImGui's draw list: linear or log axes with readable ticks, several series
// with a legend, a hover readout of the nearest point, vertical markers, and a fitted power-law slope.
// The arithmetic (ticks, mapping, fit) lives in app/state/plot_math.hpp and is tested without a window.
#pragma once

#include "app/state/plot_math.hpp"

#include "app/widgets/heatmap.hpp"

#include <imgui.h>

#include <string>
#include <vector>

namespace attn {

struct PlotSeries {
    std::string label;
    std::vector<double> xs, ys; // points with y <= 0 are not drawn on a log axis
    ImU32 color = IM_COL32(255, 255, 255, 255);
    bool dashed = false;
    bool points = false; // draw a dot at every point (for measurements)
    bool fit = false;    // with PlotSpec::show_fit: draw the fitted power law, print its exponent
};

struct PlotMarker {
    double x = 0;
    std::string label;
    ImU32 color = 0; // 0: the theme's accent colour (text_tones().accent)
};

struct PlotSpec {
    plot::Axis x, y;
    std::string x_label, y_label;
    std::vector<PlotSeries> series;
    std::vector<PlotMarker> markers;
    bool show_fit = false;
    float height = 0; // 0 = 14 text lines
};

struct PlotResult {
    ImVec2 min, max;         // the plotting area on screen (for regions / screenshot tests)
    int hovered_series = -1; // nearest point under the mouse, or -1
    int hovered_index = -1;
};

// Draws the plot filling the available width. `id` must be unique in the window. With a texture source
// the plot's picture is kept as a texture and redrawn only when the spec, size or colours change; the
// hover readout is drawn live on top.
PlotResult draw_plot(const char* id, const PlotSpec& spec, HeatmapTextureSource* cache = nullptr);

// A legend line outside a plot: a swatch of the series colour, then the text in the theme's text colour
// (a line colour that shows on every theme is not a text colour that reads on every theme).
void swatch_text(ImU32 color, const std::string& text);

} // namespace attn

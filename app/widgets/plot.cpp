// draw_plot(): frame, grid and tick labels, clipped series (solid or dashed), markers, legend with fitted
// exponents, and the hover readout of the nearest point.
#include "plot.hpp"

#include "app/i18n/i18n.hpp"
#include "canvas.hpp"
#include "theme.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

namespace attn {

namespace {

struct Mapper {
    const PlotSpec& spec;
    ImVec2 lo, hi; // plotting area
    ImVec2 to_screen(double x, double y) const {
        const double tx = plot::to_unit(spec.x, x), ty = plot::to_unit(spec.y, y);
        // clamp far-off values so float conversion stays finite; the clip rect hides them
        const double cx = std::clamp(tx, -10.0, 11.0), cy = std::clamp(ty, -10.0, 11.0);
        return ImVec2(lo.x + static_cast<float>(cx) * (hi.x - lo.x),
                      hi.y - static_cast<float>(cy) * (hi.y - lo.y));
    }
    bool drawable(double x, double y) const {
        if (!std::isfinite(x) || !std::isfinite(y)) return false;
        if (spec.x.scale == plot::Scale::Log && x <= 0) return false;
        if (spec.y.scale == plot::Scale::Log && y <= 0) return false;
        return true;
    }
};

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash) {
    const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    if (len <= 0) return;
    for (float s = 0; s < len; s += 2 * dash) {
        const float e = std::min(len, s + dash);
        dl->AddLine(ImVec2(a.x + dx * s / len, a.y + dy * s / len),
                    ImVec2(a.x + dx * e / len, a.y + dy * e / len), col, thickness);
    }
}

void draw_series(ImDrawList* dl, const Mapper& m, const PlotSeries& s, float thickness, float dash) {
    bool have_prev = false;
    ImVec2 prev;
    const std::size_t n = std::min(s.xs.size(), s.ys.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (!m.drawable(s.xs[i], s.ys[i])) {
            have_prev = false;
            continue;
        }
        const ImVec2 p = m.to_screen(s.xs[i], s.ys[i]);
        if (have_prev) {
            if (s.dashed)
                dashed_line(dl, prev, p, s.color, thickness, dash);
            else
                dl->AddLine(prev, p, s.color, thickness);
        }
        if (s.points) dl->AddCircleFilled(p, thickness * 2.0f, s.color);
        prev = p;
        have_prev = true;
    }
}

// Where things go, relative to the plot's top-left corner.
struct PlotFrame {
    std::vector<plot::Tick> x_ticks, y_ticks;
    float label_w = 0;
    ImVec2 lo, hi;                   // plotting area
    std::vector<std::string> legend; // one entry per series, with its fitted slope
    std::vector<ImVec2> legend_at;   // where each entry's swatch starts
    float legend_h = 0;              // the rows below the x-axis title
};

std::vector<std::string> legend_entries(const PlotSpec& spec) {
    std::vector<std::string> legend;
    for (const auto& s : spec.series) {
        std::string entry = s.label;
        if (spec.show_fit && s.fit) {
            const plot::PowerFit f = plot::fit_power_law(s.xs, s.ys);
            if (f.ok) {
                char buf[64];
                std::snprintf(buf, sizeof buf, _("  (slope %.2f)"), f.exponent);
                entry += buf;
            }
        }
        legend.push_back(entry);
    }
    return legend;
}

// The legend sits below the plot, never over its data: entries side by side, wrapping to a new row
// when the next one would not fit the width. Returns the height of the rows.
float layout_legend(PlotFrame& f, float left, float width, float line) {
    const float sw = line * 1.4f, gap = line * 1.2f;
    float x = left, y = 0;
    for (const auto& e : f.legend) {
        const float w = sw + line * 0.4f + ImGui::CalcTextSize(e.c_str()).x;
        if (x > left && x + w > width) x = left, y += line;
        f.legend_at.emplace_back(x, y);
        x += w + gap;
    }
    return f.legend.empty() ? 0.0f : y + line * 1.2f;
}

PlotFrame layout(const PlotSpec& spec, float width, float height, float line) {
    PlotFrame f;
    f.x_ticks = plot::choose_ticks(spec.x, std::max(2, static_cast<int>(width / (line * 4.5f))));
    f.y_ticks = plot::choose_ticks(spec.y, std::max(2, static_cast<int>(height / (line * 2.2f))));
    for (const auto& t : f.y_ticks)
        f.label_w = std::max(f.label_w, ImGui::CalcTextSize(t.label.c_str()).x);
    f.lo = ImVec2(f.label_w + line * 0.8f, line * 0.6f);
    f.legend = legend_entries(spec);
    f.legend_h = layout_legend(f, f.lo.x, width, line);
    f.hi = ImVec2(width - line * 0.6f, height - line * 2.6f);
    for (auto& p : f.legend_at)
        p.y += f.hi.y + line * 2.6f;
    return f;
}

// Everything but the hover readout: frame, grid, tick labels, series, fits, markers, legend. `origin` is
// the plot's top-left corner in dl's coordinates.
void draw_static(ImDrawList* dl, const PlotSpec& spec, const PlotFrame& frame, ImVec2 origin, float line) {
    const ImVec2 lo(origin.x + frame.lo.x, origin.y + frame.lo.y),
        hi(origin.x + frame.hi.x, origin.y + frame.hi.y);
    const float label_w = frame.label_w;
    const Mapper m{spec, lo, hi};
    const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border, 0.55f);
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    dl->AddRectFilled(lo, hi, ImGui::GetColorU32(ImGuiCol_FrameBg));

    for (const auto& t : frame.x_ticks) {
        const float x = m.to_screen(t.value, spec.y.lo).x;
        dl->AddLine(ImVec2(x, lo.y), ImVec2(x, hi.y), grid);
        const float tw = ImGui::CalcTextSize(t.label.c_str()).x;
        dl->AddText(ImVec2(std::clamp(x - tw * 0.5f, lo.x - label_w, hi.x - tw), hi.y + line * 0.2f), dim,
                    t.label.c_str());
    }
    for (const auto& t : frame.y_ticks) {
        const float y = m.to_screen(spec.x.lo, t.value).y;
        dl->AddLine(ImVec2(lo.x, y), ImVec2(hi.x, y), grid);
        const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
        dl->AddText(ImVec2(lo.x - ts.x - line * 0.3f, y - ts.y * 0.5f), dim, t.label.c_str());
    }
    const ImVec2 xl = ImGui::CalcTextSize(spec.x_label.c_str());
    dl->AddText(ImVec2(lo.x + (hi.x - lo.x - xl.x) * 0.5f, hi.y + line * 1.3f), text, spec.x_label.c_str());
    dl->AddRect(lo, hi, grid);

    const float thickness = std::max(1.5f, line * 0.13f);
    dl->PushClipRect(lo, hi, true);
    for (const auto& s : spec.series) {
        draw_series(dl, m, s, thickness, line * 0.4f);
        if (spec.show_fit && s.fit) {
            const plot::PowerFit f = plot::fit_power_law(s.xs, s.ys);
            if (f.ok) {
                // the fitted line c · x^k across the data's x range
                double x_min = 0, x_max = 0;
                for (double x : s.xs)
                    if (x > 0) x_min = x_min == 0 ? x : std::min(x_min, x), x_max = std::max(x_max, x);
                PlotSeries fitted;
                fitted.color = (s.color & 0x00FFFFFFu) | 0xA0000000u;
                fitted.dashed = true;
                for (int i = 0; i <= 16; ++i) {
                    const double x = x_min * std::pow(x_max / x_min, i / 16.0);
                    fitted.xs.push_back(x);
                    fitted.ys.push_back(f.coefficient * std::pow(x, f.exponent));
                }
                draw_series(dl, m, fitted, thickness * 0.7f, line * 0.25f);
            }
        }
    }
    for (std::size_t i = 0; i < spec.markers.size(); ++i) {
        const PlotMarker& mk = spec.markers[i];
        const float x = m.to_screen(mk.x, spec.y.lo).x;
        const ImU32 col = mk.color != 0 ? mk.color : tone_u32(text_tones().accent);
        // below the y-axis title, which sits in the top-left corner, one line per marker so two near
        // markers do not overprint; a label that would leave the plot goes to the line's left side.
        // The label is ink on a backing of the plot's own background: a line colour is not text colour.
        const float below_title = spec.y_label.empty() ? 0.1f : 1.35f;
        const float label_y = lo.y + line * (below_title + static_cast<float>(i));
        // the line, too, starts below the title: dashes through its letters make it hard to read
        dashed_line(dl, ImVec2(x, lo.y + line * (below_title - 0.1f)), ImVec2(x, hi.y), col, thickness,
                    line * 0.3f);
        const ImVec2 ts = ImGui::CalcTextSize(mk.label.c_str());
        // and never past the frame's left edge, where it would be cut (a marker left of the axis's range)
        const float beside = x + line * 0.25f + ts.x > hi.x ? x - line * 0.25f - ts.x : x + line * 0.25f;
        const float lx = std::clamp(beside, lo.x + 2.0f, std::max(lo.x + 2.0f, hi.x - ts.x - 2.0f));
        // the box reaches 2 px below the line, or its edge hides an underscore ("2·d_model")
        dl->AddRectFilled(ImVec2(lx - 2, label_y), ImVec2(lx + ts.x + 2, label_y + ts.y + 2),
                          ImGui::GetColorU32(ImGuiCol_FrameBg));
        dl->AddRect(ImVec2(lx - 2, label_y), ImVec2(lx + ts.x + 2, label_y + ts.y + 2), col);
        dl->AddText(ImVec2(lx, label_y), text, mk.label.c_str());
    }
    dl->PopClipRect();

    // legend below the x-axis title, outside the data (see layout_legend)
    const float sw = line * 1.4f;
    for (std::size_t i = 0; i < frame.legend.size() && i < frame.legend_at.size(); ++i) {
        const ImVec2 at(origin.x + frame.legend_at[i].x, origin.y + frame.legend_at[i].y);
        const float mid = at.y + line * 0.5f;
        const ImU32 c = spec.series[i].color;
        if (spec.series[i].dashed)
            dashed_line(dl, ImVec2(at.x, mid), ImVec2(at.x + sw, mid), c, thickness, line * 0.25f);
        else
            dl->AddLine(ImVec2(at.x, mid), ImVec2(at.x + sw, mid), c, thickness);
        dl->AddText(ImVec2(at.x + sw + line * 0.4f, at.y), text, frame.legend[i].c_str());
    }
    if (!spec.y_label.empty())
        dl->AddText(ImVec2(lo.x + line * 0.3f, lo.y + line * 0.1f), dim, spec.y_label.c_str());
}

// The content key of a plot's picture: every value draw_static reads, the size and the colours.
std::uint64_t plot_key(const PlotSpec& spec, ImVec2 size) {
    ContentKey k;
    k.add(size).add(ImGui::GetFontSize());
    for (const ImGuiCol c : {ImGuiCol_Border, ImGuiCol_Text, ImGuiCol_TextDisabled, ImGuiCol_FrameBg,
                             ImGuiCol_PopupBg, ImGuiCol_WindowBg})
        k.add(ImGui::GetColorU32(c));
    for (const plot::Axis* a : {&spec.x, &spec.y})
        k.add(a->lo).add(a->hi).add(a->scale).add(a->units);
    k.add(std::string_view(spec.x_label))
        .add(std::string_view(spec.y_label))
        .add(spec.show_fit)
        .add(spec.height);
    for (const auto& se : spec.series) {
        k.add(std::string_view(se.label)).add(se.color).add(se.dashed).add(se.points).add(se.fit);
        k.add(se.xs.size()).bytes(se.xs.data(), se.xs.size() * sizeof(double));
        k.add(se.ys.size()).bytes(se.ys.data(), se.ys.size() * sizeof(double));
    }
    for (const auto& mk : spec.markers)
        k.add(mk.x).add(std::string_view(mk.label)).add(mk.color).add(tone_u32(text_tones().accent));
    return k.value();
}

} // namespace

PlotResult draw_plot(const char* id, const PlotSpec& spec, HeatmapTextureSource* cache) {
    PlotResult r;
    ImGui::PushID(id);
    const float line = ImGui::GetTextLineHeight();
    const float width = std::max(120.0f, ImGui::GetContentRegionAvail().x);
    const float plot_h = spec.height > 0 ? spec.height : line * 14.0f;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const PlotFrame f = layout(spec, width, plot_h, line);
    const float height = plot_h + f.legend_h; // the legend's rows come on top of the plot's height
    ImGui::InvisibleButton("##plot", ImVec2(width, height));
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 lo(origin.x + f.lo.x, origin.y + f.lo.y), hi(origin.x + f.hi.x, origin.y + f.hi.y);
    r.min = lo;
    r.max = hi;
    if (hi.x - lo.x < 20 || hi.y - lo.y < 20) {
        ImGui::PopID();
        return r;
    }
    // the picture is kept as a texture and redrawn only when the plot changes: dozens of labels and
    // line segments cost a software renderer more per frame than one textured quad
    bool drawn = false;
    if (cache) {
        const ImVec2 size(width, height);
        const std::uint64_t key = plot_key(spec, size);
        const std::string slot = "plot#" + std::to_string(ImGui::GetID("##plot"));
        ImDrawList geo(ImGui::GetDrawListSharedData());
        if (!cache->canvas_current(slot, key, size, canvas_pixel_scale())) {
            begin_canvas(geo, size);
            draw_static(&geo, spec, f, ImVec2(0, 0), line);
        }
        ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
        bg.w = 1.0f;
        if (const ImTextureID tex = cache->canvas(slot, key, size, canvas_pixel_scale(),
                                                  ImGui::ColorConvertFloat4ToU32(bg), geo)) {
            show_canvas(dl, tex, origin, size);
            drawn = true;
        }
    }
    if (!drawn) draw_static(dl, spec, f, origin, line); // no texture source (or no GPU): draw it directly
    const Mapper m{spec, lo, hi};
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);

    if (hovered) {
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        float best = line * 1.5f;
        best *= best;
        for (std::size_t si = 0; si < spec.series.size(); ++si) {
            const auto& s = spec.series[si];
            for (std::size_t i = 0; i < std::min(s.xs.size(), s.ys.size()); ++i) {
                if (!m.drawable(s.xs[i], s.ys[i])) continue;
                const ImVec2 p = m.to_screen(s.xs[i], s.ys[i]);
                const float d = (p.x - mouse.x) * (p.x - mouse.x) + (p.y - mouse.y) * (p.y - mouse.y);
                if (d < best) {
                    best = d;
                    r.hovered_series = static_cast<int>(si);
                    r.hovered_index = static_cast<int>(i);
                }
            }
        }
        if (r.hovered_series >= 0) {
            const auto& s = spec.series[static_cast<std::size_t>(r.hovered_series)];
            const auto i = static_cast<std::size_t>(r.hovered_index);
            dl->AddCircle(m.to_screen(s.xs[i], s.ys[i]), line * 0.45f, text, 12, 2.0f);
            ImGui::BeginTooltip();
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(s.color), "%s", s.label.c_str());
            ImGui::Text("%s = %s", spec.x_label.c_str(), plot::format_value(s.xs[i], spec.x.units).c_str());
            ImGui::Text("%s", plot::format_value(s.ys[i], spec.y.units).c_str());
            ImGui::EndTooltip();
        }
    }
    ImGui::PopID();
    return r;
}

void swatch_text(ImU32 color, const std::string& text) {
    const float line = ImGui::GetTextLineHeight(), sz = line * 0.7f;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float y = p.y + (line - sz) * 0.5f;
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + sz, y + sz), color, 2.0f);
    ImGui::Dummy(ImVec2(sz, line));
    ImGui::SameLine();
    ImGui::TextUnformatted(text.c_str());
}

} // namespace attn

// Arc view (in the style of BertViz's head view): queries in the left column, keys in the right, one line
// per (query, key) whose opacity is the weight and whose colour is the head; hovering a token isolates it.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/state/views.hpp"
#include "app/widgets/canvas.hpp"
#include "app/widgets/heatmap.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/index_slider.hpp"
#include "app/widgets/palette.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace attn {

namespace {

constexpr std::size_t k_max_lines = 20000; // beyond this only the strongest lines are drawn
// The lines are drawn into a texture (HeatmapTextureSource::canvas) and redrawn only when what they show
// changes: the weights, the layer, the hidden heads, the threshold, the hovered token, the size or the
// scroll position. Curves cost a software renderer a triangle pair per segment, so when the picture has
// thousands of lines (every head of a long sentence) they are straight, keeping the redraw quick too.
constexpr int k_curve_segments = 12; // the most a faint arc gets (arc_curve_segments)
// a strong line (drawn at least half opaque) may get twice as many: the few lines a reader follows stay
// within half a pixel of the true curve even when tall and steep, where 12 segments show corners; the
// software renderer's cost follows the lines' length, hardly their segments
constexpr int k_strong_curve_segments = 24;
constexpr float k_strong_alpha = 0.5f;
constexpr std::size_t k_max_curves = 1024;
constexpr std::size_t k_max_direct_lines = 512; // a focused token's lines, drawn without the texture
constexpr float k_max_gap_em = 24.0f;           // the widest the space between the two columns gets

void draw_head_toggles(PanelContext& ctx, int n_heads) {
    auto& hidden = ctx.ui.views.arc_hidden_heads;
    hidden.resize(static_cast<std::size_t>(n_heads), 0);
    ImGui::TextUnformatted(_("heads"));
    item_help(
        _("One colour per head. Click a swatch to hide or show that head's lines; hide all but one to read "
          "a single head. Heads switched off in the Model panel are still drawn here (their weights exist; "
          "only their output is dropped)."));
    const float sz = ImGui::GetFrameHeight();
    // under GQA / MQA the swatches of the query heads that share one key/value head stand together,
    // underlined as a group
    const ModelConfig& c = ctx.state.config;
    const int per_group = c.n_kv_heads < c.n_heads && c.n_kv_heads > 0 ? c.n_heads / c.n_kv_heads : 0;
    ImVec2 group_start;
    for (int h = 0; h < n_heads; ++h) {
        const bool first_of_group = per_group > 0 && h % per_group == 0;
        ImGui::SameLine(0.0f, first_of_group && h > 0 ? sz * 0.6f : -1.0f);
        if (first_of_group) group_start = ImGui::GetCursorScreenPos();
        ImGui::PushID(h);
        const bool on = hidden[static_cast<std::size_t>(h)] == 0;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (ImGui::InvisibleButton("##h", ImVec2(sz, sz))) hidden[static_cast<std::size_t>(h)] = on ? 1 : 0;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + sz, p.y + sz), head_color(h, on ? 1.0f : 0.15f), 3.0f);
        if (!on) dl->AddRect(p, ImVec2(p.x + sz, p.y + sz), head_color(h), 3.0f);
        char label[16];
        std::snprintf(label, sizeof label, "%d", h + 1);
        const ImVec2 ts = ImGui::CalcTextSize(label);
        dl->AddText(ImVec2(p.x + (sz - ts.x) * 0.5f, p.y + (sz - ts.y) * 0.5f),
                    on ? ink_on_head(h) : ImGui::GetColorU32(ImGuiCol_Text), label);
        if (per_group > 0 && (h + 1) % per_group == 0)
            dl->AddLine(ImVec2(group_start.x, p.y + sz + 2.0f), ImVec2(p.x + sz, p.y + sz + 2.0f),
                        ImGui::GetColorU32(ImGuiCol_Text, 0.7f), 2.0f);
        if (ImGui::IsItemHovered()) {
            if (per_group > 0)
                ImGui::SetTooltip(_("head %d: %s (click to %s)\nreads key/value head %d with heads %d to %d"),
                                  h + 1, on ? _("shown") : _("hidden"), on ? _("hide") : _("show"),
                                  h / per_group + 1, h / per_group * per_group + 1,
                                  h / per_group * per_group + per_group);
            else
                ImGui::SetTooltip(_("head %d: %s (click to %s)"), h + 1, on ? _("shown") : _("hidden"),
                                  on ? _("hide") : _("show"));
        }
        ImGui::PopID();
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(_("all"))) std::fill(hidden.begin(), hidden.end(), std::uint8_t{0});
    item_help(_("Show the lines of every head."));
    ImGui::SameLine();
    if (ImGui::SmallButton(_("only selected"))) {
        std::fill(hidden.begin(), hidden.end(), std::uint8_t{1});
        hidden[static_cast<std::size_t>(ctx.ui.selected_head)] = 0;
    }
    item_help(_("Hide every head except the one selected in the other views."));
}

} // namespace

void draw_arc_panel(PanelContext& ctx) {
    const AppState& s = ctx.state;
    UiState& ui = ctx.ui;
    const ForwardResult& fwd = ctx.derived.forward;
    if (!attention_view_ready(ctx)) return;
    const LayerResult& layer = fwd.layers[static_cast<std::size_t>(ui.selected_layer)];
    const int n = s.n_tokens();

    if (s.config.n_layers > 1) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
        index_slider("##layer", ui.selected_layer, s.config.n_layers, _("layer %d"));
        item_help(_("Which layer's heads to draw."));
        ImGui::SameLine();
    }
    draw_head_toggles(ctx, s.config.n_heads);
    const bool top_k = n >= k_arc_top_k_tokens;
    LongInputUi& li = ui.long_input;
    if (!top_k) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
        ImGui::SliderFloat(_("hide below"), &ui.views.arc_min_weight, 0.0f, 0.5f, "%.2f");
        item_help(_("Lines for weights smaller than this are not drawn, so the strong connections stand out. "
                    "Every query's lines add up to 1 per head, so with many tokens most single weights are "
                    "small."));
    } else {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
        ImGui::SliderInt(_("strongest keys"), &li.arc_top_k, 1, 10, _("top %d"));
        item_help(_("With this many tokens, every query has a line to hundreds of keys and the picture is a "
                    "tangle. Only each query's few strongest keys (per head) are drawn; hover a token to see "
                    "all its lines, the weaker ones faded."));
        li.arc_top_k = std::clamp(li.arc_top_k, 1, 10);
    }
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    item_help(
        _("Read it left to right: each token on the left is a query asking \"what am I looking for?\"; "
          "the lines go to the keys on the right that answer it, darker for more attention. Hover a token "
          "on the left to see only where it looks, or on the right to see who looks at it. Click a token "
          "on the left to select it everywhere.\n\nThe weights are random (seeded), so which words connect "
          "is not meaningful yet; a trained model learns patterns such as \"it\" looking at \"animal\"."));

    // canvas: rows at least one line tall, scrolling when the sentence is long
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    if (top_k)
        ImGui::TextWrapped(
            _("%d tokens: each query's %d strongest keys per head where both tokens are on screen (%zu "
              "weaker lines hidden). Hover a token for all of its lines."),
            n, li.arc_top_k, li.arc.hidden);
    ImGui::PopStyleColor();
    const float line_h = ImGui::GetTextLineHeightWithSpacing();
    ImGui::BeginChild("##arcs", ImVec2(0, 0), false);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float height = std::max(avail.y, static_cast<float>(n + 1) * line_h);
    const std::uint64_t width_key =
        ContentKey().add(s.revision).add(ImGui::GetFontSize()).value(); // measured once per text and font
    if (li.arc_label_width_key != width_key) {
        li.arc_label_width = widest_label(s.tokens);
        li.arc_label_width_key = width_key;
    }
    const float label_w = std::min(li.arc_label_width, avail.x * 0.25f);
    // the columns stand at most k_max_gap_em font sizes apart, the picture centred in a wide view: every
    // line's length is what a software renderer pays for each frame a hovered token's lines are redrawn
    // (its cost follows their length, not their width or segments), and a compact picture is read without
    // the eye crossing the whole window from a query to its keys
    const float gap =
        std::clamp(avail.x - 2.0f * label_w - 24.0f, 60.0f, k_max_gap_em * ImGui::GetFontSize());
    const float margin = std::max(0.0f, (avail.x - 2.0f * label_w - 24.0f - gap) * 0.5f);
    const float left_x = o.x + margin + label_w + 8.0f, right_x = left_x + gap;
    const float top = o.y + line_h, bottom = o.y + height; // the first line holds the column titles
    ImGui::InvisibleButton("##canvas", ImVec2(std::max(avail.x, right_x + label_w - o.x), height));
    const bool canvas_hovered = ImGui::IsItemHovered();
    const ImVec2 m = ImGui::GetIO().MousePos;
    int focus_q = -1, focus_k = -1;
    if (canvas_hovered) {
        const int row = arc_row_at(m.y, n, top, bottom);
        if (m.x < left_x + 6.0f)
            focus_q = row;
        else if (m.x > right_x - 6.0f)
            focus_k = row;
    }
    if (focus_q >= 0 && ImGui::IsItemClicked())
        ui.selected_query = focus_q == ui.selected_query ? -1 : focus_q;
    const bool hovering_token = focus_q >= 0 || focus_k >= 0;
    if (!hovering_token && ui.selected_query >= 0 && ui.selected_query < n) focus_q = ui.selected_query;

    std::vector<std::uint8_t> visible(ui.views.arc_hidden_heads.size());
    for (std::size_t h = 0; h < visible.size(); ++h)
        visible[h] = ui.views.arc_hidden_heads[h] ? 0 : 1;
    // long inputs: each query's k strongest keys, kept until the weights, heads, threshold or k change;
    // a focused token shows all its lines with the ones outside the top k faded
    ArcLinesCache& cache = li.arc;
    const float min_weight = top_k ? 0.0f : ui.views.arc_min_weight; // a long row's weights are all tiny
    if (top_k) {
        ContentKey ck;
        ck.add(s.revision).add(ui.selected_layer).add(min_weight).add(li.arc_top_k);
        for (const std::uint8_t v : visible)
            ck.add(v);
        if (cache.key != ck.value()) {
            ArcTopK t = arc_top_k(layer, visible, min_weight, li.arc_top_k);
            cache.lines = std::move(t.lines);
            cache.hidden = t.left_out;
            cache.key = ck.value();
        }
    }
    std::vector<ArcLine> focused_lines;
    if (!top_k || focus_q >= 0 || focus_k >= 0) {
        focused_lines = arc_lines(layer, visible, min_weight, focus_q, focus_k);
        if (top_k) {
            // cached lines come query by query: a line's query is one run there, found by binary search
            // (a hovered query's lines all share one run, searched for once)
            const auto by_query = [](const ArcLine& a, int q) { return a.query < q; };
            auto run = cache.lines.end();
            int run_query = -1;
            for (ArcLine& l : focused_lines) {
                l.strong = false;
                if (l.query != run_query) {
                    run = std::lower_bound(cache.lines.begin(), cache.lines.end(), l.query, by_query);
                    run_query = l.query;
                }
                for (auto it = run; it != cache.lines.end() && it->query == l.query; ++it)
                    if (it->head == l.head && it->key == l.key) l.strong = true, l.share = it->share;
            }
        }
        if (focused_lines.size() > k_max_lines) {
            std::nth_element(
                focused_lines.begin(), focused_lines.begin() + static_cast<std::ptrdiff_t>(k_max_lines),
                focused_lines.end(), [](const ArcLine& a, const ArcLine& b) { return a.weight > b.weight; });
            focused_lines.resize(k_max_lines);
        }
    }
    const bool focused_any = focus_q >= 0 || focus_k >= 0;
    const std::vector<ArcLine>& lines = top_k && !focused_any ? cache.lines : focused_lines;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // the lines' texture covers the visible part of the scrolling canvas, short of its scrollbars
    const ImVec2 vis_min = ImGui::GetWindowPos();
    const float bar = ImGui::GetStyle().ScrollbarSize;
    const ImVec2 vis_size(
        std::max(1.0f, ImGui::GetWindowWidth() - (ImGui::GetScrollMaxY() > 0 ? bar : 0.0f)),
        std::max(1.0f, ImGui::GetWindowHeight() - (ImGui::GetScrollMaxX() > 0 ? bar : 0.0f)));
    const ImU32 background = ImGui::GetColorU32(ImGuiCol_WindowBg, 1.0f);
    const float thick = std::max(1.5f, ImGui::GetFontSize() * 0.14f);
    const float pixel_scale = canvas_pixel_scale();
    ContentKey key;
    key.add(s.revision).add(ui.selected_layer).add(min_weight).add(focus_q).add(focus_k).add(thick);
    key.add(background)
        .add(left_x - vis_min.x)
        .add(right_x - vis_min.x)
        .add(top - vis_min.y)
        .add(bottom - vis_min.y);
    key.add(lines.size()).add(top_k).add(li.arc_top_k);
    for (const std::uint8_t v : visible)
        key.add(v);
    // the lines that are drawn: those in sight, with their ends' heights in canvas coordinates
    struct ShownLine {
        const ArcLine* line;
        float y0, y1;
    };
    std::vector<ShownLine> shown;
    bool shown_known = false;
    const auto find_shown = [&] {
        if (shown_known) return;
        shown_known = true;
        // heads fan out by a few pixels at both ends so overlapping lines of different heads stay visible
        const float row_h = (bottom - top) / static_cast<float>(std::max(n, 1));
        const float fan = std::min(3.0f, row_h * 0.5f / static_cast<float>(std::max(1, s.config.n_heads)));
        const auto on_screen = [&](float y) { return y >= -row_h && y <= vis_size.y + row_h; };
        for (const ArcLine& l : lines) {
            const float off =
                (static_cast<float>(l.head) - 0.5f * static_cast<float>(s.config.n_heads - 1)) * fan;
            const float y0 = arc_row_y(l.query, n, top, bottom) + off - vis_min.y;
            const float y1 = arc_row_y(l.key, n, top, bottom) + off - vis_min.y;
            if (std::max(y0, y1) < 0.0f || std::min(y0, y1) > vis_size.y) continue; // out of sight
            // a long input draws a line only when both its tokens are on screen (a fan of lines to keys far
            // away reads as a smear), except the strongest lines of a hovered token, which show where it
            // looks
            if (top_k && (!focused_any || !l.strong) && !(on_screen(y0) && on_screen(y1))) continue;
            shown.push_back({&l, y0, y1});
        }
    };
    // the lines, in canvas coordinates shifted by `at` (the canvas's top-left on screen, or 0 for the
    // texture)
    // `whole_px`: widths rounded to whole pixels, which ImGui draws as one textured quad per segment (its
    // baked anti-aliased lines in the font atlas) instead of three quads of fringe geometry: a third of the
    // triangles for the software renderer to set up, which is what a hovered token's lines cost each frame
    const auto add_lines = [&](ImDrawList& out, ImVec2 at, bool whole_px) {
        find_shown();
        const float lx = left_x - vis_min.x, rx = right_x - vis_min.x;
        const bool curved = shown.size() <= k_max_curves;
        for (const ShownLine& sl : shown) {
            const ArcLine& l = *sl.line;
            // opacity follows the weight (doubled so a weight of 0.5 is already opaque); with a long input
            // it follows the share of the query's strongest weight instead, and lines outside their query's
            // top k are faded
            const float strength =
                top_k ? (l.strong ? 0.3f + 0.7f * l.share : 0.1f) : 0.06f + 2.0f * l.weight;
            const float alpha = std::clamp(strength, 0.0f, 1.0f);
            const ImU32 col = head_color(l.head, alpha);
            const float exact = thick * (0.7f + (top_k ? 0.8f * l.share : 1.5f * l.weight));
            const float width = whole_px ? std::max(1.0f, std::round(exact)) : exact;
            const ImVec2 a(at.x + lx, at.y + sl.y0), b(at.x + rx, at.y + sl.y1);
            if (curved)
                out.AddBezierCubic(
                    a, ImVec2(a.x + gap * 0.4f, a.y), ImVec2(b.x - gap * 0.4f, b.y), b, col, width,
                    arc_curve_segments(sl.y1 - sl.y0,
                                       alpha >= k_strong_alpha ? k_strong_curve_segments : k_curve_segments));
            else
                out.AddLine(a, b, col, width);
        }
    };
    // a hovered token changes every frame as the pointer moves: its few lines in sight cost less drawn
    // straight into the window than rendered into a texture first. Counted after leaving out the lines out
    // of sight: a hovered token of a long text has a line to every key, but only those on screen are drawn
    // (none at all while the token itself is scrolled away), and a texture would be cleared and re-rendered
    // every frame for them.
    if (focused_any) find_shown();
    if (focused_any && shown.size() <= k_max_direct_lines) {
        add_lines(*dl, vis_min, true);
    } else {
        ImDrawList geo(ImGui::GetDrawListSharedData());
        if (!ctx.textures.canvas_current("arc", key.value(), vis_size, pixel_scale)) {
            begin_canvas(geo, vis_size);
            add_lines(geo, ImVec2(0, 0), false);
            geo.PopTextureID();
            geo.PopClipRect();
        }
        const ImTextureID tex =
            ctx.textures.canvas("arc", key.value(), vis_size, pixel_scale, background, geo);
        if (tex) show_canvas(dl, tex, vis_min, vis_size);
    }
    // token labels; the focused token bright, the tokens it connects to by their strongest weight
    std::vector<float> strength(static_cast<std::size_t>(n), 0.0f);
    for (const ArcLine& l : lines) {
        if (!l.strong) continue; // a faded line does not light its token
        auto& x = strength[static_cast<std::size_t>(focus_k >= 0 ? l.query : l.key)];
        x = std::max(x, l.weight);
    }
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const bool focused = focused_any;
    // only the rows on screen get their labels
    const float clip_top = vis_min.y - line_h, clip_bottom = vis_min.y + vis_size.y + line_h;
    const int first_row = std::max(0, arc_row_at(std::max(clip_top, top), n, top, bottom));
    const int last_row =
        clip_bottom >= bottom ? n - 1 : std::max(first_row, arc_row_at(clip_bottom, n, top, bottom));
    for (int t = first_row; t <= last_row && t < n; ++t) {
        const std::string& tok = s.tokens[static_cast<std::size_t>(t)];
        const float y = arc_row_y(t, n, top, bottom) - ImGui::GetTextLineHeight() * 0.5f;
        const float w = ImGui::CalcTextSize(tok.c_str()).x;
        const bool lit_left =
            !focused || t == focus_q || (focus_k >= 0 && strength[static_cast<std::size_t>(t)] > 0);
        const bool lit_right =
            !focused || t == focus_k || (focus_q >= 0 && strength[static_cast<std::size_t>(t)] > 0);
        if (t == ui.selected_query)
            dl->AddRectFilled(ImVec2(left_x - w - 10.0f, y - 1.0f),
                              ImVec2(left_x - 2.0f, y + ImGui::GetTextLineHeight() + 1.0f),
                              IM_COL32(255, 80, 80, 70), 3.0f);
        dl->AddText(ImVec2(left_x - 6.0f - w, y), lit_left ? text : dim, tok.c_str());
        dl->AddText(ImVec2(right_x + 6.0f, y), lit_right ? text : dim, tok.c_str());
    }
    dl->AddText(ImVec2(left_x - ImGui::CalcTextSize(_("queries")).x - 6.0f, o.y), dim, _("queries"));
    dl->AddText(ImVec2(right_x + 6.0f, o.y), dim, _("keys"));
    record_region(ui, "arc", ImVec2(o.x + margin, top),
                  ImVec2(right_x + label_w, std::min(bottom, o.y + avail.y)));
    if (focus_q >= 0 && hovering_token)
        ImGui::SetTooltip(_("\"%s\" as a query: where it looks (%zu lines)"),
                          s.tokens[static_cast<std::size_t>(focus_q)].c_str(), lines.size());
    else if (focus_k >= 0)
        ImGui::SetTooltip(_("\"%s\" as a key: who looks at it (%zu lines)"),
                          s.tokens[static_cast<std::size_t>(focus_k)].c_str(), lines.size());
    ImGui::EndChild();
}

} // namespace attn

// Vector playground: with d_head = 2 every key (and the selected token's query) is an arrow on a plane that
// can be dragged; each drag pushes SetVectorOverride, so scores, softmax weights and the output arrow follow.
// The value arrows are drawn too, and the output is built from them tip to tail: weight · v, one after
// another, ends exactly at the output. On the live model the panel makes d_head = 2 itself when it opens.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/state/views.hpp"
#include "app/widgets/flow.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/palette.hpp"
#include "app/widgets/plane.hpp"
#include "app/widgets/vector_bars.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace attn {

namespace {

constexpr ImU32 k_query_col = IM_COL32(230, 70, 60, 255);
constexpr ImU32 k_key_col = IM_COL32(60, 135, 235, 255);
constexpr ImU32 k_value_col = IM_COL32(40, 165, 95, 255);
// Past this many tokens only the keys (and values) with the largest weights are arrows with handles and
// labels; the rest are dots, so a long text keeps a readable plane and a short frame.
constexpr int k_arrow_cap = 16;

// A label for an arrow's tip, in world units; placed by place_labels once everything is drawn.
struct TipLabel {
    ImVec2 world;
    std::string text;
    float alpha;
};

ImU32 with_alpha(ImU32 c, float a) {
    ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
    v.w = a;
    return ImGui::ColorConvertFloat4ToU32(v);
}

void set_d_head_2(PanelContext& ctx) {
    ModelConfig c = ctx.state.config;
    ctx.ui.views.playground_prev_d_head = head_dim(c);
    c.d_head = 2;
    ctx.commands.push_back(SetConfig{c});
}

// The live model is made 2 wide when the panel comes into view; a trained model (whose width is part of
// what it learned), or a width chosen while the panel is in view, changes only on request: the button or
// Enter.
void draw_setup(PanelContext& ctx, bool just_opened) {
    if (just_opened && !ctx.state.trained) {
        set_d_head_2(ctx);
        ImGui::TextDisabled(_("Making every head 2 numbers wide..."));
        return;
    }
    ImGui::TextWrapped(
        _("The playground draws queries, keys and values as arrows on a plane, so it needs heads that are "
          "exactly 2 numbers wide (d_head = 2). The model shown has d_head = %d%s."),
        head_dim(ctx.state.config), ctx.state.trained ? _(" and was trained that way") : "");
    const bool enter = ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
                       !ImGui::GetIO().WantTextInput &&
                       ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter));
    if (ImGui::Button(_("Set up the playground (d_head = 2)   [Enter]")) || enter) set_d_head_2(ctx);
    item_help(_(
        "Keeps the tokens, heads, mask and positions and makes each head 2 numbers wide, on the untrained "
        "model with random weights. Real models use 64 or 128, but the mechanism is the same: a dot product "
        "is large when two arrows point the same way."));
}

// The output built from the values: weight_j · v_j laid tip to tail, largest weight first. Returns the
// tokens in that order and the points the chain passes, from the origin to the output.
struct Chain {
    std::vector<int> order;
    std::vector<ImVec2> points; // order.size() + 1
};

Chain weighted_sum_chain(const HeadResult& head, int query, int n) {
    Chain c;
    c.order.resize(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j)
        c.order[static_cast<std::size_t>(j)] = j;
    std::sort(c.order.begin(), c.order.end(),
              [&](int a, int b) { return head.weights(query, a) > head.weights(query, b); });
    ImVec2 p(0, 0);
    c.points.push_back(p);
    for (const int j : c.order) {
        const float w = head.weights(query, j);
        p = ImVec2(p.x + w * head.v(j, 0), p.y + w * head.v(j, 1));
        c.points.push_back(p);
    }
    return c;
}

// The tips' labels where they do not collide: each beside its tip or, when that is taken, a little away
// with a thin line back to the tip, on a plate of the plane's colour so crossing arrows do not hide it.
// Labels that find no room are left out; the key's tooltip and the table still name every token.
// With `ui`, each shown label's rectangle is recorded as "playground_label_<i>".
void draw_tip_labels(const Plane& plane, const std::vector<TipLabel>& labels,
                     const std::vector<ScreenRect>& blocked, float dot_radius, UiState* ui = nullptr) {
    const ImVec2 origin = plane.to_screen(0, 0);
    std::vector<LabelSpot> spots;
    std::vector<ScreenRect> dots;
    for (const TipLabel& l : labels) {
        const ImVec2 tip = plane.to_screen(l.world.x, l.world.y);
        const float dx = tip.x - origin.x, dy = tip.y - origin.y, len = std::sqrt(dx * dx + dy * dy);
        spots.push_back({tip, len > 1.0f ? ImVec2(dx / len, dy / len) : ImVec2(1, 0),
                         ImGui::CalcTextSize(l.text.c_str())});
        const float r = dot_radius * 0.6f;
        dots.push_back({ImVec2(tip.x - r, tip.y - r), ImVec2(tip.x + r, tip.y + r)});
    }
    const std::vector<PlacedLabel> placed = place_labels(spots, {plane.min, plane.max}, blocked, dots);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 plate = ImGui::GetColorU32(ImGuiCol_FrameBg, 0.75f);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (!placed[i].shown) continue;
        const ImVec2 a = placed[i].pos, b(a.x + spots[i].size.x, a.y + spots[i].size.y);
        const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text, 0.55f + 0.45f * labels[i].alpha);
        if (placed[i].leader) {
            const ImVec2 t = spots[i].tip;
            const ImVec2 near(std::clamp(t.x, a.x, b.x), std::clamp(t.y, a.y, b.y));
            dl->AddLine(t, near, ImGui::GetColorU32(ImGuiCol_Text, 0.45f), 1.0f);
        }
        dl->AddRectFilled(ImVec2(a.x - 2, a.y), ImVec2(b.x + 2, b.y), plate, 3.0f);
        dl->AddText(a, text, labels[i].text.c_str());
        if (ui) record_region(*ui, ("playground_label_" + std::to_string(i)).c_str(), a, b);
    }
}

// The chain on a plane; with `labels`, the steps of the three largest weights are named by their token
// (added to `out`, drawn by draw_tip_labels).
void draw_weighted_sum(const Plane& plane, const AppState& s, const HeadResult& head, int query,
                       std::vector<TipLabel>* labels) {
    const Chain c = weighted_sum_chain(head, query, s.n_tokens());
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float thick = std::max(2.0f, ImGui::GetFontSize() * 0.14f);
    // a long text: the steps of the largest weights one by one, then the many small rest as one step
    // (their sum), fainter: a thousand steps of a pixel each draw nothing a class can follow
    const std::size_t steps = std::min(c.order.size(), static_cast<std::size_t>(k_arrow_cap));
    if (steps < c.order.size())
        dl->AddLine(plane.to_screen(c.points[steps].x, c.points[steps].y),
                    plane.to_screen(c.points.back().x, c.points.back().y), with_alpha(k_value_col, 0.5f),
                    thick);
    for (std::size_t k = 0; k < steps; ++k) {
        const ImVec2 a = plane.to_screen(c.points[k].x, c.points[k].y),
                     b = plane.to_screen(c.points[k + 1].x, c.points[k + 1].y);
        dl->AddLine(a, b, k_value_col, thick);
        dl->AddCircleFilled(b, thick * 0.9f, k_value_col);
        if (labels && k < 3) {
            const int j = c.order[k];
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.2f·v %s", static_cast<double>(head.weights(query, j)),
                          s.tokens[static_cast<std::size_t>(j)].c_str());
            labels->push_back({ImVec2((c.points[k].x + c.points[k + 1].x) * 0.5f,
                                      (c.points[k].y + c.points[k + 1].y) * 0.5f),
                               buf, 1.0f});
        }
    }
}

// A second plane zoomed onto the chain, where the weighted values are long enough to follow.
void draw_output_zoom(const AppState& s, const HeadResult& head, int query, float side, bool caption = true) {
    const Chain c = weighted_sum_chain(head, query, s.n_tokens());
    float reach = 1e-3f;
    for (const ImVec2& p : c.points)
        reach = std::max({reach, std::fabs(p.x), std::fabs(p.y)});
    if (caption) ImGui::TextUnformatted(_("zoomed in: the output built from the values"));
    // a round extent (two significant digits) keeps the corner label short
    const float e = reach * 1.25f, unit = std::pow(10.0f, std::floor(std::log10(e)) - 1.0f);
    const Plane zoom = begin_plane("zoom", side, std::ceil(e / unit) * unit);
    std::vector<TipLabel> labels{{ImVec2(head.output(query, 0), head.output(query, 1)), _("output"), 1.0f}};
    // an inset in the plane's corner has room only for the output's label
    draw_weighted_sum(zoom, s, head, query, caption ? &labels : nullptr);
    draw_arrow(zoom, ImVec2(head.output(query, 0), head.output(query, 1)), ImGui::GetColorU32(ImGuiCol_Text),
               2.5f);
    draw_tip_labels(zoom, labels, plane_axis_labels(zoom), 0.0f);
    end_plane(zoom);
}

} // namespace

void draw_playground_panel(PanelContext& ctx) {
    const AppState& s = ctx.state;
    UiState& ui = ctx.ui;
    const ForwardResult& fwd = ctx.derived.forward;
    const int frame = ImGui::GetFrameCount();
    const bool just_opened = ui.views.playground_drawn_frame != frame - 1;
    ui.views.playground_drawn_frame = frame;
    if (!attention_view_ready(ctx)) return;
    const ModelConfig& c = s.config;
    if (head_dim(c) != 2) {
        draw_setup(ctx, just_opened);
        return;
    }
    ui.selected_layer = std::clamp(ui.selected_layer, 0, c.n_layers - 1);
    ui.selected_head = std::clamp(ui.selected_head, 0, c.n_heads - 1);
    const int n = s.n_tokens();
    const int query = followed_query(s, ui);
    const LayerResult& layer = fwd.layers[static_cast<std::size_t>(ui.selected_layer)];
    const HeadResult& head = layer.heads[static_cast<std::size_t>(ui.selected_head)];

    ImGui::Text(_("query \"%s\", head %d"), s.tokens[static_cast<std::size_t>(query)].c_str(),
                ui.selected_head + 1);
    help_marker(
        _("Drag the red arrow (the query), any blue arrow (a key) or any green dot (a value). The score of a "
          "key is the dot product q·k ÷ √2: largest when the key points the same way as the query and is "
          "long, negative when it points away. Softmax turns the scores into the weights on the right, and "
          "the output arrow is the weighted sum of the value vectors: the green chain lays weight · v end "
          "to end. Select another query by clicking a token in "
          "the Tokens panel or a heatmap row.\n\nThe starting arrows come from random weights, so where they "
          "point means nothing yet; that is what makes it a playground."));
    const float box = ImGui::GetFrameHeight();
    same_line_if_fits(labelled_width(box, _("all queries")));
    ImGui::Checkbox(_("all queries"), &ui.views.playground_all_queries);
    item_help(
        _("Also draw (and let you drag) the other tokens' queries, faintly. Each query has its own row of "
          "weights; only the selected one is listed on the right."));
    same_line_if_fits(labelled_width(box, _("values")));
    ImGui::Checkbox(_("values"), &ui.views.playground_values);
    item_help(_("Draw each token's value (green) and the output built from them: the values scaled by their "
                "weights, laid tip to tail."));
    same_line_if_fits(button_width(_("Reset arrows")));
    ImGui::BeginDisabled(s.overrides.empty());
    if (ImGui::Button(_("Reset arrows"))) ctx.commands.push_back(ClearOverrides{});
    ImGui::EndDisabled();
    item_help(_("Forget every dragged arrow and go back to the vectors the model's weights compute."));
    if (!s.overrides.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled(_("%zu edited"), s.overrides.size());
    }
    if (ui.views.playground_prev_d_head > 2 && !s.trained) {
        const int prev = ui.views.playground_prev_d_head;
        const std::string back = _("Back to d_head ") + std::to_string(prev);
        if (ImGui::Button(back.c_str())) { // a small button's tight frame cuts the underscore
            ModelConfig back_c = c;
            back_c.d_head = prev;
            ctx.commands.push_back(SetConfig{back_c});
            ui.views.playground_prev_d_head = 0;
        }
        item_help(
            _("Every view shows the model with 2-wide heads now. This puts the width back; the playground "
              "then waits for its button."));
        ImGui::SameLine();
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled(
            _("The playground made every head 2 numbers wide (it was %d) so each vector is an arrow."), prev);
        ImGui::PopTextWrapPos();
    }

    // keys by weight, largest first; a long text draws only the first k_arrow_cap as arrows
    std::vector<int> by_weight(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j)
        by_weight[static_cast<std::size_t>(j)] = j;
    std::stable_sort(by_weight.begin(), by_weight.end(),
                     [&](int a, int b) { return head.weights(query, a) > head.weights(query, b); });
    const int n_arrows = std::min(n, k_arrow_cap);
    std::vector<char> arrow(static_cast<std::size_t>(n), 0);
    for (int r = 0; r < n_arrows; ++r)
        arrow[static_cast<std::size_t>(by_weight[static_cast<std::size_t>(r)])] = 1;
    if (n > n_arrows) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled(_("%d tokens: the %d keys with the largest weights are arrows you can drag; the "
                              "other %d are dots."),
                            n, n_arrows, n - n_arrows);
        ImGui::PopTextWrapPos();
    }

    // plane on the left, scores and weights on the right
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float side = std::max(120.0f, std::min(avail.y - 4.0f, avail.x * 0.58f));
    std::vector<RowVector> all;
    for (int t = 0; t < n; ++t) {
        all.push_back(head.k.row(t));
        all.push_back(head.v.row(t));
        if (ui.views.playground_all_queries || t == query) all.push_back(head.q.row(t));
    }
    const float extent = plane_extent(all, 1.0f);
    ImGui::BeginGroup();
    const Plane plane = begin_plane("plane", side, extent);
    const float radius = std::max(7.0f, ImGui::GetFontSize() * 0.45f);
    auto push = [&](int token, char kind, int hd, ImVec2 p) {
        ctx.commands.push_back(SetVectorOverride{ui.selected_layer, hd, token, kind, {p.x, p.y}});
    };
    // the tokens past the cap: small dots, drawn first so the arrows lie over them
    ImDrawList* pdl = ImGui::GetWindowDrawList();
    const float dot = std::max(2.0f, radius * 0.3f);
    // small squares: four vertices each, where a round dot costs about twenty (2,048 of them at 1,024 tokens)
    const auto square = [&](ImVec2 at, ImU32 col) {
        pdl->AddRectFilled(ImVec2(at.x - dot, at.y - dot), ImVec2(at.x + dot, at.y + dot), col);
    };
    for (int j = 0; j < n; ++j) {
        if (arrow[static_cast<std::size_t>(j)]) continue;
        if (ui.views.playground_values)
            square(plane.to_screen(head.v(j, 0), head.v(j, 1)), with_alpha(k_value_col, 0.45f));
        square(plane.to_screen(head.k(j, 0), head.k(j, 1)), with_alpha(k_key_col, 0.5f));
    }
    // labels, most important first: the output, the query, then keys and values by weight
    std::vector<TipLabel> labels;
    labels.push_back({ImVec2(head.output(query, 0), head.output(query, 1)), _("output"), 1.0f});
    labels.push_back({ImVec2(head.q(query, 0), head.q(query, 1)), "q", 1.0f});
    for (int r = 0; r < n_arrows; ++r) {
        const int j = by_weight[static_cast<std::size_t>(r)];
        const float w = head.weights(query, j), a = 0.35f + 0.65f * std::sqrt(w);
        labels.push_back({ImVec2(head.k(j, 0), head.k(j, 1)), s.tokens[static_cast<std::size_t>(j)], a});
        if (ui.views.playground_values && w >= 0.1f)
            labels.push_back(
                {ImVec2(head.v(j, 0), head.v(j, 1)), "v " + s.tokens[static_cast<std::size_t>(j)], a});
    }
    // values: green arrows, fainter for less weight
    if (ui.views.playground_values)
        for (int j = 0; j < n; ++j) {
            if (!arrow[static_cast<std::size_t>(j)]) continue;
            const float w = head.weights(query, j);
            draw_arrow(plane, ImVec2(head.v(j, 0), head.v(j, 1)),
                       with_alpha(k_value_col, 0.3f + 0.6f * std::sqrt(w)), 1.0f + 2.0f * w);
        }
    // keys: blue arrows, brighter for more weight
    for (int j = 0; j < n; ++j) {
        if (!arrow[static_cast<std::size_t>(j)]) continue;
        const float w = head.weights(query, j);
        draw_arrow(plane, ImVec2(head.k(j, 0), head.k(j, 1)),
                   with_alpha(k_key_col, 0.35f + 0.65f * std::sqrt(w)), 1.5f + 3.0f * w);
    }
    if (ui.views.playground_all_queries)
        for (int t = 0; t < n; ++t)
            if (t != query) {
                if (n > k_arrow_cap)
                    square(plane.to_screen(head.q(t, 0), head.q(t, 1)), with_alpha(k_query_col, 0.35f));
                else
                    draw_arrow(plane, ImVec2(head.q(t, 0), head.q(t, 1)), with_alpha(k_query_col, 0.35f),
                               1.5f);
            }
    draw_arrow(plane, ImVec2(head.q(query, 0), head.q(query, 1)), k_query_col, 3.0f);
    if (ui.views.playground_values) draw_weighted_sum(plane, s, head, query, nullptr);
    draw_arrow(plane, ImVec2(head.output(query, 0), head.output(query, 1)), ImGui::GetColorU32(ImGuiCol_Text),
               3.0f);
    // handles last so they sit on top; ids are stable per token and kind
    for (int j = 0; j < n; ++j) {
        if (!arrow[static_cast<std::size_t>(j)]) continue;
        ImGui::PushID(j);
        ImVec2 p(head.k(j, 0), head.k(j, 1));
        bool hot = false;
        if (drag_handle(plane, "k", p, radius, k_key_col, &hot)) push(j, 'k', head.kv_head, p);
        if (ui.views.playground_values) {
            ImVec2 vp(head.v(j, 0), head.v(j, 1));
            bool v_hot = false;
            if (drag_handle(plane, "v", vp, radius * 0.75f, k_value_col, &v_hot))
                push(j, 'v', head.kv_head, vp);
            if (v_hot)
                ImGui::SetTooltip(_("value of \"%s\" = (%.2f, %.2f); it adds weight %.3f × v to the output"),
                                  s.tokens[static_cast<std::size_t>(j)].c_str(), static_cast<double>(vp.x),
                                  static_cast<double>(vp.y), static_cast<double>(head.weights(query, j)));
        }
        if (hot)
            ImGui::SetTooltip(_("key of \"%s\" = (%.2f, %.2f); weight %.3f"),
                              s.tokens[static_cast<std::size_t>(j)].c_str(),
                              static_cast<double>(head.k(j, 0)), static_cast<double>(head.k(j, 1)),
                              static_cast<double>(head.weights(query, j)));
        if (ui.views.playground_all_queries && j != query && n <= k_arrow_cap) {
            ImVec2 qp(head.q(j, 0), head.q(j, 1));
            if (drag_handle(plane, "q", qp, radius * 0.8f, with_alpha(k_query_col, 0.55f)))
                push(j, 'q', ui.selected_head, qp);
        }
        ImGui::PopID();
    }
    ImVec2 qp(head.q(query, 0), head.q(query, 1));
    bool q_hot = false;
    if (drag_handle(plane, _("query"), qp, radius * 1.2f, k_query_col, &q_hot))
        push(query, 'q', ui.selected_head, qp);
    if (q_hot)
        ImGui::SetTooltip(_("query of \"%s\" = (%.2f, %.2f)"),
                          s.tokens[static_cast<std::size_t>(query)].c_str(), static_cast<double>(qp.x),
                          static_cast<double>(qp.y));
    record_region(ui, "playground", plane.min, plane.max);
    end_plane(plane);
    ImGui::EndGroup();

    ImGui::SameLine();
    ImGui::BeginGroup();
    // one column each, so a language's longer headings stay above their numbers
    if (ImGui::BeginTable("##keys", 3, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn(_("key"));
        ImGui::TableSetupColumn(_("score"));
        ImGui::TableSetupColumn(_("weight"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        for (int r = 0; r < n_arrows; ++r) {
            // a short text in its own order; a long one only its largest weights, largest first
            const int j = n > n_arrows ? by_weight[static_cast<std::size_t>(r)] : r;
            const DotTerms d = dot_terms(c, head, ui.selected_head, query, j);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%.9s", s.tokens[static_cast<std::size_t>(j)].c_str());
            const bool hot = ImGui::IsItemHovered();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_number(d.score, 2).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.3f", static_cast<double>(d.weight));
            if (hot)
                ImGui::SetTooltip(_("q·k = %.3f·%.3f + %.3f·%.3f = %.3f;  × %.3f = %.3f"),
                                  static_cast<double>(head.q(query, 0)), static_cast<double>(head.k(j, 0)),
                                  static_cast<double>(head.q(query, 1)), static_cast<double>(head.k(j, 1)),
                                  static_cast<double>(d.dot), static_cast<double>(d.scale),
                                  static_cast<double>(d.score));
            ImGui::SameLine();
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float h = ImGui::GetTextLineHeight();
            const float bar_w = std::max(ImGui::GetFontSize() * 2.0f, ImGui::GetContentRegionAvail().x);
            ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + bar_w * d.weight, p.y + h),
                                                      viridis_u32(0.45f + 0.55f * d.weight));
            ImGui::Dummy(ImVec2(bar_w, h));
        }
        ImGui::EndTable();
    }
    if (n > n_arrows)
        ImGui::TextDisabled(
            _("and %d more keys, with weights up to %.3f"), n - n_arrows,
            static_cast<double>(head.weights(query, by_weight[static_cast<std::size_t>(n_arrows)])));
    ImGui::Spacing();
    ImGui::TextWrapped(_("output = Σ weight · v = (%.2f, %.2f)"), static_cast<double>(head.output(query, 0)),
                       static_cast<double>(head.output(query, 1)));
    bool zoom_in_corner = false;
    if (ui.views.playground_values) {
        const ImVec2 room = ImGui::GetContentRegionAvail();
        const float zoom_side = std::min(room.x, room.y - ImGui::GetTextLineHeightWithSpacing() * 5.0f);
        if (zoom_side > ImGui::GetFontSize() * 8.0f)
            draw_output_zoom(s, head, query, zoom_side);
        else
            zoom_in_corner = true; // large text (presentation) leaves no room here: inside the plane
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled(
        ui.views.playground_values
            ? _("Green: the values, and the same values scaled by their weights laid tip to tail. "
                "The chain ends exactly where the output arrow points.")
            : _("Value arrows hidden: the output arrow is still their weighted sum."));
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    std::vector<ScreenRect> blocked = plane_axis_labels(plane);
    if (zoom_in_corner) { // the zoom as an inset in the plane's emptiest corner
        const float inset = (plane.max.x - plane.min.x) * 0.36f, pad = ImGui::GetStyle().ItemSpacing.x;
        int count[4] = {0, 0, 0, 0}; // arrow tips per quadrant: +x+y, -x+y, -x-y, +x-y
        const auto tally = [&](float x, float y) { ++count[y >= 0 ? (x >= 0 ? 0 : 1) : (x < 0 ? 2 : 3)]; };
        for (int j = 0; j < n; ++j) {
            tally(head.k(j, 0), head.k(j, 1));
            tally(head.v(j, 0), head.v(j, 1));
        }
        tally(head.q(query, 0), head.q(query, 1));
        tally(head.output(query, 0), head.output(query, 1));
        const int corner = static_cast<int>(std::min_element(count, count + 4) - count);
        const float x = corner == 0 || corner == 3 ? plane.max.x - inset - pad : plane.min.x + pad;
        const float y = corner <= 1 ? plane.min.y + pad : plane.max.y - inset - pad;
        const ImVec2 back = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRect(ImVec2(x - 2, y - 2), ImVec2(x + inset + 2, y + inset + 2),
                                            ImGui::GetColorU32(ImGuiCol_Border), 0.0f, 0, 2.0f);
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ImGui::PushClipRect(ImVec2(x, y), ImVec2(x + inset, y + inset), true);
        draw_output_zoom(s, head, query, inset, false);
        ImGui::PopClipRect();
        record_region(ui, "playground_zoom", ImVec2(x, y), ImVec2(x + inset, y + inset));
        ImGui::SetCursorScreenPos(back);
        blocked.push_back({ImVec2(x - 4, y - 4), ImVec2(x + inset + 4, y + inset + 4)});
    }
    draw_tip_labels(plane, labels, blocked, radius, &ui);
}

} // namespace attn

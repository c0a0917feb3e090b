// Vector playground: with d_head = 2 every key (and the selected token's query) is an arrow on a plane that
// can be dragged; each drag pushes SetVectorOverride, so scores, softmax weights and the output arrow follow.
#include "panel_context.hpp"

#include "app/state/views.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/palette.hpp"
#include "app/widgets/plane.hpp"
#include "app/widgets/vector_bars.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace attn {

namespace {

constexpr ImU32 k_query_col = IM_COL32(255, 96, 86, 255);
constexpr ImU32 k_output_col = IM_COL32(250, 250, 250, 255);

void draw_setup(PanelContext& ctx) {
    ImGui::TextWrapped(
        "The playground draws queries and keys as arrows on a plane, so it needs heads that are "
        "exactly 2 numbers wide (d_head = 2). The current model has d_head = %d.",
        head_dim(ctx.state.config));
    if (ImGui::Button("Set up the playground (d_head = 2)")) {
        ModelConfig c = ctx.state.config;
        c.d_head = 2;
        ctx.commands.push_back(SetConfig{c});
    }
    item_help(
        "Keeps everything else (tokens, heads, mask, positions) and makes each head 2 numbers wide. "
        "Real models use 64 or 128, but the mechanism is the same: a dot product is large when two arrows "
        "point the same way.");
}

} // namespace

void draw_playground_panel(PanelContext& ctx) {
    const AppState& s = ctx.state;
    UiState& ui = ctx.ui;
    const ForwardResult& fwd = ctx.derived.forward;
    if (!attention_view_ready(ctx)) return;
    const ModelConfig& c = s.config;
    if (head_dim(c) != 2) {
        draw_setup(ctx);
        return;
    }
    ui.selected_layer = std::clamp(ui.selected_layer, 0, c.n_layers - 1);
    ui.selected_head = std::clamp(ui.selected_head, 0, c.n_heads - 1);
    const int n = s.n_tokens();
    const int query = followed_query(s, ui);
    const LayerResult& layer = fwd.layers[static_cast<std::size_t>(ui.selected_layer)];
    const HeadResult& head = layer.heads[static_cast<std::size_t>(ui.selected_head)];

    ImGui::Text("query \"%s\", head %d", s.tokens[static_cast<std::size_t>(query)].c_str(),
                ui.selected_head + 1);
    help_marker(
        "Drag the red arrow (the query) or any blue arrow (a key). The score of a key is the dot product "
        "q·k ÷ √2: largest when the key points the same way as the query and is long, negative when it "
        "points away. Softmax turns the scores into the weights on the right, and the white arrow is the "
        "output: the weighted average of the value vectors. Select another query by clicking a token in "
        "the Tokens panel or a heatmap row.\n\nThe starting arrows come from random weights, so where they "
        "point means nothing yet; that is what makes it a playground.");
    ImGui::SameLine();
    ImGui::Checkbox("all queries", &ui.views.playground_all_queries);
    item_help(
        "Also draw (and let you drag) the other tokens' queries, faintly. Each query has its own row of "
        "weights; only the selected one is listed on the right.");
    ImGui::SameLine();
    ImGui::BeginDisabled(s.overrides.empty());
    if (ImGui::Button("Reset arrows")) ctx.commands.push_back(ClearOverrides{});
    ImGui::EndDisabled();
    item_help("Forget every dragged arrow and go back to the vectors the model's weights compute.");
    if (!s.overrides.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%zu edited", s.overrides.size());
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
    // keys: blue arrows labelled with their token, brighter for more weight
    for (int j = 0; j < n; ++j) {
        const float w = head.weights(query, j);
        const ImU32 col =
            ImGui::ColorConvertFloat4ToU32(ImVec4(0.30f, 0.62f, 0.98f, 0.35f + 0.65f * std::sqrt(w)));
        draw_arrow(plane, ImVec2(head.k(j, 0), head.k(j, 1)), col, 1.5f + 3.0f * w,
                   s.tokens[static_cast<std::size_t>(j)].c_str());
    }
    if (ui.views.playground_all_queries)
        for (int t = 0; t < n; ++t)
            if (t != query)
                draw_arrow(plane, ImVec2(head.q(t, 0), head.q(t, 1)), IM_COL32(255, 96, 86, 90), 1.5f);
    draw_arrow(plane, ImVec2(head.q(query, 0), head.q(query, 1)), k_query_col, 3.0f, "q");
    draw_arrow(plane, ImVec2(head.output(query, 0), head.output(query, 1)), k_output_col, 2.5f, "out");
    // handles last so they sit on top; ids are stable per token and kind
    for (int j = 0; j < n; ++j) {
        ImGui::PushID(j);
        ImVec2 p(head.k(j, 0), head.k(j, 1));
        bool hot = false;
        if (drag_handle(plane, "k", p, radius, IM_COL32(77, 158, 250, 255), &hot))
            push(j, 'k', head.kv_head, p);
        if (hot)
            ImGui::SetTooltip("key of \"%s\" = (%.2f, %.2f); weight %.3f",
                              s.tokens[static_cast<std::size_t>(j)].c_str(),
                              static_cast<double>(head.k(j, 0)), static_cast<double>(head.k(j, 1)),
                              static_cast<double>(head.weights(query, j)));
        if (ui.views.playground_all_queries && j != query) {
            ImVec2 qp(head.q(j, 0), head.q(j, 1));
            if (drag_handle(plane, "q", qp, radius * 0.8f, IM_COL32(255, 96, 86, 140)))
                push(j, 'q', ui.selected_head, qp);
        }
        ImGui::PopID();
    }
    ImVec2 qp(head.q(query, 0), head.q(query, 1));
    bool q_hot = false;
    if (drag_handle(plane, "query", qp, radius * 1.2f, k_query_col, &q_hot))
        push(query, 'q', ui.selected_head, qp);
    if (q_hot)
        ImGui::SetTooltip("query of \"%s\" = (%.2f, %.2f)", s.tokens[static_cast<std::size_t>(query)].c_str(),
                          static_cast<double>(qp.x), static_cast<double>(qp.y));
    record_region(ui, "playground", plane.min, plane.max);
    end_plane(plane);
    ImGui::EndGroup();

    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextUnformatted("key        score     weight");
    const float bar_w = std::max(40.0f, ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 13.0f);
    for (int j = 0; j < n; ++j) {
        const DotTerms d = dot_terms(c, head, ui.selected_head, query, j);
        ImGui::Text("%-9.9s %s  %.3f", s.tokens[static_cast<std::size_t>(j)].c_str(),
                    format_number(d.score, 2).c_str(), static_cast<double>(d.weight));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("q·k = %.3f·%.3f + %.3f·%.3f = %.3f;  × %.3f = %.3f",
                              static_cast<double>(head.q(query, 0)), static_cast<double>(head.k(j, 0)),
                              static_cast<double>(head.q(query, 1)), static_cast<double>(head.k(j, 1)),
                              static_cast<double>(d.dot), static_cast<double>(d.scale),
                              static_cast<double>(d.score));
        ImGui::SameLine();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float h = ImGui::GetTextLineHeight();
        ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + bar_w * d.weight, p.y + h),
                                                  viridis_u32(0.45f + 0.55f * d.weight));
        ImGui::Dummy(ImVec2(bar_w, h));
    }
    ImGui::Spacing();
    ImGui::Text("output = Σ weight · v = (%.2f, %.2f)", static_cast<double>(head.output(query, 0)),
                static_cast<double>(head.output(query, 1)));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("The value arrows are not drawn; the white arrow is their weighted average.");
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
}

} // namespace attn

// Heatmap panel: the attention weights of the selected layer and head, queries down, keys across.
#include "panel_context.hpp"

#include "app/widgets/help_marker.hpp"
#include "core/rng.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace attn {

namespace {

// Weights with masked cells as NaN, so the shader hatches them instead of showing a zero.
void masked_weights(const HeadResult& h, std::vector<float>& out) {
    const auto n = h.weights.size();
    out.resize(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i)
        out[static_cast<std::size_t>(i)] =
            std::isinf(h.scores.data()[i]) ? std::numeric_limits<float>::quiet_NaN() : h.weights.data()[i];
}

} // namespace

void draw_heatmap_panel(PanelContext& ctx) {
    const AppState& s = ctx.state;
    UiState& ui = ctx.ui;
    const ForwardResult& fwd = ctx.derived.forward;
    if (s.tokens.empty() || fwd.layers.empty()) {
        ImGui::TextDisabled("Nothing to show yet.");
        ImGui::TextWrapped("Type a sentence in the Tokens panel: each row of this map will show where one token "
                           "looks, and each column how much it is looked at.");
        return;
    }
    ui.selected_layer = std::clamp(ui.selected_layer, 0, s.config.n_layers - 1);
    ui.selected_head = std::clamp(ui.selected_head, 0, s.config.n_heads - 1);
    const HeadResult& head = fwd.layers[static_cast<std::size_t>(ui.selected_layer)].heads[static_cast<std::size_t>(ui.selected_head)];

    ImGui::Text("Attention weights — layer %d, head %d", ui.selected_layer + 1, ui.selected_head + 1);
    help_marker("Row i shows how token i (the query: \"what am I looking for?\") spreads its attention over all "
                "tokens (the keys: \"what do I contain?\"). Each row is a softmax, so it sums to 1. Bright = "
                "strong attention. Hatched cells are masked: that token is not allowed to look there.");

    std::vector<float> values;
    masked_weights(head, values);
    HeatmapImage img{values.data(), static_cast<int>(head.weights.rows()), static_cast<int>(head.weights.cols()),
                     0.0f, 1.0f, 1};
    const std::uint64_t key = mix_seed(s.revision, static_cast<std::uint64_t>(ui.selected_layer * 1024 + ui.selected_head));
    HeatmapStyle style;
    style.row_labels = &s.tokens;
    style.col_labels = &s.tokens;
    style.highlight_row = ui.selected_query;
    const float reserve = ImGui::GetTextLineHeightWithSpacing() * 2.5f;
    ImGui::BeginChild("##map", ImVec2(0, -reserve), false, ImGuiWindowFlags_NoScrollbar);
    const HeatmapResult r = draw_heatmap("weights", ctx.textures, key, img, style);
    ImGui::EndChild();
    record_region(ui, "heatmap", r.image_min, r.image_max);
    if (r.clicked.row >= 0) ui.selected_query = r.clicked.row == ui.selected_query ? -1 : r.clicked.row;

    if (r.hovered.row >= 0) {
        const auto i = static_cast<std::size_t>(r.hovered.row), j = static_cast<std::size_t>(r.hovered.col);
        const float w = head.weights(r.hovered.row, r.hovered.col);
        const float sc = head.scores(r.hovered.row, r.hovered.col);
        if (std::isinf(sc)) {
            ImGui::Text("\"%s\" → \"%s\": masked (this query may not see this key)", s.tokens[i].c_str(),
                        s.tokens[j].c_str());
        } else {
            ImGui::Text("\"%s\" → \"%s\": weight %.4f (%.1f%%)   score %.4f", s.tokens[i].c_str(),
                        s.tokens[j].c_str(), static_cast<double>(w), 100.0 * static_cast<double>(w),
                        static_cast<double>(sc));
        }
    } else {
        ImGui::TextDisabled("Hover a cell for its exact weight; click a row to select that query token.");
    }
}

} // namespace attn

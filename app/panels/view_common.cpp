// What the attention views share: the empty state when there is nothing to draw, keeping the selected
// layer and head inside the current model, and which query token a view follows.
#include "panel_context.hpp"

#include <imgui.h>

#include <algorithm>

namespace attn {

bool attention_view_ready(PanelContext& ctx) {
    const AppState& s = ctx.state;
    if (s.tokens.empty() || ctx.derived.forward.layers.empty()) {
        ImGui::TextDisabled("Nothing to show yet: type a sentence in the Tokens panel.");
        return false;
    }
    ctx.ui.selected_layer = std::clamp(ctx.ui.selected_layer, 0, s.config.n_layers - 1);
    ctx.ui.selected_head = std::clamp(ctx.ui.selected_head, 0, s.config.n_heads - 1);
    return true;
}

int followed_query(const AppState& s, const UiState& ui) {
    const int n = s.n_tokens();
    if (ui.selected_query >= 0 && ui.selected_query < n) return ui.selected_query;
    const auto it = std::find(s.tokens.begin(), s.tokens.end(), std::string("it"));
    return it != s.tokens.end() ? static_cast<int>(it - s.tokens.begin()) : n - 1;
}

} // namespace attn

// What the attention views share: the empty state when there is nothing to draw, keeping the selected
// layer and head inside the current model, which query token a view follows, and the token picker.
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

void token_combo(PanelContext& ctx, const char* label, int current) {
    const AppState& s = ctx.state;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
    if (!ImGui::BeginCombo(label, s.tokens[static_cast<std::size_t>(current)].c_str())) return;
    for (int t = 0; t < s.n_tokens(); ++t) {
        ImGui::PushID(t);
        if (ImGui::Selectable(s.tokens[static_cast<std::size_t>(t)].c_str(), t == current))
            ctx.ui.selected_query = t;
        ImGui::PopID();
    }
    ImGui::EndCombo();
}

} // namespace attn

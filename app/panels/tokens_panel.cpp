// Tokens panel: the sentence box and the tokens the model sees, as chips.
#include "panel_context.hpp"

#include "app/widgets/help_marker.hpp"
#include "app/widgets/token_chips.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

namespace attn {

void draw_tokens_panel(PanelContext& ctx) {
    UiState& ui = ctx.ui;
    if (ui.text_buffer_revision != ctx.state.revision && ui.text_buffer != ctx.state.text) {
        ui.text_buffer = ctx.state.text;
    }
    ui.text_buffer_revision = ctx.state.revision;

    ImGui::TextUnformatted("Sentence");
    help_marker("Type any text. It is split into tokens: words and punctuation marks. Each token becomes a "
                "vector (its embedding) plus a position signal, and attention decides how much each token "
                "looks at every other one. Every edit recomputes the attention live.");
    const float box_h = ImGui::GetTextLineHeightWithSpacing() * 4.0f;
    if (ImGui::InputTextMultiline("##sentence", &ui.text_buffer, ImVec2(-1.0f, box_h))) {
        ctx.commands.push_back(SetText{ui.text_buffer});
    }

    const int n = static_cast<int>(ctx.state.tokens.size());
    ImGui::Text("%d / %d tokens", n, k_max_live_tokens);
    help_marker("The live view recomputes everything on each keystroke, so it holds at most this many tokens. "
                "Attention compares every token with every other one: twice the tokens is four times the work.");
    if (!ui.status.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.72f, 0.3f, 1.0f));
        ImGui::TextWrapped("%s", ui.status.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Separator();
    if (n == 0) {
        ImGui::TextDisabled("No tokens yet.");
        ImGui::TextWrapped("Type a sentence above, for example: The animal didn't cross the street because it "
                           "was too tired.");
        return;
    }
    ImGui::BeginChild("##chips", ImVec2(0, 0), false);
    const auto r = draw_token_chips(ctx.state.tokens, ui.selected_query);
    if (r.clicked >= 0) ui.selected_query = r.clicked == ui.selected_query ? -1 : r.clicked;
    ImGui::EndChild();
}

} // namespace attn

// Help window: what the app is for, the keyboard shortcuts, and where the explanations live.
#include "app/i18n/i18n.hpp"
#include "panel_context.hpp"

#include <imgui.h>

namespace attn {

namespace {

struct Shortcut {
    const char* keys;
    const char* what;
};

constexpr Shortcut k_shortcuts[] = {
    {N_("F1"), N_("show or hide this help")},
    {N_("F5"), N_("presentation mode: large text, high contrast, full screen, advanced controls hidden")},
    {N_("Esc"), N_("leave presentation mode")},
    {N_("F11"), N_("full screen on or off")},
    {N_("Ctrl+1 ... Ctrl+5"), N_("load a preset sentence (tired, wide, paragraph, repeated, GQA)")},
    {N_("Ctrl+6 ... Ctrl+9"), N_("open Explanations on a sentence where attention and attribution disagree")},
    {N_("Page Up / Page Down"), N_("previous / next head (then the next layer)")},
    {N_("Ctrl+Page Up / Down"), N_("previous / next view tab in the left (or only) pane")},
    {N_("Ctrl+T"), N_("next theme: dark, light, high contrast")},
    {N_("Ctrl+S"), N_("save the session (tokens, model, switches) as JSON")},
    {N_("Ctrl+O"), N_("open a saved session")},
    {N_("Ctrl+E"), N_("export the current view as PNG")},
    {N_("Left / Right"), N_("step backward / forward in the Step by step panel")},
    {N_("Tab, arrows, Space"), N_("move between controls and press them without a mouse")},
};

} // namespace

void draw_help_panel(PanelContext& ctx) {
    ImGui::TextWrapped(
        _("Attention Lab computes one small transformer's attention live, from the sentence you type. "
          "Every token asks a question (its query), advertises what it holds (its key) and offers "
          "content (its value); the weights say how much of each value every token takes."));
    ImGui::Spacing();
    ImGui::TextWrapped(_("Hover any (?) or control for an explanation. Nothing needs the internet."));
    ImGui::Spacing();
    ImGui::TextWrapped(
        _("The inputs (Tokens, Model) sit on the left; every view is a tab on the right. Right-click a "
          "tab to show it beside the others in a second pane, drag the gaps between panels to resize "
          "them, and use View > Reset layout to start again. The layout is kept for the next run."));
    ImGui::Separator();
    ImGui::TextUnformatted(_("Keyboard shortcuts"));
    if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableSetupColumn(_("keys"), ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn(_("what"), ImGuiTableColumnFlags_WidthStretch);
        for (const Shortcut& s : k_shortcuts) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextUnformatted(_(s.keys));
            ImGui::TableSetColumnIndex(1);
            ImGui::TextWrapped("%s", _(s.what));
        }
        ImGui::EndTable();
    }
    const ImVec2 mn = ImGui::GetItemRectMin(), mx = ImGui::GetItemRectMax();
    record_region(ctx.ui, "help_shortcuts", mn, mx);
    ImGui::Separator();
    ImGui::TextWrapped(
        _("Further reading: Vaswani et al. 2017 (attention), Shazeer 2019 (multi-query), Ainslie et "
          "al. 2023 (grouped-query), Dao et al. 2022 (FlashAttention), Su et al. 2021 (RoPE), Press "
          "et al. 2021 (ALiBi), Jain & Wallace 2019 and Wiegreffe & Pinter 2019 (is attention an "
          "explanation?)."));
    if (ImGui::Button(_("Close"))) ctx.ui.comfort.show_help = false;
}

} // namespace attn

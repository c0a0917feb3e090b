// Help window: what the app is for, the keyboard shortcuts, and where the explanations live.
#include "panel_context.hpp"

#include <imgui.h>

namespace attn {

namespace {

struct Shortcut {
    const char* keys;
    const char* what;
};

constexpr Shortcut k_shortcuts[] = {
    {"F1", "show or hide this help"},
    {"F5", "presentation mode: large text, high contrast, full screen, advanced controls hidden"},
    {"Esc", "leave presentation mode"},
    {"F11", "full screen on or off"},
    {"Ctrl+1 ... Ctrl+5", "load a preset sentence (tired, wide, paragraph, repeated, GQA)"},
    {"Ctrl+6 ... Ctrl+9", "open Explanations on a sentence where attention and attribution disagree"},
    {"Page Up / Page Down", "previous / next head (then the next layer)"},
    {"Ctrl+Page Up / Down", "previous / next view tab in the left (or only) pane"},
    {"Ctrl+T", "next theme: dark, light, high contrast"},
    {"Ctrl+S", "save the session (tokens, model, switches) as JSON"},
    {"Ctrl+O", "open a saved session"},
    {"Ctrl+E", "export the current view as PNG"},
    {"Left / Right", "step backward / forward in the Step by step panel"},
    {"Tab, arrows, Space", "move between controls and press them without a mouse"},
};

} // namespace

void draw_help_panel(PanelContext& ctx) {
    ImGui::TextWrapped(
        "Attention Lab computes one small transformer's attention live, from the sentence you type. "
        "Every token asks a question (its query), advertises what it holds (its key) and offers "
        "content (its value); the weights say how much of each value every token takes.");
    ImGui::Spacing();
    ImGui::TextWrapped("Hover any (?) or control for an explanation. Nothing needs the internet.");
    ImGui::Spacing();
    ImGui::TextWrapped(
        "The inputs (Tokens, Model) sit on the left; every view is a tab on the right. Right-click a "
        "tab to show it beside the others in a second pane, drag the gaps between panels to resize "
        "them, and use View > Reset layout to start again. The layout is kept for the next run.");
    ImGui::Separator();
    ImGui::TextUnformatted("Keyboard shortcuts");
    if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableSetupColumn("keys", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
        for (const Shortcut& s : k_shortcuts) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextUnformatted(s.keys);
            ImGui::TableSetColumnIndex(1);
            ImGui::TextWrapped("%s", s.what);
        }
        ImGui::EndTable();
    }
    const ImVec2 mn = ImGui::GetItemRectMin(), mx = ImGui::GetItemRectMax();
    record_region(ctx.ui, "help_shortcuts", mn, mx);
    ImGui::Separator();
    ImGui::TextWrapped(
        "Further reading: Vaswani et al. 2017 (attention), Shazeer 2019 (multi-query), Ainslie et "
        "al. 2023 (grouped-query), Dao et al. 2022 (FlashAttention), Su et al. 2021 (RoPE), Press "
        "et al. 2021 (ALiBi), Jain & Wallace 2019 and Wiegreffe & Pinter 2019 (is attention an "
        "explanation?).");
    if (ImGui::Button("Close")) ctx.ui.comfort.show_help = false;
}

} // namespace attn

// help_marker() / item_help(): the app's teaching tooltips. A click on "(?)" opens its text in place, in a
// tinted box under the line, so a class watching a projector can read what a tooltip would only show to the
// mouse's owner; another click folds it. Whether it is open is kept in ImGui's per-window state storage.
#include "help_marker.hpp"
#include "app/i18n/i18n.hpp"
#include "flow.hpp"

#include <imgui.h>

namespace attn {

void item_help(const char* text) {
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

void help_marker(const char* text) {
    same_line_if_fits(text_width("(?)")); // on the next line when the last item ends at the pane's edge
    ImGui::PushID(text);
    const ImGuiID id = ImGui::GetID("##help_open");
    ImGuiStorage* storage = ImGui::GetStateStorage();
    bool open = storage->GetBool(id, false);
    ImGui::TextDisabled(open ? _("(\xC3\x97)") : "(?)"); // (×) folds it again
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    if (ImGui::IsItemClicked()) {
        open = !open;
        storage->SetBool(id, open);
    }
    if (!open && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
        ImGui::TextUnformatted(text);
        ImGui::TextDisabled(_("Click (?) to show this beside the control."));
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    ImGui::PopID();
    if (!open) return;
    // the text in place: wrapped to the panel, over a box sized from the measured text
    const ImGuiStyle& st = ImGui::GetStyle();
    const float pad = st.FramePadding.x;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float wrap = ImGui::GetContentRegionAvail().x - 2.0f * pad;
    if (wrap < ImGui::GetFontSize() * 4.0f) return; // too narrow to be read; the tooltip stays
    const ImVec2 size = ImGui::CalcTextSize(text, nullptr, false, wrap);
    ImGui::GetWindowDrawList()->AddRectFilled(at, ImVec2(at.x + size.x + 2.0f * pad, at.y + size.y + pad),
                                              ImGui::GetColorU32(ImGuiCol_FrameBg), st.FrameRounding);
    ImGui::SetCursorScreenPos(ImVec2(at.x + pad, at.y + pad * 0.5f));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::SetCursorScreenPos(ImVec2(at.x, at.y + size.y + pad + st.ItemSpacing.y));
    ImGui::Dummy(ImVec2(0.0f, 0.0f));
}

} // namespace attn

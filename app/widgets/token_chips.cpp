// draw_token_chips(): one rounded chip per token, wrapping to the panel width, index shown on hover.
#include "token_chips.hpp"

#include <imgui.h>

namespace attn {

TokenChipsResult draw_token_chips(const std::vector<std::string>& tokens, int selected) {
    TokenChipsResult r;
    const ImGuiStyle& st = ImGui::GetStyle();
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, ImGui::GetFontSize() * 0.4f);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(st.ItemSpacing.x * 0.6f, st.ItemSpacing.y * 0.8f));
    for (int i = 0; i < static_cast<int>(tokens.size()); ++i) {
        const std::string& t = tokens[static_cast<std::size_t>(i)];
        const float w = ImGui::CalcTextSize(t.c_str()).x + st.FramePadding.x * 2.0f;
        if (i > 0) {
            ImGui::SameLine();
            if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
        }
        ImGui::PushID(i);
        const bool is_sel = i == selected;
        if (is_sel) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::Button(t.c_str())) r.clicked = i;
        if (ImGui::IsItemHovered()) {
            r.hovered = i;
            ImGui::SetTooltip("token %d: \"%s\"", i, t.c_str());
        }
        if (is_sel) ImGui::PopStyleColor();
        ImGui::PopID();
    }
    ImGui::PopStyleVar(2);
    return r;
}

} // namespace attn

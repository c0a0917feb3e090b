// apply_theme(): ImGui's built-in dark and light styles with rounder frames, and a high-contrast style
// (black, white, yellow) that stays readable on a washed-out projector.
#include "theme.hpp"

#include <cstring>

namespace attn {

const char* theme_name(Theme t) {
    switch (t) {
    case Theme::Dark:
        return "dark";
    case Theme::Light:
        return "light";
    case Theme::Contrast:
        return "contrast";
    }
    return "dark";
}

Theme theme_from_name(const char* name) {
    if (std::strcmp(name, "light") == 0) return Theme::Light;
    if (std::strcmp(name, "contrast") == 0) return Theme::Contrast;
    return Theme::Dark;
}

namespace {

void contrast_colors(ImGuiStyle& st) {
    ImGui::StyleColorsDark(&st);
    ImVec4* c = st.Colors;
    const ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1), yellow(1.0f, 0.86f, 0.0f, 1),
        grey(0.25f, 0.25f, 0.25f, 1);
    const ImVec4 dim_yellow(0.55f, 0.47f, 0.0f, 1);
    c[ImGuiCol_Text] = white;
    c[ImGuiCol_TextDisabled] = ImVec4(0.8f, 0.8f, 0.8f, 1);
    c[ImGuiCol_WindowBg] = black;
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0); // regions inside the workspace add no second fill
    c[ImGuiCol_PopupBg] = ImVec4(0.05f, 0.05f, 0.05f, 1);
    c[ImGuiCol_Border] = white;
    c[ImGuiCol_FrameBg] = grey;
    c[ImGuiCol_FrameBgHovered] = dim_yellow;
    c[ImGuiCol_FrameBgActive] = dim_yellow;
    c[ImGuiCol_TitleBg] = grey;
    c[ImGuiCol_TitleBgActive] = dim_yellow;
    c[ImGuiCol_MenuBarBg] = grey;
    c[ImGuiCol_CheckMark] = yellow;
    c[ImGuiCol_SliderGrab] = yellow;
    c[ImGuiCol_SliderGrabActive] = white;
    c[ImGuiCol_Button] = grey;
    c[ImGuiCol_ButtonHovered] = dim_yellow;
    c[ImGuiCol_ButtonActive] = yellow;
    c[ImGuiCol_Header] = dim_yellow;
    c[ImGuiCol_HeaderHovered] = dim_yellow;
    c[ImGuiCol_HeaderActive] = yellow;
    c[ImGuiCol_PlotHistogram] = yellow;
    c[ImGuiCol_Separator] = white;
    c[ImGuiCol_Tab] = grey;
    c[ImGuiCol_TabActive] = dim_yellow;
    st.FrameBorderSize = 1.0f;
}

} // namespace

void apply_theme(Theme theme, float size_scale) {
    ImGuiStyle st;
    switch (theme) {
    case Theme::Dark:
        ImGui::StyleColorsDark(&st);
        st.Colors[ImGuiCol_WindowBg].w = 1.0f; // opaque: a panel over the heatmap must not show it through
        break;
    case Theme::Light:
        ImGui::StyleColorsLight(&st);
        st.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.97f, 1.0f);
        st.FrameBorderSize = 1.0f;
        break;
    case Theme::Contrast:
        contrast_colors(st);
        break;
    }
    st.WindowRounding = 4.0f;
    st.FrameRounding = 3.0f;
    st.GrabRounding = 3.0f;
    st.ScaleAllSizes(size_scale > 0.5f ? size_scale : 1.0f);
    ImGui::GetStyle() = st;
}

} // namespace attn

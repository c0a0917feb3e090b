// apply_theme(): ImGui's built-in dark and light styles with rounder frames, and a high-contrast style
// (black, white, yellow) that stays readable on a washed-out projector.
#include "theme.hpp"

#include <algorithm>
#include <cmath>
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
    const ImVec4 dim_yellow(0.45f, 0.38f, 0.0f, 1); // white text on it reads at 6:1
    const ImVec4 amber(0.58f, 0.30f, 0.0f, 1);      // and at 6:1 on this one
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
    c[ImGuiCol_SliderGrab] = dim_yellow; // a slider's value is written over its grab
    c[ImGuiCol_SliderGrabActive] = white;
    c[ImGuiCol_Button] = grey;
    c[ImGuiCol_ButtonHovered] = dim_yellow;
    c[ImGuiCol_ButtonActive] = amber; // also marks the selected chip or stage: white text on it
    c[ImGuiCol_Header] = dim_yellow;
    c[ImGuiCol_HeaderHovered] = dim_yellow;
    c[ImGuiCol_HeaderActive] = amber;
    c[ImGuiCol_PlotHistogram] = yellow;
    c[ImGuiCol_Separator] = white;
    c[ImGuiCol_Tab] = grey;
    c[ImGuiCol_TabActive] = dim_yellow;
    st.FrameBorderSize = 1.0f;
}

} // namespace

ImGuiStyle theme_style(Theme theme) {
    ImGuiStyle st;
    switch (theme) {
    case Theme::Dark:
        ImGui::StyleColorsDark(&st);
        st.Colors[ImGuiCol_WindowBg].w = 1.0f; // opaque: a panel over the heatmap must not show it through
        // ImGui's grey (0.50) reads at 3.4:1 in an input field; formulas and notes use this colour
        st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.60f, 0.60f, 0.62f, 1.0f);
        st.Colors[ImGuiCol_SliderGrab] = ImVec4(0.20f, 0.42f, 0.75f, 1.0f); // the value is written over it
        // pressed, and the selected token chip or stage: ImGui's bright blue held white text at 3.5:1
        st.Colors[ImGuiCol_ButtonActive] = ImVec4(0.05f, 0.40f, 0.80f, 1.0f);
        st.Colors[ImGuiCol_HeaderActive] = ImVec4(0.05f, 0.40f, 0.80f, 1.0f);
        break;
    case Theme::Light:
        ImGui::StyleColorsLight(&st);
        st.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.97f, 1.0f);
        // ImGui's grey (0.60) reads at 2.7:1 on white; formulas and notes use this colour
        st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.38f, 0.38f, 0.40f, 1.0f);
        st.FrameBorderSize = 1.0f;
        break;
    case Theme::Contrast:
        contrast_colors(st);
        break;
    }
    st.WindowRounding = 4.0f;
    st.FrameRounding = 3.0f;
    st.GrabRounding = 3.0f;
    return st;
}

TextTones text_tones_of(Theme theme) {
    switch (theme) {
    case Theme::Light: // dark, saturated inks on white
        return {ImVec4(0.50f, 0.32f, 0.00f, 1), ImVec4(0.66f, 0.29f, 0.00f, 1),
                ImVec4(0.74f, 0.08f, 0.08f, 1), ImVec4(0.05f, 0.44f, 0.15f, 1)};
    case Theme::Contrast:
        return {ImVec4(1.00f, 0.86f, 0.00f, 1), ImVec4(1.00f, 0.72f, 0.30f, 1),
                ImVec4(1.00f, 0.55f, 0.50f, 1), ImVec4(0.50f, 0.95f, 0.50f, 1)};
    case Theme::Dark:
        break;
    }
    return {ImVec4(1.00f, 0.86f, 0.35f, 1), ImVec4(1.00f, 0.72f, 0.30f, 1), ImVec4(1.00f, 0.50f, 0.42f, 1),
            ImVec4(0.50f, 0.90f, 0.50f, 1)};
}

namespace {
TextTones g_tones = text_tones_of(Theme::Dark); // follows apply_theme; the frame loop is single-threaded
} // namespace

const TextTones& text_tones() {
    return g_tones;
}

double relative_luminance(const ImVec4& c) {
    const auto lin = [](float v) {
        const double s = std::clamp(static_cast<double>(v), 0.0, 1.0);
        return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.x) + 0.7152 * lin(c.y) + 0.0722 * lin(c.z);
}

ImVec4 over(const ImVec4& c, const ImVec4& under) {
    const float a = std::clamp(c.w, 0.0f, 1.0f);
    return ImVec4(c.x * a + under.x * (1 - a), c.y * a + under.y * (1 - a), c.z * a + under.z * (1 - a),
                  1.0f);
}

double contrast_ratio(const ImVec4& a, const ImVec4& b) {
    const double la = relative_luminance(a), lb = relative_luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void apply_theme(Theme theme, float size_scale) {
    ImGuiStyle st = theme_style(theme);
    st.ScaleAllSizes(size_scale > 0.5f ? size_scale : 1.0f);
    ImGui::GetStyle() = st;
    g_tones = text_tones_of(theme);
}

} // namespace attn

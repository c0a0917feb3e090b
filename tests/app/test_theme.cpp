// Every theme's text colours against the backgrounds they are drawn on, by the WCAG 2 contrast ratio
// (at least 4.5:1 for normal text), and the contrast formula itself against its published end points.
#include "app/widgets/theme.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <string>
#include <utility>
#include <vector>

using namespace attn;

namespace {

constexpr double k_min_ratio = 4.5; // WCAG 2.x, level AA, normal-size text

struct Ink {
    std::string name;
    ImVec4 color;
};

// The backgrounds text sits on, each laid over the window so translucent fills count as seen.
std::vector<std::pair<std::string, ImVec4>> backgrounds(const ImGuiStyle& st, bool controls) {
    const ImVec4 window = over(st.Colors[ImGuiCol_WindowBg], ImVec4(0, 0, 0, 1));
    std::vector<std::pair<std::string, ImVec4>> b = {
        {"WindowBg", window},
        {"ChildBg", over(st.Colors[ImGuiCol_ChildBg], window)},
        {"PopupBg", over(st.Colors[ImGuiCol_PopupBg], window)},
        {"FrameBg", over(st.Colors[ImGuiCol_FrameBg], window)},
        {"TableRowBgAlt", over(st.Colors[ImGuiCol_TableRowBgAlt], window)},
    };
    if (controls) // where only the main text colour is drawn: labels of buttons, selected rows, tabs, menus,
                  // slider values (written over the grab), the selected chip or stage (drawn as ButtonActive)
        for (const auto& [name, col] :
             {std::pair{"Button", ImGuiCol_Button}, std::pair{"Header", ImGuiCol_Header},
              std::pair{"TableHeaderBg", ImGuiCol_TableHeaderBg}, std::pair{"Tab", ImGuiCol_Tab},
              std::pair{"TabActive", ImGuiCol_TabActive}, std::pair{"TitleBgActive", ImGuiCol_TitleBgActive},
              std::pair{"MenuBarBg", ImGuiCol_MenuBarBg}, std::pair{"SliderGrab", ImGuiCol_SliderGrab},
              std::pair{"ButtonActive", ImGuiCol_ButtonActive},
              std::pair{"HeaderActive", ImGuiCol_HeaderActive}})
            b.emplace_back(name, over(st.Colors[col], window));
    return b;
}

} // namespace

TEST_CASE("the contrast ratio has WCAG's end points and is symmetric") {
    const ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1);
    CHECK(contrast_ratio(black, white) == doctest::Approx(21.0));
    CHECK(contrast_ratio(white, white) == doctest::Approx(1.0));
    CHECK(contrast_ratio(ImVec4(1, 0.86f, 0, 1), white) ==
          doctest::Approx(contrast_ratio(white, ImVec4(1, 0.86f, 0, 1))));
    // sRGB mid grey #777777 on white is the classic 4.48:1, just short of AA
    const float g = 0x77 / 255.0f;
    CHECK(contrast_ratio(ImVec4(g, g, g, 1), white) == doctest::Approx(4.48).epsilon(0.01));
    // the yellow that once labelled "now" on the light theme's plots fails on white
    CHECK(contrast_ratio(ImVec4(1.0f, 0.86f, 0.35f, 1), white) < k_min_ratio);
    // a translucent colour is laid over what is under it
    const ImVec4 half = over(ImVec4(1, 1, 1, 0.5f), black);
    CHECK(half.x == doctest::Approx(0.5f));
    CHECK(half.w == doctest::Approx(1.0f));
}

TEST_CASE("every text colour of every theme reads at 4.5:1 or better on the backgrounds it is drawn on") {
    for (const Theme t : {Theme::Dark, Theme::Light, Theme::Contrast}) {
        const ImGuiStyle st = theme_style(t);
        const TextTones tones = text_tones_of(t);
        const std::vector<Ink> inks = {{"Text", st.Colors[ImGuiCol_Text]},
                                       {"TextDisabled", st.Colors[ImGuiCol_TextDisabled]},
                                       {"accent", tones.accent},
                                       {"warning", tones.warning},
                                       {"error", tones.error},
                                       {"good", tones.good}};
        for (const Ink& ink : inks)
            for (const auto& [bg_name, bg] : backgrounds(st, ink.name == "Text")) {
                const std::string theme = theme_name(t);
                CAPTURE(theme);
                CAPTURE(ink.name);
                CAPTURE(bg_name);
                const double r = contrast_ratio(ink.color, bg);
                CAPTURE(r);
                CHECK(r >= k_min_ratio);
            }
    }
}

TEST_CASE("applying a theme switches the text tones with it") {
    ImGui::CreateContext();
    apply_theme(Theme::Light, 1.0f);
    const ImVec4 light_accent = text_tones().accent;
    CHECK(contrast_ratio(light_accent, ImGui::GetStyle().Colors[ImGuiCol_WindowBg]) >= k_min_ratio);
    apply_theme(Theme::Dark, 1.0f);
    CHECK(text_tones().accent.x != doctest::Approx(light_accent.x));
    CHECK(contrast_ratio(text_tones().accent, ImGui::GetStyle().Colors[ImGuiCol_WindowBg]) >= k_min_ratio);
    ImGui::DestroyContext();
}

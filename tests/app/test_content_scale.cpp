// High-DPI (issue 17): when the window moves to a monitor with another content scale, the main loop sets
// UiState::content_scale from GLFW's callback; the fonts are then rebuilt at the new size (sharp, not
// stretched) and the style's sizes follow on the next frame. Moving back restores both.
#include "app/ui/fonts.hpp"
#include "app/ui/frame.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

using namespace attn;

namespace {

// What the renderer does after a rebuild (ImGui_ImplOpenGL3_CreateFontsTexture): the atlas's pixels.
void upload_atlas() {
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
}

} // namespace

TEST_CASE("a window moved to a monitor with another content scale rebuilds its fonts and sizes for it") {
    test::HeadlessImGui imgui;
    test::CountingTextures tex;
    App app;
    app.ui.content_scale = 1.0f;
    FontKeeper fonts;
    fonts.start(app);
    upload_atlas();
    test::draw_frames(app, tex, 2);
    const float font_1x = ImGui::GetIO().Fonts->Fonts[0]->FontSize;
    const float scrollbar_1x = ImGui::GetStyle().ScrollbarSize;
    REQUIRE(font_1x > 0.0f);
    CHECK_FALSE(fonts.update(app)); // nothing moved: the atlas stays

    app.ui.content_scale = 2.0f; // what the main loop does when GLFW reports the new monitor's scale
    CHECK(fonts.update(app));
    upload_atlas();
    test::draw_frames(app, tex, 2);
    CHECK(ImGui::GetIO().Fonts->Fonts[0]->FontSize == doctest::Approx(2.0f * font_1x));
    CHECK(ImGui::GetStyle().ScrollbarSize == doctest::Approx(2.0f * scrollbar_1x));
    CHECK_FALSE(fonts.update(app));

    app.ui.content_scale = 1.0f; // and back
    CHECK(fonts.update(app));
    upload_atlas();
    test::draw_frames(app, tex, 2);
    CHECK(ImGui::GetIO().Fonts->Fonts[0]->FontSize == doctest::Approx(font_1x));
    CHECK(ImGui::GetStyle().ScrollbarSize == doctest::Approx(scrollbar_1x));
}

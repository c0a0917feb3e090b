// The workspace layout, drawn headless: panels never overlap, only the view in front of each pane is drawn,
// views come to the front when asked, the two-pane split and the splitters work, and the layout survives
// a round trip through the preferences.
#include "app/ui/frame.hpp"
#include "app/ui/workspace.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h> // GImGui->NavId: where keyboard navigation stands

#include <string>
#include <vector>

using namespace attn;
using test::CountingTextures;
using test::draw_one_frame;
using test::HeadlessImGui;
using test::panel_index;

namespace {

std::vector<std::string> panel_regions(const UiState& ui) {
    std::vector<std::string> out;
    for (const auto& [name, r] : ui.regions)
        if (name.rfind("panel:", 0) == 0 && name != "panel:Help") out.push_back(name);
    return out;
}

bool overlap(const Rect& a, const Rect& b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

void frames(App& app, CountingTextures& tex, int n) {
    for (int i = 0; i < n; ++i)
        draw_one_frame(app, tex);
}

// Moves the pointer to `at`, presses and releases `button` (0 left, 1 right), and lets the UI settle.
void click(App& app, CountingTextures& tex, ImVec2 at, int button) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    frames(app, tex, 1);
    io.MouseDown[button] = true;
    frames(app, tex, 1);
    io.MouseDown[button] = false;
    frames(app, tex, 2);
}

} // namespace

TEST_CASE("every panel open: the sidebar and one view are drawn, side by side, inside the window") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    frames(app, tex, 2);
    for (const bool open : app.ui.panel_open)
        CHECK(open); // every panel starts open
    const auto shown = panel_regions(app.ui);
    CHECK(shown == std::vector<std::string>{"panel:Heatmap", "panel:Model", "panel:Tokens"});
    for (const auto& a : shown) {
        const Rect r = app.ui.regions.at(a);
        CHECK(r.x >= 0.0f);
        CHECK(r.y >= 0.0f);
        CHECK(r.x + r.w <= 1280.0f);
        CHECK(r.y + r.h <= 800.0f);
        for (const auto& b : shown)
            if (a != b) CHECK_MESSAGE(!overlap(r, app.ui.regions.at(b)), a << " overlaps " << b);
    }
    CHECK(app.ui.regions.at("panel:Tokens").x < app.ui.regions.at("panel:Heatmap").x);
}

TEST_CASE("a view asked to the front is drawn in that same frame and stays in front") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    frames(app, tex, 2);
    REQUIRE(app.ui.regions.count("panel:Heatmap") == 1);
    const int heatmap_calls = tex.calls;
    CHECK(heatmap_calls > 0);

    test::show(app, "Arc view");
    draw_one_frame(app, tex);
    CHECK(app.ui.regions.count("panel:Arc view") == 1);
    CHECK(app.ui.regions.count("panel:Heatmap") == 0);
    CHECK(app.ui.regions.count("arc") == 1);
    frames(app, tex, 3); // ImGui's tab bar has caught up: the arc view is still the one drawn
    CHECK(app.ui.regions.count("panel:Arc view") == 1);
    CHECK(app.ui.layout.select[0] == -1);
    CHECK(app.ui.layout.shown[0] == panel_index("Arc view"));
    // the heatmap behind its tab asks for no texture; the arc view draws its lines as a canvas
    CHECK(tex.calls == heatmap_calls);
    CHECK(tex.canvas_calls >= 4);

    // closing the view in front brings another one forward
    app.ui.panel_open[static_cast<std::size_t>(panel_index("Arc view"))] = false;
    frames(app, tex, 2);
    CHECK(app.ui.regions.count("panel:Arc view") == 0);
    CHECK(panel_regions(app.ui).size() == 3);
}

TEST_CASE("two panes: a second view beside the first, moved there by the split or by a script step") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    frames(app, tex, 2);
    set_split(app.ui, true); // nothing was on the right: the first view not in front moves there
    frames(app, tex, 2);
    const auto shown = panel_regions(app.ui);
    REQUIRE(shown.size() == 4);
    const Rect left = app.ui.regions.at("panel:Heatmap"), right = app.ui.regions.at("panel:Arc view");
    CHECK_FALSE(overlap(left, right));
    CHECK(left.x + left.w <= right.x);
    CHECK(pane_of(app.ui, panel_index("Arc view")) == 1);

    // a script step puts Flash on the right; the arc view stays open behind it
    CHECK(apply_ui_step(app, ui_step::OpenPanel{"Flash", ui_step::Side::Right}).empty());
    frames(app, tex, 2);
    CHECK(app.ui.regions.count("panel:Flash") == 1);
    CHECK(app.ui.regions.count("panel:Arc view") == 0);
    CHECK(app.ui.regions.count("panel:Heatmap") == 1);

    // one pane again: every view is back in it, the one in front of the first pane still in front
    CHECK(apply_ui_step(app, ui_step::SplitViews{false}).empty());
    frames(app, tex, 2);
    CHECK(panel_regions(app.ui).size() == 3);
    CHECK(app.ui.regions.count("panel:Heatmap") == 1);
    CHECK(pane_of(app.ui, panel_index("Flash")) == 0);
}

TEST_CASE("without the sidebar the views take the whole width; an empty pane says how to fill it") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    frames(app, tex, 1);
    for (const char* name : {"Tokens", "Model"})
        app.ui.panel_open[static_cast<std::size_t>(panel_index(name))] = false;
    frames(app, tex, 2);
    CHECK(app.ui.regions.at("panel:Heatmap").w > 1200.0f);

    app.ui.panel_open.assign(panels().size(), false);
    frames(app, tex, 2);
    CHECK(panel_regions(app.ui).empty());
    CHECK(app.ui.layout.shown[0] == -1);
    CHECK(ImGui::GetDrawData()->TotalVtxCount > 100); // the hint is drawn
}

TEST_CASE("dragging the splitter between the sidebar and the views resizes both") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    frames(app, tex, 2);
    const Rect tokens = app.ui.regions.at("panel:Tokens");
    const Rect view = app.ui.regions.at("panel:Heatmap");
    const float before = app.ui.layout.sidebar_frac;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos =
        ImVec2((tokens.x + tokens.w + view.x) * 0.5f, tokens.y + tokens.h * 0.5f); // on the splitter
    frames(app, tex, 1);
    io.MouseDown[0] = true;
    frames(app, tex, 1);
    for (int i = 0; i < 4; ++i) {
        io.MousePos.x += 25.0f;
        frames(app, tex, 1);
    }
    io.MouseDown[0] = false;
    frames(app, tex, 2);
    CHECK(app.ui.layout.sidebar_frac > before + 0.05f);
    CHECK(app.ui.regions.at("panel:Tokens").w > tokens.w + 60.0f);
    CHECK(app.ui.regions.at("panel:Heatmap").x > view.x + 60.0f);
}

TEST_CASE("the layout survives a round trip through the preferences") {
    App app;
    ensure_layout(app.ui);
    test::show(app, "Scaling");
    CHECK(apply_ui_step(app, ui_step::OpenPanel{"Flash", ui_step::Side::Right}).empty());
    app.ui.layout.sidebar_frac = 0.3f;
    app.ui.layout.pane_frac = 0.45f;
    app.ui.panel_open[static_cast<std::size_t>(panel_index("Training"))] = false;

    App fresh;
    apply_prefs(fresh.ui, prefs_from_ui(app.ui));
    CHECK(fresh.ui.panel_open == app.ui.panel_open);
    CHECK(fresh.ui.layout.split);
    CHECK(fresh.ui.layout.sidebar_frac == doctest::Approx(0.3f));
    CHECK(fresh.ui.layout.pane_frac == doctest::Approx(0.45f));
    CHECK(pane_of(fresh.ui, panel_index("Flash")) == 1);
    CHECK(pane_of(fresh.ui, panel_index("Scaling")) == 0);
    CHECK(fresh.ui.layout.select[0] == panel_index("Scaling"));
    CHECK(fresh.ui.layout.select[1] == panel_index("Flash"));
}

TEST_CASE("in the Step by step view the arrow keys step through the stages, with keyboard navigation on") {
    HeadlessImGui imgui;
    CountingTextures tex;
    ImGuiIO& io = ImGui::GetIO();
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard; // as in the app
    io.KeyMap[ImGuiKey_RightArrow] = 262;                 // GLFW's key codes, as the backend maps them
    io.KeyMap[ImGuiKey_LeftArrow] = 263;
    io.KeyMap[ImGuiKey_Space] = 32;
    App app;
    test::open_only(app, "Step by step");
    frames(app, tex, 2);
    const Rect view = app.ui.regions.at("panel:Step by step");
    click(app, tex, ImVec2(view.x + view.w * 0.5f, view.y + view.h - 20.0f), 0); // focuses the view
    const int before = app.ui.views.step_stage;
    const ImGuiID nav_before = GImGui->NavId; // ImGui's keyboard-navigation cursor (internal state)
    const auto press = [&](int key) {
        io.KeysDown[key] = true;
        frames(app, tex, 1);
        io.KeysDown[key] = false;
        frames(app, tex, 1);
    };
    press(262);
    press(262);
    CHECK(app.ui.views.step_stage == before + 2);
    press(263);
    CHECK(app.ui.views.step_stage == before + 1);
    CHECK(GImGui->NavId == nav_before); // the arrows stepped the stages; they did not also move the cursor
}

TEST_CASE("right-clicking a tab offers to show that view beside the others, then to move it back") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    frames(app, tex, 2);
    const Rect pane = app.ui.regions.at("panel:Heatmap");
    const ImVec2 first_tab(pane.x + 70.0f, pane.y + 12.0f); // past the tab-list button, on "Heatmap"
    click(app, tex, first_tab, 1);
    // the menu opens at the pointer; its first item is just below and right of it
    click(app, tex, ImVec2(first_tab.x + 30.0f, first_tab.y + 14.0f), 0);
    CHECK(app.ui.layout.split);
    CHECK(pane_of(app.ui, panel_index("Heatmap")) == 1);
    CHECK(app.ui.regions.count("panel:Heatmap") == 1);
    REQUIRE(app.ui.layout.shown[0] >= 0);
    CHECK(app.ui.layout.shown[0] != panel_index("Heatmap")); // another view took its place on the left

    // on the right, the same menu moves it back to the left pane
    const Rect right = app.ui.regions.at("panel:Heatmap");
    const ImVec2 tab(right.x + 70.0f, right.y + 12.0f);
    click(app, tex, tab, 1);
    click(app, tex, ImVec2(tab.x + 30.0f, tab.y + 14.0f), 0);
    CHECK(pane_of(app.ui, panel_index("Heatmap")) == 0);
    CHECK(app.ui.regions.count("panel:Heatmap") == 1);
}

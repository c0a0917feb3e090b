// Every panel drawn in a headless ImGui frame (no window, no GL): a font atlas built in memory, a display
// size, and a stand-in texture source. Several states, including the awkward ones, must draw without
// tripping an ImGui assertion, and the panels must record the regions the GUI test checks.
#include "app/panels/panel_context.hpp"
#include "app/ui/frame.hpp"
#include "app/ui/workspace.hpp"
#include "app/widgets/heatmap.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>
#include <functional>

using namespace attn;
using test::CountingTextures;
using test::draw_frames;
using test::HeadlessImGui;

namespace {

void open_all_panels(App& app) { // App owns worker threads: it cannot be returned by copy or move
    app.ui.panel_open.assign(panels().size(), true);
}

void run_commands(App& app, std::initializer_list<Command> cmds) {
    for (const auto& c : cmds) {
        const ApplyResult r = apply(app.state, c);
        CHECK_MESSAGE(r.message.empty(), r.message);
    }
}

} // namespace

TEST_CASE("every panel draws headless for empty, tiny, typical, long, GQA, causal and ablated states") {
    HeadlessImGui imgui;
    CountingTextures tex;
    struct Case {
        const char* name;
        std::function<void(App&)> setup;
    };
    std::string long_text;
    for (int i = 0; i < 300; ++i)
        long_text += std::string("w") + std::to_string(i % 37) + " ";
    const std::vector<Case> cases = {
        {"empty text", [](App& a) { run_commands(a, {SetText{""}}); }},
        {"one token", [](App& a) { run_commands(a, {SetText{"hello"}}); }},
        {"running example", [](App&) {}},
        {"300 tokens", [&](App& a) { run_commands(a, {SetText{long_text}}); }},
        {"GQA",
         [](App& a) {
             run_commands(a, {SetHeads{8, 2}, SetLayers{2}});
         }},
        {"causal + sliding + padding",
         [](App& a) {
             run_commands(a, {SetMask{MaskKind::SlidingWindow, 3}, SetPadding{2, true},
                              SetPositions{PositionKind::Alibi}});
         }},
        {"ablated head",
         [](App& a) {
             run_commands(a, {SetHeads{4, 4}, ToggleHead{0, 1}});
         }},
        {"presentation, light theme, help open",
         [](App& a) {
             a.ui.comfort.presentation = true;
             a.ui.comfort.theme = Theme::Light;
             a.ui.comfort.show_help = true;
         }},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        App app;
        open_all_panels(app);
        c.setup(app);
        app.ui.selected_query = app.state.n_tokens() > 1 ? 1 : -1;
        // every view in front in turn: only the view in front of a pane is drawn
        for (std::size_t i = 0; i < panels().size(); ++i) {
            if (panels()[i].place != PanelPlace::View) continue;
            CAPTURE(panels()[i].name);
            show_panel(app.ui, static_cast<int>(i));
            draw_frames(app, tex, 2);
            CHECK(app.ui.regions.count(std::string("panel:") + panels()[i].name) == 1);
        }
        draw_frames(app, tex, 1);
        CHECK(app.ui.regions.count("panel:Tokens") == 1);
        CHECK(app.ui.regions.count("panel:Model") == 1);
        CHECK(app.ui.regions.count("model_ablation") == 1);
        CHECK(app.ui.regions.count("model_kv_diagram") == 1);
        if (app.state.n_tokens() > 0) CHECK(app.ui.regions.count("tokens_chips") == 1);
        if (app.ui.comfort.show_help) CHECK(app.ui.regions.count("help_shortcuts") == 1);
        CHECK(ImGui::GetDrawData()->TotalVtxCount > 1000);
    }
    CHECK(tex.calls > 0);
}

TEST_CASE("shortcuts: F1 opens help, Ctrl+2 loads the second preset, Page Down walks the heads") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    open_all_panels(app);
    ImGuiIO& io = ImGui::GetIO();
    draw_frames(app, tex, 1);
    draw_frames(app, tex, 1, [&] { io.KeysDown[290] = true; }); // GLFW_KEY_F1
    io.KeysDown[290] = false;
    CHECK(app.ui.comfort.show_help);

    draw_frames(app, tex, 1, [&] {
        io.KeyCtrl = true;
        io.KeysDown['2'] = true;
    });
    io.KeyCtrl = false;
    io.KeysDown['2'] = false;
    CHECK(app.state.tokens.back() == presets()[1].text.substr(presets()[1].text.rfind(' ') + 1));
    REQUIRE(app.state.config.n_heads == 4);

    app.ui.selected_head = 3;
    io.KeyMap[ImGuiKey_PageDown] = 267; // what the GLFW backend maps
    draw_frames(app, tex, 1, [&] { io.KeysDown[267] = true; });
    io.KeysDown[267] = false;
    CHECK(app.ui.selected_head == 0); // wrapped: one layer of four heads
    draw_frames(app, tex, 1);

    // Ctrl+Page Down / Up walk the view tabs instead, wrapping around; the head stays
    io.KeyMap[ImGuiKey_PageUp] = 266;
    const int first = app.ui.layout.shown[0];
    REQUIRE(first >= 0);
    const auto press = [&](int key) {
        draw_frames(app, tex, 1, [&] {
            io.KeyCtrl = true;
            io.KeysDown[key] = true;
        });
        io.KeyCtrl = false;
        io.KeysDown[key] = false;
        draw_frames(app, tex, 1);
    };
    press(267);
    CHECK(app.ui.layout.shown[0] != first);
    CHECK(app.ui.layout.shown[0] > first);
    CHECK(app.ui.selected_head == 0);
    press(266);
    CHECK(app.ui.layout.shown[0] == first);
    press(266); // before the first view: the last one
    CHECK(app.ui.layout.shown[0] == static_cast<int>(panels().size()) - 1);
}

TEST_CASE("script view steps and preferences change only the view") {
    App app;
    const auto rev = app.state.revision;
    CHECK(apply_ui_step(app, ui_step::OpenPanel{"Model"}).empty());
    CHECK(apply_ui_step(app, ui_step::ClosePanel{"Tokens"}).empty());
    CHECK(apply_ui_step(app, ui_step::OpenPanel{"Nope"}).find("no panel named") != std::string::npos);
    CHECK(apply_ui_step(app, ui_step::SelectHead{0, 5}).find("no head 5") != std::string::npos);
    CHECK(apply_ui_step(app, ui_step::SetTheme{"light"}).empty());
    CHECK(app.ui.comfort.theme == Theme::Light);
    CHECK(app.state.revision == rev);

    const Prefs p = prefs_from_ui(app.ui);
    CHECK(p.theme == "light");
    CHECK(std::find(p.open_panels.begin(), p.open_panels.end(), "Tokens") == p.open_panels.end());
    CHECK(std::find(p.open_panels.begin(), p.open_panels.end(), "Model") != p.open_panels.end());
    App fresh;
    apply_prefs(fresh.ui, p);
    CHECK(fresh.ui.panel_open == app.ui.panel_open);
    CHECK(fresh.ui.layout.split == app.ui.layout.split);
    CHECK(fresh.ui.comfort.theme == Theme::Light);
}

TEST_CASE("run_script applies commands and reports refusals with the script line") {
    App app;
    const Script s = parse_script(R"([
  {"cmd": "SetHeads", "n_heads": 4, "n_kv_heads": 2},
  {"cmd": "SetHeads", "n_heads": 3, "n_kv_heads": 2},
  {"cmd": "Bogus"},
  {"ui": "OpenPanel", "name": "Heatmap"}
])");
    const auto msgs = run_script(app, s, "s.json");
    REQUIRE(msgs.size() == 2);
    CHECK(msgs[0].rfind("s.json:4: unknown command", 0) == 0);
    CHECK(msgs[1].rfind("s.json:3: ", 0) == 0);
    CHECK(app.state.config.n_heads == 4);
    CHECK(app.state.config.n_kv_heads == 2);
}

TEST_CASE(
    "the \"tired\" and \"wide\" presets select the referent head and \"it\", from a panel or a script") {
    const auto index_of = [](const AppState& s, const char* word) {
        const auto at = std::find(s.tokens.begin(), s.tokens.end(), word);
        REQUIRE(at != s.tokens.end());
        return static_cast<int>(at - s.tokens.begin());
    };
    // the largest weight from "it" in the selected head falls on `noun`
    const auto looks_at = [&](App& app, const char* noun) {
        refresh_derived(app);
        const auto& layers = app.derived.forward.layers;
        REQUIRE(app.ui.selected_layer >= 0);
        REQUIRE(app.ui.selected_layer < static_cast<int>(layers.size()));
        const auto& heads = layers[static_cast<std::size_t>(app.ui.selected_layer)].heads;
        REQUIRE(app.ui.selected_head >= 0);
        REQUIRE(app.ui.selected_head < static_cast<int>(heads.size()));
        int key = -1;
        heads[static_cast<std::size_t>(app.ui.selected_head)]
            .weights.row(index_of(app.state, "it"))
            .maxCoeff(&key);
        CHECK(app.state.tokens[static_cast<std::size_t>(key)] == noun);
        CHECK(head_name(app.state, app.ui.selected_layer, app.ui.selected_head) == "referent");
    };
    const auto select_elsewhere = [](App& app) {
        app.ui.selected_layer = 0;
        app.ui.selected_head = 0;
        app.ui.selected_query = 1;
        app.ui.mean_over_heads = true;
    };
    App app;
    apply_commands(app, {LoadPreset{"gqa"}});
    REQUIRE_FALSE(app.state.trained);
    select_elsewhere(app);
    apply_commands(app, {LoadPreset{"wide"}}); // what a preset button pushes
    REQUIRE(app.state.trained);
    CHECK(app.ui.selected_query == index_of(app.state, "it"));
    CHECK_FALSE(app.ui.mean_over_heads);
    looks_at(app, "street");

    select_elsewhere(app);
    CHECK(run_script(app, parse_script(R"([{"cmd": "LoadPreset", "name": "tired"}])"), "s.json").empty());
    CHECK(app.ui.selected_query == index_of(app.state, "it"));
    looks_at(app, "animal");

    // a view step after the preset picks the head it names
    CHECK(run_script(app, parse_script(R"([{"cmd": "LoadPreset", "name": "wide"},
                                      {"ui": "SelectHead", "layer": 0, "head": 1}])"),
                     "s.json")
              .empty());
    CHECK(app.ui.selected_layer == 0);
    CHECK(app.ui.selected_head == 1);
}

TEST_CASE("heatmap labels: a label that fits is kept, a long word is cut in one pass at a character") {
    test::HeadlessImGui imgui;
    ImGui::NewFrame();
    CHECK(fit_label("cat", 200.0f) == "cat");
    // issue 16: a 100,000-character word used to be re-measured after every removed character
    const std::string word(100000, 'w');
    const std::string cut = fit_label(word, 80.0f);
    CHECK(cut.size() < 40);
    CHECK(cut.substr(cut.size() - 3) == "…");
    CHECK(ImGui::CalcTextSize(cut.c_str()).x <= 80.0f);
    const std::string greek = fit_label("αβγδεζηθικλμνξοπρστυφχψω", 40.0f);
    CHECK(greek.substr(greek.size() - 3) == "…");
    CHECK(greek.size() % 2 == 1); // whole two-byte letters, then the three-byte ellipsis
    ImGui::EndFrame();
}

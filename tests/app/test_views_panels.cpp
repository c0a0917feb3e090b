// The attention views drawn in a headless ImGui frame (no window, no GPU) for several model states, plus
// mouse input simulated through ImGuiIO: a heatmap click selects the query row, a playground drag edits a
// key.
#include "app/i18n/i18n.hpp"
#include "app/io/model_files.hpp"
#include "app/panels/panel_context.hpp"
#include "app/state/views.hpp"
#include "app/ui/frame.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <string>

using namespace attn;

namespace {

using test::CountingTextures;
using test::draw_one_frame;
using test::HeadlessImGui;
using test::open_only;

const char* const k_views[] = {"Heatmap", "Arc view", "Heads grid", "Step by step", "Playground", "Q/K/V"};

Rect region(const UiState& ui, const char* name) {
    const auto it = ui.regions.find(name);
    REQUIRE_MESSAGE(it != ui.regions.end(), name);
    return it->second;
}

void apply_all(App& app, std::initializer_list<Command> cmds) {
    for (const Command& c : cmds)
        REQUIRE(apply_loading(app.state, c).message == "");
}

} // namespace

TEST_CASE("every attention view draws for several states without a window") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    draw_one_frame(app, tex);
    ModelConfig multi = app.state.config;
    multi.n_heads = 4;
    multi.n_kv_heads = 2;
    multi.n_layers = 2;
    multi.mask = MaskKind::Causal;
    multi.positions = PositionKind::Alibi;
    ModelConfig flat = app.state.config;
    flat.d_head = 2;
    struct Case {
        const char* what;
        std::vector<Command> cmds;
    };
    const std::vector<Case> cases = {
        {"the running example", {}},
        {"GQA, two layers, ALiBi, one head off", {SetConfig{multi}, ToggleHead{1, 3}}},
        {"d_head = 2", {SetConfig{flat}}},
        {"one token", {SetText{"it"}}},
        {"no tokens", {SetText{""}}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        app.state = AppState::initial();
        app.derived = Derived{}; // revisions restart with the state: force a recomputation
        for (const Command& cmd : c.cmds)
            REQUIRE(apply_loading(app.state, cmd).message == "");
        for (const char* view : k_views) {
            CAPTURE(view);
            open_only(app, view);
            for (int stage = 0; stage < k_stage_count; ++stage) {
                app.ui.views.step_stage = stage;
                app.ui.mean_over_heads = stage % 2 == 1;
                app.ui.views.contrast = stage % 3;
                draw_one_frame(app, tex);
                if (std::string(view) != "Step by step") break;
            }
            if (app.state.tokens.empty()) continue;
            const char* reg = std::string(view) == "Heatmap"        ? "heatmap"
                              : std::string(view) == "Arc view"     ? "arc"
                              : std::string(view) == "Heads grid"   ? "heads_grid"
                              : std::string(view) == "Step by step" ? "step"
                              : std::string(view) == "Playground"   ? "playground"
                                                                    : "qkv";
            if (std::string(view) == "Playground") {
                // on the live model the playground makes d_head = 2 itself when it opens; the next frame
                // draws the plane
                CHECK(head_dim(app.state.config) == 2);
                draw_one_frame(app, tex);
            }
            const Rect r = region(app.ui, reg);
            CHECK(r.w > 20);
            CHECK(r.h > 20);
        }
    }
    CHECK(tex.calls > 0);
}

TEST_CASE("clicking a heatmap row selects that query token") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    open_only(app, "Heatmap");
    draw_one_frame(app, tex);
    draw_one_frame(app, tex);
    const Rect r = region(app.ui, "heatmap");
    const float cell = r.h / static_cast<float>(app.state.n_tokens());
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(r.x + r.w * 0.5f, r.y + cell * 3.5f); // row 3
    draw_one_frame(app, tex);
    io.MouseDown[0] = true;
    draw_one_frame(app, tex);
    io.MouseDown[0] = false;
    draw_one_frame(app, tex);
    CHECK(app.ui.selected_query == 3);
}

TEST_CASE("the playground opens ready to drag: it makes d_head = 2 itself, and dragging a key edits it") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    const int before = head_dim(app.state.config);
    REQUIRE(before != 2);
    open_only(app, "Playground");
    draw_one_frame(app, tex);
    CHECK(head_dim(app.state.config) == 2);
    CHECK(app.ui.views.playground_prev_d_head == before);
    app.ui.selected_query = 7;
    draw_one_frame(app, tex);
    draw_one_frame(app, tex);
    const Rect r = region(app.ui, "playground");
    // the plane maps [-extent, extent]² to the square: find the key of token 0 on screen as the panel does
    const HeadResult& h = app.derived.forward.layers[0].heads[0];
    std::vector<RowVector> all;
    for (int t = 0; t < app.state.n_tokens(); ++t) {
        all.push_back(h.k.row(t));
        all.push_back(h.v.row(t));
        if (t == 7) all.push_back(h.q.row(t));
    }
    const float e = plane_extent(all, 1.0f);
    const float k0x = h.k(0, 0), k0y = h.k(0, 1);
    auto screen = [&](float x, float y) {
        return ImVec2(r.x + (x + e) / (2 * e) * r.w, r.y + r.h - (y + e) / (2 * e) * r.h);
    };
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = screen(k0x, k0y);
    draw_one_frame(app, tex);
    io.MouseDown[0] = true;
    draw_one_frame(app, tex);
    io.MousePos = screen(0.5f * e, 0.25f * e);
    draw_one_frame(app, tex);
    draw_one_frame(app, tex);
    io.MouseDown[0] = false;
    draw_one_frame(app, tex);
    REQUIRE(app.state.overrides.size() == 1);
    CHECK(app.state.overrides[0].kind == 'k');
    CHECK(app.state.overrides[0].token == 0);
    const HeadResult& moved = app.derived.forward.layers[0].heads[0];
    CHECK(moved.k(0, 0) == doctest::Approx(0.5f * e).epsilon(0.05));
    CHECK(moved.k(0, 1) == doctest::Approx(0.25f * e).epsilon(0.05));
}

TEST_CASE("the playground asks before changing a width chosen while it is in view") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    open_only(app, "Playground");
    draw_one_frame(app, tex);
    REQUIRE(head_dim(app.state.config) == 2);
    // the width is set back while the playground stays in view: it does not flip it to 2 again
    ModelConfig c = app.state.config;
    c.d_head = 8;
    apply_all(app, {SetConfig{c}});
    for (int i = 0; i < 3; ++i)
        draw_one_frame(app, tex);
    CHECK(head_dim(app.state.config) == 8);
    CHECK(app.ui.regions.count("playground") == 0); // the set-up button instead of the plane
    // Enter is the one-key set-up
    ImGuiIO& io = ImGui::GetIO();
    io.KeyMap[ImGuiKey_Enter] = 257; // what the GLFW backend maps
    const int enter = io.KeyMap[ImGuiKey_Enter];
    io.KeysDown[enter] = true;
    draw_one_frame(app, tex);
    io.KeysDown[enter] = false;
    draw_one_frame(app, tex);
    CHECK(head_dim(app.state.config) == 2);
}

TEST_CASE("every attention view names its model: random weights, or a trained answer and its unknown words") {
    HeadlessImGui imgui;
    CountingTextures tex;
    const char* const views[] = {"Heatmap", "Arc view", "Heads grid", "Step by step", "Q/K/V", "Flash"};
    for (const char* view : views) {
        CAPTURE(view);
        App app;
        open_only(app, view);
        app.ui.regions.clear();
        draw_one_frame(app, tex);
        CHECK(app.ui.regions.count("model_banner") == 1); // the live model: "its weights are random"
        CHECK(app.ui.regions.count("model_answer_banner") == 0);

        apply_all(app, {LoadTrainedModel{"pronoun"},
                        SetText{"The animal didn't cross the street because it was too tired"}});
        app.ui.regions.clear();
        draw_one_frame(app, tex);
        CHECK(app.ui.regions.count("model_banner") == 0);
        CHECK(app.ui.regions.count("model_answer_banner") == 1);
        CHECK(app.ui.regions.count("unknown_words_banner") == 1); // "animal" is not in its vocabulary
        REQUIRE(app.derived.token_unknown.size() == 11);
        CHECK(app.derived.token_unknown[1] == 1);
        CHECK(app.derived.token_labels[1] == "animal*");
        CHECK(app.derived.token_unknown[5] == 0);
        const int it = followed_query(app.state, app.ui);
        CHECK(model_answer_text(app.state, app.derived, it).rfind("\"it\" → ", 0) == 0);
        // each language quotes the word its own way: German „it“, not English "it"
        i18n::init();
        i18n::set_language("de");
        const std::string de_answer = model_answer_text(app.state, app.derived, it);
        i18n::set_language({});
        CHECK_MESSAGE(de_answer.rfind("„it“ → ", 0) == 0, de_answer);

        apply_all(app, {SetText{"the dog didn't cross the street because it was too tired"}});
        app.ui.regions.clear();
        draw_one_frame(app, tex);
        CHECK(app.ui.regions.count("unknown_words_banner") == 0);
        CHECK(model_answer_text(app.state, app.derived, it).find("→ dog") != std::string::npos);
    }
}

namespace {

bool overlaps(const Rect& a, const Rect& b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

std::vector<Rect> regions_starting(const UiState& ui, const std::string& prefix) {
    std::vector<Rect> out;
    for (const auto& [name, r] : ui.regions)
        if (name.compare(0, prefix.size(), prefix) == 0) out.push_back(r);
    return out;
}

} // namespace

TEST_CASE(
    "playground labels never overlap, even where keys lie on top of each other, and stay on the plane") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    // the same word again and again: keys that differ only by their position signal, close together
    for (const char* text : {"it it it it it it it it it it it it", "The animal didn't cross the street"}) {
        CAPTURE(text);
        REQUIRE(apply_loading(app.state, SetText{text}).message == "");
        open_only(app, "Playground");
        draw_frames(app, tex, 3);
        REQUIRE(head_dim(app.state.config) == 2);
        const Rect plane = region(app.ui, "playground");
        const std::vector<Rect> labels = regions_starting(app.ui, "playground_label_");
        CHECK(labels.size() >= 3); // the output, the query and at least one key
        for (std::size_t i = 0; i < labels.size(); ++i) {
            CHECK(labels[i].x >= plane.x);
            CHECK(labels[i].y >= plane.y);
            CHECK(labels[i].x + labels[i].w <= plane.x + plane.w);
            CHECK(labels[i].y + labels[i].h <= plane.y + plane.h);
            for (std::size_t j = 0; j < i; ++j)
                CHECK_FALSE(overlaps(labels[i], labels[j]));
        }
        app.ui.regions.clear();
    }
}

TEST_CASE("the heads grid's selection frame keeps clear of the K/V head label and of the caption") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    ModelConfig c = app.state.config;
    c.n_heads = 8;
    c.n_kv_heads = 2;
    c.n_layers = 2;
    REQUIRE(apply_loading(app.state, SetConfig{c}).message == "");
    app.ui.selected_layer = 0;
    app.ui.selected_head = 0;
    for (const bool presentation : {false, true}) {
        CAPTURE(presentation);
        app.ui.comfort.presentation = presentation;
        open_only(app, "Heads grid");
        draw_frames(app, tex, 3);
        const Rect frame = region(app.ui, "heads_grid_selection");
        const Rect label = region(app.ui, "heads_grid_kv_label");
        const Rect caption = region(app.ui, "heads_grid_caption");
        CHECK(frame.y >= label.y + label.h + 1.0f);
        CHECK(caption.y >= frame.y + frame.h + 1.0f);
        app.ui.regions.clear();
    }
}

TEST_CASE("the K/V heads slider writes its value beside the grab, never under it") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    ModelConfig c = app.state.config;
    c.n_heads = 8;
    for (const int kv : {8, 4, 2, 1}) {
        CAPTURE(kv);
        c.n_kv_heads = kv;
        REQUIRE(apply_loading(app.state, SetConfig{c}).message == "");
        open_only(app, "Model");
        draw_frames(app, tex, 2);
        const Rect value = region(app.ui, "model_kv_value"), grab = region(app.ui, "model_kv_grab");
        CHECK(value.w > 10.0f);
        CHECK_FALSE(overlaps(value, grab));
        app.ui.regions.clear();
    }
}

TEST_CASE("the arc view draws a selected token's lines of a long text directly, without re-rendering its "
          "texture, and keeps its columns together in a wide window") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    ModelConfig c = app.state.config;
    c.n_heads = 8;
    c.n_kv_heads = 8;
    REQUIRE(apply_loading(app.state, SetConfig{c}).message == "");
    std::string text;
    for (int i = 0; i < 200; ++i)
        text += i % 3 == 0 ? "the cat " : "sat ";
    REQUIRE(apply_loading(app.state, SetText{text}).message == "");
    REQUIRE(app.state.n_tokens() >= 200); // a line to every key: 1,600 a query, too many to draw one by one
    open_only(app, "Arc view");
    app.ui.selected_query = -1;
    draw_frames(app, tex, 3);
    const int whole_picture = tex.canvas_calls; // every query's strongest keys: drawn into a texture
    CHECK(whole_picture > 0);
    const int without_selection = ImGui::GetDrawData()->TotalVtxCount;
    // a query on screen, then one scrolled out of sight: only the lines in sight are drawn, into the window
    for (const int q : {2, 180}) {
        CAPTURE(q);
        app.ui.selected_query = q;
        draw_frames(app, tex, 2);
        CHECK(tex.canvas_calls == whole_picture);
        if (q == 2) CHECK(ImGui::GetDrawData()->TotalVtxCount > without_selection + 1000);
    }
    // the space between the columns stops growing with the window: at most 24 font sizes
    const Rect r = region(app.ui, "arc");
    CHECK(r.w <= 24.0f * ImGui::GetFontSize() + 2.0f * app.ui.long_input.arc_label_width + 40.0f);
    CHECK(r.w > 12.0f * ImGui::GetFontSize());
}

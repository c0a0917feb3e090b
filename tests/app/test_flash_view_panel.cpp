// The Flash panel drawn in a headless ImGui frame (no window, no GPU) for several model states: it must
// draw its grid and current tile where the sweep is, keep tiles within the view's limits, and restart the
// sweep when the learner edits the sentence. The trace comes from the frame loop's Flash job, so the
// frames are drawn until it has arrived.
#include "app/panels/panel_context.hpp"
#include "app/ui/frame.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>

#include <imgui.h>

#include <algorithm>
#include <string>

using namespace attn;

namespace {

using test::CountingTextures;
using test::draw_one_frame;
using test::HeadlessImGui;

bool inside(const Rect& inner, const Rect& outer) {
    return inner.x >= outer.x - 0.5f && inner.y >= outer.y - 0.5f &&
           inner.x + inner.w <= outer.x + outer.w + 0.5f && inner.y + inner.h <= outer.y + outer.h + 0.5f;
}

} // namespace

TEST_CASE("the Flash panel draws mid-sweep for several states and restarts after an edit") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    draw_one_frame(app, tex);
    test::open_only(app, "Flash");
    REQUIRE(std::find(app.ui.panel_open.begin(), app.ui.panel_open.end(), true) != app.ui.panel_open.end());

    ModelConfig gqa = app.state.config;
    gqa.n_heads = 4;
    gqa.n_kv_heads = 2;
    gqa.n_layers = 2;
    gqa.mask = MaskKind::Causal;
    gqa.positions = PositionKind::Alibi;
    ModelConfig window = app.state.config;
    window.mask = MaskKind::SlidingWindow;
    window.window = 2;
    std::string long_text;
    for (int i = 0; i < 600; ++i)
        long_text += "word" + std::to_string(i % 37) + " ";
    struct Case {
        const char* what;
        std::vector<Command> cmds;
    };
    const std::vector<Case> cases = {
        {"the running example", {}},
        {"GQA, two layers, causal, ALiBi", {SetConfig{gqa}}},
        {"sliding window of 2", {SetConfig{window}}},
        {"one token", {SetText{"it"}}},
        {"512 tokens", {SetText{long_text}}},
    };
    std::uint64_t fresh = 1000;
    for (const Case& c : cases) {
        CAPTURE(c.what);
        app.state = AppState::initial();
        for (const Command& cmd : c.cmds)
            apply(app.state, cmd);
        app.state.revision = fresh += 1000; // a fresh revision for every case, as an edit would give
        app.ui.selected_head = 3;           // clamped to the heads that exist
        app.ui.flash = FlashView{};
        app.ui.flash.requested_step = 3;
        draw_one_frame(app, tex);
        REQUIRE(test::draw_until_idle(app, tex));
        const FlashView& v = app.ui.flash;
        REQUIRE(v.has_data);
        const int n = static_cast<int>(app.state.tokens.size());
        CHECK(v.data.n_tokens == n);
        CHECK(v.block_q >= min_flash_block(n));
        CHECK(v.data.trace.steps.size() <= 64u * 64u);
        CHECK(v.player.steps_done == std::min(3, static_cast<int>(v.data.trace.steps.size())));
        REQUIRE(app.ui.regions.count("flash_grid") == 1);
        REQUIRE(app.ui.regions.count("flash_tile") == 1);
        CHECK(inside(app.ui.regions["flash_tile"], app.ui.regions["flash_grid"]));
        CHECK(v.data.max_abs_diff < 1e-4f);
    }

    // an edit of the sentence restarts the sweep
    app.state = AppState::initial();
    app.ui.flash = FlashView{};
    app.ui.flash.requested_step = 5;
    REQUIRE(test::draw_until_idle(app, tex));
    CHECK(app.ui.flash.player.steps_done == 5);
    apply(app.state, SetText{"a new sentence to sweep"});
    draw_one_frame(app, tex);
    REQUIRE(test::draw_until_idle(app, tex));
    CHECK(app.ui.flash.player.steps_done == 0);
    CHECK(app.ui.regions.count("flash_tile") == 0); // nothing processed yet: no current tile

    // no tokens: a message instead of a grid
    apply(app.state, SetText{""});
    draw_one_frame(app, tex);
    draw_one_frame(app, tex);
    CHECK(app.ui.regions.count("flash_grid") == 0);
}

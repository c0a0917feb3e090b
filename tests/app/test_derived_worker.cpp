// A large state's derived data is computed off the frame thread: the worker gives the same result as
// compute_derived(), and while it works the panels draw the previous state with its matching result, so
// an edit at hundreds of tokens never shows new tokens beside old weights.
#include "app/state/derived_worker.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

using namespace attn;
using namespace attn::test;

namespace {

// n tokens of a repeated sentence with 8 heads: large enough for the background once n is a few hundred.
AppState long_state(int n) {
    AppState s = AppState::initial();
    std::string text;
    const char* words[] = {"the", "cat", "sat", "on", "a", "mat", "because", "it", "was", "warm"};
    for (int i = 0; i < n; ++i)
        text += std::string(i ? " " : "") + words[i % 10];
    REQUIRE(apply(s, SetText{text}).changed);
    REQUIRE(apply(s, SetHeads{8, 8}).changed);
    REQUIRE(s.n_tokens() == n);
    return s;
}

} // namespace

TEST_CASE("only a large state is computed in the background") {
    CHECK_FALSE(derived_in_background(AppState::initial()));
    CHECK_FALSE(derived_in_background(long_state(200)));
    CHECK(derived_in_background(long_state(800)));
}

TEST_CASE("the worker computes what compute_derived computes, and the newest request wins") {
    const AppState a = long_state(700);
    AppState b = a;
    REQUIRE(apply(b, EditToken{350, "dog"}).changed);
    DerivedWorker w;
    w.request(a);
    w.request(b); // replaces a if a has not started yet
    CHECK(w.requested_revision() == b.revision);
    const auto t0 = std::chrono::steady_clock::now();
    std::optional<DerivedWorker::Result> last;
    while ((w.busy() || !last || last->derived.revision != b.revision) &&
           std::chrono::steady_clock::now() - t0 < std::chrono::minutes(1)) {
        if (auto r = w.take()) last = std::move(r);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (auto r = w.take()) last = std::move(r);
    REQUIRE(last);
    CHECK(last->derived.revision == b.revision);
    CHECK(last->state->tokens == b.tokens);
    const Derived direct = compute_derived(b);
    REQUIRE(last->derived.forward.layers.size() == direct.forward.layers.size());
    const Matrix& x = last->derived.forward.layers[0].heads[3].weights;
    const Matrix& y = direct.forward.layers[0].heads[3].weights;
    REQUIRE(x.rows() == 700);
    CHECK((x - y).cwiseAbs().maxCoeff() < 1e-6f);
}

TEST_CASE("an edit to a long text keeps the previous result on screen until the new one is ready") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    app.state = long_state(900);
    draw_frames(app, tex, 2); // the first result is computed in the frame: there is nothing to show before
    REQUIRE(app.derived.revision == app.state.revision);
    const std::uint64_t before = app.state.revision;
    app.ui.selected_query = 899;
    apply_commands(app, {DeleteToken{0}, DeleteToken{0}}); // 898 tokens now
    draw_frames(app, tex, 1);
    // the worker was asked during that frame; its result can arrive at the next frame's poll at the earliest
    CHECK(app.derived.revision == before);
    CHECK(shown_state(app).revision == before); // the panels draw the state of the weights shown
    CHECK(shown_state(app).n_tokens() == 900);
    CHECK(app.state.n_tokens() == 898);
    CHECK(app.ui.regions.count("recompute_note") == 1); // and say that a newer result is coming
    CHECK(app.ui.selected_query == 899);                // valid for what is shown
    CHECK(jobs_running(app.jobs.status));               // the frame loop keeps drawing until it arrives
    CHECK(draw_until_idle(app, tex));
    draw_frames(app, tex, 1);
    CHECK(app.derived.revision == app.state.revision);
    CHECK(&shown_state(app) == &app.state);
    CHECK(app.derived.forward.layers[0].heads[0].weights.rows() == 898);
    CHECK(app.ui.regions.count("recompute_note") == 0);
    CHECK(app.ui.selected_query == -1); // row 899 is gone
}

// The frame loop owns the workers (app/ui/jobs.hpp): training started with the Heatmap in front, the
// Training tab never drawn, still reaches the heatmap snapshot after snapshot; job requests from panels
// start and stop workers; the frame loop knows when something animates.
#include "app/ui/frame.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace attn;

namespace {

using test::CountingTextures;
using test::draw_one_frame;
using test::HeadlessImGui;

// Draws frames until the state shows a training snapshot other than `seen`; false after two minutes.
bool draw_until_new_snapshot(App& app, HeatmapTextureSource& tex, std::string seen) {
    const auto t0 = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - t0 < std::chrono::minutes(2)) {
        draw_one_frame(app, tex);
        const std::string& title = app.state.trained_title;
        if (app.state.trained && title.rfind("training snapshot", 0) == 0 && title != seen) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
}

float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
    REQUIRE(a.size() == b.size());
    float m = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] == a[i] && b[i] == b[i]) m = std::max(m, std::abs(a[i] - b[i])); // NaN = masked cell
    return m;
}

} // namespace

TEST_CASE("training with the Heatmap in front: the heatmap's weights change from snapshot to snapshot") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    test::show(app, "Heatmap");
    draw_one_frame(app, tex);
    const int heatmap = test::panel_index("Heatmap"), training = test::panel_index("Training");
    REQUIRE(app.ui.layout.shown[0] == heatmap);
    REQUIRE(app.ui.panel_open[static_cast<std::size_t>(training)]); // open, but a tab behind the heatmap

    TrainRequest r;
    r.task = "reversal";
    r.n_layers = 1;
    r.size = 0;
    r.steps = 400;
    r.snapshot_every = 10;
    r.eval_every = 100;
    std::vector<Command> commands;
    run_job_requests(app, {StartTraining{r}}, commands); // what the Training panel's button asks for
    CHECK(app.ui.training.message.empty());
    apply_commands(app, commands);
    CHECK(jobs_running(app.jobs.status));
    CHECK(animating(app)); // the frame loop keeps drawing while training runs

    REQUIRE(draw_until_new_snapshot(app, tex, ""));
    const std::string first = app.state.trained_title;
    // skip a few snapshots: the first ones are close to the random start
    for (int i = 0; i < 3; ++i)
        REQUIRE(draw_until_new_snapshot(app, tex, app.state.trained_title));
    const std::string before_title = app.state.trained_title;
    const Matrix before = app.derived.forward.layers.at(0).heads.at(0).weights; // (n_tokens, n_tokens)
    const std::vector<float> before_drawn = app.ui.views.heatmap.values;        // what the heatmap drew
    REQUIRE_FALSE(before_drawn.empty());
    REQUIRE(draw_until_new_snapshot(app, tex, before_title));
    draw_one_frame(app, tex); // the heatmap draws the new snapshot
    CAPTURE(first);
    CAPTURE(before_title);
    CAPTURE(app.state.trained_title);
    const Matrix& after = app.derived.forward.layers.at(0).heads.at(0).weights;
    REQUIRE(after.rows() == before.rows());
    CHECK((after - before).cwiseAbs().maxCoeff() > 1e-6f);
    CHECK(max_abs_diff(app.ui.views.heatmap.values, before_drawn) > 1e-6f);
    // all along the Training tab stayed behind: its plots were never drawn
    CHECK(app.ui.layout.shown[0] == heatmap);
    CHECK(app.ui.regions.count("training_loss_plot") == 0);

    run_job_requests(app, {ResetTraining{}}, commands);
    draw_one_frame(app, tex);
    CHECK(app.jobs.status.training.phase == TrainPhase::Idle);
    CHECK_FALSE(jobs_running(app.jobs.status));
}

TEST_CASE("job requests: a measurement starts and cancels; with nothing running nothing animates") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    draw_one_frame(app, tex);
    CHECK_FALSE(animating(app)); // idle: the frame loop may sleep until an event
    std::vector<Command> commands;
    run_job_requests(app, {StartMeasure{8192, false}}, commands);
    CHECK(app.ui.cost.measure_message.empty());
    CHECK(app.jobs.status.measure.running);
    CHECK(animating(app));
    run_job_requests(app, {CancelMeasure{}}, commands);
    app.jobs.measure.join();
    draw_one_frame(app, tex);
    CHECK(app.jobs.status.measure.cancelled);
    CHECK_FALSE(animating(app));
    CHECK(commands.empty());
    // the Flash sweep playing is an animation too
    app.ui.flash.player.playing = true;
    CHECK(animating(app));
}

TEST_CASE("a script's Measure step starts the measurement at once, with the Scaling panel never drawn") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    test::open_only(app, "Heatmap");
    CHECK(apply_ui_step(app, ui_step::Measure{128}).empty());
    CHECK(app.jobs.measure.running()); // before, it waited for the Scaling panel to be drawn
    CHECK(app.ui.cost.measure_scroll);
    REQUIRE(test::draw_until_idle(app, tex));
    CHECK(app.jobs.status.measure.finished);
    CHECK(app.jobs.status.measure.points.size() == 2u); // n = 64, 128
}

TEST_CASE("the Flash worker: the trace first, then its timings; the newest request wins") {
    const auto wait_idle = [](const FlashWorker& w) {
        for (int i = 0; i < 20000 && w.busy(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return !w.busy();
    };
    App app; // only for a forward pass of the running example
    refresh_derived(app);
    const HeadResult& h = app.derived.forward.layers.at(0).heads.at(0);
    const AttentionParams p = head_attention_params(app.state.config, 0, app.state.key_valid);
    FlashWorker w;
    CHECK_FALSE(w.busy());
    CHECK_FALSE(w.requested().has_value());
    const FlashViewKey a{app.state.revision, 0, 0, 2, 2}, b{app.state.revision, 0, 0, 3, 4};
    w.request(a, h.q, h.k, h.v, p);
    w.request(b, h.q, h.k, h.v, p);
    CHECK(w.requested() == b);
    REQUIRE(wait_idle(w));
    auto view = w.take_view();
    REQUIRE(view.has_value());
    CHECK(view->key == b); // a was replaced before it started, or finished first and was overwritten
    CHECK_FALSE(view->timed);
    CHECK(view->max_abs_diff < 1e-4f);
    CHECK_FALSE(w.take_view().has_value()); // handed out once
    const auto t = w.take_timings();
    REQUIRE(t.has_value());
    CHECK(t->key == b);
    apply_flash_timings(*view, *t);
    CHECK(view->timed);
    CHECK(view->ms_flash > 0.0);
    // timings of another key are not put into this view
    FlashViewData other = *view;
    other.timed = false;
    other.key.block_q = 5;
    apply_flash_timings(other, *t);
    CHECK_FALSE(other.timed);
}

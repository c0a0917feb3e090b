// The Training panel drawn in a headless ImGui frame: it draws for every trained preset and for the live
// model, and a finished training run's last snapshot reaches the views through ShowTrainedModel.
#include "app/panels/panel_context.hpp"
#include "app/state/train_worker.hpp"
#include "app/state/trained_model.hpp"
#include "app/ui/frame.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <chrono>
#include <string>
#include <thread>

using namespace attn;

namespace {

using test::CountingTextures;
using test::draw_one_frame;
using test::has_region;
using test::HeadlessImGui;

} // namespace

TEST_CASE("the Training panel draws every preset, and a run's snapshots reach the heatmap") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    draw_one_frame(app, tex);
    test::show(app, "Training");
    draw_one_frame(app, tex);
    CHECK(app.jobs.status.training.phase == TrainPhase::Idle); // the frame loop's worker, idle
    CHECK_FALSE(app.state.trained);
    for (const TrainedPreset& p : trained_presets()) {
        CAPTURE(p.name);
        apply_commands(app, {LoadTrainedModel{p.name}});
        refresh_derived(app);
        REQUIRE(app.state.trained);
        draw_one_frame(app, tex);
        apply_commands(app, {SetText{"words it never saw"}});
        refresh_derived(app);
        CHECK_FALSE(app.derived.trained_note.empty());
        draw_one_frame(app, tex);
    }

    TrainRequest r;
    r.task = "reversal";
    r.n_layers = 1;
    r.size = 0;
    r.steps = 60;
    r.snapshot_every = 10;
    r.eval_every = 20;
    REQUIRE(app.jobs.training.start(r).empty());
    const auto t0 = std::chrono::steady_clock::now();
    while (app.jobs.training.progress().phase != TrainPhase::Finished &&
           std::chrono::steady_clock::now() - t0 < std::chrono::seconds(120)) {
        draw_one_frame(app, tex); // the UI keeps drawing while the worker trains
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE(app.jobs.training.progress().phase == TrainPhase::Finished);
    draw_one_frame(app, tex); // hands the last snapshot over
    draw_one_frame(app, tex);
    REQUIRE(app.state.trained);
    CHECK(app.state.trained_title == "training snapshot, step 60");
    CHECK(app.state.trained->task == "reversal");
    CHECK(has_region(app.ui, "training_loss_plot"));
    CHECK(has_region(app.ui, "training_accuracy_plot"));
    CHECK(app.derived.forward.layers.size() == 1);
}

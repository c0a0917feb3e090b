// The plot widget and the cost panels drawn in a headless ImGui frame (no window, no GPU): every panel
// draws for every model preset, with and without tokens, and records its plot regions.
#include "app/panels/panel_context.hpp"
#include "app/state/measure_worker.hpp"
#include "app/ui/frame.hpp"
#include "app/widgets/plot.hpp"
#include "core/model_table.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <cfloat>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

using namespace attn;

namespace {

using test::CountingTextures;
using test::draw_one_frame;
using test::has_region;
using test::HeadlessImGui;
using test::panel_index;

} // namespace

TEST_CASE("the cost panels are registered and draw their plots headless") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    for (const char* name : {"Scaling", "KV cache", "Decoding"})
        REQUIRE_MESSAGE(panel_index(name) >= 0, name);
    // two panes: Scaling on the left, Decoding on the right, both drawn in the same frame
    test::show(app, "Scaling");
    apply_ui_step(app, ui_step::OpenPanel{"Decoding", ui_step::Side::Right});
    draw_one_frame(app, tex);
    draw_one_frame(app, tex);
    CHECK(has_region(app.ui, "scaling_flops_plot"));
    CHECK(has_region(app.ui, "decoding_plot"));
    CHECK(tex.canvas_calls >= 4); // the plots' pictures go through the texture cache (two frames, 2+ plots)
    CHECK_FALSE(has_region(app.ui, "scaling_measured_plot")); // nothing measured yet

    // a finished (tiny) measurement appears as its own plot in the Scaling panel
    CHECK_FALSE(app.jobs.measure.running()); // the frame loop owns the worker; nothing started it
    MeasureRequest req;
    req.sizes = {16, 32, 64};
    req.d_head = 8;
    REQUIRE(app.jobs.measure.start(req).empty());
    for (int i = 0; i < 2000 && app.jobs.measure.running(); ++i) {
        draw_one_frame(app, tex); // the UI keeps drawing while the worker runs
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE_FALSE(app.jobs.measure.running());
    draw_one_frame(app, tex);
    CHECK(has_region(app.ui, "scaling_measured_plot"));
}

TEST_CASE("the KV cache panel draws every preset and a loaded model; decoding copes with no tokens") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    test::show(app, "KV cache");
    apply_ui_step(app, ui_step::OpenPanel{"Decoding", ui_step::Side::Right});
    ModelSpec custom = model_table().front();
    custom.name = "my model";
    app.ui.cost.kv_custom.push_back(custom);
    for (int i = 0; i <= static_cast<int>(model_table().size()); ++i) {
        app.ui.cost.kv_model = i;
        app.ui.cost.kv_precision = i % 4;
        app.ui.cost.kv_context = 1 << (i % 18);
        draw_one_frame(app, tex);
        CHECK(app.ui.cost.kv_model == i); // a valid index is kept, not reset
    }
    // the "remove" button beside an added model takes it off the list
    app.ui.cost.kv_model = static_cast<int>(model_table().size()); // "my model"
    draw_one_frame(app, tex);
    REQUIRE(app.ui.regions.count("kv_remove") == 1);
    const Rect b = app.ui.regions.at("kv_remove");
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(b.x + b.w * 0.5f, b.y + b.h * 0.5f);
    draw_one_frame(app, tex);
    io.MouseDown[0] = true;
    draw_one_frame(app, tex);
    io.MouseDown[0] = false;
    draw_one_frame(app, tex);
    CHECK(app.ui.cost.kv_custom.empty());
    CHECK(app.ui.cost.kv_model == static_cast<int>(model_table().size()) - 1);
    draw_one_frame(app, tex);
    CHECK(app.ui.regions.count("kv_remove") == 0); // a built-in model has no remove button
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    app.ui.cost.kv_custom.push_back(custom);
    app.ui.cost.kv_model = 999; // out of range: clamped, never read out of bounds
    draw_one_frame(app, tex);
    CHECK(app.ui.cost.kv_model == static_cast<int>(model_table().size()));
    // decoding: the step is clamped to the sentence, and an empty sentence draws a hint
    app.ui.cost.decode_step = 1000;
    draw_one_frame(app, tex);
    CHECK(app.ui.cost.decode_step == static_cast<int>(app.state.tokens.size()) - 1);
    apply_commands(app, {SetText{""}});
    draw_one_frame(app, tex);
    CHECK(app.state.tokens.empty());
}

TEST_CASE("draw_plot reports the hovered point nearest the mouse") {
    HeadlessImGui imgui;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(600, 400));
    ImGui::Begin("plot");
    PlotSpec spec;
    spec.x = {1, 1000, plot::Scale::Log, plot::Units::Tokens};
    spec.y = {1, 1e6, plot::Scale::Log, plot::Units::Plain};
    spec.series.push_back({"square", {1, 10, 100, 1000}, {1, 100, 1e4, 1e6}});
    spec.show_fit = true;
    spec.series[0].fit = true;
    const PlotResult first = draw_plot("p", spec);
    ImGui::End();
    ImGui::Render();
    REQUIRE(first.max.x > first.min.x + 100);
    // move the mouse onto the third point (x = 100: two thirds across, y = 1e4: two thirds up) and redraw
    const float px = first.min.x + (first.max.x - first.min.x) * 2.0f / 3.0f;
    const float py = first.max.y - (first.max.y - first.min.y) * 2.0f / 3.0f;
    ImGui::GetIO().MousePos = ImVec2(px + 2, py - 1);
    PlotResult second;
    for (int i = 0; i < 2; ++i) { // hover state settles after one frame
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(600, 400));
        ImGui::Begin("plot");
        second = draw_plot("p", spec);
        ImGui::End();
        ImGui::Render();
    }
    CHECK(second.hovered_series == 0);
    CHECK(second.hovered_index == 2);
}

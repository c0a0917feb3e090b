// The Explanations view: Derived carries the core's attributions for every token of a trained model, the
// view draws them (and says plainly what it needs for the live model or a long text), and each disagreement
// preset opens it on its token.
#include "app/panels/panel_context.hpp"
#include "app/ui/frame.hpp"
#include "core/train/disagreements.hpp"
#include "core/train/tasks.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace attn;

namespace {

using test::CountingTextures;
using test::draw_one_frame;
using test::has_region;
using test::HeadlessImGui;

const Preset& preset_named(const std::string& name) {
    for (const Preset& p : presets())
        if (name == p.name) return p;
    FAIL("no preset " << name);
    return presets().front();
}

} // namespace

TEST_CASE("Explanations: the live model gets a plain message, a trained model the table and head bars") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    apply_commands(app, {LoadPreset{"paragraph"}});
    test::open_only(app, "Explanations");
    draw_one_frame(app, tex);
    CHECK(app.derived.explanations.empty());
    CHECK_FALSE(has_region(app.ui, "explain_table"));

    apply_commands(app, {LoadPreset{"tired"}});
    REQUIRE(app.state.trained);
    draw_one_frame(app, tex);
    draw_one_frame(app, tex);
    REQUIRE(app.derived.explanations.size() == app.state.tokens.size());
    CHECK(has_region(app.ui, "explain_table"));
    CHECK(has_region(app.ui, "explain_heads"));
    // Derived holds what the core computes for that token, with every head on.
    const std::vector<int> ids = train::encode(app.state.trained->vocab, app.state.tokens);
    const train::Explanation e = train::explain(*app.state.trained, ids, 7);
    const train::Explanation& d = app.derived.explanations[7];
    CHECK(d.answer == e.answer);
    CHECK((d.leave_one_out - e.leave_one_out).cwiseAbs().maxCoeff() < 1e-6f);
    CHECK((d.rollout - e.rollout).cwiseAbs().maxCoeff() < 1e-6f);

    // Switching a head off (layer 1, head 1: the shipped English model leans on it at "it") changes the
    // answer's probability now, and the view still explains the whole model.
    apply_commands(app, {ToggleHead{0, 0}});
    draw_one_frame(app, tex);
    CHECK(app.derived.answer_prob_now[7] < app.derived.answer_prob_all_on[7] - 0.1f);
    CHECK(app.derived.explanations[7].answer_prob == doctest::Approx(e.answer_prob));
    CHECK(has_region(app.ui, "explain_table"));

    // A text longer than the live budget: no explanations, a message instead of the table.
    std::string text;
    for (int i = 0; i <= k_explain_max_tokens; ++i)
        text += "the dog ";
    apply_commands(app, {SetText{text}});
    draw_one_frame(app, tex);
    CHECK(app.derived.explanations.empty());
    CHECK_FALSE(has_region(app.ui, "explain_table"));
}

TEST_CASE("each disagreement preset opens the Explanations view on its token") {
    HeadlessImGui imgui;
    CountingTextures tex;
    App app;
    draw_one_frame(app, tex);
    REQUIRE_FALSE(train::disagreement_examples().empty());
    for (const train::DisagreementExample& ex : train::disagreement_examples()) {
        CAPTURE(ex.name);
        test::show(app, "Heatmap"); // another view in front
        std::vector<Command> commands;
        request_preset(app.ui, commands, preset_named(ex.name));
        apply_commands(app, commands);
        draw_one_frame(app, tex);
        draw_one_frame(app, tex);
        REQUIRE(app.state.trained);
        CHECK(app.ui.selected_query == ex.position);
        CHECK(app.ui.selected_layer == app.state.config.n_layers - 1);
        CHECK(has_region(app.ui, "explain_table"));
        CHECK_FALSE(has_region(app.ui, "heatmap"));
    }
}

// Changing the app's state from outside the panels: commands applied (with their model files read), the
// derived data kept current (here or on the worker), the first screen, and scripts' commands and view steps.
#include "frame.hpp"

#include "app/i18n/i18n.hpp"
#include "app/io/model_files.hpp"
#include "app/panels/panel_context.hpp"
#include "app/state/trained_model.hpp"
#include "app/ui/lesson_runner.hpp"
#include "app/ui/workspace.hpp"
#include "app/widgets/theme.hpp"
#include "core/train/english.hpp"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

namespace attn {

// ---- commands and scripts --------------------------------------------------------------------------

namespace {
// A preset that shows a trained model on its own sentence without a view of its own ("tired", "wide"):
// loading it selects "it" and the referent head, as the first screen does, so the previous head and row do
// not stay selected on a sentence they say nothing about.
bool selects_referent(const Command& c) {
    const auto* load = std::get_if<LoadPreset>(&c);
    if (!load) return false;
    for (const auto& p : presets())
        if (load->name == p.name) return *p.trained && !*p.view;
    return false;
}
} // namespace

void apply_commands(App& app, const std::vector<Command>& commands) {
    bool referent = false;
    for (const auto& c : commands) {
        const ApplyResult r = apply_loading(app.state, c); // a model file is read here, not in apply()
        if (!r.message.empty())
            app.ui.status = r.message;
        else if (r.changed)
            app.ui.status.clear();
        referent = referent || (r.message.empty() && selects_referent(c));
    }
    if (referent && app.state.trained) select_referent_head(app);
}

void refresh_derived(App& app) {
    if (app.derived.revision == app.state.revision) return;
    if (!app.live_team) app.live_team = std::make_unique<WorkerTeam>(std::min(4, hardware_threads()));
    app.derived = compute_derived(app.state, app.live_team.get());
    app.derived_state = std::make_shared<const AppState>(app.state);
}

void update_derived(App& app) {
    if (app.derived.revision == app.state.revision) return;
    // nothing shown yet (the first frame), or a state quick to compute: here and now
    if (!app.derived_state || !derived_in_background(app.state)) {
        refresh_derived(app);
        return;
    }
    app.jobs.derived.request(app.state);
    app.jobs.status.derived_busy = true;
}

const AppState& shown_state(const App& app) {
    if (app.derived.revision == app.state.revision || !app.derived_state) return app.state;
    return *app.derived_state;
}

void select_referent_head(App& app) {
    refresh_derived(app);
    const auto link = train::annotate_pronoun(app.state.tokens);
    if (!link || app.derived.forward.layers.empty()) return;
    // The head the probes name "referent" that looks hardest from the pronoun at its noun; without one,
    // any head (another head, e.g. the agreement head, may look there harder on this one sentence).
    const auto is_referent = [&](std::size_t l, std::size_t h) {
        if (!app.state.trained_heads) return false;
        for (const HeadReport& r : *app.state.trained_heads)
            if (r.layer == static_cast<int>(l) && r.head == static_cast<int>(h))
                return r.label == HeadLabel::Referent;
        return false;
    };
    float best = -1.0f;
    bool best_referent = false;
    for (std::size_t l = 0; l < app.derived.forward.layers.size(); ++l)
        for (std::size_t h = 0; h < app.derived.forward.layers[l].heads.size(); ++h) {
            const float w = app.derived.forward.layers[l].heads[h].weights(link->pronoun, link->referent);
            const bool referent = is_referent(l, h);
            if ((referent && !best_referent) || (referent == best_referent && w > best)) {
                best = w;
                best_referent = referent;
                app.ui.selected_layer = static_cast<int>(l);
                app.ui.selected_head = static_cast<int>(h);
            }
        }
    app.ui.mean_over_heads = false;
    app.ui.selected_query = link->pronoun;
}

void show_first_screen(App& app) {
    // selects the referent head and "it" (apply_commands); when the model is missing the live model and
    // the status line say why
    apply_commands(app, {LoadPreset{"tired"}});
}

namespace {

// The first token that reads `word`, ignoring case (ASCII letters), or -1.
int find_token(const AppState& state, const std::string& word) {
    const auto same = [](const std::string& a, const std::string& b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                   return std::tolower(static_cast<unsigned char>(x)) ==
                          std::tolower(static_cast<unsigned char>(y));
               });
    };
    for (int i = 0; i < state.n_tokens(); ++i)
        if (same(state.tokens[static_cast<std::size_t>(i)], word)) return i;
    return -1;
}

std::string panel_names() {
    std::string names;
    for (const auto& p : panels())
        names += std::string(names.empty() ? "" : ", ") + p.name;
    return names;
}

} // namespace

std::vector<std::string> run_script(App& app, const Script& script, const std::string& file) {
    std::vector<std::string> out;
    for (const auto& e : script.errors)
        out.push_back(format_script_message(file, e, &i18n::tr)); // shown in the window: its language
    bool referent = false;
    for (std::size_t i = 0; i < script.commands.size(); ++i) {
        const ApplyResult r = apply_loading(app.state, script.commands[i]);
        if (!r.message.empty()) {
            const int line = i < script.command_lines.size() ? script.command_lines[i] : 0;
            out.push_back(format_script_message(file, {line, r.message}));
        }
        referent = referent || (r.message.empty() && selects_referent(script.commands[i]));
    }
    if (referent && app.state.trained) select_referent_head(app); // the view steps may pick another
    for (std::size_t i = 0; i < script.ui_steps.size(); ++i)
        if (auto e = apply_ui_step(app, script.ui_steps[i]); !e.empty()) {
            const int line = i < script.ui_step_lines.size() ? script.ui_step_lines[i] : 0;
            out.push_back(format_script_message(file, {line, e}));
        }
    if (!out.empty()) app.ui.status = out.back();
    return out;
}

namespace {
template <class... F> struct Overloaded : F... { using F::operator()...; };
template <class... F> Overloaded(F...) -> Overloaded<F...>;
} // namespace

namespace {
// Zooms the heatmap onto a cell, as the mouse wheel over it would (a script's ZoomHeatmap step).
std::string zoom_heatmap(App& app, const ui_step::ZoomHeatmap& s) {
    const int n = app.state.n_tokens();
    if (s.row >= n || s.col >= n) {
        return i18n::format(_("ZoomHeatmap: there is no cell (%d, %d) in a map of %d tokens"), s.row, s.col,
                            n);
    }
    const auto at = [n](int i) {
        return i < 0 ? 0.5f : (static_cast<float>(i) + 0.5f) / static_cast<float>(n);
    };
    center_map(app.ui.long_input.heatmap_zoom, s.zoom, at(s.col), at(s.row), max_map_zoom(n));
    return {};
}
} // namespace

std::string apply_ui_step(App& app, const ScriptUiStep& step) {
    UiState& ui = app.ui;
    ensure_layout(ui);
    using namespace ui_step;
    const auto find_panel = [&](const std::string& name, int& i) -> std::string {
        i = panel_index(name);
        return i < 0 ? i18n::format(_("no panel named \"%s\" (panels: %s)"), name.c_str(),
                                    panel_names().c_str())
                     : std::string{};
    };
    return std::visit(Overloaded{
                          [&](const OpenPanel& s) -> std::string {
                              int i = 0;
                              if (auto e = find_panel(s.name, i); !e.empty()) return e;
                              if (s.side == Side::Right) ui.layout.split = true;
                              if (s.side != Side::Keep)
                                  ui.layout.side[static_cast<std::size_t>(i)] = s.side == Side::Right ? 1 : 0;
                              show_panel(ui, i);
                              return {};
                          },
                          [&](const ClosePanel& s) -> std::string {
                              int i = 0;
                              if (auto e = find_panel(s.name, i); !e.empty()) return e;
                              ui.panel_open[static_cast<std::size_t>(i)] = false;
                              return {};
                          },
                          [&](const SplitViews& s) -> std::string {
                              set_split(ui, s.on);
                              return {};
                          },
                          [&](const FlashStep& s) -> std::string {
                              ui.flash.requested_step = s.step; // the panel clamps it to the sweep
                              return {};
                          },
                          [&](const Measure& s) -> std::string {
                              start_measure(app, s.up_to, true); // the frame loop owns the worker
                              return ui.cost.measure_message;
                          },
                          [&](const StepStage& s) -> std::string {
                              ui.views.step_stage = std::clamp(s.stage - 1, 0, k_stage_count - 1);
                              return {};
                          },
                          [&](const SetTheme& s) -> std::string {
                              ui.comfort.theme = theme_from_name(s.theme.c_str());
                              return {};
                          },
                          [&](const SetPresentation& s) -> std::string {
                              ui.comfort.presentation = s.on;
                              return {};
                          },
                          [&](const ShowHelp& s) -> std::string {
                              ui.comfort.show_help = s.on;
                              return {};
                          },
                          [&](const SelectHead& s) -> std::string {
                              if (s.layer < 0 || s.layer >= app.state.config.n_layers || s.head < 0 ||
                                  s.head >= app.state.config.n_heads)
                                  return i18n::format(_("there is no head %d in layer %d"), s.head, s.layer);
                              ui.selected_layer = s.layer;
                              ui.selected_head = s.head;
                              return {};
                          },
                          [&](const ZoomHeatmap& s) -> std::string { return zoom_heatmap(app, s); },
                          [&](const SelectQuery& s) -> std::string {
                              if (!s.word.empty()) {
                                  const int t = find_token(app.state, s.word);
                                  if (t < 0) return i18n::format(_("no token reads \"%s\""), s.word.c_str());
                                  ui.selected_query = t;
                                  return {};
                              }
                              if (s.token < -1 || s.token >= app.state.n_tokens())
                                  return i18n::format(_("there is no token %d"), s.token);
                              ui.selected_query = s.token;
                              return {};
                          },
                      },
                      step);
}

} // namespace attn

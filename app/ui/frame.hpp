// One frame of the UI, independent of any window or GPU backend: the workers are polled, derived data
// recomputed if the state changed, then the menu bar, every open panel, the Help window and file dialogs
// and keyboard shortcuts are drawn; the commands and job requests the panels made are carried out last.
#pragma once

#include "app/io/prefs.hpp"
#include "app/io/script.hpp"
#include "app/state/app_state.hpp"
#include "app/state/derived.hpp"
#include "app/ui/jobs.hpp"
#include "app/ui/ui_state.hpp"
#include "app/widgets/heatmap.hpp"

#include <memory>
#include <string>
#include <vector>

namespace attn {

// Everything the frame loop owns: the three kinds of state (DESIGN.md §3) and the background jobs.
struct App {
    AppState state = AppState::initial();
    Derived derived;
    // The state `derived` was computed from. Behind `state` while a large state is computed in the
    // background (update_derived): the panels then draw this one, so what they show always matches.
    std::shared_ptr<const AppState> derived_state;
    UiState ui;
    Jobs jobs;
    // Threads for the forward passes refresh_derived() runs on this thread: kept from pass to pass, so a
    // 64-token pass uses both cores of a laptop without paying for starting threads each time.
    std::unique_ptr<WorkerTeam> live_team;
};

// Call between ImGui::NewFrame() and ImGui::Render(): poll_jobs(), refresh_derived(), the panels, then
// their commands and job requests.
void draw_frame(App& app, HeatmapTextureSource& textures);
// True while something on screen moves without input: a job running, the Flash sweep or the decoding
// animation playing, a PNG export waiting for its frame. The frame loop draws continuously then, and
// otherwise sleeps until an event.
bool animating(const App& app);
// Applies commands in order; returns the last message worth showing.
void apply_commands(App& app, const std::vector<Command>& commands);
// Recomputes derived data when the state revision moved, on this thread.
void refresh_derived(App& app);
// What draw_frame does instead: the same for a small state; a large one (derived_in_background) is sent to
// the background worker while the previous result stays on screen with a note.
void update_derived(App& app);
// The state the panels draw: app.state, or while its derived data is being computed, the one that matches
// what is on screen.
const AppState& shown_state(const App& app);
// Selects "it" and the head (any layer) that puts the most weight from "it" on the noun it means, when the
// sentence has a pronoun the English corpus can resolve.
void select_referent_head(App& app);
// What a new user sees: the trained English model on the running example, its referent head, "it" selected.
void show_first_screen(App& app);

// Runs a parsed --script: its commands through apply(), then its view steps. Returns one line per
// problem ("FILE:LINE: message"), parse errors first, in file order within each kind.
std::vector<std::string> run_script(App& app, const Script& script, const std::string& file);
// A view step from a script (open a panel, pick a theme, ...); returns a message when it cannot be done.
std::string apply_ui_step(App& app, const ScriptUiStep& step);

// Preferences <-> UiState (theme, text size, open panels by name).
Prefs prefs_from_ui(const UiState& ui);
void apply_prefs(UiState& ui, const Prefs& prefs);

} // namespace attn

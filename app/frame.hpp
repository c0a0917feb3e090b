// One frame of the UI, independent of any window or GPU backend: menu bar, every open panel, then the
// commands the panels asked for are applied and derived data recomputed if the state changed.
#pragma once

#include "app/state/app_state.hpp"
#include "app/state/derived.hpp"
#include "app/ui_state.hpp"
#include "app/widgets/heatmap.hpp"

namespace attn {

struct App {
    AppState state = AppState::initial();
    Derived derived;
    UiState ui;
};

// Call between ImGui::NewFrame() and ImGui::Render().
void draw_frame(App& app, HeatmapTextureSource& textures);
// Applies commands in order; returns the last message worth showing.
void apply_commands(App& app, const std::vector<Command>& commands);
// Recomputes derived data when the state revision moved.
void refresh_derived(App& app);

} // namespace attn

// The window layout: a sidebar on the left with the inputs (Tokens above Model), and the views area on the
// right: one pane of tabs, or two panes side by side. Panels never overlap, and only the view in front in
// each pane is drawn, so a frame with every panel open costs what the views being looked at cost.
#pragma once

#include "app/panels/panel_context.hpp"

#include <imgui.h>

namespace attn {

// Makes panel_open and layout.side match panels(), filling in the defaults the first time.
void ensure_layout(UiState& ui);

// Opens panel `index`; a view also comes to the front of its pane. What the View menu, scripts,
// --open-panel and PNG export of one panel use.
void show_panel(UiState& ui, int index);

// The pane a view is drawn in: 0, or 1 when the views are split and it was put in the second pane.
int pane_of(const UiState& ui, int index);

// Turns the two-pane split on or off. Turning it on with nothing in the second pane moves the first open
// view that is not in front there, so both panes show something.
void set_split(UiState& ui, bool on);

// Draws the sidebar, the panes and the splitters between them into the work area (below the menu bar).
void draw_workspace(PanelContext& ctx, ImVec2 pos, ImVec2 size);

} // namespace attn

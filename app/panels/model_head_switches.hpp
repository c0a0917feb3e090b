// The Model panel's per-head switches: a grid of query heads to switch off, and for a trained model the
// answer at the selected position with every head on against its probability now. Only model_panel.cpp
// calls it; whole panels are listed in panel_registry.cpp.
#pragma once

#include "panel_context.hpp"

namespace attn {

void draw_head_switches(PanelContext& ctx, const ModelConfig& c, bool compact);

} // namespace attn

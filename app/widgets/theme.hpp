// Themes: dark (the default), light (bright rooms), high contrast (projectors; presentation mode).
#pragma once

#include "app/ui/ui_state.hpp"

namespace attn {

// Resets ImGui's style to the theme and scales its sizes for the monitor's content scale.
void apply_theme(Theme theme, float size_scale);
const char* theme_name(Theme t);         // "dark", "light", "contrast" (as in prefs and scripts)
Theme theme_from_name(const char* name); // unknown names give Dark

} // namespace attn

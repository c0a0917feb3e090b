// Themes: dark (the default), light (bright rooms), high contrast (projectors; presentation mode), and the
// text colours with a meaning (warning, error, highlight) chosen per theme so every one of them reads at
// the WCAG 2 contrast ratio of at least 4.5:1 against the theme's backgrounds.
#pragma once

#include "app/ui/ui_state.hpp"

#include <imgui.h>

namespace attn {

// Resets ImGui's style to the theme and scales its sizes for the monitor's content scale.
void apply_theme(Theme theme, float size_scale);
const char* theme_name(Theme t);         // "dark", "light", "contrast" (as in prefs and scripts)
Theme theme_from_name(const char* name); // unknown names give Dark

// The ImGui style of a theme, before size scaling (what apply_theme writes).
ImGuiStyle theme_style(Theme theme);

// Text colours that carry a meaning. Panels take them from here, never from a fixed RGB, so a colour
// that glows on black does not vanish on white.
struct TextTones {
    ImVec4 accent;  // the one thing to look at: "this model", "now", "your sentence"
    ImVec4 warning; // advice: "trained for at most 4096 tokens", "head switched off"
    ImVec4 error;   // something was refused
    ImVec4 good;    // done, equal, passed
};
TextTones text_tones_of(Theme theme);
const TextTones& text_tones(); // of the theme last applied (Dark before any)
inline ImU32 tone_u32(const ImVec4& c, float alpha = 1.0f) {
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.x, c.y, c.z, c.w * alpha));
}

// WCAG 2.x: relative luminance of an sRGB colour, and the contrast ratio (L1 + 0.05) / (L2 + 0.05) of
// two opaque colours (1 to 21). A translucent colour is first laid over `under`.
double relative_luminance(const ImVec4& c);
ImVec4 over(const ImVec4& c, const ImVec4& under);
double contrast_ratio(const ImVec4& a, const ImVec4& b);

} // namespace attn

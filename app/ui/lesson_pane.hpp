// The lesson pane: the page's text (headings, paragraphs, bold, lists, formulas) in the lesson fonts, the
// "try it" tasks with their ✓ and hints, the page counter and the buttons to turn pages. Drawn by the
// workspace beside the views while a lesson runs; it asks for pages through ui.lesson, never applies them.
#pragma once

#include "app/panels/panel_context.hpp"

#include <imgui.h>

namespace attn {

void draw_lesson_pane(PanelContext& ctx, ImVec2 pos, ImVec2 size);

// A window listing a lesson's errors (ui.lesson.open_error) until it is closed; the app carries on.
void draw_lesson_error_window(UiState& ui);

} // namespace attn

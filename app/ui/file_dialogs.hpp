// The File menu's dialogs: open and save a session, export the view as PNG or the weights as CSV. Each is
// a modal popup with a path; a refusal is shown inside it and nothing changes.
#pragma once

#include "app/ui/frame.hpp"

namespace attn {

// Draws the dialog UiState::comfort.dialog asks for, if any, and runs its action.
void draw_file_dialog(App& app);

} // namespace attn

// Sessions: the whole AppState (tokens, model settings, padding, head switches, the trained model shown)
// and the selected view as JSON with a format version. Loading is all or nothing: a broken file, or one
// written by a newer version, gives a readable message and changes nothing.
#pragma once

#include "app/io/json_util.hpp"
#include "app/state/app_state.hpp"

#include <string>

namespace attn {

// Version 2 adds "trained" (the trained model shown); it is written only when there is one, so sessions
// without one stay readable by version 1.
inline constexpr int k_session_version = 2;
inline constexpr const char* k_session_format = "attention-lab-session";

// What the learner was looking at (a plain copy of a few UiState fields; attn_io has no ImGui).
struct SessionView {
    int layer = 0;
    int head = 0;
    int query = -1;
};

struct Session {
    AppState state;
    SessionView view;
};

// `trained_file` names the .atlm file holding a trained model that has no source of its own (a Training
// snapshot); save_session writes it.
std::string session_to_json(const AppState& state, const SessionView& view,
                            const std::string& trained_file = {});
// The state is rebuilt through apply(), so everything in it passed the same checks as a panel edit. A
// trained model named by a relative path is looked for in `base_dir` (the session file's folder).
Parsed<Session> session_from_json(const std::string& text, const std::string& base_dir = {});

// Writes to a temporary file and renames it, so a failed save never leaves half a session behind. A
// trained model from the Training panel is written beside it as NAME.atlm (NAME.json's stem).
// Empty on success, otherwise why nothing was saved (shown translated in the window).
Message save_session(const std::string& path, const AppState& state, const SessionView& view);
Parsed<Session> load_session(const std::string& path);

} // namespace attn

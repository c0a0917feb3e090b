// Sessions: the whole AppState (tokens, model settings, padding, head switches) and the selected view as
// JSON with a format version. Loading is all or nothing: a broken file, or one written by a newer version,
// gives a readable message and changes nothing.
#pragma once

#include "app/io/json_util.hpp"
#include "app/state/app_state.hpp"

#include <string>

namespace attn {

inline constexpr int k_session_version = 1;
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

std::string session_to_json(const AppState& state, const SessionView& view);
// The state is rebuilt through apply(), so everything in it passed the same checks as a panel edit.
Parsed<Session> session_from_json(const std::string& text);

// Writes to a temporary file and renames it, so a failed save never leaves half a session behind.
std::string save_session(const std::string& path, const AppState& state, const SessionView& view); // "" = ok
Parsed<Session> load_session(const std::string& path);

} // namespace attn

// What the app keeps between runs, saved so that nothing a user does is lost: the window layout (ImGui's
// settings, taken over from ImGui so they go through safe_write_file), preferences saved when they change,
// and a failed save shown on the status line. main() makes one call per frame into this file.
#pragma once

#include "app/frame.hpp"

#include <chrono>
#include <string>

namespace attn {

struct Persistence {
    std::string ini_path;   // the ImGui layout; empty = not kept (screenshots, benchmarks)
    std::string prefs_path; // prefs.json; empty = not kept
    Prefs saved_prefs;      // what prefs.json holds now
    std::chrono::steady_clock::time_point next_prefs_check{};
    std::string last_error; // the last save that failed (repeated failures are shown once)
};

// Reads the layout and the preferences (call after ImGui::CreateContext, before the first frame). Problems
// with either file are shown on the status line and the defaults are used.
void persist_start(Persistence& p, App& app);
// Once per frame, after Render: saves the layout when ImGui asks, the preferences when they changed.
void persist_frame(Persistence& p, App& app);
// Opens a saved session as File > Open does (the state replaced whole, the view restored). On failure
// nothing changes and the message is returned ("" = opened).
std::string open_session_file(App& app, const std::string& path);

// At exit: saves what changed; returns the messages of saves that failed (for stderr, the window is gone).
std::string persist_exit(Persistence& p, App& app);

} // namespace attn

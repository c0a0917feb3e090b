// What the app keeps between runs, saved so that nothing a user does is lost: the window layout (ImGui's
// settings, taken over from ImGui so they go through safe_write_file), preferences saved when they change,
// the session autosaved every 30 s while it has unsaved changes and at exit, and an offer to restore it
// after a crash. A failed save is shown on the status line. main() makes one call per frame into here.
#pragma once

#include "app/ui/frame.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace attn {

inline constexpr std::chrono::seconds k_autosave_every{30};

struct Persistence {
    std::string ini_path;     // the ImGui layout; empty = not kept (screenshots, benchmarks)
    std::string prefs_path;   // prefs.json; empty = not kept
    std::string autosave_dir; // state_dir(): autosave.json and the "running" marker; empty = no autosave
    Prefs saved_prefs;        // what prefs.json holds now
    std::chrono::steady_clock::time_point next_prefs_check{};
    std::chrono::steady_clock::time_point next_autosave{};
    std::uint64_t autosaved_revision = 0; // the AppState revision autosave.json holds
    bool offer_restore = false;           // the last run did not exit normally and left an autosave
    std::string last_error;               // the last save that failed (repeated failures are shown once)

    Persistence() = default;
    ~Persistence(); // the terminate handler forgets it
    Persistence(const Persistence&) = delete;
    Persistence& operator=(const Persistence&) = delete;

    std::string autosave_path() const { return autosave_dir.empty() ? "" : autosave_dir + "/autosave.json"; }
    std::string marker_path() const { return autosave_dir.empty() ? "" : autosave_dir + "/running"; }
};

// $XDG_STATE_HOME/attention-lab, else $HOME/.local/state/attention-lab; empty when neither is set.
std::string state_dir();

// Reads the layout and the preferences (call after ImGui::CreateContext, before the first frame). Problems
// with either file are shown on the status line and the defaults are used. Notices a crash of the last run
// (its "running" marker is still there) and marks this run as running.
void persist_start(Persistence& p, App& app);
// Once per frame, after draw_frame and before ImGui::Render: draws the restore offer when there is one,
// saves the layout when ImGui asks, the preferences when they changed and the session every 30 s.
void persist_frame(Persistence& p, App& app);
// Saves the session to autosave.json now, whatever the revision ("" = saved). persist_start installs it as
// the std::terminate handler's last act, so an uncaught exception still keeps the user's work (the running
// marker stays, and the next start offers to restore).
std::string emergency_save(Persistence& p, const App& app);

// Replaces the state with the autosaved session (the restore offer's button). "" on success.
std::string restore_autosave(Persistence& p, App& app);
// Opens a saved session as File > Open does (the state replaced whole, the view restored). On failure
// nothing changes and the message is returned ("" = opened).
std::string open_session_file(App& app, const std::string& path);

// At exit: saves what changed (layout, preferences, the session to autosave.json) and removes the running
// marker; returns the messages of saves that failed (for stderr, the window is gone).
std::string persist_exit(Persistence& p, App& app);

} // namespace attn

// What happens between the command line and the first frame: subcommands (compute, train) that run
// without a window, --help / --version, checking --open-panel names and loading --script, then setting up
// the App (preferences, panels, the script's commands and view steps).
#pragma once

#include "app/cli/cli_options.hpp"
#include "app/io/lesson.hpp"
#include "app/io/script.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attn {

struct App;
struct Persistence;

struct Startup {
    CliOptions opt;
    std::vector<int> open_panels; // indices into panels(), the last one in front
    Script script;
    std::shared_ptr<const Lesson> lesson; // --lesson, read (a built-in name or a file); may hold errors
    std::string lesson_file;              // its name for messages
    bool persist = true;    // reads and writes preferences and the window layout (not for pictures)
    std::string cfg_dir;    // where they live; empty when !persist
    std::string ini_path;   // ImGui's window layout
    std::string prefs_path; // prefs.json
};

// Runs `compute` / `train` when argv names one, and handles options that end the program before a window
// opens (bad options, --help, --version, unknown panels, unreadable scripts). Returns the exit code then;
// nullopt when the app should open its window.
std::optional<int> handle_command_line(int argc, char** argv, Startup& out);

// Prepares the App before the first frame: content scale, the kept layout and preferences (persist.hpp),
// a session named on the command line, the panels it names, every panel for --bench-frames, then the first
// screen (no script, session or benchmark) or the script. Messages go to stderr.
void start_app(App& app, const Startup& s, float content_scale, Persistence& persistence);

// At exit: saves what changed (layout, preferences, the autosaved session); messages go to stderr.
void finish_app(App& app, Persistence& persistence);

} // namespace attn

// What happens between the command line and the first frame: subcommands (compute, train) that run
// without a window, --help / --version, checking --open-panel names and loading --script, then setting up
// the App (preferences, panels, the script's commands and view steps).
#pragma once

#include "app/cli/cli_options.hpp"
#include "app/io/script.hpp"

#include <optional>
#include <string>
#include <vector>

namespace attn {

struct App;

struct Startup {
    CliOptions opt;
    std::vector<int> open_panels; // indices into panels(), the last one in front
    Script script;
    bool persist = true;    // reads and writes preferences and the window layout (not for pictures)
    std::string cfg_dir;    // where they live; empty when !persist
    std::string ini_path;   // ImGui's window layout
    std::string prefs_path; // prefs.json
};

// Runs `compute` / `train` when argv names one, and handles options that end the program before a window
// opens (bad options, --help, --version, unknown panels, unreadable scripts). Returns the exit code then;
// nullopt when the app should open its window.
std::optional<int> handle_command_line(int argc, char** argv, Startup& out);

// Prepares the App before the first frame: content scale, preferences, the panels named on the command
// line, every panel for --bench-frames, the script. Messages go to stderr.
void start_app(App& app, const Startup& s, float content_scale);

// Saves the preferences at exit (when the run persists them).
void finish_app(const App& app, const Startup& s);

} // namespace attn

// Command-line options of the attention-lab window (subcommands such as `compute` are dispatched first).
#pragma once

#include <string>
#include <vector>

namespace attn {

struct CliOptions {
    bool help = false;
    bool version = false;
    std::string screenshot; // write the final frame here and exit
    int frames = 5;         // frames to render before the screenshot
    int width = 1280, height = 800;
    float scale = 0.0f; // --scale S: content scale (2 = a 2x HiDPI monitor) instead of the monitor's; 0 = its
    std::string regions_out;              // JSON of named screen regions of the final frame (for GUI tests)
    std::vector<std::string> open_panels; // --open-panel NAME (repeatable): panels to open at start
    int flash_step = -1;                  // --flash-step N: the Flash panel starts N tiles into its sweep
    std::string script;                   // --script FILE: JSON list of commands applied at start-up
    std::string lesson;                   // --lesson FILE: a lesson (Markdown) started after the script
    int lesson_page = 1;                  // --lesson-page N: the page it starts at (1-based)
    bool lesson_all_pages = false;        // --lesson-page all, with --screenshot: one picture per page
    int bench_frames = 0; // --bench-frames N: render N frames with every panel open, print frame times, exit
    std::string session;  // FILE.json given without an option (as a file manager passes it): opened at start
    std::string error;    // non-empty when the command line is invalid
};

CliOptions parse_cli(int argc, const char* const* argv);
const char* cli_usage();

} // namespace attn

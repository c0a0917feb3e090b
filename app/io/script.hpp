// --script FILE: a JSON list of the same commands the panels push, e.g.
//   [ {"cmd": "SetText", "text": "The cat sat"}, {"cmd": "SetHeads", "n_heads": 8, "n_kv_heads": 2} ]
// plus a few view steps ({"ui": "OpenPanel", "name": "Model"}) for scripted screenshots. Every entry is
// parsed on its own: an unknown command or a bad value is reported with its line and the rest still runs.
#pragma once

#include "app/state/app_state.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace attn {

// A view-only step (UiState, not AppState): kind is OpenPanel, ClosePanel, SetTheme, SetPresentation,
// SelectHead, SelectQuery, ShowHelp, SplitViews, FlashStep, StepStage or Measure.
struct ScriptUiStep {
    std::string kind;
    std::string name; // OpenPanel/ClosePanel: panel name; SetTheme: dark, light or contrast
    int a = 0, b = 0; // SelectHead: layer, head; SelectQuery: token; OpenPanel: side (0 keep,
                      // 1 left, 2 right); FlashStep: tiles done in the Flash panel's sweep;
                      // StepStage: the Step by step panel's stage, 1-based as shown;
                      // Measure: the Scaling panel times naive vs flash up to n = a
    bool on = true;   // SetPresentation, ShowHelp, SplitViews
};

struct ScriptMessage {
    int line = 0; // 1-based line of the entry in the file; 0 = the file as a whole
    std::string text;
};

struct Script {
    std::vector<Command> commands;
    std::vector<int> command_lines; // (commands) line of each command, for messages from apply()
    std::vector<ScriptUiStep> ui_steps;
    std::vector<ScriptMessage> errors;
};

Script parse_script(std::string_view text);
Script load_script(const std::string& path); // unreadable file: one error with line 0

// "FILE:LINE: message" (or "FILE: message" for line 0).
std::string format_script_message(const std::string& file, const ScriptMessage& m);

// The command names a script accepts, for help text and error messages.
std::vector<std::string> script_command_names();

} // namespace attn

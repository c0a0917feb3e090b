// --script FILE: a JSON list of the same commands the panels push, e.g.
//   [ {"cmd": "SetText", "text": "The cat sat"}, {"cmd": "SetHeads", "n_heads": 8, "n_kv_heads": 2} ]
// plus a few view steps ({"ui": "OpenPanel", "name": "Model"}) for scripted screenshots. Every entry is
// parsed on its own: an unknown command or a bad value is reported with its line and the rest still runs.
#pragma once

#include "app/state/app_state.hpp"
#include "core/message.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace attn {

// View-only steps (UiState, not AppState), typed like commands: {"ui": "SelectHead", "layer": 0, "head": 1}
// becomes ui_step::SelectHead{0, 1}. Values are range-checked when parsed where the range is fixed;
// what depends on the state (a head that exists) is checked when the step is applied.
namespace ui_step {
enum class Side { Keep, Left, Right };
struct OpenPanel {
    std::string name; // as in the View menu
    Side side = Side::Keep;
};
struct ClosePanel {
    std::string name;
};
struct SetTheme {
    std::string theme; // dark, light or contrast
};
struct SetPresentation {
    bool on = true;
};
struct ShowHelp {
    bool on = true;
};
struct SplitViews {
    bool on = true;
};
struct SelectHead {
    int layer = 0, head = 0;
};
struct SelectQuery {
    int token = -1;
    std::string word; // when set: the first token that reads this word (any case), found when applied
};
struct FlashStep {
    int step = 0; // tiles done in the Flash panel's sweep
};
struct StepStage {
    int stage = 1; // the Step by step panel's stage, 1-based as shown
};
struct Measure {
    int up_to = 2048; // the Scaling panel times naive vs flash up to this n
};
struct ZoomHeatmap {
    float zoom = 1.0f;      // 1 = the whole map
    int row = -1, col = -1; // the cell to centre on; -1 = the middle
};
} // namespace ui_step

using ScriptUiStep =
    std::variant<ui_step::OpenPanel, ui_step::ClosePanel, ui_step::SetTheme, ui_step::SetPresentation,
                 ui_step::ShowHelp, ui_step::SplitViews, ui_step::SelectHead, ui_step::SelectQuery,
                 ui_step::FlashStep, ui_step::StepStage, ui_step::Measure, ui_step::ZoomHeatmap>;

// A problem of a script or lesson file. `message` is what the window shows, translated (i18n::text);
// `text` is the same in English, for the command line.
struct ScriptMessage {
    int line = 0; // 1-based line of the entry in the file; 0 = the file as a whole
    std::string text;
    Message message;

    ScriptMessage() = default;
    ScriptMessage(int at, Message m) : line(at), text(english(m)), message(std::move(m)) {}
    // A text shown as it is in every language (e.g. apply()'s message, already in the interface's language)
    ScriptMessage(int at, std::string shown) : ScriptMessage(at, verbatim(std::move(shown))) {}
};

struct Script {
    std::vector<Command> commands;
    std::vector<int> command_lines; // (commands) line of each command, for messages from apply()
    std::vector<ScriptUiStep> ui_steps;
    std::vector<int> ui_step_lines; // (ui_steps) line of each view step
    std::vector<ScriptMessage> errors;
};

Script parse_script(std::string_view text);
Script load_script(const std::string& path); // unreadable file: one error with line 0
// One entry (a JSON object as text, starting at `line`) parsed as parse_script parses each list entry:
// its command or view step, or an error, is appended to `out`. Lesson files (lesson.hpp) use it too.
void parse_script_entry(std::string_view entry, int line, Script& out);

// "FILE:LINE: message" (or "FILE: message" for line 0): in English, or with `translate` (i18n::tr) in the
// interface's language.
std::string format_script_message(const std::string& file, const ScriptMessage& m,
                                  Translate translate = nullptr);

// The command names a script accepts, for help text and error messages.
std::vector<std::string> script_command_names();
std::vector<std::string> script_ui_step_names(); // the view steps ("OpenPanel", "SelectQuery", ...)

} // namespace attn

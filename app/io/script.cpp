// parse_script(): splits the top-level JSON list by hand (tracking strings, comments and nesting, so each
// entry's line is known), then parses every entry on its own with nlohmann_json. To add a command, add a
// row to command_table() (script_commands.cpp).
#include "script.hpp"

#include "app/state/views.hpp"

#include "script_commands.hpp"
#include "state_json.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

namespace attn {

using io::json;

namespace {

using io::command_fields;
using io::command_table;

const std::map<std::string, std::vector<std::string_view>>& ui_step_fields() {
    static const std::map<std::string, std::vector<std::string_view>> fields = {
        {"OpenPanel", {"name", "side"}},
        {"ClosePanel", {"name"}},
        {"SetTheme", {"theme"}},
        {"SetPresentation", {"on"}},
        {"SelectHead", {"layer", "head"}},
        {"SelectQuery", {"token", "word"}},
        {"ShowHelp", {"on"}},
        {"SplitViews", {"on"}},
        {"FlashStep", {"step"}},
        {"StepStage", {"stage"}},
        {"Measure", {"up_to"}},
        {"ZoomHeatmap", {"zoom", "row", "col"}},
    };
    return fields;
}

// Empty when every key of the entry is one the command (or view step) takes.
Message check_entry_keys(const json& j, const char* tag, const std::string& name,
                         const std::map<std::string, std::vector<std::string_view>>& table) {
    const auto it = table.find(name);
    if (it == table.end()) return {}; // an unknown name is reported by the caller
    std::vector<std::string_view> known = it->second;
    known.insert(known.begin(), tag);
    return io::check_keys(j, known, name);
}

const std::vector<std::string>& ui_step_names() {
    static const std::vector<std::string> names = {"OpenPanel",  "ClosePanel",  "SetTheme", "SetPresentation",
                                                   "SelectHead", "SelectQuery", "ShowHelp", "SplitViews",
                                                   "FlashStep",  "StepStage",   "Measure",  "ZoomHeatmap"};
    return names;
}

Message parse_ui_step(const json& j, const std::string& kind, ScriptUiStep& out) {
    const std::string w = kind;
    using namespace ui_step;
    if (kind == "OpenPanel") {
        OpenPanel step;
        if (auto e = io::read_string(j, "name", step.name, w); !e.empty()) return e;
        if (j.contains("side")) {
            int side = 0;
            if (auto e = io::read_int(j, "side", side, w); !e.empty()) return e;
            if (side != 1 && side != 2)
                return message(N_("OpenPanel: side must be 1 (left pane) or 2 (right pane)"));
            step.side = side == 1 ? Side::Left : Side::Right;
        }
        out = step;
        return {};
    }
    if (kind == "ClosePanel") {
        ClosePanel step;
        if (auto e = io::read_string(j, "name", step.name, w); !e.empty()) return e;
        out = step;
        return {};
    }
    if (kind == "SetTheme") {
        SetTheme step;
        if (auto e = io::read_string(j, "theme", step.theme, w); !e.empty()) return e;
        if (step.theme != "dark" && step.theme != "light" && step.theme != "contrast")
            return message(N_("Unknown theme \"%s\" (dark, light or contrast)"), step.theme);
        out = step;
        return {};
    }
    if (kind == "SetPresentation" || kind == "ShowHelp" || kind == "SplitViews") {
        bool on = true;
        if (auto e = io::read_bool(j, "on", on, w); !e.empty()) return e;
        if (kind == "SetPresentation")
            out = SetPresentation{on};
        else if (kind == "ShowHelp")
            out = ShowHelp{on};
        else
            out = SplitViews{on};
        return {};
    }
    if (kind == "SelectHead") {
        SelectHead step;
        if (auto e = io::read_int(j, "layer", step.layer, w); !e.empty()) return e;
        if (auto e = io::read_int(j, "head", step.head, w); !e.empty()) return e;
        out = step;
        return {};
    }
    if (kind == "SelectQuery") {
        SelectQuery step;
        if (j.contains("word") == j.contains("token"))
            return message(
                N_("SelectQuery needs either \"token\" (its number, from 0) or \"word\" (its text)"));
        if (j.contains("word")) {
            if (auto e = io::read_string(j, "word", step.word, w); !e.empty()) return e;
            if (step.word.empty()) return message(N_("SelectQuery: \"word\" is empty"));
        } else if (auto e = io::read_int(j, "token", step.token, w); !e.empty())
            return e;
        out = step;
        return {};
    }
    if (kind == "FlashStep") {
        FlashStep step;
        if (auto e = io::read_int(j, "step", step.step, w); !e.empty()) return e;
        if (step.step < 0) return message(N_("FlashStep: step must be 0 or more"));
        out = step;
        return {};
    }
    if (kind == "Measure") {
        Measure step;
        if (j.contains("up_to"))
            if (auto e = io::read_int(j, "up_to", step.up_to, w); !e.empty()) return e;
        if (step.up_to < 64 || step.up_to > 16384)
            return message(N_("Measure: up_to must be between 64 and 16384"));
        out = step;
        return {};
    }
    if (kind == "StepStage") {
        StepStage step;
        if (auto e = io::read_int(j, "stage", step.stage, w); !e.empty()) return e;
        if (step.stage < 1 || step.stage > k_stage_count)
            return message(N_("StepStage: stage must be 1 to %s"), k_stage_count);
        out = step;
        return {};
    }
    if (kind == "ZoomHeatmap") {
        ZoomHeatmap step;
        if (auto e = io::read_float(j, "zoom", step.zoom, w); !e.empty()) return e;
        if (!(step.zoom >= 1.0f && step.zoom <= 1024.0f))
            return message(N_("ZoomHeatmap: zoom must be between 1 and 1024"));
        for (const auto& [field, value] : {std::pair{"row", &step.row}, std::pair{"col", &step.col}})
            if (j.contains(field)) {
                if (auto e = io::read_int(j, field, *value, w); !e.empty()) return e;
                if (*value < 0) return message(N_("ZoomHeatmap: %s must be 0 or more"), field);
            }
        out = step;
        return {};
    }
    std::string names;
    for (const auto& n : ui_step_names())
        names += (names.empty() ? "" : ", ") + n;
    return message(N_("Unknown view step \"%s\" (known: %s)"), kind, names);
}

// One top-level entry of the list: its text and where it starts.
struct Entry {
    std::size_t begin = 0, end = 0;
    int line = 1;
};

int line_at(std::string_view text, std::size_t pos) {
    return 1 +
           static_cast<int>(std::count(
               text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(pos, text.size())), '\n'));
}

// Skips whitespace and // or /* */ comments from pos.
std::size_t skip_blank(std::string_view t, std::size_t pos) {
    while (pos < t.size()) {
        const char c = t[pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            ++pos;
        } else if (c == '/' && pos + 1 < t.size() && t[pos + 1] == '/') {
            while (pos < t.size() && t[pos] != '\n')
                ++pos;
        } else if (c == '/' && pos + 1 < t.size() && t[pos + 1] == '*') {
            const auto close = t.find("*/", pos + 2);
            pos = close == std::string_view::npos ? t.size() : close + 2;
        } else {
            break;
        }
    }
    return pos;
}

// Splits "[ a, b, c ]" into entries; returns an error message for a list that is not closed, a stray
// closing bracket or text after the list, and sets err_pos to where that was found.
Message split_list(std::string_view t, std::vector<Entry>& out, std::size_t& err_pos) {
    err_pos = t.size();
    std::size_t pos = skip_blank(t, 0);
    if (pos >= t.size())
        return message(N_("the script is empty; it should be a JSON list: [ {\"cmd\": ...}, ... ]"));
    if (t[pos] != '[') return message(N_("a script is a JSON list of commands and must start with '['"));
    ++pos;
    while (true) {
        pos = skip_blank(t, pos);
        if (pos >= t.size()) return message(N_("the list is not closed with ']'"));
        if (t[pos] == ']') {
            const std::size_t after = skip_blank(t, pos + 1);
            if (after >= t.size()) return {};
            err_pos = after;
            return message(N_("there is text after the list's closing ']'"));
        }
        Entry e;
        e.begin = pos;
        e.line = line_at(t, pos);
        int depth = 0;
        bool in_string = false;
        for (; pos < t.size(); ++pos) {
            const char c = t[pos];
            if (in_string) {
                if (c == '\\')
                    ++pos;
                else if (c == '"')
                    in_string = false;
                continue;
            }
            if (c == '"')
                in_string = true;
            else if (c == '{' || c == '[')
                ++depth;
            else if (c == '}' || c == ']') {
                if (depth == 0) break; // the closing ']' of the list
                --depth;
            } else if (c == ',' && depth == 0)
                break;
            else if (c == '/' && pos + 1 < t.size() && (t[pos + 1] == '/' || t[pos + 1] == '*')) {
                pos = skip_blank(t, pos) - 1;
            }
        }
        e.end = std::min(pos, t.size());
        out.push_back(e);
        if (pos >= t.size()) return message(N_("the list is not closed with ']'"));
        if (t[pos] == ',') {
            ++pos;
        } else if (t[pos] == '}') { // nothing to close: without this check the same '}' was split forever
            err_pos = pos;
            return message(N_("a '}' here closes nothing (one too many?)"));
        }
    }
}

} // namespace

std::vector<std::string> script_command_names() {
    std::vector<std::string> names;
    for (const auto& [name, parser] : command_table())
        names.push_back(name);
    return names;
}

void parse_script_entry(std::string_view body, int line, Script& s) {
    auto parsed = io::parse_json(body, true);
    if (!parsed.ok()) {
        s.errors.push_back(
            {line + line_at(body, parsed.byte) - 1, message(N_("not valid JSON: %s"), parsed.detail)});
        return;
    }
    const json& j = parsed.value;
    if (!j.is_object()) {
        s.errors.push_back(
            {line,
             message(N_("each entry must be an object such as {\"cmd\": \"SetText\", \"text\": \"...\"}"))});
        return;
    }
    if (const auto ui = j.find("ui"); ui != j.end()) {
        ScriptUiStep step;
        const std::string kind = ui->is_string() ? ui->get<std::string>() : english(io::brief(*ui));
        if (auto err = check_entry_keys(j, "ui", kind, ui_step_fields()); !err.empty())
            s.errors.push_back({line, err});
        else if (auto err2 = parse_ui_step(j, kind, step); !err2.empty())
            s.errors.push_back({line, err2});
        else {
            s.ui_steps.push_back(step);
            s.ui_step_lines.push_back(line);
        }
        return;
    }
    const auto cmd = j.find("cmd");
    if (cmd == j.end() || !cmd->is_string()) {
        s.errors.push_back({line, message(N_("the entry has no \"cmd\" naming a command"))});
        return;
    }
    const std::string name = cmd->get<std::string>();
    const auto& table = command_table();
    const auto it = table.find(name);
    if (it == table.end()) {
        std::string names;
        for (const auto& [n, p] : table)
            names += (names.empty() ? "" : ", ") + n;
        s.errors.push_back({line, message(N_("unknown command \"%s\" (known: %s)"), name, names)});
        return;
    }
    if (auto err = check_entry_keys(j, "cmd", name, command_fields()); !err.empty()) {
        s.errors.push_back({line, err});
        return;
    }
    auto cmd_parsed = it->second(j, name);
    if (!cmd_parsed.ok()) {
        s.errors.push_back({line, std::move(cmd_parsed.error)});
        return;
    }
    s.commands.push_back(std::move(cmd_parsed.value));
    s.command_lines.push_back(line);
}

std::vector<std::string> script_ui_step_names() {
    return ui_step_names();
}

Script parse_script(std::string_view text) {
    Script s;
    std::vector<Entry> entries;
    std::size_t list_error_pos = 0;
    const Message list_error = split_list(text, entries, list_error_pos);
    for (const Entry& e : entries)
        parse_script_entry(text.substr(e.begin, e.end - e.begin), e.line, s);
    if (!list_error.empty()) s.errors.push_back({line_at(text, list_error_pos), list_error});
    return s;
}

Script load_script(const std::string& path) {
    auto text = read_text_file(path, 4u << 20);
    if (!text.ok()) {
        Script s;
        s.errors.push_back({0, std::move(text.error)});
        return s;
    }
    return parse_script(text.value);
}

std::string format_script_message(const std::string& file, const ScriptMessage& m, Translate translate) {
    const std::string text = translate ? render(m.message, translate) : m.text;
    if (m.line <= 0) return file + ": " + text;
    return file + ":" + std::to_string(m.line) + ": " + text;
}

} // namespace attn

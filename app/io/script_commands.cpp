// The commands a script may hold: one row per command name, reading its fields from JSON into the Command
// the panels push (command_table), and the fields each takes (command_fields). parse_script_entry
// (script.cpp) looks names up here.
#include "script_commands.hpp"

#include "app/io/attention_file.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn::io {

namespace {

template <typename T> Parsed<Command> ok(T cmd) {
    return Parsed<Command>{Command{std::move(cmd)}, {}};
}
Parsed<Command> fail(Message why) {
    return Parsed<Command>::fail(std::move(why));
}

} // namespace

// One row per command name: how to read its fields. Field names match the C++ struct members.
const std::map<std::string, CommandParser>& command_table() {
    static const std::map<std::string, CommandParser> table = {
        {"SetText",
         [](const json& j, const std::string& w) {
             SetText c;
             if (auto e = io::read_string(j, "text", c.text, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"SetTokens",
         [](const json& j, const std::string& w) {
             const auto it = j.find("tokens");
             if (it == j.end() || !it->is_array())
                 return fail(message(N_("%s needs \"tokens\" as a list of strings"), w));
             SetTokens c;
             for (const auto& t : *it) {
                 if (!t.is_string())
                     return fail(message(N_("%s: every token must be a string, not %s"), w, io::brief(t)));
                 c.tokens.push_back(t.get<std::string>());
             }
             return ok(c);
         }},
        {"InsertToken",
         [](const json& j, const std::string& w) {
             InsertToken c{};
             if (auto e = io::read_int(j, "index", c.index, w); !e.empty()) return fail(e);
             if (auto e = io::read_string(j, "token", c.token, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"DeleteToken",
         [](const json& j, const std::string& w) {
             DeleteToken c{};
             if (auto e = io::read_int(j, "index", c.index, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"MoveToken",
         [](const json& j, const std::string& w) {
             MoveToken c{};
             if (auto e = io::read_int(j, "from", c.from, w); !e.empty()) return fail(e);
             if (auto e = io::read_int(j, "to", c.to, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"EditToken",
         [](const json& j, const std::string& w) {
             EditToken c{};
             if (auto e = io::read_int(j, "index", c.index, w); !e.empty()) return fail(e);
             if (auto e = io::read_string(j, "token", c.token, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"SetPadding",
         [](const json& j, const std::string& w) {
             SetPadding c{};
             if (auto e = io::read_int(j, "index", c.index, w); !e.empty()) return fail(e);
             if (auto e = io::read_bool(j, "padding", c.padding, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"LoadPreset",
         [](const json& j, const std::string& w) {
             LoadPreset c;
             if (auto e = io::read_string(j, "name", c.name, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"LoadTrainedModel",
         [](const json& j, const std::string& w) {
             LoadTrainedModel c;
             if (auto e = io::read_string(j, "source", c.source, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"ClearTrainedModel", [](const json&, const std::string&) { return ok(ClearTrainedModel{}); }},
        // The file is read when the script is read, so a bad file stops the script before it starts.
        {"ImportAttention",
         [](const json& j, const std::string& w) {
             std::string path;
             if (auto e = io::read_string(j, "path", path, w); !e.empty()) return fail(e);
             ImportParse r = read_attention_file(path);
             if (!r.ok()) return fail(message(N_("%s: %s"), w, std::move(r.error)));
             return ok(
                 ShowImportedAttention{std::make_shared<const ImportedAttention>(std::move(r.attention))});
         }},
        {"CloseImportedAttention",
         [](const json&, const std::string&) { return ok(CloseImportedAttention{}); }},
        {"SetConfig",
         [](const json& j, const std::string& w) {
             const auto it = j.find("config");
             if (it == j.end()) return fail(message(N_("%s needs \"config\": { \"d_model\": 64, ... }"), w));
             // Fields not given keep the defaults, so a script states only what it means.
             auto c = io::config_from_json(*it, AppState::default_config());
             if (!c.ok()) return fail(message(N_("%s: %s"), w, std::move(c.error)));
             return ok(SetConfig{c.value});
         }},
        {"SetDModel",
         [](const json& j, const std::string& w) {
             SetDModel c{};
             if (auto e = io::read_int(j, "d_model", c.d_model, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"SetLayers",
         [](const json& j, const std::string& w) {
             SetLayers c{};
             if (auto e = io::read_int(j, "n_layers", c.n_layers, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"SetHeads",
         [](const json& j, const std::string& w) {
             SetHeads c{};
             if (auto e = io::read_int(j, "n_heads", c.n_heads, w); !e.empty()) return fail(e);
             c.n_kv_heads = c.n_heads; // MHA unless told otherwise
             if (j.contains("n_kv_heads"))
                 if (auto e = io::read_int(j, "n_kv_heads", c.n_kv_heads, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"SetMask",
         [](const json& j, const std::string& w) {
             std::string kind;
             if (auto e = io::read_string(j, "kind", kind, w); !e.empty()) return fail(e);
             const auto m = io::mask_from_name(kind);
             if (!m) return fail(io::unknown_mask(kind));
             SetMask c{*m, 4};
             if (j.contains("window"))
                 if (auto e = io::read_int(j, "window", c.window, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"SetPositions",
         [](const json& j, const std::string& w) {
             std::string kind;
             if (auto e = io::read_string(j, "kind", kind, w); !e.empty()) return fail(e);
             const auto p = io::positions_from_name(kind);
             if (!p) return fail(io::unknown_positions(kind));
             return ok(SetPositions{*p});
         }},
        {"SetTemperature",
         [](const json& j, const std::string& w) {
             SetTemperature c{};
             if (auto e = io::read_float(j, "temperature", c.temperature, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"SetSeed",
         [](const json& j, const std::string& w) {
             const auto it = j.find("seed");
             if (it == j.end() || !it->is_number_unsigned())
                 return fail(message(N_("%s needs \"seed\" as a whole number >= 0"), w));
             return ok(SetSeed{it->get<std::uint64_t>()});
         }},
        {"SetImplementation",
         [](const json& j, const std::string& w) {
             std::string name;
             if (auto e = io::read_string(j, "implementation", name, w); !e.empty()) return fail(e);
             const auto i = io::implementation_from_name(name);
             if (!i) return fail(io::unknown_implementation(name));
             return ok(SetImplementation{*i});
         }},
        {"ToggleHead",
         [](const json& j, const std::string& w) {
             ToggleHead c{};
             if (auto e = io::read_int(j, "layer", c.layer, w); !e.empty()) return fail(e);
             if (auto e = io::read_int(j, "head", c.head, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        {"SetAllHeads",
         [](const json& j, const std::string& w) {
             SetAllHeads c{};
             if (auto e = io::read_bool(j, "enabled", c.enabled, w); !e.empty()) return fail(e);
             return ok(c);
         }},
        // A playground drag: {"cmd": "SetVectorOverride", "layer": 0, "head": 0, "token": 2, "kind": "q",
        // "value": [0.5, -1.0]}; apply() checks the ranges and the length against d_head.
        {"SetVectorOverride",
         [](const json& j, const std::string& w) {
             SetVectorOverride c{};
             std::string kind;
             if (auto e = io::read_int(j, "layer", c.layer, w); !e.empty()) return fail(e);
             if (auto e = io::read_int(j, "head", c.head, w); !e.empty()) return fail(e);
             if (auto e = io::read_int(j, "token", c.token, w); !e.empty()) return fail(e);
             if (auto e = io::read_string(j, "kind", kind, w); !e.empty()) return fail(e);
             if (kind != "q" && kind != "k" && kind != "v")
                 return fail(message(N_("%s: \"kind\" must be \"q\", \"k\" or \"v\", not \"%s\""), w, kind));
             c.kind = kind[0];
             const auto it = j.find("value");
             if (it == j.end() || !it->is_array() || it->empty() || it->size() > 4096)
                 return fail(
                     message(N_("%s needs \"value\": a list of numbers, one per d_head dimension"), w));
             for (const auto& x : *it) {
                 if (!x.is_number())
                     return fail(message(N_("%s: every entry of \"value\" must be a number"), w));
                 const double d = x.get<double>(); // a float cast of 1e39 would be undefined
                 if (!(std::fabs(d) <= static_cast<double>(std::numeric_limits<float>::max())))
                     return fail(message(N_("%s: %s in \"value\" is beyond what a float holds (3.4e38)"), w,
                                         io::brief(x)));
                 c.value.push_back(static_cast<float>(d));
             }
             return ok(c);
         }},
        {"ClearOverrides", [](const json&, const std::string&) { return ok(ClearOverrides{}); }},
    };
    return table;
}

// The fields each command takes besides "cmd" (a misspelt field is an error, not a silent default).
const std::map<std::string, std::vector<std::string_view>>& command_fields() {
    static const std::map<std::string, std::vector<std::string_view>> fields = {
        {"SetText", {"text"}},
        {"SetTokens", {"tokens"}},
        {"InsertToken", {"index", "token"}},
        {"DeleteToken", {"index"}},
        {"MoveToken", {"from", "to"}},
        {"EditToken", {"index", "token"}},
        {"SetPadding", {"index", "padding"}},
        {"LoadPreset", {"name"}},
        {"LoadTrainedModel", {"source"}},
        {"ClearTrainedModel", {}},
        {"ImportAttention", {"path"}},
        {"CloseImportedAttention", {}},
        {"SetConfig", {"config"}},
        {"SetDModel", {"d_model"}},
        {"SetLayers", {"n_layers"}},
        {"SetHeads", {"n_heads", "n_kv_heads"}},
        {"SetMask", {"kind", "window"}},
        {"SetPositions", {"kind"}},
        {"SetTemperature", {"temperature"}},
        {"SetSeed", {"seed"}},
        {"SetImplementation", {"implementation"}},
        {"ToggleHead", {"layer", "head"}},
        {"SetAllHeads", {"enabled"}},
        {"SetVectorOverride", {"layer", "head", "token", "kind", "value"}},
        {"ClearOverrides", {}},
    };
    return fields;
}

} // namespace attn::io

// Preferences that persist between runs (theme, font scale, open panels and the window layout), stored as
// prefs.json in $XDG_CONFIG_HOME/attention-lab or ~/.config/attention-lab.
// Screenshot and benchmark runs never read or write them, so their output is reproducible.
#pragma once

#include "app/io/json_util.hpp"
#include "core/model_table.hpp"

#include <string>
#include <vector>

namespace attn {

struct Prefs {
    std::string theme = "dark";           // dark, light or contrast
    float font_scale = 1.0f;              // on top of the monitor's content scale, 0.75 .. 2.5
    std::string language;                 // the interface's language: "en", "de", "" = the environment's
    std::vector<std::string> open_panels; // names from panels(); empty = the defaults
    bool has_open_panels = false;         // the file listed panels (an empty list means "all closed")
    std::string last_session;             // the path typed last in File > Save/Open
    // the window layout (UiState::layout): sizes as fractions, views by name
    float sidebar_frac = 0.34f, sidebar_split = 0.50f, pane_frac = 0.5f;
    bool split = false;
    std::vector<std::string> right_views; // views in the second pane
    std::vector<std::string> front_views; // the view in front of each pane ("" = none)
    std::vector<ModelSpec> kv_models;     // models the KV cache panel added from config.json files

    bool operator==(const Prefs&) const = default;
};

// The directory from the environment (XDG_CONFIG_HOME, else HOME/.config) + "/attention-lab";
// empty when neither variable is set.
std::string config_dir();

std::string prefs_to_json(const Prefs& p);
Parsed<Prefs> prefs_from_json(const std::string& text); // unknown keys are ignored, bad values refused
Parsed<Prefs> load_prefs(const std::string& path);
Message save_prefs(const std::string& path, const Prefs& p); // creates the directory; empty = ok

} // namespace attn

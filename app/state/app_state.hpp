// AppState — what the learner controls — and the commands that are the only way to change it.
// apply() validates every command: invalid input leaves the state unchanged and returns a message.
// Invariants kept by apply(): head_enabled has n_layers · n_heads entries, key_valid has n_tokens entries.
#pragma once

#include "core/config.hpp"
#include "core/head_probes.hpp"
#include "core/imported_attention.hpp"
#include "core/model.hpp"
#include "core/train/tiny_model.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace attn {

// The live view recomputes on every edit; beyond this many tokens the text is cut with a message.
inline constexpr int k_max_live_tokens = 2048;
inline constexpr float k_max_override_abs = 1000.0f; // largest entry an edited vector may hold
inline constexpr const char* k_default_sentence =
    "The animal didn't cross the street because it was too tired";

struct AppState {
    std::string text = k_default_sentence; // the sentence box
    std::vector<std::string> tokens;       // (n_tokens) what the model sees
    ModelConfig config = default_config();
    std::vector<std::uint8_t> head_enabled; // (n_layers · n_heads) ablation switches, 1 = on
    std::vector<std::uint8_t> key_valid;    // (n_tokens) padding mask: 0 = padding, no query may attend to it
    std::vector<VectorOverride> overrides;  // dragged q/k/v vectors (vector playground), kept until cleared
    std::uint64_t revision = 0;             // bumped by every successful command
    // When set, the views show this trained model (config mirrors its shape); model controls clear it.
    std::shared_ptr<const train::TinyModel> trained;
    std::string trained_title;  // "Trained: pronoun resolution", "training snapshot, step 300"
    std::string trained_source; // what LoadTrainedModel was given; empty for a Training snapshot
    // What each head of the trained model does (layer-major), probed on its task's held-out data when it
    // was loaded; null for a training snapshot and the live model.
    std::shared_ptr<const std::vector<HeadReport>> trained_heads;
    // When set, the views show attention weights computed elsewhere (File → Import attention): tokens and
    // config (n_layers, n_heads) mirror them, there is no model to run, and edits are refused until
    // CloseImportedAttention (or loading a preset or trained model) ends the import.
    std::shared_ptr<const ImportedAttention> imported;

    static ModelConfig default_config();
    static AppState initial();

    int n_tokens() const { return static_cast<int>(tokens.size()); }
    bool head_on(int layer, int head) const;
    int heads_off() const; // how many switches are off
};

// A ready-made starting point: a text and the model settings that show something about it.
struct Preset {
    const char* name;        // the id used by LoadPreset and scripts
    const char* title;       // shown in the Tokens panel
    const char* description; // what to look for
    std::string text;
    ModelConfig config;       // the live model's settings, when trained is empty
    const char* trained = ""; // else the trained model (a trained preset's name) that reads the text
    const char* view = "";    // a view to bring to the front on loading, or empty
    int query = -1;           // the token that view follows (0-based), or -1
};
const std::vector<Preset>& presets();

// ---- commands: small verb-first structs ----------------------------------------------------------
// Text and tokens
struct SetText {
    std::string text;
}; // re-tokenizes, cut at k_max_live_tokens
struct SetTokens {
    std::vector<std::string> tokens;
}; // a whole token list
struct InsertToken {
    int index;
    std::string token;
}; // before index; index == n_tokens appends
struct DeleteToken {
    int index;
};
struct MoveToken {
    int from;
    int to;
}; // the token ends up at index `to`
struct EditToken {
    int index;
    std::string token;
};
struct SetPadding {
    int index;
    bool padding;
}; // marks one token as padding (keys masked out)
struct TrainedLoad;
// Text and model settings of presets(). A preset shown on a trained model needs that model read in first:
// app/io/model_files.hpp (with_model_files) fills in `trained`; apply() reads no file.
struct LoadPreset {
    std::string name;
    std::shared_ptr<const TrainedLoad> trained{};
};
// Model
struct SetConfig {
    ModelConfig config;
}; // any model field, validated as a whole
struct SetDModel {
    int d_model;
};
struct SetLayers {
    int n_layers;
};
struct SetHeads {
    int n_heads;
    int n_kv_heads;
};
struct SetMask {
    MaskKind kind;
    int window;
};
struct SetPositions {
    PositionKind kind;
};
struct SetTemperature {
    float temperature;
};
struct SetSeed {
    std::uint64_t seed;
};
struct SetImplementation {
    Implementation implementation;
};
// Ablation
struct ToggleHead {
    int layer;
    int head;
};
struct SetAllHeads {
    bool enabled;
};
// Vector playground: replaces token `token`'s query ('q', head = query head) or key/value ('k'/'v', head =
// key/value head) vector with `value` (d_head numbers); ClearOverrides goes back to the computed vectors.
struct SetVectorOverride {
    int layer;
    int head;
    int token;
    char kind;
    std::vector<float> value;
};
struct ClearOverrides {};
// Trained models (app/state/trained_model.hpp): a preset name ("pronoun", "induction", "reversal") or a
// .atlm path, with the model read from it by app/io (model_files.hpp: with_model_files); a snapshot handed
// over by the Training panel; back to the live untrained model.
struct LoadTrainedModel {
    std::string source;
    std::shared_ptr<const TrainedLoad> loaded{}; // null until read: apply() refuses it
};
struct ShowTrainedModel {
    std::shared_ptr<const train::TinyModel> model;
    std::string title;
};
struct ClearTrainedModel {};
// Imported attention (app/io/attention_file.hpp reads the file; the command carries the checked weights).
struct ShowImportedAttention {
    std::shared_ptr<const ImportedAttention> attention;
};
struct CloseImportedAttention {};

// New commands go at the end of this list, with a branch in apply() and an entry in app/io/script.cpp.
using Command = std::variant<SetText, SetTokens, InsertToken, DeleteToken, MoveToken, EditToken, SetPadding,
                             LoadPreset, SetConfig, SetDModel, SetLayers, SetHeads, SetMask, SetPositions,
                             SetTemperature, SetSeed, SetImplementation, ToggleHead, SetAllHeads,
                             SetVectorOverride, ClearOverrides, LoadTrainedModel, ShowTrainedModel,
                             ClearTrainedModel, ShowImportedAttention, CloseImportedAttention>;

struct ApplyResult {
    bool changed = false;
    std::string message; // for the user: why it was refused, or what was adjusted (e.g. text cut)
};

ApplyResult apply(AppState& state, const Command& command);

// The largest key/value head count that divides n_heads and is <= n_kv_heads (the slider's snap).
int nearest_kv_divisor(int n_heads, int n_kv_heads);

} // namespace attn

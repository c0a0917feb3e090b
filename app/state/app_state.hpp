// AppState — what the learner controls — and the commands that are the only way to change it.
// apply() validates every command: invalid input leaves the state unchanged and returns a message.
#pragma once

#include "core/config.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace attn {

// The live view recomputes on every edit; beyond this many tokens the text is cut with a message.
inline constexpr int k_max_live_tokens = 512;
inline constexpr const char* k_default_sentence = "The animal didn't cross the street because it was too tired";

struct AppState {
    std::string text = k_default_sentence;  // the sentence box
    std::vector<std::string> tokens;        // (n_tokens) what the model sees
    ModelConfig config = default_config();
    std::vector<std::uint8_t> head_enabled; // (n_layers · n_heads) ablation switches
    std::uint64_t revision = 0;             // bumped by every successful command

    static ModelConfig default_config();
    static AppState initial();
};

// ---- commands: small verb-first structs ----------------------------------------------------------
struct SetText { std::string text; };                  // re-tokenizes, cut at k_max_live_tokens
struct SetTokens { std::vector<std::string> tokens; }; // edits made on the chips
struct SetConfig { ModelConfig config; };              // any model field, validated as a whole
struct SetHeads { int n_heads; int n_kv_heads; };
struct SetSeed { std::uint64_t seed; };
struct ToggleHead { int layer; int head; };

using Command = std::variant<SetText, SetTokens, SetConfig, SetHeads, SetSeed, ToggleHead>;

struct ApplyResult {
    bool changed = false;
    std::string message; // for the user: why it was refused, or what was adjusted (e.g. text cut)
};

ApplyResult apply(AppState& state, const Command& command);

} // namespace attn

// apply(): the single place AppState changes. Each command is validated before anything is touched.
#include "app_state.hpp"

#include "core/tokenizer.hpp"

#include <type_traits>

namespace attn {

ModelConfig AppState::default_config() {
    ModelConfig c;
    c.d_model = 64;
    c.n_layers = 1;
    c.n_heads = 1;
    c.n_kv_heads = 1;
    c.positions = PositionKind::Sinusoidal;
    c.seed = 7;
    return c;
}

AppState AppState::initial() {
    AppState s;
    s.tokens = tokenize(s.text, k_max_live_tokens).tokens;
    s.head_enabled.assign(static_cast<std::size_t>(s.config.n_layers * s.config.n_heads), 1);
    return s;
}

namespace {

std::string token_limit_message(std::size_t total) {
    return "The text has " + std::to_string(total) + " tokens; the live view shows the first " +
           std::to_string(k_max_live_tokens) + ".";
}

// Accepts a new configuration, resizing the head switches when the head layout changes.
ApplyResult accept_config(AppState& s, const ModelConfig& c) {
    if (auto why = validate(c); !why.empty()) return {false, why};
    if (c == s.config) return {};
    const bool layout_changed = c.n_layers != s.config.n_layers || c.n_heads != s.config.n_heads;
    s.config = c;
    if (layout_changed) s.head_enabled.assign(static_cast<std::size_t>(c.n_layers * c.n_heads), 1);
    ++s.revision;
    return {true, {}};
}

} // namespace

ApplyResult apply(AppState& s, const Command& command) {
    return std::visit(
        [&](const auto& cmd) -> ApplyResult {
            using T = std::decay_t<decltype(cmd)>;
            if constexpr (std::is_same_v<T, SetText>) {
                auto tok = tokenize(cmd.text, k_max_live_tokens);
                s.text = cmd.text;
                s.tokens = std::move(tok.tokens);
                ++s.revision;
                return {true, tok.truncated ? token_limit_message(tok.total_tokens) : std::string{}};
            } else if constexpr (std::is_same_v<T, SetTokens>) {
                if (cmd.tokens.size() > static_cast<std::size_t>(k_max_live_tokens))
                    return {false, token_limit_message(cmd.tokens.size())};
                for (const auto& t : cmd.tokens)
                    if (t.empty()) return {false, "A token cannot be empty; delete it instead."};
                s.tokens = cmd.tokens;
                s.text = join_tokens(s.tokens);
                ++s.revision;
                return {true, {}};
            } else if constexpr (std::is_same_v<T, SetConfig>) {
                return accept_config(s, cmd.config);
            } else if constexpr (std::is_same_v<T, SetHeads>) {
                ModelConfig c = s.config;
                c.n_heads = cmd.n_heads;
                c.n_kv_heads = cmd.n_kv_heads;
                return accept_config(s, c);
            } else if constexpr (std::is_same_v<T, SetSeed>) {
                ModelConfig c = s.config;
                c.seed = cmd.seed;
                return accept_config(s, c);
            } else if constexpr (std::is_same_v<T, ToggleHead>) {
                if (cmd.layer < 0 || cmd.layer >= s.config.n_layers || cmd.head < 0 || cmd.head >= s.config.n_heads)
                    return {false, "There is no head " + std::to_string(cmd.head) + " in layer " +
                                       std::to_string(cmd.layer) + "."};
                auto& e = s.head_enabled[static_cast<std::size_t>(cmd.layer * s.config.n_heads + cmd.head)];
                e = e ? 0 : 1;
                ++s.revision;
                return {true, {}};
            }
        },
        command);
}

} // namespace attn

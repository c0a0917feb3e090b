// apply(): the single place AppState changes. Each command is validated on a copy of what it touches
// before anything is written, so a refused command leaves the state exactly as it was.
#include "app_state.hpp"
#include "app/i18n/i18n.hpp"

#include "trained_model.hpp"
#include "vector_overrides.hpp"

#include "core/tokenizer.hpp"

#include <algorithm>
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
    s.key_valid.assign(s.tokens.size(), 1);
    return s;
}

bool AppState::head_on(int layer, int head) const {
    const auto i = static_cast<std::size_t>(layer * config.n_heads + head);
    return i >= head_enabled.size() || head_enabled[i] != 0;
}

int AppState::heads_off() const {
    return static_cast<int>(std::count(head_enabled.begin(), head_enabled.end(), std::uint8_t{0}));
}

int nearest_kv_divisor(int n_heads, int n_kv_heads) {
    if (n_heads <= 0) return 1;
    for (int k = std::clamp(n_kv_heads, 1, n_heads); k > 1; --k)
        if (n_heads % k == 0) return k;
    return 1;
}

namespace {

template <typename> inline constexpr bool always_false = false;

using Result = ApplyResult;
Result refuse(std::string why) {
    return {false, std::move(why)};
}

std::string token_limit_message(std::size_t total) {
    return i18n::format(_("The text has %zu tokens; the live view shows the first %d."), total,
                        static_cast<int>(k_max_live_tokens));
}

std::string check_token(const std::string& t) {
    if (t.empty()) return _("A token cannot be empty; delete it instead.");
    for (const char c : t)
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            return i18n::format(
                _("A token cannot contain spaces: \"%s\" would be two tokens. Insert a second "
                  "chip instead."),
                t.c_str());
    return {};
}

std::string index_message(int index, int n) {
    return i18n::format(P_("There is no token %d (the text has %d token).",
                           "There is no token %d (the text has %d tokens).", n),
                        index, n);
}

// True when a trained model's weights still fit c: only the mask, window, temperature, scale, seed and
// implementation differ. Those are how the same model is run; everything else is a different model.
bool same_weights(const ModelConfig& a, const ModelConfig& b) {
    return a.vocab_size == b.vocab_size && a.d_model == b.d_model && a.n_layers == b.n_layers &&
           a.n_heads == b.n_heads && a.n_kv_heads == b.n_kv_heads && head_dim(a) == head_dim(b) &&
           a.d_ff == b.d_ff && a.positions == b.positions && a.max_positions == b.max_positions;
}

// The live untrained model has no vocabulary, MLP or trained position table length.
ModelConfig live_config(ModelConfig c) {
    c.vocab_size = 0;
    c.d_ff = 0;
    c.max_positions = AppState::default_config().max_positions;
    return c;
}

// Accepts a new configuration, resizing the head switches when the head layout changes. A trained model
// stays while its weights fit (a mask, temperature or implementation is tried on the same model); any
// other model control returns to the live untrained model.
Result accept_config(AppState& s, ModelConfig c) {
    if (s.trained && !same_weights(c, s.trained->config)) {
        s.trained.reset();
        s.trained_heads.reset();
        s.trained_source.clear();
        s.trained_title.clear();
        c = live_config(c);
    }
    if (auto why = validate(c); !why.empty()) return refuse(i18n::text(why));
    if (c == s.config) return {};
    const bool layout_changed = c.n_layers != s.config.n_layers || c.n_heads != s.config.n_heads;
    if (overrides_outlived(s.config, c)) s.overrides.clear();
    s.config = c;
    if (layout_changed) s.head_enabled.assign(static_cast<std::size_t>(c.n_layers * c.n_heads), 1);
    ++s.revision;
    return {true, {}};
}

// Replaces the token list; padding flags come along in `valid` (same length) or reset to "real".
Result accept_tokens(AppState& s, std::vector<std::string> tokens, std::vector<std::uint8_t> valid) {
    if (tokens.size() > static_cast<std::size_t>(k_max_live_tokens))
        return refuse(token_limit_message(tokens.size()));
    for (const auto& t : tokens)
        if (auto why = check_token(t); !why.empty()) return refuse(why);
    if (valid.size() != tokens.size()) valid.assign(tokens.size(), 1);
    s.text = join_tokens(tokens);
    s.tokens = std::move(tokens);
    s.key_valid = std::move(valid);
    ++s.revision;
    return {true, {}};
}

// Shows a trained model: its shape becomes the config; a preset also brings its sentence.
Result show_trained(AppState& s, std::shared_ptr<const train::TinyModel> m, std::string title,
                    const std::string& text) {
    ModelConfig c = m->config; // how it is run (implementation, flash tiles) stays the learner's choice
    c.implementation = s.config.implementation;
    c.flash_block_q = s.config.flash_block_q;
    c.flash_block_k = s.config.flash_block_k;
    if (auto why = validate(c); !why.empty())
        return refuse(_("This trained model cannot be shown: ") + i18n::text(why));
    if (c.n_layers != s.config.n_layers || c.n_heads != s.config.n_heads)
        s.head_enabled.assign(static_cast<std::size_t>(c.n_layers * c.n_heads), 1);
    s.config = c;
    s.overrides.clear();
    s.trained = std::move(m);
    s.trained_title = std::move(title);
    s.trained_heads.reset(); // the caller sets them when it probed this model
    if (!text.empty()) {
        s.text = text;
        s.tokens = tokenize(text, k_max_live_tokens).tokens;
        s.key_valid.assign(s.tokens.size(), 1);
    }
    ++s.revision;
    return {true, {}};
}

template <typename F> Result with_config(AppState& s, F&& edit) {
    ModelConfig c = s.config;
    edit(c);
    return accept_config(s, c);
}

// While attention is imported only these commands apply: they replace the import with something else, or
// end it. Everything else would edit tokens or a model that imported weights do not have.
template <typename T>
inline constexpr bool k_replaces_import =
    std::is_same_v<T, LoadPreset> || std::is_same_v<T, LoadTrainedModel> ||
    std::is_same_v<T, ShowTrainedModel> || std::is_same_v<T, ClearTrainedModel> ||
    std::is_same_v<T, ShowImportedAttention> || std::is_same_v<T, CloseImportedAttention>;

ApplyResult apply_command(AppState& s, const Command& command) {
    return std::visit(
        [&](const auto& cmd) -> ApplyResult {
            using T = std::decay_t<decltype(cmd)>;
            const int n = s.n_tokens();
            if constexpr (std::is_same_v<T, SetText>) {
                auto tok = tokenize(cmd.text, k_max_live_tokens);
                s.text = cmd.text;
                s.tokens = std::move(tok.tokens);
                s.key_valid.assign(s.tokens.size(), 1);
                ++s.revision;
                return {true, tok.truncated ? token_limit_message(tok.total_tokens) : std::string{}};
            } else if constexpr (std::is_same_v<T, SetTokens>) {
                return accept_tokens(s, cmd.tokens, {});
            } else if constexpr (std::is_same_v<T, InsertToken>) {
                if (cmd.index < 0 || cmd.index > n) return refuse(index_message(cmd.index, n));
                if (n >= k_max_live_tokens)
                    return refuse(token_limit_message(static_cast<std::size_t>(n) + 1));
                auto tokens = s.tokens;
                auto valid = s.key_valid;
                tokens.insert(tokens.begin() + cmd.index, cmd.token);
                valid.insert(valid.begin() + cmd.index, std::uint8_t{1});
                return accept_tokens(s, std::move(tokens), std::move(valid));
            } else if constexpr (std::is_same_v<T, DeleteToken>) {
                if (cmd.index < 0 || cmd.index >= n) return refuse(index_message(cmd.index, n));
                auto tokens = s.tokens;
                auto valid = s.key_valid;
                tokens.erase(tokens.begin() + cmd.index);
                valid.erase(valid.begin() + cmd.index);
                return accept_tokens(s, std::move(tokens), std::move(valid));
            } else if constexpr (std::is_same_v<T, MoveToken>) {
                if (cmd.from < 0 || cmd.from >= n) return refuse(index_message(cmd.from, n));
                if (cmd.to < 0 || cmd.to >= n) return refuse(index_message(cmd.to, n));
                if (cmd.from == cmd.to) return {};
                auto tokens = s.tokens;
                auto valid = s.key_valid;
                const auto move = [&](auto& v) {
                    auto item = v[static_cast<std::size_t>(cmd.from)];
                    v.erase(v.begin() + cmd.from);
                    v.insert(v.begin() + cmd.to, item);
                };
                move(tokens);
                move(valid);
                return accept_tokens(s, std::move(tokens), std::move(valid));
            } else if constexpr (std::is_same_v<T, EditToken>) {
                if (cmd.index < 0 || cmd.index >= n) return refuse(index_message(cmd.index, n));
                if (s.tokens[static_cast<std::size_t>(cmd.index)] == cmd.token) return {};
                auto tokens = s.tokens;
                tokens[static_cast<std::size_t>(cmd.index)] = cmd.token;
                return accept_tokens(s, std::move(tokens), s.key_valid);
            } else if constexpr (std::is_same_v<T, SetPadding>) {
                if (cmd.index < 0 || cmd.index >= n) return refuse(index_message(cmd.index, n));
                auto& v = s.key_valid[static_cast<std::size_t>(cmd.index)];
                const std::uint8_t want = cmd.padding ? 0 : 1;
                if (v == want) return {};
                v = want;
                ++s.revision;
                return {true, {}};
            } else if constexpr (std::is_same_v<T, LoadPreset>) {
                const auto& list = presets();
                const auto it = std::find_if(list.begin(), list.end(),
                                             [&](const Preset& p) { return cmd.name == p.name; });
                if (it == list.end()) {
                    std::string names;
                    for (const auto& p : list)
                        names += (names.empty() ? "" : ", ") + std::string(p.name);
                    return refuse(i18n::format(_("There is no preset \"%s\" (presets: %s)."),
                                               cmd.name.c_str(), names.c_str()));
                }
                if (*it->trained) { // a trained model, read in by app/io, reads the preset's text
                    if (!cmd.trained)
                        return refuse(
                            i18n::format(_("The preset \"%s\" needs its trained model \"%s\", which "
                                           "was not read."),
                                         cmd.name.c_str(), it->trained));
                    const TrainedLoad& t = *cmd.trained;
                    if (!t.model) return refuse(i18n::text(t.error));
                    Result r = show_trained(s, t.model, t.title, it->text);
                    if (r.changed) s.trained_source = it->trained, s.trained_heads = t.heads;
                    s.head_enabled.assign(static_cast<std::size_t>(s.config.n_layers * s.config.n_heads), 1);
                    return r;
                }
                if (auto why = validate(it->config); !why.empty()) return refuse(i18n::text(why));
                auto tok = tokenize(it->text, k_max_live_tokens);
                s.text = it->text;
                s.tokens = std::move(tok.tokens);
                s.key_valid.assign(s.tokens.size(), 1);
                s.config = it->config;
                s.trained.reset();
                s.trained_heads.reset();
                s.trained_source.clear();
                s.head_enabled.assign(static_cast<std::size_t>(s.config.n_layers * s.config.n_heads), 1);
                ++s.revision;
                return {true, {}};
            } else if constexpr (std::is_same_v<T, SetConfig>) {
                return accept_config(s, cmd.config);
            } else if constexpr (std::is_same_v<T, SetDModel>) {
                return with_config(s, [&](ModelConfig& c) { c.d_model = cmd.d_model; });
            } else if constexpr (std::is_same_v<T, SetLayers>) {
                return with_config(s, [&](ModelConfig& c) { c.n_layers = cmd.n_layers; });
            } else if constexpr (std::is_same_v<T, SetHeads>) {
                return with_config(s, [&](ModelConfig& c) {
                    c.n_heads = cmd.n_heads;
                    c.n_kv_heads = cmd.n_kv_heads;
                });
            } else if constexpr (std::is_same_v<T, SetMask>) {
                return with_config(s, [&](ModelConfig& c) {
                    c.mask = cmd.kind;
                    c.window = cmd.window;
                });
            } else if constexpr (std::is_same_v<T, SetPositions>) {
                return with_config(s, [&](ModelConfig& c) { c.positions = cmd.kind; });
            } else if constexpr (std::is_same_v<T, SetTemperature>) {
                return with_config(s, [&](ModelConfig& c) { c.temperature = cmd.temperature; });
            } else if constexpr (std::is_same_v<T, SetSeed>) {
                return with_config(s, [&](ModelConfig& c) { c.seed = cmd.seed; });
            } else if constexpr (std::is_same_v<T, SetImplementation>) {
                return with_config(s, [&](ModelConfig& c) { c.implementation = cmd.implementation; });
            } else if constexpr (std::is_same_v<T, ToggleHead>) {
                if (cmd.layer < 0 || cmd.layer >= s.config.n_layers || cmd.head < 0 ||
                    cmd.head >= s.config.n_heads)
                    return refuse(i18n::format(_("There is no head %d in layer %d."), cmd.head, cmd.layer));
                auto& e = s.head_enabled[static_cast<std::size_t>(cmd.layer * s.config.n_heads + cmd.head)];
                e = e ? 0 : 1;
                ++s.revision;
                return {true, {}};
            } else if constexpr (std::is_same_v<T, SetAllHeads>) {
                const std::uint8_t want = cmd.enabled ? 1 : 0;
                if (std::all_of(s.head_enabled.begin(), s.head_enabled.end(),
                                [&](std::uint8_t e) { return e == want; }))
                    return {};
                std::fill(s.head_enabled.begin(), s.head_enabled.end(), want);
                ++s.revision;
                return {true, {}};
            } else if constexpr (std::is_same_v<T, SetVectorOverride>) {
                return apply_set_override(s, cmd);
            } else if constexpr (std::is_same_v<T, ClearOverrides>) {
                return apply_clear_overrides(s);
            } else if constexpr (std::is_same_v<T, LoadTrainedModel>) {
                if (!cmd.loaded)
                    return refuse(i18n::format(_("The model \"%s\" was not read."), cmd.source.c_str()));
                const TrainedLoad& t = *cmd.loaded;
                if (!t.model) return refuse(i18n::text(t.error));
                Result r = show_trained(s, t.model, t.title, t.text);
                if (r.changed) s.trained_source = cmd.source, s.trained_heads = t.heads;
                return r;
            } else if constexpr (std::is_same_v<T, ShowTrainedModel>) {
                if (!cmd.model) return refuse(_("There is no trained model to show yet."));
                Result r = show_trained(s, cmd.model, cmd.title, {});
                if (r.changed) s.trained_source.clear(); // a snapshot: only its weights say what it is
                return r;
            } else if constexpr (std::is_same_v<T, ShowImportedAttention>) {
                const ImportedAttention* a = cmd.attention.get();
                if (!a || a->n_tokens() == 0 || a->n_layers < 1 || a->n_heads < 1 || !a->weights)
                    return refuse(_("There is no imported attention to show."));
                s.trained.reset();
                s.trained_heads.reset();
                s.trained_title.clear();
                s.trained_source.clear();
                s.overrides.clear();
                s.config = live_config(s.config);
                s.config.n_layers = a->n_layers; // the views' layer and head pickers follow the import
                s.config.n_heads = a->n_heads;
                s.config.n_kv_heads = a->n_heads;
                s.head_enabled.assign(static_cast<std::size_t>(a->n_layers * a->n_heads), 1);
                s.tokens = a->tokens;
                s.text = join_tokens(s.tokens);
                s.key_valid.assign(s.tokens.size(), 1);
                s.imported = cmd.attention;
                if (!a->heads
                         .empty()) // the probes' labels name the heads in every view, as for a trained model
                    s.trained_heads =
                        std::shared_ptr<const std::vector<HeadReport>>(cmd.attention, &a->heads);
                ++s.revision;
                return {true, {}};
            } else if constexpr (std::is_same_v<T, CloseImportedAttention>) {
                if (!s.imported) return {};
                const AppState fresh = AppState::initial();
                s.imported.reset();
                s.trained_heads.reset();
                s.config = fresh.config;
                s.head_enabled = fresh.head_enabled;
                s.text = fresh.text;
                s.tokens = fresh.tokens;
                s.key_valid = fresh.key_valid;
                ++s.revision;
                return {true, {}};
            } else if constexpr (std::is_same_v<T, ClearTrainedModel>) {
                if (s.imported) return apply_command(s, CloseImportedAttention{});
                if (!s.trained) return {};
                s.trained.reset();
                s.trained_heads.reset();
                s.trained_title.clear();
                s.trained_source.clear();
                s.config = live_config(s.config);
                ++s.revision;
                return {true, {}};
            } else {
                static_assert(always_false<T>, "every command needs a branch in apply()");
            }
        },
        command);
}

} // namespace

ApplyResult apply(AppState& s, const Command& command) {
    const bool replaces_import =
        std::visit([](const auto& c) { return k_replaces_import<std::decay_t<decltype(c)>>; }, command);
    if (s.imported && !replaces_import)
        return {false, "Imported attention holds only its weights, for its own tokens: there is no model to "
                       "edit or re-run. Close the import (File menu) to go back to a model."};
    const std::shared_ptr<const ImportedAttention> before = s.imported;
    ApplyResult r = apply_command(s, command);
    // a preset or trained model loaded over an import replaces it
    if (r.changed && before && s.imported == before &&
        !std::holds_alternative<ShowImportedAttention>(command))
        s.imported.reset();
    return r;
}

} // namespace attn

// Session save/load (see session.hpp). Format, version 2:
//   { "format": "attention-lab-session", "version": 2, "text": "...", "tokens": [...],
//     "padding": [indices], "heads_off": [[layer, head], ...], "model": { ModelConfig },
//     "trained": { "source": "pronoun" or "file.atlm", "title": "..." },   (only when one is shown)
//     "view": { "layer": 0, "head": 0, "query": -1 } }
// Version 1 is the same without "trained" (and is what is written when no trained model is shown).
#include "session.hpp"

#include "model_files.hpp"
#include "safe_write.hpp"
#include "state_json.hpp"

#include "core/tokenizer.hpp"
#include "core/train/model_file.hpp"

#include <cstdio>
#include <filesystem>

namespace attn {

using io::json;

std::string session_to_json(const AppState& s, const SessionView& view, const std::string& trained_file) {
    json padding = json::array(), heads_off = json::array();
    for (std::size_t i = 0; i < s.key_valid.size(); ++i)
        if (!s.key_valid[i]) padding.push_back(i);
    for (int l = 0; l < s.config.n_layers; ++l)
        for (int h = 0; h < s.config.n_heads; ++h)
            if (!s.head_on(l, h)) heads_off.push_back(json::array({l, h}));
    json j = {{"format", k_session_format},
              {"version", s.trained ? k_session_version : 1},
              {"text", s.text},
              {"tokens", s.tokens},
              {"padding", padding},
              {"heads_off", heads_off},
              {"model", io::config_to_json(s.config)},
              {"view", {{"layer", view.layer}, {"head", view.head}, {"query", view.query}}}};
    if (s.trained)
        j["trained"] = {{"source", s.trained_source.empty() ? trained_file : s.trained_source},
                        {"title", s.trained_title}};
    return j.dump(2) + "\n";
}

Parsed<Session> session_from_json(const std::string& text, const std::string& base_dir) {
    using P = Parsed<Session>;
    auto parsed = io::parse_json(text, true);
    if (!parsed.ok()) return P::fail(message(N_("the file is not valid JSON (%s)"), parsed.error));
    const json& j = parsed.value;
    const auto format = j.is_object() ? j.find("format") : j.end();
    if (!j.is_object() || format == j.end() || !format->is_string() ||
        format->get_ref<const std::string&>() != k_session_format)
        return P::fail(
            message(N_("this is not an Attention Lab session (no \"format\": \"attention-lab-session\")")));
    if (auto e = io::check_keys(
            j, {"format", "version", "text", "tokens", "padding", "heads_off", "model", "trained", "view"},
            message(N_("The session")));
        !e.empty())
        return P::fail(e);
    const auto ver = j.find("version");
    int version = 0;
    if (ver == j.end() || !io::to_int(*ver, version) || version < 1)
        return P::fail(message(N_("the session has no valid \"version\"")));
    if (version > k_session_version)
        return P::fail(message(N_("the session was saved by a newer Attention Lab (format version %s; this "
                                  "version reads up to %s)"),
                               version, k_session_version));

    Session out;
    AppState& s = out.state;
    s = AppState::initial();
    // what: the session's field, or a message naming it; r.message is in the interface's language already.
    const auto must = [](const ApplyResult& r, Message what) -> Message {
        return r.message.empty() ? Message{} : message(N_("%s: %s"), std::move(what), r.message);
    };
    auto cfg =
        io::config_from_json(j.contains("model") ? j["model"] : json::object(), AppState::default_config());
    if (!cfg.ok()) return P::fail(cfg.error);
    if (auto e = must(apply(s, SetConfig{cfg.value}), verbatim("model")); !e.empty()) return P::fail(e);

    const auto toks = j.find("tokens");
    if (toks == j.end() || !toks->is_array())
        return P::fail(message(N_("the session has no \"tokens\" list")));
    std::vector<std::string> tokens;
    for (const auto& t : *toks) {
        if (!t.is_string()) return P::fail(message(N_("every token must be a string, not %s"), io::brief(t)));
        tokens.push_back(t.get<std::string>());
    }
    // The trained model comes before the tokens: loading a preset also loads its example sentence.
    if (const auto tr = j.find("trained"); tr != j.end()) {
        std::string source;
        if (auto e = io::check_keys(*tr, {"source", "title"}, message(N_("The session's \"trained\"")));
            !e.empty())
            return P::fail(e);
        if (!tr->is_object() || !io::read_string(*tr, "source", source, "trained").empty() || source.empty())
            return P::fail(
                message(N_("\"trained\" must name its model: {\"source\": \"pronoun\" or a .atlm file}")));
        const bool is_path =
            source.find('/') != std::string::npos || source.find(".atlm") != std::string::npos;
        if (is_path && std::filesystem::path(source).is_relative() && !base_dir.empty())
            source = (std::filesystem::path(base_dir) / source).string();
        // the model's own shape replaces the "model" settings read above (they were saved from it)
        if (auto e = must(apply_loading(s, LoadTrainedModel{source}), message(N_("trained model")));
            !e.empty())
            return P::fail(e);
    }
    if (auto e = must(apply(s, SetTokens{tokens}), verbatim("tokens")); !e.empty()) return P::fail(e);
    // Keep the text as typed when it still tokenizes to the same tokens (spacing, line breaks).
    if (const auto t = j.find("text");
        t != j.end() && t->is_string() && tokenize(t->get<std::string>()) == s.tokens)
        s.text = t->get<std::string>();

    if (const auto pad = j.find("padding"); pad != j.end()) {
        if (!pad->is_array()) return P::fail(message(N_("\"padding\" must be a list of token indices")));
        for (const auto& p : *pad) {
            int index = 0;
            if (!io::to_int(p, index)) // 4294967297 must not wrap around to token 1
                return P::fail(message(N_("\"padding\" must hold token indices, not %s"), io::brief(p)));
            if (auto e = must(apply(s, SetPadding{index, true}), verbatim("padding")); !e.empty())
                return P::fail(e);
        }
    }
    if (const auto off = j.find("heads_off"); off != j.end()) {
        if (!off->is_array())
            return P::fail(message(N_("\"heads_off\" must be a list of [layer, head] pairs")));
        for (const auto& p : *off) {
            int l = 0, h = 0;
            if (!p.is_array() || p.size() != 2 || !io::to_int(p[0], l) || !io::to_int(p[1], h))
                return P::fail(
                    message(N_("\"heads_off\" entries must be [layer, head], not %s"), io::brief(p)));
            if (l < 0 || l >= s.config.n_layers || h < 0 || h >= s.config.n_heads || !s.head_on(l, h))
                return P::fail(
                    message(N_("\"heads_off\" names head %s, which does not exist or is listed twice"),
                            io::brief(p)));
            if (auto e = must(apply(s, ToggleHead{l, h}), verbatim("heads_off")); !e.empty())
                return P::fail(e);
        }
    }
    if (const auto v = j.find("view"); v != j.end()) {
        if (!v->is_object())
            return P::fail(
                message(N_("\"view\" must be an object {\"layer\": 0, \"head\": 0, \"query\": -1}")));
        if (auto e = io::check_keys(*v, {"layer", "head", "query"}, message(N_("The session's \"view\"")));
            !e.empty())
            return P::fail(e);
        for (auto [k, dst] : {std::pair{"layer", &out.view.layer}, std::pair{"head", &out.view.head},
                              std::pair{"query", &out.view.query}})
            if (const auto f = v->find(k); f != v->end() && !io::to_int(*f, *dst))
                return P::fail(
                    message(N_("\"view\" needs \"%s\" as a whole number, not %s"), k, io::brief(*f)));
    }
    return P{std::move(out), {}};
}

Message save_session(const std::string& path, const AppState& state, const SessionView& view) {
    if (path.empty()) return message(N_("type a file name first"));
    if (state.imported)
        return message(
            N_("a session keeps a model and its settings, and imported attention has neither: keep "
               "the imported file itself (File → Export attention writes one), or close the import "
               "first"));
    std::string trained_file;
    if (state.trained && state.trained_source.empty()) { // a Training snapshot: its weights go beside it
        const std::filesystem::path p(path);
        trained_file = p.stem().string() + ".atlm";
        const std::string model_path = (p.parent_path() / trained_file).string();
        const std::vector<std::uint8_t> bytes = train::serialize(*state.trained);
        const std::string_view view_bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        if (auto e = safe_write(model_path, view_bytes); !e.empty())
            return message(N_("%s (the trained model beside the session; the session was not saved)"),
                           std::move(e));
    }
    return safe_write(path, session_to_json(state, view, trained_file));
}

Parsed<Session> load_session(const std::string& path) {
    auto text = read_text_file(path, 8u << 20);
    if (!text.ok()) return Parsed<Session>::fail(text.error);
    auto s = session_from_json(text.value, std::filesystem::path(path).parent_path().string());
    if (!s.ok()) s.error = message(N_("%s: %s. Nothing was changed."), path, std::move(s.error));
    return s;
}

} // namespace attn

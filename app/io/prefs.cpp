// Preferences as JSON in the XDG config directory (see prefs.hpp).
#include "prefs.hpp"

#include "safe_write.hpp"
#include "state_json.hpp"

#include <cstdlib>
#include <filesystem>

namespace attn {

using io::json;

std::string config_dir() {
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/attention-lab";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/attention-lab";
    return {};
}

namespace {

json model_to_json(const ModelSpec& m) {
    return {{"name", m.name},
            {"n_layers", m.dims.n_layers},
            {"d_model", m.dims.d_model},
            {"n_heads", m.dims.n_heads},
            {"n_kv_heads", m.dims.n_kv_heads},
            {"d_head", m.dims.d_head},
            {"context", m.context},
            {"sliding_window", m.sliding_window},
            {"encoder_only", m.encoder_only},
            {"note", m.note},
            {"source", m.source}};
}

// The same limits a config.json must meet when it is loaded (app/io/hf_config.cpp).
Message model_from_json(const json& j, ModelSpec& m) {
    const Message w = message(N_("A saved KV cache model"));
    if (!j.is_object()) return message(N_("kv_models must be a list of objects"));
    if (auto e = io::read_string(j, "name", m.name, w); !e.empty()) return e;
    for (auto [key, out] :
         {std::pair{"n_layers", &m.dims.n_layers}, std::pair{"d_model", &m.dims.d_model},
          std::pair{"n_heads", &m.dims.n_heads}, std::pair{"n_kv_heads", &m.dims.n_kv_heads},
          std::pair{"d_head", &m.dims.d_head}}) {
        if (auto e = io::read_int(j, key, *out, w); !e.empty()) return e;
        if (*out < 1)
            return message(N_("A saved KV cache model \"%s\" has %s %s (must be at least 1)"), m.name, key,
                           *out);
    }
    if (m.dims.n_heads % m.dims.n_kv_heads != 0)
        return message(
            N_("A saved KV cache model \"%s\" has %s heads, not a multiple of its %s key/value heads"),
            m.name, m.dims.n_heads, m.dims.n_kv_heads);
    for (auto [key, out] : {std::pair{"context", &m.context}, std::pair{"sliding_window", &m.sliding_window}})
        if (j.contains(key)) {
            if (auto e = io::read_int(j, key, *out, w); !e.empty()) return e;
            if (*out < 0) return message(N_("A saved KV cache model \"%s\" has a negative %s"), m.name, key);
        }
    if (j.contains("encoder_only"))
        if (auto e = io::read_bool(j, "encoder_only", m.encoder_only, w); !e.empty()) return e;
    for (auto [key, out] : {std::pair{"note", &m.note}, std::pair{"source", &m.source}})
        if (j.contains(key))
            if (auto e = io::read_string(j, key, *out, w); !e.empty()) return e;
    return {};
}

} // namespace

std::string prefs_to_json(const Prefs& p) {
    json j = {{"theme", p.theme},
              {"font_scale", p.font_scale},
              {"language", p.language},
              {"open_panels", p.open_panels},
              {"last_session", p.last_session},
              {"layout",
               {{"sidebar", p.sidebar_frac},
                {"sidebar_split", p.sidebar_split},
                {"split", p.split},
                {"panes", p.pane_frac},
                {"right", p.right_views},
                {"front", p.front_views}}}};
    json models = json::array();
    for (const ModelSpec& m : p.kv_models)
        models.push_back(model_to_json(m));
    j["kv_models"] = models;
    return j.dump(2) + "\n";
}

Parsed<Prefs> prefs_from_json(const std::string& text) {
    using P = Parsed<Prefs>;
    auto parsed = io::parse_json(text);
    if (!parsed.ok()) return P::fail(message(N_("preferences are not valid JSON (%s)"), parsed.error));
    const json& j = parsed.value;
    if (!j.is_object()) return P::fail(message(N_("preferences must be a JSON object")));
    Prefs p;
    const Message what = message(N_("Preferences"));
    if (j.contains("theme")) {
        if (auto e = io::read_string(j, "theme", p.theme, what); !e.empty()) return P::fail(e);
        if (p.theme != "dark" && p.theme != "light" && p.theme != "contrast")
            return P::fail(message(N_("unknown theme \"%s\""), p.theme));
    }
    if (j.contains("font_scale")) {
        if (auto e = io::read_float(j, "font_scale", p.font_scale, what); !e.empty()) return P::fail(e);
        if (!(p.font_scale >= 0.75f && p.font_scale <= 2.5f))
            return P::fail(message(N_("font_scale must be between 0.75 and 2.5")));
    }
    if (j.contains("language")) { // absent in files written before there was a choice: the environment's
        if (auto e = io::read_string(j, "language", p.language, what); !e.empty()) return P::fail(e);
        if (p.language != "" && p.language != "en" && p.language != "de")
            return P::fail(
                message(N_("unknown language \"%s\" (en, de, or \"\" for the system's)"), p.language));
    }
    if (const auto o = j.find("open_panels"); o != j.end()) {
        if (!o->is_array()) return P::fail(message(N_("open_panels must be a list of panel names")));
        for (const auto& n : *o) {
            if (!n.is_string()) return P::fail(message(N_("open_panels must be a list of panel names")));
            p.open_panels.push_back(n.get<std::string>());
        }
        p.has_open_panels = true;
    }
    if (j.contains("last_session"))
        if (auto e = io::read_string(j, "last_session", p.last_session, what); !e.empty()) return P::fail(e);
    if (const auto l = j.find("layout"); l != j.end()) {
        if (!l->is_object()) return P::fail(message(N_("layout must be a JSON object")));
        const Message lw = message(N_("The layout in the preferences"));
        for (auto [key, out] :
             {std::pair{"sidebar", &p.sidebar_frac}, std::pair{"sidebar_split", &p.sidebar_split},
              std::pair{"panes", &p.pane_frac}}) {
            if (!l->contains(key)) continue;
            if (auto e = io::read_float(*l, key, *out, lw); !e.empty()) return P::fail(e);
            if (!(*out >= 0.05f && *out <= 0.95f))
                return P::fail(message(N_("layout %s must be between 0.05 and 0.95"), key));
        }
        if (l->contains("split"))
            if (auto e = io::read_bool(*l, "split", p.split, lw); !e.empty()) return P::fail(e);
        for (auto [key, out] : {std::pair{"right", &p.right_views}, std::pair{"front", &p.front_views}}) {
            const auto a = l->find(key);
            if (a == l->end()) continue;
            if (!a->is_array()) return P::fail(message(N_("layout %s must be a list of panel names"), key));
            for (const auto& n : *a) {
                if (!n.is_string())
                    return P::fail(message(N_("layout %s must be a list of panel names"), key));
                out->push_back(n.get<std::string>());
            }
        }
    }
    if (const auto k = j.find("kv_models"); k != j.end()) {
        if (!k->is_array()) return P::fail(message(N_("kv_models must be a list of models")));
        for (const auto& m : *k) {
            ModelSpec spec;
            if (auto e = model_from_json(m, spec); !e.empty()) return P::fail(e);
            p.kv_models.push_back(std::move(spec));
        }
    }
    return P{p, {}};
}

Parsed<Prefs> load_prefs(const std::string& path) {
    auto text = read_text_file(path, 1u << 20);
    if (!text.ok()) return Parsed<Prefs>::fail(text.error);
    return prefs_from_json(text.value);
}

Message save_prefs(const std::string& path, const Prefs& p) {
    std::error_code ec;
    const auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) return message(N_("cannot create %s: %s"), dir.string(), ec.message());
    return safe_write(path, prefs_to_json(p));
}

} // namespace attn

// parse_hf_config(): field lookup with the alternative names used by different model families, then
// checks that the numbers make sense together (heads divide, head_dim resolves) before building the row.
#include "hf_config.hpp"

#include "state_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>

namespace attn {

namespace {

using nlohmann::json;

struct Field {
    std::optional<long long> value; // absent (or null) -> nullopt
    std::string name;               // the name found, or the preferred name when absent
    Message error;                  // present but not a positive integer
};

// The first of `names` present and non-null; its value must be a positive integer no larger than max.
Field find_int(const json& j, std::initializer_list<const char*> names, long long max) {
    Field f;
    f.name = *names.begin();
    for (const char* n : names) {
        const auto it = j.find(n);
        if (it == j.end() || it->is_null()) continue;
        f.name = n;
        long long v = 0;
        if (it->is_number_unsigned()) { // no wrap: 2^64-1 is out of range, not -1
            v = static_cast<long long>(
                std::min<std::uint64_t>(it->get<std::uint64_t>(), static_cast<std::uint64_t>(max) + 1));
        } else if (it->is_number_integer()) {
            v = it->get<long long>();
        } else if (it->is_number_float() && std::floor(it->get<double>()) == it->get<double>() &&
                   std::fabs(it->get<double>()) < 1e15) {
            v = static_cast<long long>(it->get<double>());
        } else {
            f.error = message(N_("field %s must be a whole number, found %s"), n, io::brief(*it));
            return f;
        }
        if (v < 1 || v > max) {
            f.error = message(N_("field %s = %s is out of range (1 .. %s)"), n, v, max);
            return f;
        }
        f.value = v;
        return f;
    }
    return f;
}

// what: the quantity, a template of its own ("the number of layers"); alternative: the other name.
Message missing(const char* what, const Field& f, const char* alternative) {
    return message(N_("missing field %s (or %s): %s is needed"), f.name, alternative, message(what));
}

} // namespace

Parsed<ModelSpec> parse_hf_config(const std::string& json_text, const std::string& name) {
    auto parsed = io::parse_json(json_text);
    if (!parsed.ok()) return Parsed<ModelSpec>::fail(message(N_("not valid JSON: %s"), parsed.error));
    const json& j = parsed.value;
    if (!j.is_object())
        return Parsed<ModelSpec>::fail(message(N_("a config.json must be a JSON object { ... }")));

    const Field layers = find_int(j, {"num_hidden_layers", "n_layer", "num_layers"}, 100000);
    const Field heads = find_int(j, {"num_attention_heads", "n_head", "num_heads"}, 100000);
    const Field hidden = find_int(j, {"hidden_size", "n_embd", "d_model"}, 1 << 24);
    const Field kv = find_int(j, {"num_key_value_heads", "n_head_kv", "num_kv_heads"}, 100000);
    const Field hd = find_int(j, {"head_dim"}, 1 << 20);
    const Field ctx = find_int(j, {"max_position_embeddings", "n_positions", "n_ctx"}, 1ll << 40);
    const Field win = find_int(j, {"sliding_window"}, 1ll << 40);
    for (const Field* f : {&layers, &heads, &hidden, &kv, &hd, &ctx})
        if (!f->error.empty()) return Parsed<ModelSpec>::fail(f->error);
    if (!layers.value) return Parsed<ModelSpec>::fail(missing(N_("the number of layers"), layers, "n_layer"));
    if (!heads.value)
        return Parsed<ModelSpec>::fail(missing(N_("the number of query heads"), heads, "n_head"));
    if (!hidden.value) return Parsed<ModelSpec>::fail(missing(N_("the model width"), hidden, "n_embd"));

    ModelSpec m;
    m.dims.n_layers = static_cast<int>(*layers.value);
    m.dims.n_heads = static_cast<int>(*heads.value);
    m.dims.d_model = static_cast<int>(*hidden.value);
    // Falcon: multi_query true means a single key/value head, whatever n_head_kv a saved config carries,
    // unless the newer decoder architecture (which uses n_head_kv) is on.
    const auto mq = j.find("multi_query");
    const auto nda = j.find("new_decoder_architecture");
    const bool new_arch = nda != j.end() && nda->is_boolean() && nda->get<bool>();
    if (mq != j.end() && !mq->is_null() && !mq->is_boolean())
        return Parsed<ModelSpec>::fail(
            message(N_("field multi_query must be true or false, found %s"), io::brief(*mq)));
    if (mq != j.end() && mq->is_boolean() && mq->get<bool>() && !new_arch) {
        m.dims.n_kv_heads = 1;
        m.note = "MQA (multi_query)";
    } else {
        m.dims.n_kv_heads = kv.value ? static_cast<int>(*kv.value) : m.dims.n_heads;
        if (!kv.error.empty()) return Parsed<ModelSpec>::fail(kv.error);
    }
    if (m.dims.n_kv_heads > m.dims.n_heads || m.dims.n_heads % m.dims.n_kv_heads != 0)
        return Parsed<ModelSpec>::fail(message(
            N_("%s = %s must divide %s = %s (each key/value head serves a whole group of query heads)"),
            kv.name, m.dims.n_kv_heads, heads.name, m.dims.n_heads));
    if (hd.value) {
        m.dims.d_head = static_cast<int>(*hd.value);
    } else if (m.dims.d_model % m.dims.n_heads != 0) {
        return Parsed<ModelSpec>::fail(
            message(N_("missing field head_dim, and %s = %s is not divisible by %s = %s"), hidden.name,
                    m.dims.d_model, heads.name, m.dims.n_heads));
    } else {
        m.dims.d_head = m.dims.d_model / m.dims.n_heads;
    }
    m.context = ctx.value ? static_cast<int>(std::min<long long>(*ctx.value, 1 << 30)) : 0;
    // Qwen2 writes a sliding_window but switches it off with use_sliding_window: false.
    const auto use_win = j.find("use_sliding_window");
    const bool win_off = use_win != j.end() && use_win->is_boolean() && !use_win->get<bool>();
    if (!win.error.empty() && !win_off) return Parsed<ModelSpec>::fail(win.error);
    if (win.value && !win_off) m.sliding_window = static_cast<int>(std::min<long long>(*win.value, 1 << 30));

    const auto type = j.find("model_type");
    const std::string model_type = type != j.end() && type->is_string() ? type->get<std::string>() : "";
    m.encoder_only = model_type == "bert" || model_type == "roberta" || model_type == "distilbert" ||
                     model_type == "electra";
    const auto path = j.find("_name_or_path");
    m.name = path != j.end() && path->is_string() && !path->get<std::string>().empty()
                 ? path->get<std::string>()
                 : name;
    if (m.name.empty()) m.name = model_type.empty() ? "loaded model" : model_type;
    if (m.note.empty()) m.note = attention_kind(m.dims);
    if (m.sliding_window > 0) m.note += "; sliding window " + std::to_string(m.sliding_window);
    return Parsed<ModelSpec>{std::move(m), {}};
}

Parsed<ModelSpec> load_hf_config(const std::string& path) {
    auto text = read_text_file(path, 4u << 20);
    if (!text.ok()) return Parsed<ModelSpec>::fail(text.error);
    std::string stem = path;
    if (const auto s = stem.find_last_of('/'); s != std::string::npos) stem = stem.substr(s + 1);
    auto r = parse_hf_config(text.value, stem);
    if (!r.ok())
        r.error = message(N_("%s: %s"), path, std::move(r.error));
    else
        r.value.source = path;
    return r;
}

} // namespace attn

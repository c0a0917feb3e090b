// ModelConfig <-> JSON and the typed field readers used by sessions and scripts.
#include "state_json.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace attn::io {

namespace {

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : s)
        if (c == ' ' || c == '-') c = '_';
    return s;
}

std::string type_name(const json& j) {
    return j.type_name();
}

} // namespace

namespace {

struct JsonRefusal {
    std::string why;
};

std::string clip(std::string s, std::size_t n) {
    if (s.size() > n) s = s.substr(0, n) + "...";
    return s;
}

} // namespace

JsonParse parse_json(std::string_view text, bool allow_comments) {
    JsonParse out;
    std::vector<std::vector<std::string>> keys; // the keys seen in each open object
    const auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
        switch (event) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start:
            if (depth >= k_max_json_depth)
                throw JsonRefusal{"it nests lists and objects more than " + std::to_string(k_max_json_depth) +
                                  " levels deep"};
            if (event == json::parse_event_t::object_start) keys.emplace_back();
            break;
        case json::parse_event_t::key: {
            auto& seen = keys.back();
            const std::string& k = parsed.get_ref<const std::string&>();
            if (std::find(seen.begin(), seen.end(), k) != seen.end())
                throw JsonRefusal{"the key \"" + clip(k, 60) + "\" appears twice in one object"};
            seen.push_back(k);
            break;
        }
        case json::parse_event_t::object_end:
            keys.pop_back();
            break;
        default:
            break;
        }
        return true;
    };
    try {
        out.value = json::parse(text.begin(), text.end(), callback, true, allow_comments);
    } catch (const JsonRefusal& r) {
        out.error = r.why;
    } catch (const json::parse_error& e) {
        out.error = clip(e.what(), 300);
        out.byte = e.byte > 0 ? e.byte - 1 : 0;
    } catch (const json::exception& e) { // out_of_range 406: a number such as 1e999
        out.error = clip(e.what(), 300);
    } catch (const std::exception& e) {
        out.error = std::string("cannot read it: ") + e.what();
    }
    if (!out.error.empty()) {
        // strip nlohmann's "[json.exception.parse_error.101] " prefix: the user needs the rest
        if (out.error.rfind("[json.exception.", 0) == 0)
            if (const auto close = out.error.find("] "); close != std::string::npos)
                out.error = out.error.substr(close + 2);
        out.value = json{};
    }
    return out;
}

std::string check_keys(const json& obj, const std::vector<std::string_view>& known, const std::string& what) {
    if (!obj.is_object()) return {};
    for (const auto& [key, value] : obj.items()) {
        if (std::find(known.begin(), known.end(), key) != known.end()) continue;
        std::string list;
        for (const auto k : known)
            list += (list.empty() ? "" : ", ") + std::string(k);
        return what + " has no field \"" + clip(key, 60) + "\"" +
               (list.empty() ? std::string(" (it takes none)") : " (known: " + list + ")") + ".";
    }
    return {};
}

bool to_int(const json& v, int& out) {
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) return false;
        out = static_cast<int>(u);
        return true;
    }
    if (v.is_number_integer()) {
        const auto i = v.get<std::int64_t>();
        if (i < std::numeric_limits<int>::min() || i > std::numeric_limits<int>::max()) return false;
        out = static_cast<int>(i);
        return true;
    }
    return false;
}

std::string brief(const json& v) {
    if (v.is_array()) return v.empty() ? "[]" : "a list";
    if (v.is_object()) return v.empty() ? "{}" : "an object";
    return clip(v.dump(), 60);
}

std::optional<MaskKind> mask_from_name(const std::string& s) {
    const std::string n = lower(s);
    if (n == "bidirectional" || n == "none") return MaskKind::Bidirectional;
    if (n == "causal") return MaskKind::Causal;
    if (n == "sliding_window" || n == "sliding" || n == "window") return MaskKind::SlidingWindow;
    return std::nullopt;
}
std::optional<PositionKind> positions_from_name(const std::string& s) {
    const std::string n = lower(s);
    if (n == "none") return PositionKind::None;
    if (n == "sinusoidal") return PositionKind::Sinusoidal;
    if (n == "learned") return PositionKind::Learned;
    if (n == "rope") return PositionKind::Rope;
    if (n == "alibi") return PositionKind::Alibi;
    return std::nullopt;
}
std::optional<Implementation> implementation_from_name(const std::string& s) {
    const std::string n = lower(s);
    if (n == "reference") return Implementation::Reference;
    if (n == "matrix") return Implementation::Matrix;
    if (n == "flash") return Implementation::Flash;
    return std::nullopt;
}
std::string file_name(MaskKind m) {
    return lower(to_string(m));
}
std::string file_name(PositionKind p) {
    return lower(to_string(p));
}
std::string file_name(Implementation i) {
    return lower(to_string(i));
}

std::string read_int(const json& obj, const char* field, int& out, const std::string& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return what + " needs \"" + field + "\" (a whole number).";
    if (it->is_number_integer()) {
        if (!to_int(*it, out))
            return what + ": \"" + field + "\" is out of range (" + brief(*it) +
                   " does not fit a whole number of " + "at most 2147483647).";
        return {};
    }
    if (it->is_number_float()) {
        const double v = it->get<double>();
        if (std::floor(v) == v && std::fabs(v) < 1e9) {
            out = static_cast<int>(v);
            return {};
        }
    }
    return what + ": \"" + field + "\" must be a whole number, not " + brief(*it) + ".";
}

std::string read_float(const json& obj, const char* field, float& out, const std::string& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return what + " needs \"" + field + "\" (a number).";
    if (!it->is_number()) return what + ": \"" + field + "\" must be a number, not " + brief(*it) + ".";
    const double v = it->get<double>();
    if (!(std::fabs(v) <= static_cast<double>(std::numeric_limits<float>::max())))
        return what + ": \"" + field + "\" is " + brief(*it) +
               ", beyond the largest number a float holds (about 3.4e38).";
    out = static_cast<float>(v);
    return {};
}

std::string read_string(const json& obj, const char* field, std::string& out, const std::string& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return what + " needs \"" + field + "\" (text).";
    if (!it->is_string()) return what + ": \"" + field + "\" must be text in quotes, not " + brief(*it) + ".";
    out = it->get<std::string>();
    return {};
}

std::string read_bool(const json& obj, const char* field, bool& out, const std::string& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return what + " needs \"" + field + "\" (true or false).";
    if (!it->is_boolean()) return what + ": \"" + field + "\" must be true or false, not " + brief(*it) + ".";
    out = it->get<bool>();
    return {};
}

json config_to_json(const ModelConfig& c) {
    return json{{"d_model", c.d_model},
                {"n_layers", c.n_layers},
                {"n_heads", c.n_heads},
                {"n_kv_heads", c.n_kv_heads},
                {"d_head", c.d_head},
                {"mask", file_name(c.mask)},
                {"window", c.window},
                {"positions", file_name(c.positions)},
                {"temperature", c.temperature},
                {"scale", c.scale},
                {"seed", c.seed},
                {"implementation", file_name(c.implementation)},
                {"flash_block_q", c.flash_block_q},
                {"flash_block_k", c.flash_block_k},
                {"max_positions", c.max_positions}};
}

Parsed<ModelConfig> config_from_json(const json& j, const ModelConfig& base) {
    using P = Parsed<ModelConfig>;
    if (!j.is_object())
        return P::fail("the model settings must be an object { ... }, not " + type_name(j) + ".");
    ModelConfig c = base;
    const std::string what = "The model settings";
    for (const auto& [key, value] : j.items()) {
        std::string err;
        if (key == "d_model")
            err = read_int(j, "d_model", c.d_model, what);
        else if (key == "n_layers")
            err = read_int(j, "n_layers", c.n_layers, what);
        else if (key == "n_heads")
            err = read_int(j, "n_heads", c.n_heads, what);
        else if (key == "n_kv_heads")
            err = read_int(j, "n_kv_heads", c.n_kv_heads, what);
        else if (key == "d_head")
            err = read_int(j, "d_head", c.d_head, what);
        else if (key == "window")
            err = read_int(j, "window", c.window, what);
        else if (key == "flash_block_q")
            err = read_int(j, "flash_block_q", c.flash_block_q, what);
        else if (key == "flash_block_k")
            err = read_int(j, "flash_block_k", c.flash_block_k, what);
        else if (key == "max_positions")
            err = read_int(j, "max_positions", c.max_positions, what);
        else if (key == "temperature")
            err = read_float(j, "temperature", c.temperature, what);
        else if (key == "scale")
            err = read_float(j, "scale", c.scale, what);
        else if (key == "seed") {
            if (!value.is_number_unsigned())
                err = what + ": \"seed\" must be a whole number >= 0.";
            else
                c.seed = value.get<std::uint64_t>();
        } else if (key == "mask" || key == "positions" || key == "implementation") {
            std::string name;
            err = read_string(j, key.c_str(), name, what);
            if (err.empty()) {
                if (key == "mask") {
                    if (auto m = mask_from_name(name))
                        c.mask = *m;
                    else
                        err = "Unknown mask \"" + name + "\" (bidirectional, causal or sliding_window).";
                } else if (key == "positions") {
                    if (auto p = positions_from_name(name))
                        c.positions = *p;
                    else
                        err =
                            "Unknown positions \"" + name + "\" (none, sinusoidal, learned, rope or alibi).";
                } else {
                    if (auto i = implementation_from_name(name))
                        c.implementation = *i;
                    else
                        err = "Unknown implementation \"" + name + "\" (reference, matrix or flash).";
                }
            }
        } else {
            err = what + " have no field \"" + key + "\".";
        }
        if (!err.empty()) return P::fail(err);
    }
    return P{c, {}};
}

} // namespace attn::io

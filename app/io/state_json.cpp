// ModelConfig <-> JSON and the typed field readers used by sessions and scripts.
#include "state_json.hpp"

#include <cctype>
#include <cmath>
#include <limits>

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
        const auto v = it->get<long long>();
        if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
            return what + ": \"" + field + "\" is out of range.";
        out = static_cast<int>(v);
        return {};
    }
    if (it->is_number_float()) {
        const double v = it->get<double>();
        if (std::floor(v) == v && std::fabs(v) < 1e9) {
            out = static_cast<int>(v);
            return {};
        }
    }
    return what + ": \"" + field + "\" must be a whole number, not " + it->dump() + ".";
}

std::string read_float(const json& obj, const char* field, float& out, const std::string& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return what + " needs \"" + field + "\" (a number).";
    if (!it->is_number()) return what + ": \"" + field + "\" must be a number, not " + it->dump() + ".";
    out = it->get<float>();
    return {};
}

std::string read_string(const json& obj, const char* field, std::string& out, const std::string& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return what + " needs \"" + field + "\" (text).";
    if (!it->is_string()) return what + ": \"" + field + "\" must be text in quotes, not " + it->dump() + ".";
    out = it->get<std::string>();
    return {};
}

std::string read_bool(const json& obj, const char* field, bool& out, const std::string& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return what + " needs \"" + field + "\" (true or false).";
    if (!it->is_boolean()) return what + ": \"" + field + "\" must be true or false, not " + it->dump() + ".";
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

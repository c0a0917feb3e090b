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
    Message why;
};

std::string clip(std::string s, std::size_t n) {
    if (s.size() > n) s = s.substr(0, n) + "...";
    return s;
}

// The word or character of the text at `byte` (where nlohmann stopped): "tru" of "tru}", "," of ",,".
std::string text_at(std::string_view t, std::size_t byte) {
    if (byte >= t.size()) return {};
    const auto word = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '+' || c == '-';
    };
    std::size_t end = byte;
    if (word(t[end])) {
        while (end < t.size() && word(t[end]))
            ++end;
    } else if (end == 0 || !word(t[end - 1])) { // one character (all bytes of a UTF-8 sequence)
        end = byte + 1;
        while (end < t.size() && (static_cast<unsigned char>(t[end]) & 0xC0) == 0x80)
            ++end;
        return std::string(t.substr(byte, end - byte));
    }
    std::size_t begin = end;
    while (begin > 0 && word(t[begin - 1]))
        --begin;
    return clip(std::string(t.substr(begin, end - begin)), 40);
}

// nlohmann's syntax error in words a translation can hold (its own text is fixed English); `near` is the
// text where it stopped.
Message syntax_detail(const std::string& what, const std::string& near) {
    if (what.find("unexpected end of input") != std::string::npos)
        return message(N_("the text ends before the JSON value is complete"));
    if (what.find("expected end of input") != std::string::npos)
        return message(N_("there is more text after the JSON value, starting with \"%s\""), near);
    if (what.find("invalid literal") != std::string::npos)
        return message(N_("\"%s\" is not a JSON value (text needs quotes; true, false and null are written "
                          "in lower case)"),
                       near);
    if (what.find("control character") != std::string::npos)
        return message(N_("a line break or control character inside quotes must be written as an escape "
                          "such as \\n"));
    if (what.find("invalid string") != std::string::npos || what.find("UTF-8") != std::string::npos)
        return message(N_("a text in quotes is not valid (a bad escape or bytes that are not UTF-8)"));
    if (!near.empty()) return message(N_("syntax error: unexpected \"%s\""), near);
    return message(N_("syntax error"));
}

// Line and column (1-based) of a byte offset in the text.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t byte) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n')
            ++line, column = 1;
        else
            ++column;
    }
    return {line, column};
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
                throw JsonRefusal{
                    message(N_("it nests lists and objects more than %s levels deep"), k_max_json_depth)};
            if (event == json::parse_event_t::object_start) keys.emplace_back();
            break;
        case json::parse_event_t::key: {
            auto& seen = keys.back();
            const std::string& k = parsed.get_ref<const std::string&>();
            if (std::find(seen.begin(), seen.end(), k) != seen.end())
                throw JsonRefusal{message(N_("the key \"%s\" appears twice in one object"), clip(k, 60))};
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
        out.error = out.detail = r.why;
    } catch (const json::parse_error& e) {
        out.byte = e.byte > 0 ? e.byte - 1 : 0;
        out.detail = syntax_detail(e.what(), text_at(text, out.byte));
        const auto [line, column] = line_column(text, out.byte);
        out.error = message(N_("parse error at line %s, column %s: %s"), line, column, out.detail);
    } catch (const json::out_of_range& e) { // 406: a number such as 1e999
        const std::string what = e.what();
        const auto quote = what.find('\'');
        const std::string number = quote == std::string::npos
                                       ? std::string{}
                                       : clip(what.substr(quote + 1, what.rfind('\'') - quote - 1), 40);
        out.error = out.detail =
            message(N_("number overflow: %s is beyond the largest number a file may hold"), number);
    } catch (const std::exception& e) {
        out.error = out.detail = message(N_("cannot read it: %s"), clip(e.what(), 300));
    }
    if (!out.ok()) out.value = json{};
    return out;
}

Message check_keys(const json& obj, const std::vector<std::string_view>& known, const Message& what) {
    if (!obj.is_object()) return {};
    for (const auto& [key, value] : obj.items()) {
        if (std::find(known.begin(), known.end(), key) != known.end()) continue;
        std::string list;
        for (const auto k : known)
            list += (list.empty() ? "" : ", ") + std::string(k);
        if (list.empty()) return message(N_("%s has no field \"%s\" (it takes none)"), what, clip(key, 60));
        return message(N_("%s has no field \"%s\" (known: %s)"), what, clip(key, 60), list);
    }
    return {};
}

Message check_keys(const json& obj, const std::vector<std::string_view>& known, const std::string& what) {
    return check_keys(obj, known, verbatim(what));
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

Message brief(const json& v) {
    if (v.is_array()) return v.empty() ? verbatim("[]") : message(N_("a list"));
    if (v.is_object()) return v.empty() ? verbatim("{}") : message(N_("an object"));
    return verbatim(clip(v.dump(), 60));
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

Message read_int(const json& obj, const char* field, int& out, const Message& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return message(N_("%s needs \"%s\" (a whole number)"), what, field);
    if (it->is_number_integer()) {
        if (!to_int(*it, out))
            return message(N_("%s: \"%s\" is out of range (%s does not fit a whole number of at most "
                              "2147483647)"),
                           what, field, brief(*it));
        return {};
    }
    if (it->is_number_float()) {
        const double v = it->get<double>();
        if (std::floor(v) == v && std::fabs(v) < 1e9) {
            out = static_cast<int>(v);
            return {};
        }
    }
    return message(N_("%s: \"%s\" must be a whole number, not %s"), what, field, brief(*it));
}

Message read_float(const json& obj, const char* field, float& out, const Message& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return message(N_("%s needs \"%s\" (a number)"), what, field);
    if (!it->is_number()) return message(N_("%s: \"%s\" must be a number, not %s"), what, field, brief(*it));
    const double v = it->get<double>();
    if (!(std::fabs(v) <= static_cast<double>(std::numeric_limits<float>::max())))
        return message(N_("%s: \"%s\" is %s, beyond the largest number a float holds (about 3.4e38)"), what,
                       field, brief(*it));
    out = static_cast<float>(v);
    return {};
}

Message read_string(const json& obj, const char* field, std::string& out, const Message& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return message(N_("%s needs \"%s\" (text)"), what, field);
    if (!it->is_string())
        return message(N_("%s: \"%s\" must be text in quotes, not %s"), what, field, brief(*it));
    out = it->get<std::string>();
    return {};
}

Message read_bool(const json& obj, const char* field, bool& out, const Message& what) {
    const auto it = obj.find(field);
    if (it == obj.end()) return message(N_("%s needs \"%s\" (true or false)"), what, field);
    if (!it->is_boolean())
        return message(N_("%s: \"%s\" must be true or false, not %s"), what, field, brief(*it));
    out = it->get<bool>();
    return {};
}

Message read_int(const json& obj, const char* field, int& out, const std::string& what) {
    return read_int(obj, field, out, verbatim(what));
}
Message read_float(const json& obj, const char* field, float& out, const std::string& what) {
    return read_float(obj, field, out, verbatim(what));
}
Message read_string(const json& obj, const char* field, std::string& out, const std::string& what) {
    return read_string(obj, field, out, verbatim(what));
}
Message read_bool(const json& obj, const char* field, bool& out, const std::string& what) {
    return read_bool(obj, field, out, verbatim(what));
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

Message unknown_mask(const std::string& name) {
    return message(N_("Unknown mask \"%s\" (bidirectional, causal or sliding_window)"), clip(name, 60));
}
Message unknown_positions(const std::string& name) {
    return message(N_("Unknown positions \"%s\" (none, sinusoidal, learned, rope or alibi)"), clip(name, 60));
}
Message unknown_implementation(const std::string& name) {
    return message(N_("Unknown implementation \"%s\" (reference, matrix or flash)"), clip(name, 60));
}

Parsed<ModelConfig> config_from_json(const json& j, const ModelConfig& base) {
    using P = Parsed<ModelConfig>;
    if (!j.is_object())
        return P::fail(message(N_("the model settings must be an object { ... }, not %s"), type_name(j)));
    ModelConfig c = base;
    const Message what = message(N_("The model settings"));
    for (const auto& [key, value] : j.items()) {
        Message err;
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
                err = message(N_("%s: \"seed\" must be a whole number >= 0"), what);
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
                        err = unknown_mask(name);
                } else if (key == "positions") {
                    if (auto p = positions_from_name(name))
                        c.positions = *p;
                    else
                        err = unknown_positions(name);
                } else {
                    if (auto i = implementation_from_name(name))
                        c.implementation = *i;
                    else
                        err = unknown_implementation(name);
                }
            }
        } else {
            err = message(N_("The model settings have no field \"%s\""), clip(key, 60));
        }
        if (!err.empty()) return P::fail(err);
    }
    return P{c, {}};
}

} // namespace attn::io

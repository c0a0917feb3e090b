// JSON forms of ModelConfig and its enums, shared by sessions and scripts. Internal to attn_io: it
// includes nlohmann_json, which is kept out of every other translation unit (slow to compile).
#pragma once

#include "app/io/json_util.hpp"
#include "core/config.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attn::io {

using nlohmann::json;

// ---- parsing ------------------------------------------------------------------------------------------
// The one way attn_io turns text into JSON. Never throws. Refuses, with a message: syntax errors, numbers
// out of range (1e999), nesting deeper than k_max_json_depth (so nothing recursive can overflow the stack on
// a file of 200 KB of '['), duplicate keys in an object, and anything after the top-level value.
inline constexpr int k_max_json_depth = 64;

struct JsonParse {
    json value;
    Message error;        // empty on success: "parse error at line 3, column 7: ..." or the refusal
    Message detail;       // the same without the place (a script entry names its own line)
    std::size_t byte = 0; // where the error was found (0-based), when known
    bool ok() const { return error.empty(); }
};
JsonParse parse_json(std::string_view text, bool allow_comments = false);

// Names every key of `obj` that is not in `known` (the first one found): empty when all are known, else
// "<what> has no field \"windw\" (known: a, b, c)". Key names stay as written (they are file syntax); `what`
// is a translated label (message(N_("The session"))) or, as a string, a name shown as it is ("SetMask").
Message check_keys(const json& obj, const std::vector<std::string_view>& known, const Message& what);
Message check_keys(const json& obj, const std::vector<std::string_view>& known, const std::string& what);

// A whole number that fits an int, without wrapping (4294967297 is not 1). False for anything else.
bool to_int(const json& v, int& out);

// A short form of a value for a message: at most ~60 characters, never recursing into deep values ("a list"
// and "an object" are translated where the message is shown).
Message brief(const json& v);

// Names as written in files: "causal", "sliding_window", "rope", "flash", ... (case-insensitive on read).
std::optional<MaskKind> mask_from_name(const std::string& s);
std::optional<PositionKind> positions_from_name(const std::string& s);
std::optional<Implementation> implementation_from_name(const std::string& s);
std::string file_name(MaskKind m);
std::string file_name(PositionKind p);
std::string file_name(Implementation i);

json config_to_json(const ModelConfig& c);
// "Unknown mask \"x\" (bidirectional, causal or sliding_window)." and the same for the other two names.
Message unknown_mask(const std::string& name);
Message unknown_positions(const std::string& name);
Message unknown_implementation(const std::string& name);

// Starts from `base` and overrides the fields present; unknown keys and wrong types are errors.
Parsed<ModelConfig> config_from_json(const json& j, const ModelConfig& base);

// Typed field readers: empty on success, otherwise "<what> needs \"<field>\" (<type>)." and the like, as
// message templates the window translates (the command line reads them with english()). `what` as for
// check_keys.
Message read_int(const json& obj, const char* field, int& out, const Message& what);
Message read_float(const json& obj, const char* field, float& out, const Message& what);
Message read_string(const json& obj, const char* field, std::string& out, const Message& what);
Message read_bool(const json& obj, const char* field, bool& out, const Message& what);
Message read_int(const json& obj, const char* field, int& out, const std::string& what);
Message read_float(const json& obj, const char* field, float& out, const std::string& what);
Message read_string(const json& obj, const char* field, std::string& out, const std::string& what);
Message read_bool(const json& obj, const char* field, bool& out, const std::string& what);

} // namespace attn::io

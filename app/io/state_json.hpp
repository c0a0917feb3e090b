// JSON forms of ModelConfig and its enums, shared by sessions and scripts. Internal to attn_io: it
// includes nlohmann_json, which is kept out of every other translation unit (slow to compile).
#pragma once

#include "app/io/json_util.hpp"
#include "core/config.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace attn::io {

using nlohmann::json;

// Names as written in files: "causal", "sliding_window", "rope", "flash", ... (case-insensitive on read).
std::optional<MaskKind> mask_from_name(const std::string& s);
std::optional<PositionKind> positions_from_name(const std::string& s);
std::optional<Implementation> implementation_from_name(const std::string& s);
std::string file_name(MaskKind m);
std::string file_name(PositionKind p);
std::string file_name(Implementation i);

json config_to_json(const ModelConfig& c);
// Starts from `base` and overrides the fields present; unknown keys and wrong types are errors.
Parsed<ModelConfig> config_from_json(const json& j, const ModelConfig& base);

// Typed field readers: an empty string on success, otherwise "<what> needs <field> as <type>".
std::string read_int(const json& obj, const char* field, int& out, const std::string& what);
std::string read_float(const json& obj, const char* field, float& out, const std::string& what);
std::string read_string(const json& obj, const char* field, std::string& out, const std::string& what);
std::string read_bool(const json& obj, const char* field, bool& out, const std::string& what);

} // namespace attn::io

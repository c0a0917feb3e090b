// The script commands' table (script_commands.cpp), shared by the script and lesson readers through
// parse_script_entry. Internal to attn_io: it includes nlohmann_json.
#pragma once

#include "app/io/json_util.hpp"
#include "app/state/app_state.hpp"
#include "state_json.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace attn::io {

using CommandParser = std::function<Parsed<Command>(const json&, const std::string& what)>;

// Command name -> how to read its fields. Field names match the C++ struct members.
const std::map<std::string, CommandParser>& command_table();
// Command name -> the fields it takes besides "cmd" (a misspelt field is an error, not a silent default).
const std::map<std::string, std::vector<std::string_view>>& command_fields();

} // namespace attn::io

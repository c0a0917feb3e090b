// Reads a Hugging Face config.json into a model row for the KV-cache calculator. Understands the Llama
// family's names (num_hidden_layers, num_attention_heads, num_key_value_heads, head_dim, sliding_window),
// GPT-2's (n_layer, n_head, n_embd, n_positions) and Falcon's (n_head_kv, multi_query).
#pragma once

#include "app/io/json_util.hpp"
#include "core/model_table.hpp"

#include <string>

namespace attn {

// Parses the text of a config.json. `name` becomes the row's name when the file names no model.
// Every missing or nonsensical field gives a message naming that field; nothing throws.
Parsed<ModelSpec> parse_hf_config(const std::string& json_text, const std::string& name);
// Reads and parses a file; the row's source is the path.
Parsed<ModelSpec> load_hf_config(const std::string& path);

} // namespace attn

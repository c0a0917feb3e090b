// Real model configurations (PEERS.md), each row read from the model's published config.json, so the
// KV-cache calculator and the scaling plots can show real models next to the live toy one.
#pragma once

#include "cost.hpp"

#include <string>
#include <vector>

namespace attn {

struct ModelSpec {
    std::string name;
    cost::Dims dims;           // n_layers, d_model, n_heads, n_kv_heads, d_head
    int context = 0;           // max_position_embeddings (or n_positions / n_ctx for GPT-2)
    int sliding_window = 0;    // 0 = none; otherwise the KV cache holds at most this many tokens
    bool encoder_only = false; // BERT: no causal decoding, no KV cache in use
    std::string note;          // MHA / GQA / MQA and anything surprising
    std::string source;        // where the numbers come from

    bool operator==(const ModelSpec&) const = default;
};

// The built-in table, in the order of PEERS.md.
const std::vector<ModelSpec>& model_table();
// The row with this exact name, or nullptr.
const ModelSpec* find_model(const std::string& name);
// "MHA", "GQA" or "MQA" from the head counts.
const char* attention_kind(const cost::Dims& d);

} // namespace attn

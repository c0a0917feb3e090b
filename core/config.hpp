// The model configuration the learner controls, and validate(), which explains every invalid combination.
// Dimension names follow DESIGN.md: n_ is a count, d_ a width.
#pragma once

#include "message.hpp"

#include <cstdint>
#include <string>

namespace attn {

enum class MaskKind { Bidirectional, Causal, SlidingWindow };
enum class PositionKind { None, Sinusoidal, Learned, Rope, Alibi };
enum class Implementation { Reference, Matrix, Flash };

// English names, marked for the catalogue: the interface shows _(to_string(...)), files store them as is.
const char* to_string(MaskKind);
const char* to_string(PositionKind);
const char* to_string(Implementation);

struct ModelConfig {
    int vocab_size = 0; // 0: words are hashed to fixed vectors (the untrained live model); else a trained
                        // model's token table with a final LayerNorm and an output layer over the vocabulary
    int d_model = 64;
    int n_layers = 1;
    int n_heads = 1;
    int n_kv_heads = 1; // n_heads: MHA, a divisor of n_heads: GQA, 1: MQA
    int d_head = 0;     // 0 means d_model / n_heads
    int d_ff = 0;       // hidden width of each block's MLP, 0 = attention-only blocks
    MaskKind mask = MaskKind::Bidirectional;
    int window = 4; // sliding window: a query sees itself and the window-1 keys before it
    PositionKind positions = PositionKind::Sinusoidal;
    float temperature = 1.0f; // scores are multiplied by scale / temperature
    float scale = 0.0f;       // 0 means 1 / sqrt(d_head)
    std::uint64_t seed = 1;
    Implementation implementation = Implementation::Matrix;
    int flash_block_q = 16;   // flash attention tile height (query rows)
    int flash_block_k = 16;   // flash attention tile width (key columns)
    int max_positions = 4096; // rows of the learned position table

    bool operator==(const ModelConfig&) const = default;
};

// d_head, resolving the "0 means d_model / n_heads" default.
int head_dim(const ModelConfig& c);
// The score multiplier: (scale or 1/sqrt(d_head)) / temperature.
float score_scale(const ModelConfig& c);
// Which key/value head query head h reads: h / (n_heads / n_kv_heads).
inline int kv_head_of(const ModelConfig& c, int h) {
    return h / (c.n_heads / c.n_kv_heads);
}

// Empty when the configuration is valid, otherwise one readable sentence saying what is wrong (english()
// reads it; the interface shows it translated).
Message validate(const ModelConfig& c);

// Limits that keep the live app responsive (it shows at most 512 tokens and recomputes on every edit);
// validate() enforces them. Real models are larger: their table lives with the cost model, not here.
inline constexpr int k_max_d_model = 1024;
inline constexpr int k_max_layers = 6;
inline constexpr int k_max_heads = 16;
inline constexpr int k_max_head_width = 4096;     // n_heads · d_head, the width of W_Q
inline constexpr int k_max_positions = 8192;      // rows of the learned position table
inline constexpr int k_max_vocab = 65536;         // a trained model's vocabulary
inline constexpr int k_max_d_ff = 4096;           // MLP hidden width
inline constexpr int k_max_flash_block = 1024;    // largest flash tile side
inline constexpr float k_min_temperature = 1e-3f; // temperatures outside [1e-3, 1e3] teach nothing more
inline constexpr float k_max_temperature = 1e3f;

} // namespace attn

// One multi-head attention block from given weights, as a framework's MHA module computes it (no biases,
// no LayerNorm, no residual; weights multiply from the right, x @ W):
//   Q = X W_Q (n, H·d_head)   K = X W_K, V = X W_V (n, H_kv·d_head)   head h reads K/V head h / (H / H_kv)
//   O_h = softmax(scale · Q_h K_gᵀ + bias) V_g   output = concat_h(O_h) W_O (n, d_model)
// or the same from Q, K, V given per head. Positions: sinusoidal added to X, RoPE on Q/K, ALiBi bias.
#pragma once

#include "attention.hpp"
#include "config.hpp"
#include "types.hpp"

#include <vector>

namespace attn {

struct BlockOptions {
    int n_heads = 1;
    int n_kv_heads = 1; // divides n_heads
    MaskSpec mask;
    PositionKind positions = PositionKind::None; // Learned is not supported here (no table is given)
    float scale = 0.0f;                          // 0 means 1 / sqrt(d_head)
    Implementation implementation = Implementation::Matrix;
    FlashOptions flash;
};

struct BlockInputs {
    Matrix x;                 // (n_tokens, d_model); empty when q/k/v are given per head
    Matrix w_q;               // (d_model, n_heads · d_head)
    Matrix w_k, w_v;          // (d_model, n_kv_heads · d_head)
    Matrix w_o;               // (n_heads · d_head, d_model); empty = no output projection
    std::vector<Matrix> q;    // (n_heads) × (n_tokens, d_head), used when x is empty
    std::vector<Matrix> k, v; // (n_kv_heads) × (n_tokens, d_head)
};

struct BlockResult {
    int d_head = 0;
    std::vector<AttentionResult> heads; // (n_heads) scores and weights (n, n), output (n, d_head)
    Matrix concat;                      // (n_tokens, n_heads · d_head) head outputs side by side
    Matrix output;                      // (n_tokens, d_model) concat W_O, or concat when there is no W_O
};

// Requires shapes that agree with the options (the caller checks them and reports to the user).
// With Implementation::Flash, scores and weights come from the matrix form (flash never forms them) and
// each head's output from the tiled flash kernel.
BlockResult attention_block(const BlockInputs& in, const BlockOptions& opt);

} // namespace attn

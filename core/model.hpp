// A small transformer's attention stack: token embeddings + positions, then n_layers blocks of
//   x_norm = LayerNorm(x)                    (pre-LN)
//   head h: q = x_norm W_Q[h], k = x_norm W_K[g], v = x_norm W_V[g], g = h / (n_heads / n_kv_heads)
//   x      = x + concat(head outputs) W_O    (residual)
// MHA, GQA and MQA are the same code through the head ratio. Every intermediate is kept for the UI.
#pragma once

#include "attention.hpp"
#include "config.hpp"
#include "parallel.hpp"
#include "stats.hpp"
#include "types.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace attn {

struct LayerWeights {
    Matrix w_q;        // (d_model, n_heads · d_head)    q = x W_Q: weights multiply from the right
    Matrix w_k;        // (d_model, n_kv_heads · d_head)
    Matrix w_v;        // (d_model, n_kv_heads · d_head)
    Matrix w_o;        // (n_heads · d_head, d_model)
    RowVector ln_gain; // (d_model)
    RowVector ln_bias; // (d_model)
};

struct ModelWeights {
    std::vector<LayerWeights> layers;
    Matrix learned_positions; // (max_positions, d_model), used when positions == Learned
};

// Seeded weights: N(0, 1/d_model) projections, N(0, 1/(n_heads·d_head)) output, unit LayerNorm.
ModelWeights make_weights(const ModelConfig& c);

// The deterministic embedding of one word (case-folded): the same word always gets the same vector.
RowVector word_embedding(std::string_view word, int d_model, std::uint64_t seed); // (d_model)
// PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d))  (Vaswani et al.)
Matrix sinusoidal_positions(int n_tokens, int d_model); // (n_tokens, d_model)
// Token embeddings plus additive positions (sinusoidal or learned); RoPE/ALiBi act inside attention.
Matrix embed_tokens(const std::vector<std::string>& tokens, const ModelConfig& c, const ModelWeights& w);

// RoPE (Su et al. 2021), rotate-half convention of GPT-NeoX / Llama, base 10000, applied in place:
// for d < d_head/2 the pair (x_d, x_{d+d_head/2}) at position p is rotated by p · 10000^(-2d/(2·(d_head/2))).
// An odd d_head leaves its last feature unrotated; d_head = 1 is unchanged.
struct RopeTable {
    Matrix cos, sin; // (n_tokens, d_head / 2) cos(p·θ_d), sin(p·θ_d)
};
RopeTable rope_table(int n_tokens, int d_head);
void apply_rope(Matrix& x, const RopeTable& t); // x (n_tokens, d_head), t from rope_table(n_tokens, d_head)
void apply_rope(Matrix& x);                     // (n_tokens, d_head)
// ALiBi slope of head h (0-based) among n heads: 2^(-8(h+1)/n)  (Press et al. 2021).
float alibi_slope(int h, int n_heads);

struct HeadResult {
    int kv_head = 0; // which key/value head this query head reads
    bool enabled = true;
    Matrix q;       // (n_tokens, d_head) after RoPE when enabled
    Matrix k;       // (n_tokens, d_head) shared by the heads of one group
    Matrix v;       // (n_tokens, d_head)
    Matrix scores;  // (n_tokens, n_tokens) scaled + biased, -inf where masked
    Matrix weights; // (n_tokens, n_tokens)
    Matrix output;  // (n_tokens, d_head)
    HeadStats stats;
};

struct LayerResult {
    Matrix x_in;                   // (n_tokens, d_model) residual stream entering the layer
    Matrix x_norm;                 // (n_tokens, d_model) LayerNorm(x_in)
    std::vector<HeadResult> heads; // (n_heads)
    Matrix concat;                 // (n_tokens, n_heads · d_head) disabled heads are zero
    Matrix attn_out;               // (n_tokens, d_model) concat W_O
    Matrix x_out;                  // (n_tokens, d_model) x_in + attn_out
};

// Replaces one token's query, key or value vector of one head after projection (and after RoPE), so a
// learner can drag a vector and watch scores, weights and output follow. For 'k' and 'v', head is the
// key/value head index; for 'q' it is the query head index. Out-of-range entries are ignored.
struct VectorOverride {
    int layer = 0;
    int head = 0;
    int token = 0;
    char kind = 'q'; // 'q', 'k' or 'v'
    RowVector value; // (d_head); a different length is ignored
};

struct ForwardOptions {
    std::vector<std::uint8_t> head_enabled; // (n_layers · n_heads), empty = all enabled; missing entries = on
    std::vector<std::uint8_t>
        key_valid; // (n_tokens) padding mask, empty = no padding; missing entries = real
    std::vector<VectorOverride> overrides;
    // Threads: a caller that runs many passes should own a WorkerTeam and pass it here (starting threads
    // costs more than a whole 64-token pass on some machines). Without one, forward() starts n_threads
    // (0 = all cores) when the work is large enough to pay for them, else runs on the calling thread.
    WorkerTeam* team = nullptr;
    int n_threads = 0;
};

struct ForwardResult {
    Matrix x0;                       // (n_tokens, d_model) embeddings + positions
    std::vector<LayerResult> layers; // (n_layers)
    Matrix output;                   // (n_tokens, d_model) residual stream after the last layer
    double attention_ms = 0;         // time spent in the selected attention implementation
};

// Implementation::Reference computes projections, attention and output projection with plain loops;
// Matrix with Eigen products; Flash takes each head's output from flash attention (attention_flash_heads)
// while scores and weights for display still come from the matrix form. attention_ms is the wall time of
// the selected implementation's attention alone (for Flash: the flash call, not the display matrices).
// Requires validate(c) to be empty and w to come from make_weights(c).
ForwardResult forward(const ModelConfig& c, const ModelWeights& w, const Matrix& x0,
                      const ForwardOptions& opt = {});

// LayerNorm over features: (x - mean) / sqrt(var + 1e-5) · gain + bias, per row.
Matrix layer_norm(const Matrix& x, const RowVector& gain, const RowVector& bias);

} // namespace attn

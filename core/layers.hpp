// The transformer's layers as forward/backward pairs, in the manner of llm.c: each *_backward sits beside
// the *_forward it differentiates, takes the activations the forward kept, and ADDS (+=) into the gradients
// it is given. Rows are tokens (n = n_tokens). The model in model.hpp is these layers called top to bottom.
//
// Sections: embeddings · positions (sinusoidal, learned, RoPE, ALiBi) · LayerNorm · softmax ·
//           attention of one head (backward) · MLP · output head and cross-entropy
#pragma once

#include "types.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace attn {

// ---- embeddings ---------------------------------------------------------------------------------------
// The untrained live model has no vocabulary: every word (case-folded) gets a fixed pseudo-random vector.
RowVector word_embedding(std::string_view word, int d_model, std::uint64_t seed); // (d_model)

// A trained model looks words up by id:  x_i = table[ids_i]
Matrix embedding_forward(const Matrix& table, const std::vector<int>& ids); // table (vocab, d) -> (n, d)
// d_table[ids_i] += dx_i
void embedding_backward(const Matrix& dx, const std::vector<int>& ids, Matrix& d_table);

// ---- positions ----------------------------------------------------------------------------------------
// PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d))  (Vaswani et al.)
Matrix sinusoidal_positions(int n_tokens, int d_model); // (n_tokens, d_model)
// Learned positions: x_i += table[i mod rows]  (a text longer than the table reuses it from its start)
void learned_positions_forward(Matrix& x, const Matrix& table);
void learned_positions_backward(const Matrix& dx, Matrix& d_table); // d_table[i mod rows] += dx_i

// RoPE (Su et al. 2021), rotate-half convention of GPT-NeoX / Llama, base 10000: for d < d_head/2 the pair
// (x_d, x_{d+d_head/2}) at position p is rotated by the angle p · θ_d, θ_d = 10000^(-2d/(2·(d_head/2))).
// An odd d_head leaves its last feature unrotated; d_head = 1 is unchanged.
struct RopeTable {
    Matrix cos, sin; // (n_tokens, d_head / 2) cos(p·θ_d), sin(p·θ_d)
};
RopeTable rope_table(int n_tokens, int d_head);
void apply_rope(Matrix& x, const RopeTable& t); // forward, in place; x (n_tokens, d_head)
void apply_rope(Matrix& x);                     // (n_tokens, d_head), its own table
// A rotation's transpose is the rotation by -angle, so the gradient is rotated back: dx = Rᵀ dy.
void rope_backward(Matrix& dy, const RopeTable& t); // in place: dy becomes dx

// ALiBi slope of head h (0-based) among n heads: 2^(-8(h+1)/n)  (Press et al. 2021). The bias itself,
// -slope·|i - j|, is a constant added to the scores (alibi_bias in attention.hpp): it has no gradient.
float alibi_slope(int h, int n_heads);

// ---- LayerNorm ----------------------------------------------------------------------------------------
// y = (x - mean) · rstd ∘ gain + bias per row, rstd = 1 / sqrt(var + 1e-5)
inline constexpr float k_layer_norm_eps = 1e-5f;
struct LayerNormCache {
    Matrix xhat; // (n_tokens, d) normalised input before gain and bias
    Vector rstd; // (n_tokens)
};
Matrix layer_norm_forward(const Matrix& x, const RowVector& gain, const RowVector& bias,
                          LayerNormCache* cache = nullptr);
// dxhat = dy ∘ gain;  dx += rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat ∘ xhat))
// d_gain += Σ_rows dy ∘ xhat;  d_bias += Σ_rows dy
void layer_norm_backward(const Matrix& dy, const LayerNormCache& cache, const RowVector& gain,
                         RowVector& d_gain, RowVector& d_bias, Matrix& dx);

// ---- softmax ------------------------------------------------------------------------------------------
// In-place row softmax of scores that may hold -inf (row max subtracted first); an all -inf row becomes
// all zeros. The one softmax of the project: attention (every implementation) and the output head use it.
void softmax_rows(Matrix& m);
// P = softmax(S) per row:  dS = P ∘ (dP − rowsum(P ∘ dP)); masked entries have P = 0, so dS = 0 there.
Matrix softmax_rows_backward(const Matrix& p, const Matrix& dp);

// ---- attention of one head ----------------------------------------------------------------------------
// Forward: attention.hpp (reference, matrix and flash forms). Backward of
//   S = scale · Q Kᵀ + bias (masked: -inf),  P = softmax(S),  O = P V
// given P and dO:  dP = dO Vᵀ,  dV += Pᵀ dO,  dS = softmax_backward,  dQ += scale · dS K,  dK += scale · dSᵀ
// Q
void attention_head_backward(const Matrix& q, const Matrix& k, const Matrix& v, const Matrix& weights,
                             float scale, const Matrix& d_out, Matrix& dq, Matrix& dk, Matrix& dv);

// ---- MLP ----------------------------------------------------------------------------------------------
// y = relu(x W1 + b1) W2 + b2
struct MlpCache {
    Matrix pre; // (n_tokens, d_ff) x W1 + b1
    Matrix act; // (n_tokens, d_ff) relu(pre)
};
Matrix mlp_forward(const Matrix& x, const Matrix& w1, const RowVector& b1, const Matrix& w2,
                   const RowVector& b2, MlpCache* cache);
void mlp_backward(const Matrix& dy, const Matrix& x, const MlpCache& cache, const Matrix& w1,
                  const Matrix& w2, Matrix& d_w1, RowVector& d_b1, Matrix& d_w2, RowVector& d_b2, Matrix& dx);

// ---- output head and cross-entropy --------------------------------------------------------------------
// logits = x W_out + b_out  (x is the final LayerNorm's output)
Matrix linear_forward(const Matrix& x, const Matrix& w, const RowVector& b); // (n, d_in) -> (n, d_out)
void linear_backward(const Matrix& dy, const Matrix& x, const Matrix& w, Matrix& d_w, RowVector& d_b,
                     Matrix& dx);

// A supervised position: the logits at row pos should predict token.
struct Target {
    int pos = 0;
    int token = 0;
};
// Σ_t −log softmax(logits[pos_t])[token_t], computed in double.
double cross_entropy(const Matrix& logits, const std::vector<Target>& targets);
// d_logits += weight · (softmax(logits[pos]) − onehot(token)) for every target; returns the unweighted sum.
double cross_entropy_backward(const Matrix& logits, const std::vector<Target>& targets, float weight,
                              Matrix& d_logits);

} // namespace attn

// The transformer of Attention Lab — one model, used by the untrained live view, by a loaded trained model
// and by training. Top to bottom (pre-LayerNorm blocks; layers.hpp holds each layer's forward/backward):
//   x0     = embedding(tokens) + positions           (sinusoidal or learned added here; RoPE/ALiBi inside)
//   per block:
//     x_norm = LayerNorm1(x)
//     head h: q = x_norm W_Q[h], k = x_norm W_K[g], v = x_norm W_V[g],  g = h / (n_heads / n_kv_heads)
//             o_h = softmax(scale · q kᵀ + bias, masked) v              (attention.hpp: three forms)
//     x_mid  = x + concat(o_h) W_O                    (a switched-off head contributes 0)
//     x      = x_mid + MLP(LayerNorm2(x_mid))          (only when d_ff > 0)
//   logits = LayerNormF(x) W_out + b_out               (only when vocab_size > 0)
// MHA, GQA and MQA are the same code through the head ratio. Every intermediate is kept, for the views and
// for backward(), which walks the same steps in reverse.
#pragma once

#include "attention.hpp"
#include "config.hpp"
#include "layers.hpp"
#include "parallel.hpp"
#include "stats.hpp"
#include "types.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

struct LayerWeights {
    RowVector ln_gain;  // (d_model) LayerNorm before attention
    RowVector ln_bias;  // (d_model)
    Matrix w_q;         // (d_model, n_heads · d_head)    q = x W_Q: weights multiply from the right
    Matrix w_k;         // (d_model, n_kv_heads · d_head)
    Matrix w_v;         // (d_model, n_kv_heads · d_head)
    Matrix w_o;         // (n_heads · d_head, d_model)
    RowVector ln2_gain; // (d_model) LayerNorm before the MLP; empty when d_ff = 0
    RowVector ln2_bias; // (d_model)
    Matrix w1;          // (d_model, d_ff)
    RowVector b1;       // (d_ff)
    Matrix w2;          // (d_ff, d_model)
    RowVector b2;       // (d_model)
};

struct ModelWeights {
    Matrix token_embedding;   // (vocab_size, d_model); empty for the live model (words are hashed)
    Matrix learned_positions; // (max_positions, d_model), used when positions == Learned
    std::vector<LayerWeights> layers;
    RowVector lnf_gain, lnf_bias; // (d_model) final LayerNorm; empty when vocab_size = 0
    Matrix w_out;                 // (d_model, vocab_size)
    RowVector b_out;              // (vocab_size)
};

// Every parameter tensor of a model, in one fixed order (the model file's order): token embedding,
// learned positions, per layer LN1, W_Q, W_K, W_V, W_O, LN2, W1, b1, W2, b2, then LNf, W_out, b_out.
// Empty tensors (a part the configuration does not use) are left out. decay marks projection matrices.
struct TensorRef {
    const char* name;
    float* data;
    Eigen::Index rows, cols;
    bool decay;
    std::size_t size() const { return static_cast<std::size_t>(rows * cols); }
};
std::vector<TensorRef> tensors(ModelWeights& w);
std::size_t parameter_count(const ModelWeights& w);
// The same shapes, all zeros: a gradient buffer.
ModelWeights zeros_like(const ModelWeights& w);

// Seeded weights of the live model: N(0, 1/d_model) projections, N(0, 1/(n_heads·d_head)) output, unit
// LayerNorm; with d_ff or vocab_size set, also the MLP, token table and output layer (same scheme).
ModelWeights make_weights(const ModelConfig& c);

// x0 of the live model: the hashed embedding of each word plus additive positions (sinusoidal, learned).
Matrix embed_tokens(const std::vector<std::string>& tokens, const ModelConfig& c, const ModelWeights& w);
// x0 of a trained model: token_embedding[ids] plus additive positions. ids must be < vocab_size.
Matrix embed_ids(const std::vector<int>& ids, const ModelConfig& c, const ModelWeights& w);

struct HeadResult {
    int kv_head = 0; // which key/value head this query head reads
    bool enabled = true;
    Matrix q;       // (n_tokens, d_head) after RoPE when enabled
    Matrix k;       // (n_tokens, d_head) shared by the heads of one group
    Matrix v;       // (n_tokens, d_head)
    Matrix scores;  // (n_tokens, n_tokens) scaled + biased, -inf where masked
    Matrix weights; // (n_tokens, n_tokens); empty when shared_weights holds them
    Matrix output;  // (n_tokens, d_head)
    HeadStats stats;
    // Imported attention: the (n_tokens, n_tokens) weights stay in the import's buffer, which this keeps
    // alive, instead of a copy in `weights`. Read either kind through weights_of().
    std::shared_ptr<const float[]> shared_weights;
    const float* shared_at = nullptr;
    int shared_n = 0;
};

// The weights of a head wherever they are held (its own matrix, or an import's buffer): no copy.
inline ConstMatrixMap weights_of(const HeadResult& h) {
    if (h.shared_at) return ConstMatrixMap(h.shared_at, h.shared_n, h.shared_n);
    return ConstMatrixMap(h.weights.data(), h.weights.rows(), h.weights.cols());
}

struct LayerResult {
    Matrix x_in;                   // (n_tokens, d_model) residual stream entering the layer
    LayerNormCache ln1;            // for backward
    Matrix x_norm;                 // (n_tokens, d_model) LayerNorm(x_in)
    std::vector<HeadResult> heads; // (n_heads)
    Matrix concat;                 // (n_tokens, n_heads · d_head) disabled heads are zero
    Matrix attn_out;               // (n_tokens, d_model) concat W_O
    Matrix x_mid;                  // (n_tokens, d_model) x_in + attn_out
    LayerNormCache ln2;            // MLP only
    Matrix h2;                     // (n_tokens, d_model) LayerNorm2(x_mid), MLP only
    MlpCache mlp;                  // MLP only
    Matrix x_out;                  // (n_tokens, d_model) x_mid + MLP(h2), or x_mid without an MLP
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
    bool head_stats = true; // per-head statistics for the views (training skips them)
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
    LayerNormCache lnf;              // vocab_size > 0 only
    Matrix xf;                       // (n_tokens, d_model) LayerNormF(output)
    Matrix logits;                   // (n_tokens, vocab_size) empty for the live model
    double attention_ms = 0;         // time spent in the selected attention implementation
};

// Implementation::Reference computes projections, attention and output projection with plain loops;
// Matrix with Eigen products; Flash takes each head's output from flash attention (attention_flash_heads)
// while scores and weights for display still come from the matrix form. attention_ms is the wall time of
// the selected implementation's attention alone (for Flash: the flash call, not the display matrices).
// Requires validate(c) to be empty and w shaped for c (make_weights(c), or a trained model's weights).
ForwardResult forward(const ModelConfig& c, const ModelWeights& w, const Matrix& x0,
                      const ForwardOptions& opt = {});

// The attention of every head of one layer from per-head q (n_heads), k and v (n_kv_heads) after
// positions: query head h reads key/value head kv_head_of(c, h). Scores and weights from the matrix (or
// reference) form; with Flash, each output from the tiled kernel. The compute command's block uses it too.
std::vector<AttentionResult> attention_heads(const ModelConfig& c, const std::vector<Matrix>& q,
                                             const std::vector<Matrix>& k, const std::vector<Matrix>& v,
                                             const MaskSpec& mask, WorkerTeam& team,
                                             double* attention_ms = nullptr);

// Backward of forward() for a trained model (vocab_size > 0): the cross-entropy of the targets (weighted
// by weight) is differentiated through every layer into grad (+=, shaped like w: zeros_like(w)). With ids
// (the tokens x0 was embedded from) the token table gets its gradient too. With d_x0, it receives
// ∂loss/∂x0 (n_tokens, d_model), the gradient with respect to the input embeddings (attributions use it).
// With extra, a second loss that reads the residual stream leaving one layer (a training-only head) adds
// its gradient there. Returns the unweighted Σ NLL of targets.
struct ResidualGradient {
    int layer = -1;            // 0-based; -1 = none
    const Matrix* d = nullptr; // (n_tokens, d_model) ∂loss/∂(that layer's x_out)
};
double backward(const ModelConfig& c, const ModelWeights& w, const ForwardResult& f,
                const std::vector<Target>& targets, float weight, const std::vector<int>& ids,
                ModelWeights& grad, Matrix* d_x0 = nullptr, const ResidualGradient& extra = {});

// LayerNorm without a cache (layers.hpp): (x - mean) / sqrt(var + 1e-5) · gain + bias, per row.
inline Matrix layer_norm(const Matrix& x, const RowVector& gain, const RowVector& bias) {
    return layer_norm_forward(x, gain, bias);
}

} // namespace attn

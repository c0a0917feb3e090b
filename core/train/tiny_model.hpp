// A tiny trainable transformer (token + learned position embeddings, pre-LayerNorm attention blocks with
// the MHA/GQA/MQA head layout, optional ReLU MLP, final LayerNorm, output layer) with its forward and
// backward passes side by side, in the manner of llm.c. All parameters live in one flat float vector.
#pragma once

#include "core/types.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace attn::train {

struct TinyConfig {
    int vocab_size = 0;
    int n_ctx = 16; // rows of the position table: the longest sequence the model accepts
    int d_model = 32;
    int n_layers = 2;
    int n_heads = 2;
    int n_kv_heads = 2; // query head h reads key/value head h / (n_heads / n_kv_heads)
    int d_head = 16;
    int d_ff = 0;        // hidden width of the MLP, 0 = attention-only blocks
    bool causal = false; // true: token i sees keys j <= i
    bool operator==(const TinyConfig&) const = default;
};

// Empty when valid, otherwise one readable sentence.
std::string validate(const TinyConfig& c);

// One parameter tensor inside the flat vector: rows × cols floats from offset, row-major.
struct Block {
    std::size_t offset = 0;
    int rows = 0, cols = 0;
    std::size_t size() const { return static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols); }
};

struct LayerBlocks {
    Block ln1_g, ln1_b; // (1, d_model)
    Block wq;           // (d_model, n_heads · d_head)
    Block wk, wv;       // (d_model, n_kv_heads · d_head)
    Block wo;           // (n_heads · d_head, d_model)
    Block ln2_g, ln2_b; // (1, d_model)          MLP only
    Block w1, b1;       // (d_model, d_ff), (1, d_ff)
    Block w2, b2;       // (d_ff, d_model), (1, d_model)
};

struct ParamLayout {
    Block tok_emb; // (vocab_size, d_model)
    Block pos_emb; // (n_ctx, d_model)
    std::vector<LayerBlocks> layers;
    Block lnf_g, lnf_b; // (1, d_model)
    Block w_out;        // (d_model, vocab_size)
    Block b_out;        // (1, vocab_size)
    std::size_t size = 0;
    std::vector<std::uint8_t> decay; // (size) 1 where AdamW's weight decay applies (projection matrices)
};

ParamLayout make_layout(const TinyConfig& c);

struct TinyModel {
    TinyConfig config;
    std::string task;               // which task it was trained on ("pronoun", "induction", ...)
    std::uint64_t data_seed = 0;    // seed of the task's train / held-out split it was trained on
    std::vector<std::string> vocab; // (vocab_size) id -> word; id 0 is "<unk>"
    ParamLayout layout;
    std::vector<float> params; // (layout.size)
};

// Seeded initial weights: embeddings N(0, 0.5²), projections N(0, 1/fan_in), LayerNorm gain 1, biases 0.
TinyModel init_model(const TinyConfig& c, std::vector<std::string> vocab, std::uint64_t seed);

// Activations kept for the backward pass (and for the app's views).
struct LnCache {
    Matrix xhat; // (n_tokens, d) normalised input before gain and bias
    Vector rstd; // (n_tokens) 1 / sqrt(var + 1e-5)
};

struct LayerCache {
    Matrix x_in; // (n_tokens, d_model)
    LnCache ln1;
    Matrix x_norm;             // (n_tokens, d_model) LN1(x_in)
    Matrix q;                  // (n_tokens, n_heads · d_head)
    Matrix k, v;               // (n_tokens, n_kv_heads · d_head)
    std::vector<Matrix> probs; // (n_heads) each (n_tokens, n_tokens) attention weights
    Matrix concat;             // (n_tokens, n_heads · d_head)
    Matrix x_mid;              // (n_tokens, d_model) x_in + concat W_O
    LnCache ln2;               // MLP only
    Matrix h2;                 // (n_tokens, d_model) LN2(x_mid)
    Matrix a1;                 // (n_tokens, d_ff) h2 W1 + b1
    Matrix act;                // (n_tokens, d_ff) relu(a1)
};

struct ForwardCache {
    std::vector<int> ids; // (n_tokens)
    Matrix x0;            // (n_tokens, d_model) tok_emb[id] + pos_emb[i mod n_ctx]
    std::vector<LayerCache> layers;
    Matrix x_final; // (n_tokens, d_model) residual stream after the last block
    LnCache lnf;
    Matrix xf;     // (n_tokens, d_model) LNf(x_final)
    Matrix logits; // (n_tokens, vocab_size) xf W_out + b_out
};

// Requires ids non-empty and every id < vocab_size (callers check user input first). Training never goes
// beyond n_ctx tokens; a longer input (typed in the app) reuses the position table from its start.
ForwardCache forward(const TinyModel& m, const std::vector<int>& ids);

// A supervised position: the logits at row pos should predict token.
struct Target {
    int pos = 0;
    int token = 0;
};

// Cross-entropy Σ_t −log softmax(logits[pos_t])[token_t]. Adds weight · ∂(that sum)/∂θ into grad
// (layout.size floats) and returns the unweighted sum.
double backward(const TinyModel& m, const ForwardCache& f, const std::vector<Target>& targets, float weight,
                float* grad);

// The sum of cross-entropies alone (no gradient), computed in double.
double loss(const TinyModel& m, const ForwardCache& f, const std::vector<Target>& targets);

} // namespace attn::train

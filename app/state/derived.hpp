// Derived — what the core computed from AppState. compute_derived() is pure; the frame loop calls it
// only when AppState::revision changes, never every frame.
// Ablation change: ‖Y − Y_all‖_F / ‖Y_all − X0‖_F, where Y is the final residual stream with the current
// head switches, Y_all the same with every head on, and X0 the embeddings: the share of everything the
// attention layers add to the tokens that the switched-off heads take away.
#pragma once

#include "app_state.hpp"
#include "core/message.hpp"
#include "core/model.hpp"
#include "core/train/explain.hpp"

#include <string>
#include <vector>

namespace attn {

// With imported attention (AppState::imported) only the heads' weights (read with weights_of(): they point
// into the import, not copied) and the statistics are set: there are no scores (empty: every reader treats
// that as "nothing masked"), embeddings, q, k, v, outputs or answers to show.
struct Derived {
    std::uint64_t revision = ~0ull; // the AppState revision this was computed from
    ModelWeights weights;
    ForwardResult forward; // empty layers when there are no tokens
    double compute_ms = 0; // wall time of the whole recomputation
    Message
        error; // non-empty when the state could not be computed (nothing else is set); i18n::text shows it

    // Ablation (see the header comment). 0 when every head is on.
    float ablation_change = 0;
    // head_effect[l · n_heads + h]: the change if only that head's switch were flipped from the current
    // state (same measure). Empty when the model is too large to afford one extra pass per head. For a
    // trained model the measure is the answers' probabilities instead (below); head_effect holds the mean
    // over positions of |Δ probability of the all-heads-on answer| for that flip.
    std::vector<float> head_effect;
    // K/V cache this model would keep for the current tokens, in fp32 (PEERS.md):
    // 2 · n_layers · n_kv_heads · d_head · n_tokens · 4 bytes; and the same with one K/V head per query head.
    double kv_cache_bytes = 0;
    double kv_cache_bytes_mha = 0;

    // With a trained model (AppState::trained): its answer at every position with the current head
    // switches, the answer it gives with every head on, and what the switches do to that answer.
    std::vector<std::string> prediction;    // (n_tokens) most likely word with the current switches
    std::vector<float> confidence;          // (n_tokens) its probability
    std::vector<std::string> answer_all_on; // (n_tokens) most likely word with every head on
    std::vector<float> answer_prob_all_on;  // (n_tokens) its probability with every head on
    std::vector<float> answer_prob_now;     // (n_tokens) probability of that same word with the switches
    // answer_prob_flip[(l · n_heads + h) · n_tokens + i]: probability of answer_all_on[i] when only that
    // head's switch is flipped from the current state. Empty when too large to afford (k_head_effect_budget).
    std::vector<float> answer_prob_flip;
    std::vector<std::string> unknown_words;  // words of the text the model reads as <unk>, each once
    std::vector<std::uint8_t> token_unknown; // (n_tokens) 1 where a trained model reads the token as <unk>
    std::vector<std::string> token_labels;   // (n_tokens) the tokens for axis labels, unknown ones marked "*"
    Message trained_note;                    // unknown words and lengths beyond training (i18n::text)

    // Explanations view (core/train/explain.hpp): with a trained model and at most k_explain_max_tokens
    // tokens, attention beside attribution for the answer at every position, with every head on.
    std::vector<train::Explanation> explanations; // (n_tokens) or empty
};

// Explanations cost one pass per token and per head plus one backward pass per token: computed up to here.
inline constexpr int k_explain_max_tokens = 24;
// The live view keeps every head's scores and weights, 8 · n_layers · n_heads · n_tokens² bytes (fp32): 32
// MiB per head at 2,048 tokens. Beyond this budget compute_derived() refuses with a message instead of
// risking the machine's memory (2,048 tokens fit up to 24 heads in all layers, 1,024 tokens every model).
inline constexpr double k_live_matrix_budget = 768.0 * 1024 * 1024;
double live_matrix_bytes(const ModelConfig& c, int n_tokens);

// Extra forward passes for head_effect are run only when n_layers · n_heads · n_tokens stays below this.
inline constexpr int k_head_effect_budget = 4096;

// `team`, when given, splits each forward pass over its threads (a team kept between passes costs no
// thread start); without one a pass starts threads only when it is large enough to pay for them.
Derived compute_derived(const AppState& state, WorkerTeam* team = nullptr);

// ‖y − y_ref‖_F / ‖y_ref − x0‖_F, 0 when the denominator vanishes. All (n_tokens, d_model).
float relative_change(const Matrix& y, const Matrix& y_ref, const Matrix& x0);

} // namespace attn

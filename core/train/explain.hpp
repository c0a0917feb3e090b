// Attention beside attribution for one answer of a trained model: where each head looked from the answer's
// position, attention rollout (Abnar & Zuidema 2020), leave-one-out (each token replaced by <unk>),
// gradient × input on the token embeddings, their Spearman rank correlations, and the drop in the answer's
// probability with each head switched off alone (Jain & Wallace 2019 ask exactly whether these agree).
// Every number comes from the one transformer: forward() and backward() of core/model.hpp.
#pragma once

#include "tiny_model.hpp"

#include <vector>

namespace attn::train {

// Spearman rank correlations between attention and attribution. Importance is taken as magnitude: a token
// that pushes the answer down matters as much as one that pushes it up, and attention has no sign.
struct RankCorrelations {
    float attention_loo = 0;  // last layer's mean over heads vs |leave-one-out|
    float attention_grad = 0; // last layer's mean over heads vs |gradient × input|
    float rollout_loo = 0;    // rollout vs |leave-one-out|
    float rollout_grad = 0;   // rollout vs |gradient × input|
};

struct Explanation {
    int position = 0;      // the token whose answer is explained
    int answer = 0;        // vocabulary id of the most likely word there (every head on)
    float answer_prob = 0; // its probability
    // attention[l] (n_heads, n_tokens): row h = head h's weights from `position` in layer l
    std::vector<Matrix> attention;
    Matrix mean_attention; // (n_layers, n_tokens) mean over the heads of each layer
    RowVector rollout; // (n_tokens) row `position` of R = Ã_L ⋯ Ã_1, Ã_l = rownorm(½ mean_h A_h + ½ I)
    // leave_one_out_j = log p(answer | token j read as <unk>) − log p(answer): negative where the token
    // helped
    RowVector leave_one_out;     // (n_tokens)
    std::vector<int> loo_answer; // (n_tokens) the most likely word at `position` without token j
    RowVector grad_x_input;      // (n_tokens) e_j · ∂log p(answer)/∂e_j, e_j = token_embedding[ids_j]
    RankCorrelations rank;       // NaN where one side is constant
    std::vector<float> head_off_prob; // (n_layers · n_heads) p(answer) with only that head switched off
    std::vector<float> head_drop;     // (n_layers · n_heads) answer_prob − head_off_prob
};

// Row-normalised Ã_l = ½ · mean over heads of layer l's weights + ½ · I, multiplied R = Ã_L ⋯ Ã_1: (n, n).
// Row i says how much of token i's final state flows from each input token when the residual carries half.
Matrix attention_rollout(const ForwardResult& f);

// Spearman's ρ: Pearson correlation of the ranks (ties share their mean rank). NaN when either is constant
// or the lengths differ or are below 2.
float spearman(const RowVector& a, const RowVector& b);

// Everything above for the answer at `position` (0 ≤ position < ids.size()), with every head on.
Explanation explain(const TinyModel& m, const std::vector<int>& ids, int position);

// The same for every position, sharing the passes that serve all positions: n_tokens leave-one-out passes
// and n_layers · n_heads ablation passes in all, plus one backward pass per position.
std::vector<Explanation> explain_all(const TinyModel& m, const std::vector<int>& ids);

} // namespace attn::train

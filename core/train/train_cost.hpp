// What a training run will cost before it starts: memory and arithmetic per step from the model's shapes,
// so `attention-lab train` can refuse a run that cannot fit in memory and say how long a large one takes.
#pragma once

#include "core/config.hpp"
#include "trainer.hpp"

#include <cstddef>

namespace attn::train {

struct TrainCost {
    double parameters = 0;     // weights of the model
    double bytes = 0;          // weights, AdamW's two moments, one gradient per thread, one example's
                               // activations and their gradients per thread
    double flops_per_step = 0; // forward and backward over one batch (backward counted as twice forward)
};

// max_tokens: the longest example of the task. The activation count follows LayerResult in model.hpp
// (residual streams, q/k/v per head, scores and weights, the MLP's hidden layer, the logits).
TrainCost estimate_training(const ModelConfig& c, int max_tokens, const TrainOptions& o);

// This machine's speed at the matrix products training runs (a short measurement of small products on one
// thread, a few tens of milliseconds), in FLOP/s. Training's products are as small or smaller, so
// flops_per_step / (rate · threads) is a lower bound on a step's time.
double measured_matrix_rate();

} // namespace attn::train

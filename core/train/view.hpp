// A trained model seen through the core's ForwardResult, so the app's heatmap and heads views show it
// exactly as they show the live untrained model.
#pragma once

#include "core/config.hpp"
#include "core/model.hpp"
#include "tiny_model.hpp"

#include <vector>

namespace attn::train {

// The ModelConfig the app's controls display for a trained model (positions Learned, mask from causal).
ModelConfig display_config(const TinyModel& m);

// The trained matrices in the core's ModelWeights layout (learned_positions = the position table).
ModelWeights display_weights(const TinyModel& m);

// Per layer and head: q, k, v slices, scores (−inf where masked), weights, outputs and statistics.
ForwardResult to_forward_result(const TinyModel& m, const ForwardCache& f);
// ids must be valid for m (non-empty, each < vocab_size).
ForwardResult to_forward_result(const TinyModel& m, const std::vector<int>& ids);

} // namespace attn::train

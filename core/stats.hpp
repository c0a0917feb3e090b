// Per-head statistics of an attention weight matrix and a pattern label a student can read.
// Pattern thresholds (documented here and in the help text):
//   self        ≥ 50% of the mean row mass lies on the diagonal (i attends to i)
//   previous    ≥ 50% lies on j = i - 1
//   first       ≥ 50% lies on j = 0
//   broad       otherwise (mean normalised entropy ≥ 0.7), or "mixed" when nothing dominates
#pragma once

#include "types.hpp"

#include <vector>

namespace attn {

enum class Pattern { Self, Previous, First, Broad, Mixed };
const char* to_string(Pattern);

struct HeadStats {
    std::vector<float> row_entropy; // (n_q) entropy of each row in nats
    float mean_entropy = 0;         // mean of row_entropy over rows that see at least one key
    float mean_norm_entropy = 0;    // mean of entropy / ln(visible keys), in [0, 1]
    float max_weight = 0;           // largest weight anywhere
    float mean_distance = 0;        // mean over rows of Σ_j w_ij |i - j|
    float self_mass = 0, previous_mass = 0, first_mass = 0; // mean weight on j = i, j = i-1, j = 0
    Pattern pattern = Pattern::Mixed;
};

inline constexpr float k_pattern_threshold = 0.5f;
inline constexpr float k_broad_entropy = 0.7f;

HeadStats head_stats(const Matrix& weights); // weights (n_q, n_k)

} // namespace attn

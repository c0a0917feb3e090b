// Per-head statistics of an attention weight matrix and a pattern label a student can read.
// Means run over live rows (rows that see at least one key; fully masked rows are left out).
// Pattern label, the first rule that holds (thresholds k_pattern_threshold and k_broad_entropy):
//   self      mean weight on the diagonal j = i                        ≥ 0.5
//   previous  mean weight on j = i - 1 (over live rows with i ≥ 1)     ≥ 0.5
//   first     mean weight on j = 0                                     ≥ 0.5
//   broad     mean normalised entropy H_i / ln(visible keys of row i)  ≥ 0.7 (weight spread out)
//   mixed     none of the above
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
    int live_rows = 0;                                      // rows with at least one visible key
    Pattern pattern = Pattern::Mixed;
};

inline constexpr float k_pattern_threshold = 0.5f;
inline constexpr float k_broad_entropy = 0.7f;

HeadStats head_stats(const Eigen::Ref<const Matrix>& weights); // weights (n_q, n_k)

} // namespace attn

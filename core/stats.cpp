// head_stats(): entropy, distance and pattern label; thresholds in stats.hpp.
#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

const char* to_string(Pattern p) {
    switch (p) {
    case Pattern::Self:
        return "self";
    case Pattern::Previous:
        return "previous token";
    case Pattern::First:
        return "first token";
    case Pattern::Broad:
        return "broad";
    case Pattern::Mixed:
        return "mixed";
    }
    return "?";
}

HeadStats head_stats(const Eigen::Ref<const Matrix>& w) {
    HeadStats s;
    const int n_q = static_cast<int>(w.rows()), n_k = static_cast<int>(w.cols());
    s.row_entropy.assign(static_cast<std::size_t>(n_q), 0.0f);
    const Eigen::ArrayXf key_index = Eigen::ArrayXf::LinSpaced(n_k, 0.0f, static_cast<float>(n_k - 1)); // j
    int multi_rows = 0, prev_rows = 0;
    double ent_sum = 0, norm_sum = 0, dist_sum = 0, self_sum = 0, prev_sum = 0, first_sum = 0;
    for (int i = 0; i < n_q; ++i) {
        const auto p = w.row(i).array().transpose(); // (n_k) weights of query i
        const double mass = p.sum();
        if (!(mass > 0)) continue; // fully masked row: no entropy, left out of the means
        // H_i = -Σ_j p_j ln p_j with 0 ln 0 = 0: ln max(p, FLT_MIN) is finite (-87.3), so p = 0 adds 0
        const double h = -(p * p.max(std::numeric_limits<float>::min()).log()).sum();
        const int visible = static_cast<int>((p > 0.0f).count());
        s.row_entropy[static_cast<std::size_t>(i)] = static_cast<float>(h);
        ++s.live_rows;
        ent_sum += h;
        dist_sum += (p * (key_index - static_cast<float>(i)).abs()).sum(); // Σ_j p_j |i - j|
        if (i < n_k) self_sum += w(i, i);
        if (i >= 1) {
            ++prev_rows;
            if (i - 1 < n_k) prev_sum += w(i, i - 1);
        }
        first_sum += w(i, 0);
        if (visible > 1) {
            norm_sum += h / std::log(static_cast<double>(visible));
            ++multi_rows;
        }
    }
    s.max_weight = w.size() ? w.maxCoeff() : 0.0f;
    if (s.live_rows == 0) return s;
    const double live = s.live_rows;
    s.mean_entropy = static_cast<float>(ent_sum / live);
    s.mean_norm_entropy = multi_rows ? static_cast<float>(norm_sum / multi_rows) : 0.0f;
    s.mean_distance = static_cast<float>(dist_sum / live);
    s.self_mass = static_cast<float>(self_sum / live);
    s.previous_mass = prev_rows ? static_cast<float>(prev_sum / prev_rows) : 0.0f;
    s.first_mass = static_cast<float>(first_sum / live);
    if (s.self_mass >= k_pattern_threshold)
        s.pattern = Pattern::Self;
    else if (s.previous_mass >= k_pattern_threshold)
        s.pattern = Pattern::Previous;
    else if (s.first_mass >= k_pattern_threshold)
        s.pattern = Pattern::First;
    else if (s.mean_norm_entropy >= k_broad_entropy)
        s.pattern = Pattern::Broad;
    return s;
}

} // namespace attn

// head_stats(): entropy, distance and pattern label; thresholds in stats.hpp.
#include "stats.hpp"

#include <algorithm>
#include <cmath>

namespace attn {

const char* to_string(Pattern p) {
    switch (p) {
    case Pattern::Self: return "self";
    case Pattern::Previous: return "previous token";
    case Pattern::First: return "first token";
    case Pattern::Broad: return "broad";
    case Pattern::Mixed: return "mixed";
    }
    return "?";
}

HeadStats head_stats(const Matrix& w) {
    HeadStats s;
    const int n_q = static_cast<int>(w.rows()), n_k = static_cast<int>(w.cols());
    s.row_entropy.assign(static_cast<std::size_t>(n_q), 0.0f);
    int live_rows = 0, multi_rows = 0;
    double ent_sum = 0, norm_sum = 0, dist_sum = 0, self_sum = 0, prev_sum = 0, first_sum = 0;
    for (int i = 0; i < n_q; ++i) {
        double h = 0, dist = 0, mass = 0;
        int visible = 0;
        for (int j = 0; j < n_k; ++j) {
            const double p = w(i, j);
            mass += p;
            if (p > 0) {
                h -= p * std::log(p); // H = -Σ p ln p
                ++visible;
            }
            dist += p * std::abs(i - j);
        }
        s.row_entropy[static_cast<std::size_t>(i)] = static_cast<float>(h);
        if (mass <= 0) continue; // fully masked row
        ++live_rows;
        ent_sum += h;
        dist_sum += dist;
        if (i < n_k) self_sum += w(i, i);
        if (i >= 1 && i - 1 < n_k) prev_sum += w(i, i - 1);
        first_sum += w(i, 0);
        if (visible > 1) {
            norm_sum += h / std::log(static_cast<double>(visible));
            ++multi_rows;
        }
    }
    s.max_weight = w.size() ? w.maxCoeff() : 0.0f;
    if (live_rows == 0) return s;
    s.mean_entropy = static_cast<float>(ent_sum / live_rows);
    s.mean_norm_entropy = multi_rows ? static_cast<float>(norm_sum / multi_rows) : 0.0f;
    s.mean_distance = static_cast<float>(dist_sum / live_rows);
    s.self_mass = static_cast<float>(self_sum / live_rows);
    s.previous_mass = static_cast<float>(prev_sum / std::max(1, live_rows - (n_q > 0 ? 1 : 0)));
    s.first_mass = static_cast<float>(first_sum / live_rows);
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

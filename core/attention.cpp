// Reference and matrix forms of single-head attention; flash attention lives in flash_attention.cpp.
#include "attention.hpp"

#include <cmath>
#include <limits>

namespace attn {

namespace {
constexpr float k_neg_inf = -std::numeric_limits<float>::infinity();
}

void softmax_rows(Matrix& m) {
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        auto row = m.row(i);
        const float mx = row.maxCoeff();
        if (mx == k_neg_inf) { // every key masked
            row.setZero();
            continue;
        }
        // w_j = exp(s_j - max) / sum_k exp(s_k - max); exp(-inf) = 0 keeps masked entries at 0
        row = (row.array() - mx).exp();
        row /= row.sum();
    }
}

AttentionResult attention_reference(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p) {
    const int n_q = static_cast<int>(q.rows()), n_k = static_cast<int>(k.rows());
    const int d_head = static_cast<int>(q.cols());
    AttentionResult r;
    r.scores.resize(n_q, n_k);
    r.weights.resize(n_q, n_k);
    r.output = Matrix::Zero(n_q, v.cols());
    for (int i = 0; i < n_q; ++i) {
        // 1. score every key: s_ij = scale · (q_i · k_j) - slope · (i - j), or -inf if masked
        float row_max = k_neg_inf;
        for (int j = 0; j < n_k; ++j) {
            if (!key_visible(p.mask, i, j)) {
                r.scores(i, j) = k_neg_inf;
                continue;
            }
            float dot = 0.0f;
            for (int d = 0; d < d_head; ++d) dot += q(i, d) * k(j, d);
            const float s = p.scale * dot - p.alibi_slope * static_cast<float>(i - j);
            r.scores(i, j) = s;
            if (s > row_max) row_max = s;
        }
        // 2. softmax: subtract the row max so exp never overflows
        float sum = 0.0f;
        for (int j = 0; j < n_k; ++j) {
            const float e = row_max == k_neg_inf ? 0.0f : std::exp(r.scores(i, j) - row_max);
            r.weights(i, j) = e;
            sum += e;
        }
        for (int j = 0; j < n_k; ++j) r.weights(i, j) = sum > 0.0f ? r.weights(i, j) / sum : 0.0f;
        // 3. output: the weighted average of the value vectors
        for (int j = 0; j < n_k; ++j)
            for (int d = 0; d < v.cols(); ++d) r.output(i, d) += r.weights(i, j) * v(j, d);
    }
    return r;
}

AttentionResult attention_matrix(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p) {
    const int n_q = static_cast<int>(q.rows()), n_k = static_cast<int>(k.rows());
    AttentionResult r;
    r.scores.resize(n_q, n_k);
    r.scores.noalias() = p.scale * (q * k.transpose()); // (n_q, n_k)
    const bool any_mask = p.mask.kind != MaskKind::Bidirectional || !p.mask.key_valid.empty();
    if (p.alibi_slope != 0.0f || any_mask) {
        for (int i = 0; i < n_q; ++i)
            for (int j = 0; j < n_k; ++j) {
                if (!key_visible(p.mask, i, j))
                    r.scores(i, j) = k_neg_inf;
                else
                    r.scores(i, j) -= p.alibi_slope * static_cast<float>(i - j);
            }
    }
    r.weights = r.scores;
    softmax_rows(r.weights);
    r.output.resize(n_q, v.cols());
    r.output.noalias() = r.weights * v; // (n_q, d_head)
    return r;
}

} // namespace attn

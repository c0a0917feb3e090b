// Flash attention (Dao et al. 2022): tiles of query rows × key columns with an online softmax.
// Per query row the running max m, running sum l and unnormalised output acc are updated per key tile:
//   m_new = max(m, rowmax(S_tile))
//   l     = l · exp(m - m_new) + Σ_j exp(s_j - m_new)
//   acc   = acc · exp(m - m_new) + Σ_j exp(s_j - m_new) · v_j
// and output = acc / l at the end. The n×n score matrix is never formed.
#include "attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

namespace {
constexpr float k_neg_inf = -std::numeric_limits<float>::infinity();

// True when no (i, j) in the tile is visible; padding is ignored here (handled per entry).
bool tile_fully_masked(const MaskSpec& m, int q_begin, int q_end, int k_begin, int k_end) {
    if (m.kind == MaskKind::Bidirectional) return false;
    // causal: the tile is above the diagonal when its first key is after its last query
    if (k_begin > q_end - 1) return true;
    if (m.kind == MaskKind::SlidingWindow && k_end - 1 <= q_begin - m.window) return true;
    return false;
}
} // namespace

Matrix attention_flash(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p,
                       const FlashOptions& opt, FlashTrace* trace, FlashStats* stats) {
    const int n_q = static_cast<int>(q.rows()), n_k = static_cast<int>(k.rows());
    const int d_v = static_cast<int>(v.cols());
    const int bq = std::max(1, opt.block_q), bk = std::max(1, opt.block_k);
    Matrix out = Matrix::Zero(n_q, d_v);
    if (trace) {
        trace->block_q = bq;
        trace->block_k = bk;
        trace->steps.clear();
    }
    Matrix s(bq, bk);         // (bq, bk) the only score storage
    Matrix acc(bq, d_v);      // (bq, d_v) unnormalised output of the current query block
    RowVector m(bq), l(bq);   // running max and sum per query row
    for (int qb = 0, q0 = 0; q0 < n_q; ++qb, q0 += bq) {
        const int q1 = std::min(n_q, q0 + bq), rows = q1 - q0;
        acc.topRows(rows).setZero();
        m.head(rows).setConstant(k_neg_inf);
        l.head(rows).setZero();
        for (int kb = 0, k0 = 0; k0 < n_k; ++kb, k0 += bk) {
            const int k1 = std::min(n_k, k0 + bk), cols = k1 - k0;
            FlashTileStep* step = nullptr;
            if (trace) {
                trace->steps.push_back({});
                step = &trace->steps.back();
                step->q_block = qb, step->k_block = kb;
                step->q_begin = q0, step->q_end = q1, step->k_begin = k0, step->k_end = k1;
                step->m_before.assign(m.data(), m.data() + rows);
                step->l_before.assign(l.data(), l.data() + rows);
            }
            if (tile_fully_masked(p.mask, q0, q1, k0, k1)) {
                if (step) {
                    step->skipped = true;
                    step->m_after = step->m_before;
                    step->l_after = step->l_before;
                    step->acc_after = acc.topRows(rows);
                }
                continue;
            }
            // S = scale · Q_blk K_blkᵀ + bias, masked entries -inf        (rows, cols)
            s.topLeftCorner(rows, cols).noalias() = p.scale * (q.middleRows(q0, rows) * k.middleRows(k0, cols).transpose());
            for (int i = 0; i < rows; ++i)
                for (int j = 0; j < cols; ++j) {
                    if (!key_visible(p.mask, q0 + i, k0 + j))
                        s(i, j) = k_neg_inf;
                    else if (p.alibi_slope != 0.0f)
                        s(i, j) -= p.alibi_slope * static_cast<float>(q0 + i - (k0 + j));
                }
            for (int i = 0; i < rows; ++i) {
                const float m_new = std::max(m(i), s.row(i).head(cols).maxCoeff());
                if (m_new == k_neg_inf) continue; // nothing visible in this row yet
                const float rescale = m(i) == k_neg_inf ? 0.0f : std::exp(m(i) - m_new);
                auto p_row = s.row(i).head(cols);
                p_row = (p_row.array() - m_new).exp();
                l(i) = l(i) * rescale + p_row.sum();
                acc.row(i) *= rescale;
                acc.row(i).noalias() += p_row * v.middleRows(k0, cols);
                m(i) = m_new;
            }
            if (step) {
                step->m_after.assign(m.data(), m.data() + rows);
                step->l_after.assign(l.data(), l.data() + rows);
                step->acc_after = acc.topRows(rows);
            }
        }
        for (int i = 0; i < rows; ++i)
            out.row(q0 + i) = l(i) > 0.0f ? RowVector(acc.row(i) / l(i)) : RowVector::Zero(d_v);
    }
    if (stats)
        stats->peak_extra_bytes = sizeof(float) * static_cast<std::size_t>(bq * bk + bq * d_v + 2 * bq);
    return out;
}

} // namespace attn

// Flash attention (Dao et al. 2022; work split over heads and query blocks as in Dao 2023): tiles of
// query rows × key columns with an online softmax. Per query row the running max m, running sum l and
// unnormalised output acc are updated per key tile:
//   m_new = max(m, rowmax(S_tile))
//   l     = l · exp(m - m_new) + Σ_j exp(s_j - m_new)
//   acc   = acc · exp(m - m_new) + Σ_j exp(s_j - m_new) · v_j
// and output = acc / l at the end (0 when the row saw no key). The n×n score matrix is never formed:
// each thread holds one (block_q, block_k) tile and one (block_q, d_v) accumulator, whatever n is.
#include "attention.hpp"
#include "kernels.hpp"
#include "parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>

#include <unistd.h>

namespace attn {

namespace {
constexpr float k_neg_inf = -std::numeric_limits<float>::infinity();

enum class TileKind { Masked, Full, Partial };

// Masked: no (i, j) of the tile is visible, so it is skipped. Full: every entry is visible, so no
// per-entry mask is needed. Visible means j <= i (causal), i - window < j <= i (sliding), key not padding.
TileKind classify_tile(const MaskSpec& m, int q0, int q1, int k0, int k1) {
    bool any_pad = false, all_pad = !m.key_valid.empty();
    for (int j = k0; j < k1 && !m.key_valid.empty(); ++j) {
        if (m.key_valid[static_cast<std::size_t>(j)])
            all_pad = false;
        else
            any_pad = true;
    }
    if (all_pad) return TileKind::Masked;
    const TileKind visible = any_pad ? TileKind::Partial : TileKind::Full;
    switch (m.kind) {
    case MaskKind::Bidirectional:
        return visible;
    case MaskKind::Causal:
        if (k0 > q1 - 1) return TileKind::Masked; // first key after the last query: above the diagonal
        return k1 - 1 <= q0 ? visible : TileKind::Partial;
    case MaskKind::SlidingWindow:
        if (k0 > q1 - 1) return TileKind::Masked;
        if (k1 - 1 <= q0 - m.window) return TileKind::Masked; // last key too far behind the first query
        return (k1 - 1 <= q0 && k0 > q1 - 1 - m.window) ? visible : TileKind::Partial;
    }
    return TileKind::Partial;
}

// One thread's working memory; its size depends on the tiles, never on n.
struct Workspace {
    Matrix s;                 // (bq, bk) scores of one tile, then exp(s - m_new)
    Matrix acc;               // (bq, d_v) unnormalised output of the query block
    Eigen::ArrayXf m, l;      // (bq) running max and sum per query row
    Eigen::ArrayXf rescale;   // (bq) exp(m_old - m_new) of the current tile
    std::vector<float> qpack; // the query block times the scale, packed once for every key tile
    std::vector<float> pack;  // packing scratch of the tile products (kernels.hpp)
    Workspace(int bq, int bk, int d, int d_v)
        : s(bq, bk), acc(bq, d_v), m(bq), l(bq), rescale(bq),
          qpack(static_cast<std::size_t>(kernels::active().pack_a_floats(bq, d))),
          pack(static_cast<std::size_t>(pack_floats(bk, d, d_v))) {}
    static long pack_floats(int bk, int d, int d_v) {
        const kernels::KernelTable& t = kernels::active();
        return std::max(t.gemm_pack_floats(bk, d), t.gemm_pack_floats(d_v, bk));
    }
};

// The algorithm's working set of one thread: S tile, accumulator, m and l.
std::size_t working_bytes(int bq, int bk, int d_v) {
    return sizeof(float) * (static_cast<std::size_t>(bq) * bk + static_cast<std::size_t>(bq) * d_v + 2u * bq);
}
// What this implementation adds per thread: the rescale factors, the packed query block, and the packed
// right-hand operand of the larger tile product (Kᵀ of the key tile for Q·Kᵀ, the value tile for P·V).
std::size_t scratch_bytes(int bq, int bk, int d, int d_v) {
    return sizeof(float) *
           (static_cast<std::size_t>(bq) + static_cast<std::size_t>(kernels::active().pack_a_floats(bq, d)) +
            static_cast<std::size_t>(Workspace::pack_floats(bk, d, d_v)));
}

// Sets the hidden entries of a Partial tile (rows q0.., keys k0..) to -inf and adds the ALiBi bias. A
// causal or sliding mask without padding or ALiBi hides a run of keys per row, written directly; every
// other case asks score_from() entry by entry.
void mask_tile(float* s, long ld, int rows, int cols, int q0, int k0, const MaskSpec& mask, float slope,
               TileKind kind) {
    if (kind == TileKind::Partial && mask.key_valid.empty() && slope == 0.0f &&
        mask.kind != MaskKind::Bidirectional) {
        for (int i = 0; i < rows; ++i) {
            const int qi = q0 + i;
            const int lo =
                mask.kind == MaskKind::SlidingWindow ? qi - mask.window + 1 : 0; // visible keys [lo, qi]
            float* row = s + i * ld;
            // two runs of hidden columns: [0, lo - k0) and (qi - k0, cols)
            std::fill(row, row + std::clamp(lo - k0, 0, cols), k_neg_inf);
            std::fill(row + std::clamp(qi - k0 + 1, 0, cols), row + cols, k_neg_inf);
        }
        return;
    }
    for (int i = 0; i < rows; ++i) {
        float* row = s + i * ld;
        for (int j = 0; j < cols; ++j)
            row[j] = kind == TileKind::Partial ? score_from(mask, slope, row[j], q0 + i, k0 + j)
                                               : row[j] + alibi_bias(slope, q0 + i, k0 + j);
    }
}

struct HeadJob {
    const Matrix* q; // (n_q, d)
    const Matrix* k; // (n_k, d)
    const Matrix* v; // (n_k, d_v)
    float alibi_slope;
    Matrix* out; // (n_q, d_v), rows [q0, q1) written by the task that owns them
};

struct TileCounts {
    long long computed = 0, skipped = 0;
};

// Query rows [q0, q1) of one head against every key tile: the inner loop of flash attention.
void run_query_block(const HeadJob& job, const AttentionParams& p, int q0, int q1, int qb, int bk,
                     Workspace& ws, FlashTrace* trace, TileCounts& counts) {
    const Matrix &q = *job.q, &k = *job.k, &v = *job.v;
    const int rows = q1 - q0, n_k = static_cast<int>(k.rows());
    const int d = static_cast<int>(q.cols()), d_v = static_cast<int>(v.cols());
    const kernels::KernelTable& kt = kernels::active();
    auto acc = ws.acc.topRows(rows);
    auto m = ws.m.head(rows), l = ws.l.head(rows);
    acc.setZero();
    m.setConstant(k_neg_inf);
    l.setZero();
    kt.pack_a(q.data() + static_cast<long>(q0) * d, d, 1, rows, d, p.scale, ws.qpack.data());
    for (int kb = 0, k0 = 0; k0 < n_k; ++kb, k0 += bk) {
        const int k1 = std::min(n_k, k0 + bk), cols = k1 - k0;
        const TileKind kind = classify_tile(p.mask, q0, q1, k0, k1);
        FlashTileStep* step = nullptr;
        if (trace) {
            step = &trace->steps.emplace_back();
            step->q_block = qb, step->k_block = kb;
            step->q_begin = q0, step->q_end = q1, step->k_begin = k0, step->k_end = k1;
            step->m_before.assign(m.data(), m.data() + rows);
            step->l_before.assign(l.data(), l.data() + rows);
        }
        if (kind == TileKind::Masked) {
            ++counts.skipped;
            if (step) {
                step->skipped = true;
                step->m_after = step->m_before;
                step->l_after = step->l_before;
                step->acc_after = acc;
            }
            continue;
        }
        ++counts.computed;
        // S = (scale · Q_blk) K_blkᵀ + bias, masked entries -inf        (rows, cols), row stride ld
        float* s = ws.s.data();
        const long ld = ws.s.cols();
        kernels::GemmArgs qk;
        qk.m = rows, qk.n = cols, qk.k = d;
        qk.a = ws.qpack.data(), qk.a_packed = true;
        qk.b = k.data() + static_cast<long>(k0) * d, qk.b_rs = 1, qk.b_cs = d; // Kᵀ read in place
        qk.c = s, qk.ldc = ld;
        kt.gemm(qk, ws.pack.data());
        if (kind == TileKind::Partial || job.alibi_slope != 0.0f)
            mask_tile(s, ld, rows, cols, q0, k0, p.mask, job.alibi_slope, kind);
        // m_new = max(m, rowmax S); P = exp(S - m_new) in place (masked entries 0);
        // rescale = exp(m - m_new); l = l · rescale + Σ_j P_ij; m = m_new
        kt.softmax_tile(s, ld, rows, cols, m.data(), l.data(), ws.rescale.data());
        // acc = acc · exp(m - m_new) + P V_blk
        kernels::GemmArgs pv;
        pv.m = rows, pv.n = d_v, pv.k = cols;
        pv.a = s, pv.a_rs = ld, pv.a_cs = 1;
        pv.b = v.data() + static_cast<long>(k0) * d_v, pv.b_rs = d_v, pv.b_cs = 1;
        pv.c = ws.acc.data(), pv.ldc = d_v, pv.row_beta = ws.rescale.data();
        kt.gemm(pv, ws.pack.data());
        if (step) {
            step->m_after.assign(m.data(), m.data() + rows);
            step->l_after.assign(l.data(), l.data() + rows);
            step->acc_after = acc;
        }
    }
    Matrix& out = *job.out;
    for (int i = 0; i < rows; ++i) {
        if (l(i) > 0.0f)
            out.row(q0 + i) = acc.row(i) / l(i);
        else
            out.row(q0 + i).setZero(); // every key of this row is masked
    }
}

// Runs every (head, query block) pair; tiles of later query blocks hold more visible keys under a causal
// mask, so blocks are handed out last-first and the short ones fill the gaps at the end.
void run_flash(const std::vector<HeadJob>& jobs, const AttentionParams& p, const FlashOptions& opt,
               FlashStats* stats) {
    const int n_heads = static_cast<int>(jobs.size());
    const int n_q = static_cast<int>(jobs[0].q->rows()), d = static_cast<int>(jobs[0].q->cols());
    const int d_v = static_cast<int>(jobs[0].v->cols());
    const int bq = std::max(1, opt.block_q), bk = std::max(1, opt.block_k);
    const int n_qblocks = (n_q + bq - 1) / bq;
    const int n_tasks = n_heads * n_qblocks;
    for (const HeadJob& j : jobs)
        j.out->resize(n_q, d_v);

    std::optional<WorkerTeam> own_team;
    WorkerTeam* team = opt.team;
    if (!team) {
        const int wanted = opt.n_threads > 0 ? opt.n_threads : hardware_threads();
        own_team.emplace(std::max(1, std::min(wanted, n_tasks)));
        team = &*own_team;
    }
    const int n_threads = std::min(team->size(), std::max(1, n_tasks));
    std::vector<std::unique_ptr<Workspace>> spaces(static_cast<std::size_t>(team->size()));
    std::vector<TileCounts> counts(static_cast<std::size_t>(team->size()));
    team->run(n_tasks, [&](int task, int thread) {
        auto& ws = spaces[static_cast<std::size_t>(thread)];
        if (!ws) ws = std::make_unique<Workspace>(bq, bk, d, d_v);
        const int qb = n_qblocks - 1 - task / n_heads, h = task % n_heads;
        const int q0 = qb * bq, q1 = std::min(n_q, q0 + bq);
        run_query_block(jobs[static_cast<std::size_t>(h)], p, q0, q1, qb, bk, *ws, nullptr,
                        counts[static_cast<std::size_t>(thread)]);
    });
    if (stats) {
        *stats = {};
        stats->threads_used = n_threads;
        stats->peak_extra_bytes = static_cast<std::size_t>(n_threads) * working_bytes(bq, bk, d_v);
        stats->scratch_bytes = static_cast<std::size_t>(n_threads) * scratch_bytes(bq, bk, d, d_v);
        for (const TileCounts& c : counts) {
            stats->tiles_computed += c.computed;
            stats->tiles_skipped += c.skipped;
        }
    }
}

} // namespace

FlashBlocks flash_blocks_for_cache(int d, int d_v) {
    const long l1_sys = sysconf(_SC_LEVEL1_DCACHE_SIZE), l2_sys = sysconf(_SC_LEVEL2_CACHE_SIZE);
    const long l1 = l1_sys > 0 ? l1_sys : 32 * 1024, l2 = l2_sys > 0 ? l2_sys : 512 * 1024;
    const long nr = kernels::active().nr, f = static_cast<long>(sizeof(float));
    const long width = std::max(1, d) + std::max(1, d_v);
    const long bk = std::max(nr, 2 * l1 / 3 / (f * std::max(std::max(1, d), d_v)) / nr * nr);
    const long bq = std::clamp(l2 / 2 / (f * (bk + width)) / 16 * 16, 16L, 256L);
    return {static_cast<int>(bq), static_cast<int>(bk)};
}

Matrix attention_flash(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p,
                       const FlashOptions& opt, FlashTrace* trace, FlashStats* stats) {
    ATTN_CHECK(q.cols() == k.cols() && v.rows() == k.rows());
    ATTN_CHECK(p.mask.key_valid.empty() || p.mask.key_valid.size() == static_cast<std::size_t>(k.rows()));
    const int n_q = static_cast<int>(q.rows());
    const int bq = std::max(1, opt.block_q), bk = std::max(1, opt.block_k);
    Matrix out(n_q, v.cols());
    const HeadJob job{&q, &k, &v, p.alibi_slope, &out};
    if (!trace) {
        run_flash({job}, p, opt, stats);
        return out;
    }
    // The traced run is single-threaded so the steps come out in the order the algorithm explains them.
    trace->block_q = bq;
    trace->block_k = bk;
    trace->steps.clear();
    Workspace ws(bq, bk, static_cast<int>(q.cols()), static_cast<int>(v.cols()));
    TileCounts counts;
    for (int qb = 0, q0 = 0; q0 < n_q; ++qb, q0 += bq)
        run_query_block(job, p, q0, std::min(n_q, q0 + bq), qb, bk, ws, trace, counts);
    if (stats) {
        *stats = {};
        stats->threads_used = 1;
        stats->peak_extra_bytes = working_bytes(bq, bk, static_cast<int>(v.cols()));
        stats->scratch_bytes = scratch_bytes(bq, bk, static_cast<int>(q.cols()), static_cast<int>(v.cols()));
        stats->tiles_computed = counts.computed;
        stats->tiles_skipped = counts.skipped;
    }
    return out;
}

std::vector<Matrix> attention_flash_heads(const std::vector<Matrix>& q, const std::vector<Matrix>& k,
                                          const std::vector<Matrix>& v, const AttentionParams& p,
                                          const FlashOptions& opt, const std::vector<float>& alibi_slopes,
                                          FlashStats* stats) {
    std::vector<Matrix> out;
    attention_flash_heads_into(q, k, v, p, opt, alibi_slopes, out, stats);
    return out;
}

void attention_flash_heads_into(const std::vector<Matrix>& q, const std::vector<Matrix>& k,
                                const std::vector<Matrix>& v, const AttentionParams& p,
                                const FlashOptions& opt, const std::vector<float>& alibi_slopes,
                                std::vector<Matrix>& out, FlashStats* stats) {
    ATTN_CHECK(check_attention_shapes(q, k, v, p.mask).empty());
    ATTN_CHECK(alibi_slopes.empty() || alibi_slopes.size() == q.size());
    const std::size_t group = q.size() / k.size(); // query heads per key/value head
    out.resize(q.size()); // run_flash sizes each matrix; one of the right size keeps its memory
    std::vector<HeadJob> jobs;
    jobs.reserve(q.size());
    for (std::size_t h = 0; h < q.size(); ++h) {
        const std::size_t g = h / group;
        const float slope = alibi_slopes.empty() ? p.alibi_slope : alibi_slopes[h];
        jobs.push_back({&q[h], &k[g], &v[g], slope, &out[h]});
    }
    run_flash(jobs, p, opt, stats);
}

} // namespace attn

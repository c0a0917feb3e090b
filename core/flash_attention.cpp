// Flash attention (Dao et al. 2022; work split over heads and query blocks as in Dao 2023): tiles of
// query rows × key columns with an online softmax. Per query row the running max m, running sum l and
// unnormalised output acc are updated per key tile:
//   m_new = max(m, rowmax(S_tile))
//   l     = l · exp(m - m_new) + Σ_j exp(s_j - m_new)
//   acc   = acc · exp(m - m_new) + Σ_j exp(s_j - m_new) · v_j
// and output = acc / l at the end (0 when the row saw no key); the kernels take these exponentials in base 2
// on scores times log2 e (the same values, by a cheaper exp). The n×n score matrix is never formed:
// each thread holds one (block_q, block_k) tile and one (block_q, d_v) accumulator per query block it
// runs (two side by side when there is work enough), whatever n is.
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
// The tile softmax works in base 2 (kernel_table.hpp): scores are taken times log2 e, so that
// 2^(s·log2 e - m) = exp(s - m / log2 e), and m is kept in those units (the trace shows it in natural ones).
constexpr float k_log2e = 1.44269504088896341f, k_ln2 = 0.693147180559945309f;

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

// The running state of one query block: its queries, output accumulator and online-softmax statistics.
struct BlockState {
    Matrix acc;               // (bq, d_v) unnormalised output of the query block
    Eigen::ArrayXf m, l;      // (cols) running max (in base-2 units) and sum per query
    Eigen::ArrayXf rescale;   // (cols) 2^(m_old - m_new) of the current tile
    Eigen::ArrayXf tile_max;  // (cols) column maxima of a full tile's Sᵀ, taken by the product
    std::vector<float> qpack; // scale · log2 e · Qᵀ of the query block, packed once for every key tile
    BlockState(int bq, int cols, int d, int d_v)
        : acc(bq, d_v), m(cols), l(cols), rescale(cols), tile_max(cols),
          qpack(static_cast<std::size_t>(kernels::active().pack_b_floats(d, bq))) {}
};

// One thread's working memory; its size depends on the tiles, never on n. The score tile is held
// transposed, one key per row and one query per column, so the online softmax's maxima and sums are
// vector operations across queries, P·V reads each key's weights for six queries as six adjacent floats,
// and the query block, not every key tile, is what gets transposed into the product's packed panels.
// A thread runs `group` query blocks of one head side by side: each key and value tile, fetched once from
// memory, serves them all while it is in the core's caches; the score tile is shared, one block at a time.
struct Workspace {
    int cols;                       // bq rounded up to whole vectors: the row stride of st, length of m, l
    Matrix st;                      // (bk, cols) Sᵀ of one tile, then 2^(Sᵀ - m_new); past the block -inf
    std::vector<float> pack;        // the value tile packed, when its width is no whole number of panels
    std::vector<BlockState> blocks; // (group)
    Workspace(int bq, int bk, int d, int d_v, int group)
        : cols(padded(bq)), st(bk, cols),
          pack(static_cast<std::size_t>(kernels::active().gemm_pack_floats(d_v, bk))) {
        blocks.reserve(static_cast<std::size_t>(group));
        for (int g = 0; g < group; ++g)
            blocks.emplace_back(bq, cols, d, d_v);
    }
    static int padded(int bq) {
        const int w = kernels::active().lanes;
        return (bq + w - 1) / w * w;
    }
};

// Query blocks a thread runs side by side when there is enough work to share out (several tasks per
// thread); two halve the key and value tiles' trips from L3 when a head's keys and values overflow L2.
constexpr int k_group = 2;

// The algorithm's working set of one thread: S tile, accumulator, m and l.
std::size_t working_bytes(int bq, int bk, int d_v) {
    return sizeof(float) * (static_cast<std::size_t>(bq) * bk + static_cast<std::size_t>(bq) * d_v + 2u * bq);
}
// What this implementation adds per thread: the rescale factors and tile maxima, the tile's padding to whole
// vectors, the packed Qᵀ of the query block, (for a width of d_v that is no whole number of panels) the
// packed value tile, and for each further block of the group its own accumulator, statistics and Qᵀ.
std::size_t scratch_bytes(int bq, int bk, int d, int d_v, int group) {
    const kernels::KernelTable& t = kernels::active();
    const auto cols = static_cast<std::size_t>(Workspace::padded(bq)), rows = static_cast<std::size_t>(bq);
    const std::size_t per_block =
        2u * cols + 2u * (cols - rows) + static_cast<std::size_t>(t.pack_b_floats(d, bq));
    const std::size_t further = rows * static_cast<std::size_t>(d_v) + 2u * rows;
    return sizeof(float) *
           (static_cast<std::size_t>(group) * per_block + static_cast<std::size_t>(group - 1) * further +
            (cols - rows) * static_cast<std::size_t>(bk) +
            static_cast<std::size_t>(t.gemm_pack_floats(d_v, bk)));
}

// Sets the hidden entries of a Partial transposed tile (row p = key k0 + p, column j = query q0 + j) to
// -inf and adds the ALiBi bias. A causal or sliding mask without padding or ALiBi hides, per key, a run of
// queries before it (and for a window, one after), written directly; every other case asks score_from()
// entry by entry.
void mask_tile(float* st, long ld, int keys, int queries, int q0, int k0, const MaskSpec& mask, float slope,
               TileKind kind) {
    if (kind == TileKind::Partial && mask.key_valid.empty() && slope == 0.0f &&
        mask.kind != MaskKind::Bidirectional) {
        for (int p = 0; p < keys; ++p) {
            const int kk = k0 + p;
            float* row = st + p * ld;
            // key kk is seen by queries [kk, kk + window): hidden before kk - q0, and from kk + window - q0
            std::fill(row, row + std::clamp(kk - q0, 0, queries), k_neg_inf);
            if (mask.kind == MaskKind::SlidingWindow)
                std::fill(row + std::clamp(kk + mask.window - q0, 0, queries), row + queries, k_neg_inf);
        }
        return;
    }
    for (int p = 0; p < keys; ++p) {
        float* row = st + p * ld;
        for (int j = 0; j < queries; ++j)
            row[j] = kind == TileKind::Partial ? score_from(mask, slope, row[j], q0 + j, k0 + p)
                                               : row[j] + alibi_bias(slope, q0 + j, k0 + p);
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

// Query rows [q0, q1) of one head, qb-th block, as the inner loop of flash attention sees them.
struct QueryBlock {
    int qb, q0, q1;
};

// Before the first key tile: an empty accumulator, no key seen, scale · log2 e · Qᵀ (d, rows) with
// B(p, j) = Q(q0 + j, p), transposed into panels once for the whole block.
void start_block(const HeadJob& job, const AttentionParams& p, const QueryBlock& b, BlockState& s) {
    const Matrix& q = *job.q;
    const int d = static_cast<int>(q.cols());
    s.acc.topRows(b.q1 - b.q0).setZero();
    s.m.setConstant(k_neg_inf);
    s.l.setZero();
    kernels::active().pack_b(q.data() + static_cast<long>(b.q0) * d, 1, d, d, b.q1 - b.q0, s.qpack.data());
    const float scale = p.scale * k_log2e;
    for (float& x : s.qpack)
        x *= scale;
}

// The running maxima as the trace reports them: m / log2 e, the maximum of the scores themselves.
std::vector<float> natural_units(const Eigen::Ref<const Eigen::ArrayXf>& m) {
    std::vector<float> out(static_cast<std::size_t>(m.size()));
    for (Eigen::Index i = 0; i < m.size(); ++i)
        out[static_cast<std::size_t>(i)] = m(i) * k_ln2;
    return out;
}

// One key tile [k0, k1) (the kb-th) of one query block: scores, online softmax, weighted values.
void run_tile(const HeadJob& job, const AttentionParams& p, const QueryBlock& b, int kb, int k0, int k1,
              Workspace& ws, BlockState& s, FlashTrace* trace, TileCounts& counts) {
    const Matrix &k = *job.k, &v = *job.v;
    const int q0 = b.q0, q1 = b.q1, rows = q1 - q0, keys = k1 - k0;
    const int d = static_cast<int>(k.cols()), d_v = static_cast<int>(v.cols());
    const kernels::KernelTable& kt = kernels::active();
    auto acc = s.acc.topRows(rows);
    auto m = s.m.head(rows), l = s.l.head(rows);
    const TileKind kind = classify_tile(p.mask, q0, q1, k0, k1);
    FlashTileStep* step = nullptr;
    if (trace) {
        step = &trace->steps.emplace_back();
        step->q_block = b.qb, step->k_block = kb;
        step->q_begin = q0, step->q_end = q1, step->k_begin = k0, step->k_end = k1;
        step->m_before = natural_units(m);
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
        return;
    }
    ++counts.computed;
    const long ld = ws.cols;
    float* st = ws.st.data();
    // Sᵀ = (K_blk (scale · Q_blkᵀ) + bias) · log2 e, masked entries -inf        (keys, rows), stride ld
    kernels::GemmArgs qk;
    qk.m = keys, qk.n = rows, qk.k = d;
    qk.a = k.data() + static_cast<long>(k0) * d, qk.a_rs = d, qk.a_cs = 1; // the key rows in place
    qk.b = s.qpack.data(), qk.b_packed = true;
    qk.c = st, qk.ldc = ld;
    // A tile on a causal or sliding mask's diagonal hides key k0 + r from query q0 + j when r > j + q0 -
    // k0: the products skip those register blocks of scores (mask_tile sets them to -inf below) and those
    // keys' zero weights, about half of each diagonal tile.
    const bool staircase = kind == TileKind::Partial && p.mask.kind != MaskKind::Bidirectional;
    if (staircase) qk.c_diag = q0 - k0;
    // A full tile without bias is final when the product has stored it, so the product also takes
    // each query's maximum over the tile while the scores are in L1 (masking and bias would change it).
    const bool max_in_product = kind == TileKind::Full && job.alibi_slope == 0.0f;
    if (max_in_product) {
        s.tile_max.setConstant(k_neg_inf); // columns past the block stay -inf
        qk.col_max = s.tile_max.data();
    }
    kt.gemm(qk, nullptr);
    if (kind == TileKind::Partial || job.alibi_slope != 0.0f)
        mask_tile(st, ld, keys, rows, q0, k0, p.mask, job.alibi_slope * k_log2e, kind);
    if (rows < ws.cols) // columns past the block, up to whole vectors: no visible key, weight 0
        for (int r = 0; r < keys; ++r)
            std::fill(st + r * ld + rows, st + r * ld + ws.cols, k_neg_inf);
    // per query: m_new = max(m, column max of Sᵀ); P = 2^(Sᵀ - m_new) in place (masked entries 0);
    // rescale = 2^(m - m_new); l = l · rescale + Σ_keys P; m = m_new
    kt.softmax_tile_t(st, ld, keys, ws.cols, s.m.data(), s.l.data(), s.rescale.data(),
                      max_in_product ? s.tile_max.data() : nullptr);
    // acc = acc · rescale + P V_blk, with P(i, p) = Sᵀ(p, i): six queries' weights are adjacent
    kernels::GemmArgs pv;
    pv.m = rows, pv.n = d_v, pv.k = keys;
    pv.a = st, pv.a_rs = 1, pv.a_cs = ld;
    pv.b = v.data() + static_cast<long>(k0) * d_v, pv.b_rs = d_v, pv.b_cs = 1;
    pv.c = s.acc.data(), pv.ldc = d_v, pv.row_beta = s.rescale.data();
    if (staircase) pv.a_diag = q0 - k0;
    kt.gemm(pv, ws.pack.data());
    if (step) {
        step->m_after = natural_units(m);
        step->l_after.assign(l.data(), l.data() + rows);
        step->acc_after = acc;
    }
}

// output = acc / l per query row, 0 for a row whose every key is masked
void finish_block(const HeadJob& job, const QueryBlock& b, const BlockState& s) {
    Matrix& out = *job.out;
    for (int i = 0; i < b.q1 - b.q0; ++i) {
        if (s.l(i) > 0.0f)
            out.row(b.q0 + i) = s.acc.row(i) / s.l(i);
        else
            out.row(b.q0 + i).setZero();
    }
}

// Query blocks blocks[0, count) of one head against every key tile, each tile visiting every block in
// turn: the inner loop of flash attention. count <= the workspace's group.
void run_query_blocks(const HeadJob& job, const AttentionParams& p, const QueryBlock* blocks, int count,
                      int bk, Workspace& ws, FlashTrace* trace, TileCounts& counts) {
    for (int g = 0; g < count; ++g)
        start_block(job, p, blocks[g], ws.blocks[static_cast<std::size_t>(g)]);
    const int n_k = static_cast<int>(job.k->rows());
    for (int kb = 0, k0 = 0; k0 < n_k; ++kb, k0 += bk)
        for (int g = 0; g < count; ++g)
            run_tile(job, p, blocks[g], kb, k0, std::min(n_k, k0 + bk), ws,
                     ws.blocks[static_cast<std::size_t>(g)], trace, counts);
    for (int g = 0; g < count; ++g)
        finish_block(job, blocks[g], ws.blocks[static_cast<std::size_t>(g)]);
}

// Runs every (head, group of adjacent query blocks) pair; tiles of later query blocks hold more visible
// keys under a causal mask, so groups are handed out last-first and the short ones fill the gaps at the
// end. Blocks are grouped only while that leaves at least four tasks per thread.
void run_flash(const std::vector<HeadJob>& jobs, const AttentionParams& p, const FlashOptions& opt,
               FlashStats* stats) {
    const int n_heads = static_cast<int>(jobs.size());
    const int n_q = static_cast<int>(jobs[0].q->rows()), d = static_cast<int>(jobs[0].q->cols());
    const int d_v = static_cast<int>(jobs[0].v->cols());
    const int bq = std::max(1, opt.block_q), bk = std::max(1, opt.block_k);
    const int n_qblocks = (n_q + bq - 1) / bq;
    for (const HeadJob& j : jobs)
        j.out->resize(n_q, d_v);

    std::optional<WorkerTeam> own_team;
    WorkerTeam* team = opt.team;
    if (!team) {
        const int wanted = opt.n_threads > 0 ? opt.n_threads : hardware_threads();
        own_team.emplace(std::max(1, std::min(wanted, n_heads * n_qblocks)));
        team = &*own_team;
    }
    const int grouped_tasks = n_heads * ((n_qblocks + k_group - 1) / k_group);
    const int group = grouped_tasks >= 4 * team->size() ? k_group : 1;
    const int n_groups = (n_qblocks + group - 1) / group, n_tasks = n_heads * n_groups;
    const int n_threads = std::min(team->size(), std::max(1, n_tasks));
    std::vector<std::unique_ptr<Workspace>> spaces(static_cast<std::size_t>(team->size()));
    std::vector<TileCounts> counts(static_cast<std::size_t>(team->size()));
    team->run(n_tasks, [&](int task, int thread) {
        auto& ws = spaces[static_cast<std::size_t>(thread)];
        // k_group block states whether grouped or not: a thread's memory depends on the tiles, never on n
        if (!ws) ws = std::make_unique<Workspace>(bq, bk, d, d_v, k_group);
        const int g = n_groups - 1 - task / n_heads, h = task % n_heads;
        QueryBlock blocks[k_group];
        int count = 0;
        for (int qb = g * group; qb < std::min(n_qblocks, (g + 1) * group); ++qb)
            blocks[count++] = {qb, qb * bq, std::min(n_q, qb * bq + bq)};
        run_query_blocks(jobs[static_cast<std::size_t>(h)], p, blocks, count, bk, *ws, nullptr,
                         counts[static_cast<std::size_t>(thread)]);
    });
    if (stats) {
        *stats = {};
        stats->threads_used = n_threads;
        stats->peak_extra_bytes = static_cast<std::size_t>(n_threads) * working_bytes(bq, bk, d_v);
        stats->scratch_bytes = static_cast<std::size_t>(n_threads) * scratch_bytes(bq, bk, d, d_v, k_group);
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
    const long nr = kernels::active().nr, mr = kernels::active().mr, f = static_cast<long>(sizeof(float));
    const long width = std::max(1, d) + std::max(1, d_v);
    // keys are the rows of the transposed score tile, so whole register blocks of mr rows; queries are
    // its columns, whole panels of nr where the block is that wide
    const long bk = std::max(mr, 2 * l1 / 3 / (f * std::max(std::max(1, d), d_v)) / mr * mr);
    long bq = std::clamp(l2 / 2 / (f * (bk + width)) / 16 * 16, 16L, 256L);
    if (bq >= nr) bq = bq / nr * nr;
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
    Workspace ws(bq, bk, static_cast<int>(q.cols()), static_cast<int>(v.cols()), 1);
    TileCounts counts;
    for (int qb = 0, q0 = 0; q0 < n_q; ++qb, q0 += bq) {
        const QueryBlock block{qb, q0, std::min(n_q, q0 + bq)};
        run_query_blocks(job, p, &block, 1, bk, ws, trace, counts);
    }
    if (stats) {
        *stats = {};
        stats->threads_used = 1;
        stats->peak_extra_bytes = working_bytes(bq, bk, static_cast<int>(v.cols()));
        stats->scratch_bytes =
            scratch_bytes(bq, bk, static_cast<int>(q.cols()), static_cast<int>(v.cols()), 1);
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

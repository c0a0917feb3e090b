// Reference and matrix forms of single-head attention; flash attention lives in flash_attention.cpp.
#include "attention.hpp"
#include "kernels.hpp"
#include "parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <unistd.h>

namespace attn {

namespace {
constexpr float k_neg_inf = -std::numeric_limits<float>::infinity();
}

AttentionResult attention_reference(const Matrix& q, const Matrix& k, const Matrix& v,
                                    const AttentionParams& p) {
    const int n_q = static_cast<int>(q.rows()), n_k = static_cast<int>(k.rows());
    ATTN_CHECK(q.cols() == k.cols() && v.rows() == k.rows());
    ATTN_CHECK(p.mask.key_valid.empty() || static_cast<int>(p.mask.key_valid.size()) == n_k);
    const int d_head = static_cast<int>(q.cols());
    AttentionResult r;
    r.scores.resize(n_q, n_k);
    r.weights.resize(n_q, n_k);
    r.output = Matrix::Zero(n_q, v.cols());
    for (int i = 0; i < n_q; ++i) {
        // 1. score every key: s_ij = scale · (q_i · k_j) - slope · |i - j|, or -inf if masked
        for (int j = 0; j < n_k; ++j) {
            float dot = 0.0f;
            for (int d = 0; d < d_head; ++d)
                dot += q(i, d) * k(j, d);
            r.scores(i, j) = score_from(p.mask, p.alibi_slope, p.scale * dot, i, j);
        }
    }
    // 2. softmax of every row: subtract the row max so exp never overflows
    r.weights = r.scores;
    softmax_rows(r.weights);
    for (int i = 0; i < n_q; ++i) {
        // 3. output: the weighted average of the value vectors
        for (int j = 0; j < n_k; ++j)
            for (int d = 0; d < v.cols(); ++d)
                r.output(i, d) += r.weights(i, j) * v(j, d);
    }
    return r;
}

AttentionResult attention_matrix(const Matrix& q, const Matrix& k, const Matrix& v,
                                 const AttentionParams& p) {
    AttentionResult r;
    attention_matrix_into(q, k, v, p, r);
    return r;
}

namespace {

long l2_bytes() {
    static const long l2 = [] { // sysconf runs cpuid, which a virtual machine traps: ask once
        const long l2_sys = sysconf(_SC_LEVEL2_CACHE_SIZE);
        return l2_sys > 0 ? l2_sys : 512L * 1024;
    }();
    return l2;
}

// What every block of rows of one matrix-form call shares: Kᵀ packed once into the GEMM's panels (instead
// of once per chunk of rows), and whether the results are larger than a core's cache.
struct MatrixPlan {
    const float* k_packed; // scale-free Kᵀ (d, n_k) in gemm's packed layout
    bool stream;           // scores and weights larger than L2: computed in a per-thread chunk buffer in
                           // L2 and copied out with streaming stores (see copy_stream)
};

// Query rows [r0, r1) of the matrix form: their scores, weights and outputs depend on no other row.
void matrix_chunk(const Matrix& q, const Matrix& v, const AttentionParams& p, const MatrixPlan& plan,
                  AttentionResult& r, int r0, int r1) {
    const kernels::KernelTable& kt = kernels::active();
    const int n_k = static_cast<int>(r.scores.cols()), d = static_cast<int>(q.cols());
    const int d_v = static_cast<int>(v.cols()), rows = r1 - r0;
    const long size = static_cast<long>(rows) * n_k;
    float* pack = kernels::thread_pack_buffer(kt.gemm_pack_floats(d_v, n_k));
    float *s = &r.scores(r0, 0), *w = &r.weights(r0, 0);
    if (plan.stream) {
        thread_local std::vector<float> chunk; // this thread's scores and weights of one chunk
        if (static_cast<long>(chunk.size()) < 2 * size) chunk.resize(static_cast<std::size_t>(2 * size));
        s = chunk.data(), w = chunk.data() + size;
    }
    // scores = scale · Q Kᵀ                                        (rows, n_k)
    kernels::GemmArgs qk;
    qk.m = rows, qk.n = n_k, qk.k = d;
    qk.a = q.data() + static_cast<long>(r0) * d, qk.a_rs = d, qk.a_cs = 1;
    qk.b = plan.k_packed, qk.b_packed = true;
    qk.c = s, qk.ldc = n_k, qk.alpha = p.scale;
    kt.gemm(qk, nullptr);
    const bool any_mask = p.mask.kind != MaskKind::Bidirectional || !p.mask.key_valid.empty();
    if (any_mask && p.alibi_slope == 0.0f && p.mask.key_valid.empty()) {
        // causal or sliding window alone: row i sees keys [lo, i], the rest become -inf
        for (int i = r0; i < r1; ++i) {
            const int lo = p.mask.kind == MaskKind::SlidingWindow ? std::max(0, i - p.mask.window + 1) : 0;
            float* row = s + static_cast<long>(i - r0) * n_k;
            std::fill(row, row + std::min(lo, n_k), k_neg_inf);
            if (i + 1 < n_k) std::fill(row + i + 1, row + n_k, k_neg_inf);
        }
    } else if (p.alibi_slope != 0.0f || any_mask) {
        for (int i = r0; i < r1; ++i) {
            float* row = s + static_cast<long>(i - r0) * n_k;
            for (int j = 0; j < n_k; ++j)
                row[j] = score_from(p.mask, p.alibi_slope, row[j], i, j);
        }
    }
    // weights = softmax of every row (row max subtracted first; all zeros when every key is masked)
    for (int i = 0; i < rows; ++i)
        kt.softmax_row(s + static_cast<long>(i) * n_k, w + static_cast<long>(i) * n_k, n_k);
    // output = weights · V                                         (rows, d_v)
    kernels::GemmArgs pv;
    pv.m = rows, pv.n = d_v, pv.k = n_k;
    pv.a = w, pv.a_rs = n_k, pv.a_cs = 1;
    pv.b = v.data(), pv.b_rs = d_v, pv.b_cs = 1;
    pv.c = r.output.data() + static_cast<long>(r0) * d_v, pv.ldc = d_v;
    kt.gemm(pv, pack);
    if (plan.stream) {
        kt.copy_stream(s, &r.scores(r0, 0), size);
        kt.copy_stream(w, &r.weights(r0, 0), size);
    }
}

// Rows per chunk of the matrix form: the chunk's scores and weights (2 · rows · n_k floats) fill at most
// half of L2, so the softmax reads the scores and P·V the weights while they are still in L2 instead of
// from main memory. Both full n×n matrices are still written: they are what this form teaches.
int matrix_chunk_rows(int n_k) {
    const long mr = kernels::active().mr;
    const long rows = l2_bytes() / 2 / (2L * static_cast<long>(sizeof(float)) * std::max(1, n_k)) / mr * mr;
    return static_cast<int>(std::clamp(rows, mr, 1024L));
}

void matrix_rows(const Matrix& q, const Matrix& v, const AttentionParams& p, const MatrixPlan& plan,
                 AttentionResult& r, int r0, int r1) {
    const int chunk = matrix_chunk_rows(static_cast<int>(r.scores.cols()));
    for (int c0 = r0; c0 < r1; c0 += chunk)
        matrix_chunk(q, v, p, plan, r, c0, std::min(r1, c0 + chunk));
}

} // namespace

void attention_matrix_into(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p,
                           AttentionResult& r, WorkerTeam* team) {
    const int n_q = static_cast<int>(q.rows()), n_k = static_cast<int>(k.rows());
    ATTN_CHECK(q.cols() == k.cols() && v.rows() == k.rows());
    ATTN_CHECK(p.mask.key_valid.empty() || static_cast<int>(p.mask.key_valid.size()) == n_k);
    r.scores.resize(n_q, n_k); // no new allocation when the sizes are those of the last call
    r.weights.resize(n_q, n_k);
    r.output.resize(n_q, v.cols());
    if (n_q == 0) return;
    if (n_k == 0) {
        r.output.setZero();
        return;
    }
    const kernels::KernelTable& kt = kernels::active();
    const int d = static_cast<int>(q.cols());
    // Kᵀ (d, n_k): B(p, j) = K(j, p), packed once here and read by every block of rows
    thread_local std::vector<float> k_packed;
    const auto packed_size = static_cast<std::size_t>(kt.pack_b_floats(d, n_k));
    if (k_packed.size() < packed_size) k_packed.resize(packed_size);
    kt.pack_b(k.data(), 1, d, d, n_k, k_packed.data());
    const MatrixPlan plan{k_packed.data(), 2L * n_q * n_k * static_cast<long>(sizeof(float)) > l2_bytes()};
    const int n_blocks = team && team->size() > 1 ? std::min(n_q / 16, 8 * team->size()) : 1;
    if (n_blocks <= 1) {
        matrix_rows(q, v, p, plan, r, 0, n_q);
        return;
    }
    team->run(n_blocks, [&](int b, int) {
        matrix_rows(q, v, p, plan, r, static_cast<int>(static_cast<long>(n_q) * b / n_blocks),
                    static_cast<int>(static_cast<long>(n_q) * (b + 1) / n_blocks));
    });
}

std::string check_attention_shapes(const std::vector<Matrix>& q, const std::vector<Matrix>& k,
                                   const std::vector<Matrix>& v, const MaskSpec& mask) {
    const auto str = [](auto x) { return std::to_string(x); };
    if (q.empty() || k.empty()) return "There must be at least one query head and one key/value head.";
    if (k.size() != v.size())
        return "There are " + str(k.size()) + " key heads but " + str(v.size()) + " value heads.";
    if (q.size() % k.size() != 0)
        return "The key/value heads (" + str(k.size()) + ") must divide the query heads (" + str(q.size()) +
               ").";
    const Eigen::Index n_q = q[0].rows(), n_k = k[0].rows(), d = q[0].cols(), d_v = v[0].cols();
    if (d == 0 || d_v == 0) return "Head vectors must have at least one number.";
    for (std::size_t h = 0; h < q.size(); ++h)
        if (q[h].rows() != n_q || q[h].cols() != d)
            return "Query head " + str(h) + " is " + str(q[h].rows()) + "x" + str(q[h].cols()) +
                   ", expected " + str(n_q) + "x" + str(d) + ".";
    for (std::size_t g = 0; g < k.size(); ++g) {
        if (k[g].rows() != n_k || k[g].cols() != d)
            return "Key head " + str(g) + " is " + str(k[g].rows()) + "x" + str(k[g].cols()) + ", expected " +
                   str(n_k) + "x" + str(d) + " (keys need the width of the queries).";
        if (v[g].rows() != n_k || v[g].cols() != d_v)
            return "Value head " + str(g) + " is " + str(v[g].rows()) + "x" + str(v[g].cols()) +
                   ", expected " + str(n_k) + "x" + str(d_v) + " (one value per key).";
    }
    if (!mask.key_valid.empty() && static_cast<Eigen::Index>(mask.key_valid.size()) != n_k)
        return "The padding mask has " + str(mask.key_valid.size()) + " entries for " + str(n_k) + " keys.";
    if (mask.kind == MaskKind::SlidingWindow && mask.window <= 0)
        return "A sliding window must cover at least 1 token.";
    return {};
}

} // namespace attn

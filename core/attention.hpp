// Scaled dot-product attention for one head (Vaswani et al. 2017):
//   scores  = scale · Q Kᵀ + bias, masked entries = -inf        (n_q, n_k)
//   bias_ij = -slope · |i - j| for ALiBi (Press et al. 2021), else 0
//   weights = softmax over each row (row max subtracted first)  (n_q, n_k)
//   output  = weights · V                                       (n_q, d_head)
// A row whose every key is masked gets all-zero weights and a zero output, never NaN.
// Three implementations of the same function are kept side by side and tested against each other:
// reference loops (textbook order), the matrix form, and tiled flash attention (Dao et al. 2022).
#pragma once

#include "config.hpp"
#include "layers.hpp"
#include "types.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace attn {

class WorkerTeam; // parallel.hpp

// Which keys a query may see. key_valid (empty = all valid) is the per-token padding mask.
struct MaskSpec {
    MaskKind kind = MaskKind::Bidirectional;
    int window = 0;                      // for SlidingWindow: keys i-window+1 .. i
    std::vector<std::uint8_t> key_valid; // (n_k) 1 = real token, 0 = padding
};

inline bool key_visible(const MaskSpec& m, int i, int j) {
    if (!m.key_valid.empty() && !m.key_valid[static_cast<std::size_t>(j)]) return false;
    switch (m.kind) {
    case MaskKind::Bidirectional:
        return true;
    case MaskKind::Causal:
        return j <= i;
    case MaskKind::SlidingWindow:
        return j <= i && j > i - m.window;
    }
    return true;
}

struct AttentionParams {
    float scale = 1.0f;       // multiplies q·k (already divided by the temperature)
    float alibi_slope = 0.0f; // ALiBi: bias -slope·|i - j| added to the score (Press et al. 2021); under a
                              // causal mask |i - j| = i - j, bidirectional attention penalises both sides
    MaskSpec mask;
};

// The ALiBi bias of query i and key j.
inline float alibi_bias(float slope, int i, int j) {
    return -slope * static_cast<float>(i > j ? i - j : j - i);
}

// The one definition of a score, shared by every implementation (reference loops, the matrix form and
// flash tiles): s_ij = scale · q_i·k_j + bias_ij, or -inf where key j is hidden from query i.
inline float score_from(const MaskSpec& mask, float alibi_slope, float scaled_dot, int i, int j) {
    if (!key_visible(mask, i, j)) return -std::numeric_limits<float>::infinity();
    return scaled_dot + alibi_bias(alibi_slope, i, j);
}

struct AttentionResult {
    Matrix scores;  // (n_q, n_k) scaled and biased; -inf where masked
    Matrix weights; // (n_q, n_k) rows sum to 1, or are all 0 when every key is masked
    Matrix output;  // (n_q, d_head)
};

// q (n_q, d_head), k (n_k, d_head), v (n_k, d_v); mask.key_valid empty or (n_k). Shapes are invariants:
// check data from users or files with check_attention_shapes() first.
AttentionResult attention_reference(const Matrix& q, const Matrix& k, const Matrix& v,
                                    const AttentionParams& p);
AttentionResult attention_matrix(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p);
// The matrix form into a caller-kept result: its (n_q, n_k) buffers are reused when the sizes repeat, so a
// repeated call allocates and page-faults nothing. With a team, blocks of query rows run on its threads.
void attention_matrix_into(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p,
                           AttentionResult& result, WorkerTeam* team = nullptr);

// Empty when q, k, v (one matrix per head) and the mask fit together: n_heads a multiple of n_kv_heads,
// k and v of each key/value head with the same rows, q and k with the same width, key_valid empty or n_k.
std::string check_attention_shapes(const std::vector<Matrix>& q, const std::vector<Matrix>& k,
                                   const std::vector<Matrix>& v, const MaskSpec& mask);

// ---- flash attention -------------------------------------------------------------------------------
struct FlashOptions {
    int block_q = 16;  // query rows per tile (16 suits the step-by-step view; flash_blocks_for_cache() speed)
    int block_k = 16;  // key columns per tile
    int n_threads = 0; // 0 = all hardware threads; work is split over (head, query block) pairs
    WorkerTeam* team =
        nullptr; // run on this caller-owned team instead of starting threads (n_threads ignored)
};

// Tile sizes for speed, derived from this CPU's cache sizes (sysconf; 32 KiB L1 / 512 KiB L2 if unknown):
//   block_k: the key tile (block_k, d) and the value tile (block_k, d_v), read by one tile product each,
//            each fill at most two thirds of L1 (the rest holds the broadcast rows and the C block),
//            rounded down to whole register blocks of rows (6): keys are the rows of flash's transposed
//            score tile, so no block of the micro-kernel runs short;
//   block_q: the score tile, accumulator and query rows (block_q · (block_k + d_v + d) floats) fit in half
//            of L2, at most 256 rows so a head still splits into several tasks, and whole panels of the
//            kernel's columns where that is at least one panel.
struct FlashBlocks {
    int block_q = 0, block_k = 0;
};
FlashBlocks flash_blocks_for_cache(int d, int d_v);

// One visited (or skipped) tile; m and l are the running max and running sum of the tile's query rows.
struct FlashTileStep {
    int q_block = 0, k_block = 0;
    int q_begin = 0, q_end = 0;           // query rows [q_begin, q_end)
    int k_begin = 0, k_end = 0;           // key columns [k_begin, k_end)
    bool skipped = false;                 // wholly masked (above the causal diagonal / outside the window)
    std::vector<float> m_before, m_after; // (q_end - q_begin)
    std::vector<float> l_before, l_after; // (q_end - q_begin)
    Matrix acc_after; // (q_end - q_begin, d_head) unnormalised partial output after this tile
};

struct FlashTrace {
    int block_q = 0, block_k = 0;
    std::vector<FlashTileStep> steps; // in the order the algorithm visits them
};

struct FlashStats {
    // The algorithm's working set held at once, all threads together: per thread one score tile
    // (block_q, block_k), one accumulator (block_q, d_v) and the running m and l (block_q each), in bytes:
    //   threads · 4 · (block_q · block_k + block_q · d_v + 2 · block_q)      — independent of n
    std::size_t peak_extra_bytes = 0;
    // What this implementation adds on top, also independent of n: three more per-row vectors per thread
    // and an estimate of Eigen's packing buffers for the larger of the two tile products.
    std::size_t scratch_bytes = 0;
    int threads_used = 0;
    long long tiles_computed = 0; // over all heads
    long long tiles_skipped = 0;  // wholly masked tiles that were never computed
};

// Output only (n_q, d_v): the n×n matrix is never formed. With a trace, runs single-threaded.
Matrix attention_flash(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p,
                       const FlashOptions& opt, FlashTrace* trace = nullptr, FlashStats* stats = nullptr);

// Many heads at once, laid out (heads, n, d_head) as one matrix per head: q has n_heads matrices
// (n_q, d_head), k and v have n_kv_heads matrices (n_k, d_head) / (n_k, d_v). Query head h reads key/value
// head h / (n_heads / n_kv_heads), so MHA, GQA and MQA are one call. alibi_slopes is empty or has one slope
// per query head (p.alibi_slope is then ignored). Returns n_heads outputs (n_q, d_v).
std::vector<Matrix> attention_flash_heads(const std::vector<Matrix>& q, const std::vector<Matrix>& k,
                                          const std::vector<Matrix>& v, const AttentionParams& p,
                                          const FlashOptions& opt,
                                          const std::vector<float>& alibi_slopes = {},
                                          FlashStats* stats = nullptr);
// The same into caller-kept outputs: out is resized to n_heads matrices (n_q, d_v), and matrices that
// already have that size are written in place, so a repeated call allocates and page-faults nothing.
void attention_flash_heads_into(const std::vector<Matrix>& q, const std::vector<Matrix>& k,
                                const std::vector<Matrix>& v, const AttentionParams& p,
                                const FlashOptions& opt, const std::vector<float>& alibi_slopes,
                                std::vector<Matrix>& out, FlashStats* stats = nullptr);

} // namespace attn

// Scaled dot-product attention for one head (Vaswani et al. 2017):
//   scores  = scale · Q Kᵀ + bias, masked entries = -inf        (n_q, n_k)
//   weights = softmax over each row (row max subtracted first)  (n_q, n_k)
//   output  = weights · V                                       (n_q, d_head)
// A row whose every key is masked gets all-zero weights and a zero output, never NaN.
// Three implementations of the same function are kept side by side and tested against each other:
// reference loops (textbook order), the matrix form, and tiled flash attention (Dao et al. 2022).
#pragma once

#include "config.hpp"
#include "types.hpp"

#include <cstdint>
#include <vector>

namespace attn {

// Which keys a query may see. key_valid (empty = all valid) is the per-token padding mask.
struct MaskSpec {
    MaskKind kind = MaskKind::Bidirectional;
    int window = 0;                       // for SlidingWindow: keys i-window+1 .. i
    std::vector<std::uint8_t> key_valid;  // (n_k) 1 = real token, 0 = padding
};

inline bool key_visible(const MaskSpec& m, int i, int j) {
    if (!m.key_valid.empty() && !m.key_valid[static_cast<std::size_t>(j)]) return false;
    switch (m.kind) {
    case MaskKind::Bidirectional: return true;
    case MaskKind::Causal: return j <= i;
    case MaskKind::SlidingWindow: return j <= i && j > i - m.window;
    }
    return true;
}

struct AttentionParams {
    float scale = 1.0f;       // multiplies q·k (already divided by the temperature)
    float alibi_slope = 0.0f; // ALiBi: bias -slope·(i - j) added to the score (Press et al. 2021)
    MaskSpec mask;
};

struct AttentionResult {
    Matrix scores;  // (n_q, n_k) scaled and biased; -inf where masked
    Matrix weights; // (n_q, n_k) rows sum to 1, or are all 0 when every key is masked
    Matrix output;  // (n_q, d_head)
};

// In-place row softmax of scores that may hold -inf; an all -inf row becomes all zeros.
void softmax_rows(Matrix& m);

AttentionResult attention_reference(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p);
AttentionResult attention_matrix(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p);

// ---- flash attention -------------------------------------------------------------------------------
struct FlashOptions {
    int block_q = 16; // query rows per tile
    int block_k = 16; // key columns per tile
    int n_threads = 0; // 0 = all hardware threads
};

// One visited (or skipped) tile; m and l are the running max and running sum of the tile's query rows.
struct FlashTileStep {
    int q_block = 0, k_block = 0;
    int q_begin = 0, q_end = 0; // query rows [q_begin, q_end)
    int k_begin = 0, k_end = 0; // key columns [k_begin, k_end)
    bool skipped = false;       // wholly masked (above the causal diagonal / outside the window)
    std::vector<float> m_before, m_after; // (q_end - q_begin)
    std::vector<float> l_before, l_after; // (q_end - q_begin)
    Matrix acc_after;           // (q_end - q_begin, d_head) unnormalised partial output after this tile
};

struct FlashTrace {
    int block_q = 0, block_k = 0;
    std::vector<FlashTileStep> steps; // in the order the algorithm visits them
};

struct FlashStats {
    std::size_t peak_extra_bytes = 0; // tiles + m/l + accumulators held at once, all threads together
};

// Output only (n_q, d_head): the n×n matrix is never formed. With a trace, runs single-threaded.
Matrix attention_flash(const Matrix& q, const Matrix& k, const Matrix& v, const AttentionParams& p,
                       const FlashOptions& opt, FlashTrace* trace = nullptr, FlashStats* stats = nullptr);

} // namespace attn

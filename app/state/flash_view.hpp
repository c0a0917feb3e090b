// What the Flash panel shows, computed without ImGui: the flash-attention trace of one head on the live
// Q/K/V (core attention_flash with a trace, Dao et al. 2022), the per-row running state at any step, the
// memory counters and the timing of the three implementations; plus the step / play state machine.
#pragma once

#include "core/attention.hpp"
#include "core/config.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace attn {

// Everything the view depends on; a change of any field recomputes the trace and restarts the sweep.
struct FlashViewKey {
    std::uint64_t revision = ~0ull; // AppState revision
    int layer = -1, head = -1;
    int block_q = 0, block_k = 0;
    bool operator==(const FlashViewKey&) const = default;
};

struct FlashViewData {
    FlashViewKey key;
    int n_tokens = 0, d_head = 0;
    FlashTrace trace;       // every tile in visiting order, skipped ones included
    Matrix flash_output;    // (n_tokens, d_head) attention_flash with the panel's tile sizes
    Matrix naive_output;    // (n_tokens, d_head) attention_matrix on the same q, k, v
    Matrix scores;          // (n_tokens, n_tokens) what the tiles compute, -inf where masked
    float max_abs_diff = 0; // max |flash - naive| over all entries
    int skipped_tiles = 0;
    bool timed = false; // the times below were measured (they arrive after the trace)
    double ms_reference = 0, ms_matrix = 0,
           ms_flash = 0; // mean time of one single-threaded call on this head
};

// The mean time of one single-threaded call of each implementation on this head.
struct FlashTimings {
    FlashViewKey key;
    double ms_reference = 0, ms_matrix = 0, ms_flash = 0;
};

// Smallest tile side the view allows for n tokens, so a sweep has at most 64 × 64 tiles: ceil(n / 64).
inline int min_flash_block(int n_tokens) {
    return std::max(1, (n_tokens + 63) / 64);
}

// The attention parameters forward() uses for query head `head` of this configuration.
AttentionParams head_attention_params(const ModelConfig& c, int head,
                                      const std::vector<std::uint8_t>& key_valid);

// Runs the trace, both outputs and (when measure_time) the timings. q (n, d_head), k and v (n, d_head).
FlashViewData compute_flash_view(const FlashViewKey& key, const Matrix& q, const Matrix& k, const Matrix& v,
                                 const AttentionParams& p, bool measure_time = true);
// Times the reference, matrix and flash forms on this head (repeats each for about 3 ms). Slow: the app
// calls it on a worker thread (flash_worker.hpp), never inside a frame.
FlashTimings time_flash_view(const FlashViewKey& key, const Matrix& q, const Matrix& k, const Matrix& v,
                             const AttentionParams& p);
// Puts timings into the view's data when they belong to it.
void apply_flash_timings(FlashViewData& d, const FlashTimings& t);

// ---- replaying the trace -----------------------------------------------------------------------------
// The state of one query row after the first `steps_done` tiles of the sweep.
struct FlashRowState {
    bool started = false;  // its query block has been reached
    bool finished = false; // every tile of its query block is done: partial == final
    float m = 0, l = 0;    // running max and running sum (m = -inf while nothing was visible)
    float rescale = 1;     // exp(m_old - m_new) applied at the last tile of this row's block
    bool rescaled = false; // that last tile raised m over a finite old max
    RowVector partial;     // (d_head) acc / l, the output so far; zeros when l = 0
};
FlashRowState flash_row_state(const FlashTrace& t, int steps_done, int row, int d_head);

// The output rebuilt from the trace alone: each query row's acc / l after its block's last tile.
Matrix replay_flash_output(const FlashTrace& t, int n_tokens, int d_head);

// Bytes naive attention materialises for one head: the n×n score matrix in fp32, 4·n².
std::size_t naive_score_bytes(int n_tokens);
// Bytes flash keeps while processing tile `step`: S tile (rows·cols), Q tile (rows·d), K and V tiles
// (2·cols·d), accumulator (rows·d) and m, l (2·rows), all fp32. 0 for a skipped tile.
std::size_t flash_tile_bytes(const FlashTileStep& step, int d_head);

// ---- the step / play state machine ------------------------------------------------------------------
// steps_done counts tiles processed: 0 = before the first, n_steps = the sweep has ended.
struct FlashPlayer {
    int steps_done = 0;
    bool playing = false;
    float tiles_per_second = 4.0f;
    double carry = 0; // seconds accumulated towards the next tile while playing
};

void flash_restart(FlashPlayer& p);                              // back to 0 and paused
void flash_step_forward(FlashPlayer& p, int n_steps);            // +1; from the end wraps to 0
void flash_step_back(FlashPlayer& p, int n_steps);               // -1; from 0 wraps to the end
void flash_go_last(FlashPlayer& p, int n_steps);                 // the end, paused
void flash_toggle_play(FlashPlayer& p, int n_steps);             // at the end, play starts over from 0
void flash_set_step(FlashPlayer& p, int step, int n_steps);      // clamped to [0, n_steps]
void flash_tick(FlashPlayer& p, double dt_seconds, int n_steps); // while playing; stops at the end

// The panel's persistent view state (lives in UiState): tile sizes, player, and the data it shows. The
// panel asks for the data of the key it wants; the frame loop's jobs compute it and install it here.
struct FlashView {
    int block_q = 0, block_k = 0; // 0 = take the model's flash_block_q / flash_block_k
    FlashPlayer player;
    int requested_step = -1; // from the command line: applied once the trace exists
    FlashViewData data;
    bool has_data = false;
};

// Shows new data: a different key restarts the player; then a pending requested_step is applied.
// Returns true when the key changed.
bool install_flash_view(FlashView& view, FlashViewData data);

// The synchronous form, for tests and headless tools: recomputes view.data (with timings) when the key
// changed, then installs it. Returns true when it recomputed.
bool refresh_flash_view(FlashView& view, const FlashViewKey& key, const Matrix& q, const Matrix& k,
                        const Matrix& v, const AttentionParams& p);

} // namespace attn

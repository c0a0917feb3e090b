// The Flash panel's data without a window: the core's trace replayed reproduces the output, skipped tiles
// are exactly the wholly masked ones, the running m / l / rescale match a hand computation, the memory
// formulas, and the step / play state machine (first, last, wrap, restart after an edit).
#include "app/state/flash_view.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

using namespace attn;

namespace {

Matrix random_matrix(int rows, int cols, std::mt19937& rng) {
    std::normal_distribution<float> g;
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = g(rng);
    return m;
}

float max_abs(const Matrix& a, const Matrix& b) {
    return (a - b).cwiseAbs().maxCoeff();
}

} // namespace

TEST_CASE("replaying the trace reproduces the output of naive attention for every mask and tile shape") {
    std::mt19937 rng(11);
    const int n = 23, d = 5;
    const Matrix q = random_matrix(n, d, rng), k = random_matrix(n, d, rng), v = random_matrix(n, d, rng);
    for (int mask = 0; mask < 4; ++mask)
        for (auto [bq, bk] : {std::pair{4, 7}, std::pair{1, 1}, std::pair{32, 32}, std::pair{5, 3}}) {
            AttentionParams p;
            p.scale = 0.6f;
            p.alibi_slope = mask == 1 ? 0.25f : 0.0f;
            p.mask.kind = mask == 0   ? MaskKind::Bidirectional
                          : mask == 3 ? MaskKind::SlidingWindow
                                      : MaskKind::Causal;
            p.mask.window = 5;
            if (mask == 2) {
                p.mask.key_valid.assign(n, 1);
                p.mask.key_valid[0] = p.mask.key_valid[7] = 0; // row 0 sees nothing: zeros, never NaN
            }
            CAPTURE(mask);
            CAPTURE(bq);
            CAPTURE(bk);
            const FlashViewData data = compute_flash_view({1, 0, 0, bq, bk}, q, k, v, p, false);
            const Matrix naive = attention_matrix(q, k, v, p).output;
            const Matrix replay = replay_flash_output(data.trace, n, d);
            CHECK(replay.allFinite());
            CHECK(max_abs(replay, naive) < 1e-5f);
            CHECK(max_abs(replay, data.flash_output) < 1e-6f);
            CHECK(data.max_abs_diff < 1e-5f);
            CHECK(data.trace.steps.size() ==
                  static_cast<std::size_t>(((n + bq - 1) / bq) * ((n + bk - 1) / bk)));
            // the row state after the whole sweep is the final row, and finished
            for (int row : {0, 8, n - 1}) {
                const FlashRowState st =
                    flash_row_state(data.trace, static_cast<int>(data.trace.steps.size()), row, d);
                CHECK(st.started);
                CHECK(st.finished);
                CHECK(max_abs(st.partial, naive.row(row)) < 1e-5f);
            }
        }
}

TEST_CASE("skipped tiles are exactly those whose every cell is masked, and are counted") {
    std::mt19937 rng(3);
    const int n = 12;
    const Matrix q = random_matrix(n, 3, rng), k = random_matrix(n, 3, rng), v = random_matrix(n, 3, rng);
    AttentionParams p;
    p.scale = 1;
    p.mask.kind = MaskKind::SlidingWindow;
    p.mask.window = 2;
    const FlashViewData data = compute_flash_view({1, 0, 0, 4, 4}, q, k, v, p, false);
    // 3 × 3 tiles of 4: above the diagonal (0,1) (0,2) (1,2), and (2,0) lies wholly before the window
    CHECK(data.skipped_tiles == 4);
    for (const FlashTileStep& s : data.trace.steps) {
        bool all_masked = true;
        for (int i = s.q_begin; i < s.q_end; ++i)
            for (int j = s.k_begin; j < s.k_end; ++j)
                all_masked = all_masked && std::isinf(data.scores(i, j));
        CAPTURE(s.q_block);
        CAPTURE(s.k_block);
        CHECK(s.skipped == all_masked);
        CHECK((flash_tile_bytes(s, 3) == 0) == s.skipped);
    }
}

TEST_CASE("running max, running sum and the rescale factor follow the online softmax by hand") {
    // one query q = 1 against keys 0, 1, 3 one tile at a time (scale 1): scores 0, 1, 3
    Matrix q(1, 1), k(3, 1), v(3, 1);
    q << 1;
    k << 0, 1, 3;
    v << 10, 20, 40;
    AttentionParams p;
    p.scale = 1;
    const FlashViewData data = compute_flash_view({1, 0, 0, 1, 1}, q, k, v, p, false);
    REQUIRE(data.trace.steps.size() == 3);
    FlashRowState s = flash_row_state(data.trace, 0, 0, 1);
    CHECK_FALSE(s.started);
    s = flash_row_state(data.trace, 1, 0, 1); // m = 0, l = 1, output so far 10, nothing to rescale yet
    CHECK(s.started);
    CHECK_FALSE(s.finished);
    CHECK_FALSE(s.rescaled);
    CHECK(s.m == 0.0f);
    CHECK(s.l == doctest::Approx(1.0));
    CHECK(s.partial(0) == doctest::Approx(10.0));
    s = flash_row_state(data.trace, 2, 0, 1); // m 0 → 1: rescale e^-1, l = e^-1 + 1
    CHECK(s.rescaled);
    CHECK(s.m == 1.0f);
    CHECK(s.rescale == doctest::Approx(std::exp(-1.0)));
    CHECK(s.l == doctest::Approx(std::exp(-1.0) + 1.0));
    CHECK(s.partial(0) == doctest::Approx((10 * std::exp(-1.0) + 20) / (std::exp(-1.0) + 1)));
    s = flash_row_state(data.trace, 3, 0, 1); // m 1 → 3: rescale e^-2, l = (e^-1 + 1) e^-2 + 1
    CHECK(s.finished);
    CHECK(s.rescale == doctest::Approx(std::exp(-2.0)));
    const double w0 = std::exp(-3.0), w1 = std::exp(-2.0), w2 = 1.0;
    CHECK(s.l == doctest::Approx(w0 + w1 + w2));
    CHECK(s.partial(0) == doctest::Approx((10 * w0 + 20 * w1 + 40 * w2) / (w0 + w1 + w2)));
}

TEST_CASE("memory: naive holds 4·n² bytes per head, a flash tile a fixed amount whatever n is") {
    CHECK(naive_score_bytes(4096) == 64u * 1024 * 1024); // PEERS.md: 64 MiB at n = 4096
    CHECK(naive_score_bytes(11) == 484u);
    FlashTileStep s;
    s.q_begin = 32, s.q_end = 48, s.k_begin = 0, s.k_end = 16;
    // 16·16 scores + 16·64 Q + 2·16·64 K,V + 16·64 acc + 2·16 m,l floats
    CHECK(flash_tile_bytes(s, 64) == 4u * (256 + 1024 + 2048 + 1024 + 32));
    s.q_begin = 4000, s.q_end = 4016; // same tile far down a long sequence
    CHECK(flash_tile_bytes(s, 64) == 4u * (256 + 1024 + 2048 + 1024 + 32));
    CHECK(min_flash_block(11) == 1);
    CHECK(min_flash_block(64) == 1);
    CHECK(min_flash_block(65) == 2);
    CHECK(min_flash_block(512) == 8);
}

TEST_CASE("step navigation: first, last, wrap both ways, play to the end, restart") {
    FlashPlayer p;
    const int n = 5;
    flash_step_back(p, n); // from the first, back wraps to the end
    CHECK(p.steps_done == 5);
    flash_step_forward(p, n); // from the end, forward wraps to the first
    CHECK(p.steps_done == 0);
    flash_step_forward(p, n);
    flash_step_forward(p, n);
    CHECK(p.steps_done == 2);
    flash_go_last(p, n);
    CHECK(p.steps_done == 5);
    flash_toggle_play(p, n); // play at the end starts over
    CHECK(p.playing);
    CHECK(p.steps_done == 0);
    p.tiles_per_second = 4;
    flash_tick(p, 0.625, n); // 0.625 s at 4 tiles/s: two tiles, 0.125 s carried
    CHECK(p.steps_done == 2);
    flash_tick(p, 0.125, n); // 0.25 s carried: one more
    CHECK(p.steps_done == 3);
    flash_toggle_play(p, n);
    flash_tick(p, 10, n); // paused: nothing moves
    CHECK(p.steps_done == 3);
    flash_toggle_play(p, n);
    flash_tick(p, 10, n); // plays to the end and stops there
    CHECK(p.steps_done == 5);
    CHECK_FALSE(p.playing);
    flash_set_step(p, 99, n);
    CHECK(p.steps_done == 5);
    flash_set_step(p, -3, n);
    CHECK(p.steps_done == 0);
    flash_toggle_play(p, 0); // an empty sweep never plays
    CHECK_FALSE(p.playing);
}

TEST_CASE("the view restarts after an edit and keeps its place otherwise") {
    std::mt19937 rng(8);
    const Matrix q = random_matrix(9, 4, rng), k = random_matrix(9, 4, rng), v = random_matrix(9, 4, rng);
    AttentionParams p;
    p.scale = 0.5f;
    FlashView view;
    view.requested_step = 3; // as --flash-step 3 asks before the first frame
    FlashViewKey key{7, 0, 0, 4, 4};
    CHECK(refresh_flash_view(view, key, q, k, v, p));
    CHECK(view.player.steps_done == 3);
    flash_step_forward(view.player, static_cast<int>(view.data.trace.steps.size()));
    CHECK_FALSE(refresh_flash_view(view, key, q, k, v, p)); // same inputs: nothing recomputed, place kept
    CHECK(view.player.steps_done == 4);
    key.revision = 8; // the learner edited something
    CHECK(refresh_flash_view(view, key, q, k, v, p));
    CHECK(view.player.steps_done == 0);
    key.block_k = 2; // a different tile width is a different sweep
    flash_go_last(view.player, 9);
    CHECK(refresh_flash_view(view, key, q, k, v, p));
    CHECK(view.player.steps_done == 0);
    CHECK(view.data.trace.steps.size() == 3u * 5u);
    CHECK(view.data.ms_flash > 0.0);
}

// Flash attention's trace replayed step by step against scores computed independently, tile skipping,
// memory that does not grow with n, deterministic work splitting, and the WorkerTeam it runs on.
#include "core/attention.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <string>

using namespace attn;

namespace {
Matrix randn(Rng& rng, int rows, int cols) {
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(rng.normal());
    return m;
}
constexpr float k_inf = std::numeric_limits<float>::infinity();
// Equal within rel, or the same infinity (a row that has seen no key yet keeps m = -inf).
bool close(float a, float b, double rel = 1e-5) {
    if (std::isinf(a) || std::isinf(b)) return a == b;
    return std::abs(a - b) <= rel * std::max(1.0f, std::abs(b));
}
} // namespace

TEST_CASE("replaying the flash trace with the online-softmax rules reproduces the final output") {
    Rng rng(11);
    const int n = 23, d = 6;
    const Matrix q = randn(rng, n, d), k = randn(rng, n, d), v = randn(rng, n, d);
    for (MaskKind kind : {MaskKind::Bidirectional, MaskKind::Causal, MaskKind::SlidingWindow}) {
        const std::string mask_name = to_string(kind);
        CAPTURE(mask_name);
        AttentionParams p;
        p.scale = 0.4f;
        p.alibi_slope = 0.1f;
        p.mask.kind = kind;
        p.mask.window = 5;
        // The full score matrix from the matrix form: the replay reads its tiles, flash never formed it.
        const AttentionResult full = attention_matrix(q, k, v, p);
        FlashTrace trace;
        const Matrix out = attention_flash(q, k, v, p, FlashOptions{4, 7, 1}, &trace);
        CHECK(trace.block_q == 4);
        CHECK(trace.block_k == 7);
        CHECK(trace.steps.size() == 6u * 4u); // ceil(23/4) query blocks × ceil(23/7) key blocks
        Matrix replay = Matrix::Zero(n, d);
        Matrix acc;
        std::vector<float> m, l;
        for (const FlashTileStep& s : trace.steps) {
            const int rows = s.q_end - s.q_begin;
            if (s.k_block == 0) { // a new query block starts from m = -inf, l = 0, acc = 0
                m.assign(static_cast<std::size_t>(rows), -k_inf);
                l.assign(static_cast<std::size_t>(rows), 0.0f);
                acc = Matrix::Zero(rows, d);
            }
            // the trace's "before" is what the previous step left
            for (int i = 0; i < rows; ++i) {
                CHECK(close(s.m_before[static_cast<std::size_t>(i)], m[static_cast<std::size_t>(i)]));
                CHECK(close(s.l_before[static_cast<std::size_t>(i)], l[static_cast<std::size_t>(i)]));
            }
            const Matrix tile = full.scores.block(s.q_begin, s.k_begin, rows, s.k_end - s.k_begin);
            if (s.skipped) {
                CHECK((tile.array() == -k_inf).all()); // only wholly masked tiles are skipped
                CHECK(s.m_after == s.m_before);
            } else {
                for (int i = 0; i < rows; ++i) {
                    const std::size_t is = static_cast<std::size_t>(i);
                    const float m_new = std::max(m[is], tile.row(i).maxCoeff());
                    if (m_new == -k_inf) continue;
                    const float r = std::exp(m[is] - m_new); // 0 on the row's first visible tile
                    const RowVector pr = (tile.row(i).array() - m_new).exp().matrix();
                    l[is] = l[is] * r + pr.sum();
                    acc.row(i) = acc.row(i) * r + pr * v.middleRows(s.k_begin, s.k_end - s.k_begin);
                    m[is] = m_new;
                }
            }
            for (int i = 0; i < rows; ++i) {
                CHECK(close(s.m_after[static_cast<std::size_t>(i)], m[static_cast<std::size_t>(i)]));
                CHECK(close(s.l_after[static_cast<std::size_t>(i)], l[static_cast<std::size_t>(i)]));
            }
            CHECK((s.acc_after - acc).cwiseAbs().maxCoeff() < 1e-4f);
            for (int i = 0; i < rows; ++i) // output = acc / l after the last tile of the block
                replay.row(s.q_begin + i) = l[static_cast<std::size_t>(i)] > 0
                                                ? RowVector(acc.row(i) / l[static_cast<std::size_t>(i)])
                                                : RowVector::Zero(d);
        }
        CHECK((replay - out).cwiseAbs().maxCoeff() < 1e-5f);
        CHECK((replay - full.output).cwiseAbs().maxCoeff() < 1e-5f);
    }
}

TEST_CASE("tiles above the causal diagonal and outside the sliding window are skipped, and counted") {
    const int n = 64;
    const Matrix q = Matrix::Ones(n, 4), k = Matrix::Ones(n, 4), v = Matrix::Ones(n, 4);
    AttentionParams p;
    FlashStats st;
    FlashTrace trace;
    // 4×4 blocks of 16: bidirectional computes all 16
    attention_flash(q, k, v, p, FlashOptions{16, 16, 1}, nullptr, &st);
    CHECK(st.tiles_computed == 16);
    CHECK(st.tiles_skipped == 0);
    // causal: the 6 blocks strictly above the block diagonal are skipped
    p.mask.kind = MaskKind::Causal;
    attention_flash(q, k, v, p, FlashOptions{16, 16, 1}, &trace, &st);
    CHECK(st.tiles_skipped == 6);
    CHECK(st.tiles_computed == 10);
    for (const auto& s : trace.steps)
        CHECK(s.skipped == (s.k_block > s.q_block));
    // sliding window of 16: query block b sees key blocks b-1 and b only (7 of 16 tiles computed)
    p.mask.kind = MaskKind::SlidingWindow;
    p.mask.window = 16;
    attention_flash(q, k, v, p, FlashOptions{16, 16, 2}, nullptr, &st);
    CHECK(st.tiles_computed == 7);
    CHECK(st.tiles_skipped == 9);
    // padding: a key block that is all padding is skipped too
    p.mask.kind = MaskKind::Bidirectional;
    p.mask.key_valid.assign(n, 1);
    for (int j = 16; j < 32; ++j)
        p.mask.key_valid[static_cast<std::size_t>(j)] = 0;
    attention_flash(q, k, v, p, FlashOptions{16, 16, 1}, nullptr, &st);
    CHECK(st.tiles_skipped == 4);
}

TEST_CASE("flash's working memory depends on the tiles and threads, not on n") {
    Rng rng(3);
    FlashStats small, large;
    std::vector<Matrix> q1(2), k1(2), v1(2), q2(2), k2(2), v2(2);
    for (int h = 0; h < 2; ++h) {
        q1[static_cast<std::size_t>(h)] = k1[static_cast<std::size_t>(h)] = v1[static_cast<std::size_t>(h)] =
            randn(rng, 64, 8);
        q2[static_cast<std::size_t>(h)] = k2[static_cast<std::size_t>(h)] = v2[static_cast<std::size_t>(h)] =
            randn(rng, 2048, 8);
    }
    attention_flash_heads(q1, k1, v1, {}, FlashOptions{16, 32, 2}, {}, &small);
    attention_flash_heads(q2, k2, v2, {}, FlashOptions{16, 32, 2}, {}, &large);
    CHECK(small.threads_used == 2);
    CHECK(large.peak_extra_bytes == small.peak_extra_bytes);
    CHECK(large.scratch_bytes == small.scratch_bytes);
    // 2 threads · 4 bytes · (16·32 + 16·8 + 2·16)
    CHECK(small.peak_extra_bytes == 2u * 4u * (16u * 32u + 16u * 8u + 32u));
    FlashStats wide;
    attention_flash_heads(q1, k1, v1, {}, FlashOptions{32, 32, 2}, {}, &wide);
    CHECK(wide.peak_extra_bytes > small.peak_extra_bytes);
}

TEST_CASE("splitting flash over threads gives bit-identical outputs") {
    Rng rng(5);
    std::vector<Matrix> q, k, v;
    for (int h = 0; h < 3; ++h)
        q.push_back(randn(rng, 100, 16)), k.push_back(randn(rng, 100, 16)), v.push_back(randn(rng, 100, 16));
    AttentionParams p;
    p.scale = 0.25f;
    p.mask.kind = MaskKind::Causal;
    const auto one = attention_flash_heads(q, k, v, p, FlashOptions{8, 16, 1});
    WorkerTeam team(3);
    FlashOptions on_team{8, 16, 0, &team};
    for (int rep = 0; rep < 5; ++rep) {
        const auto many = attention_flash_heads(q, k, v, p, on_team);
        for (std::size_t h = 0; h < 3; ++h)
            CHECK(many[h] == one[h]);
    }
}

TEST_CASE("flash into kept outputs writes in place and agrees with the returning call") {
    Rng rng(11);
    std::vector<Matrix> q, k, v;
    for (int h = 0; h < 4; ++h)
        q.push_back(randn(rng, 70, 16)), k.push_back(randn(rng, 70, 16)), v.push_back(randn(rng, 70, 8));
    AttentionParams p;
    p.scale = 0.25f;
    const FlashOptions opt{16, 32, 2};
    const auto fresh = attention_flash_heads(q, k, v, p, opt);
    std::vector<Matrix> kept;
    attention_flash_heads_into(q, k, v, p, opt, {}, kept);
    REQUIRE(kept.size() == 4);
    const float* first = kept[0].data();
    p.mask.kind = MaskKind::Causal; // a different result into the same memory
    const auto causal = attention_flash_heads(q, k, v, p, opt);
    attention_flash_heads_into(q, k, v, p, opt, {}, kept);
    CHECK(kept[0].data() == first);
    for (std::size_t h = 0; h < 4; ++h) {
        CHECK(kept[h] == causal[h]);
        CHECK(kept[h] != fresh[h]);
    }
    // fewer query rows: the kept matrices shrink to the new shape
    std::vector<Matrix> q2;
    for (int h = 0; h < 4; ++h)
        q2.push_back(randn(rng, 9, 16));
    attention_flash_heads_into(q2, k, v, p, opt, {}, kept);
    CHECK(kept[3].rows() == 9);
    CHECK(kept[3] == attention_flash_heads(q2, k, v, p, opt)[3]);
}

TEST_CASE("a WorkerTeam runs every task exactly once, job after job") {
    WorkerTeam team(3);
    CHECK(team.size() == 3);
    for (int n_tasks : {0, 1, 2, 7, 1000}) {
        for (int rep = 0; rep < 20; ++rep) {
            std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n_tasks));
            std::atomic<int> bad_thread{0};
            team.run(n_tasks, [&](int task, int thread) {
                hits[static_cast<std::size_t>(task)].fetch_add(1);
                if (thread < 0 || thread >= 3) bad_thread.fetch_add(1);
            });
            int wrong = 0;
            for (auto& h : hits)
                wrong += h.load() != 1;
            CHECK(wrong == 0);
            CHECK(bad_thread.load() == 0);
        }
    }
    WorkerTeam alone(1);
    int sum = 0;
    alone.run(10, [&](int task, int thread) { sum += task + 100 * thread; });
    CHECK(sum == 45);
}

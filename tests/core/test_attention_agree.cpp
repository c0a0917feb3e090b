// Cross-checks of the three attention implementations (reference loops, matrix form, flash) on random
// shapes, every mask, padding and ALiBi; flash's many-heads API against per-head matrix attention.
#include "core/attention.hpp"
#include "core/rng.hpp"

#include "matrix_compare.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace attn;
using test::rel_diff;

namespace {

Matrix randn(Rng& rng, int rows, int cols, double stddev = 1.0) {
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(rng.normal() * stddev);
    return m;
}

// Scores may hold -inf: they must be -inf in the same places and agree elsewhere.
void check_scores_agree(const Matrix& a, const Matrix& b) {
    Matrix fa = a, fb = b;
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        const bool ia = std::isinf(a.data()[i]), ib = std::isinf(b.data()[i]);
        REQUIRE(ia == ib);
        if (ia) fa.data()[i] = fb.data()[i] = 0.0f;
    }
    CHECK(rel_diff(fa, fb) < 1e-5);
}

MaskSpec make_mask(MaskKind kind, int window, int n_k, bool padding, Rng& rng) {
    MaskSpec m;
    m.kind = kind;
    m.window = window;
    if (padding) {
        m.key_valid.assign(static_cast<std::size_t>(n_k), 1);
        for (auto& v : m.key_valid)
            v = rng.uniform() < 0.3 ? 0 : 1;
    }
    return m;
}

} // namespace

TEST_CASE("reference, matrix and flash attention agree on random shapes, masks, padding and ALiBi") {
    Rng rng(2024);
    const int sizes[] = {1, 2, 5, 16, 17, 33, 64};
    const int widths[] = {1, 3, 8, 32};
    const int tiles[][2] = {{1, 1}, {3, 5}, {16, 16}, {7, 64}, {64, 8}};
    int cases = 0;
    for (int n : sizes)
        for (int d : widths)
            for (MaskKind kind : {MaskKind::Bidirectional, MaskKind::Causal, MaskKind::SlidingWindow})
                for (int variant = 0; variant < 4; ++variant) {
                    const bool padding = variant & 1, alibi = variant & 2;
                    CAPTURE(n);
                    CAPTURE(d);
                    const std::string mask_name = to_string(kind);
                    CAPTURE(mask_name);
                    CAPTURE(padding);
                    CAPTURE(alibi);
                    const Matrix q = randn(rng, n, d), k = randn(rng, n, d), v = randn(rng, n, d + 1);
                    AttentionParams p;
                    p.scale = 1.0f / std::sqrt(static_cast<float>(d));
                    p.alibi_slope = alibi ? 0.25f : 0.0f;
                    // small windows, and one wider than several tiles
                    const int window = variant == 3 ? 1 + n / 2 : 1 + (n + variant) % 4;
                    p.mask = make_mask(kind, window, n, padding, rng);
                    const AttentionResult ref = attention_reference(q, k, v, p);
                    const AttentionResult mat = attention_matrix(q, k, v, p);
                    check_scores_agree(mat.scores, ref.scores);
                    CHECK(rel_diff(mat.weights, ref.weights) < 1e-5);
                    CHECK(rel_diff(mat.output, ref.output) < 1e-5);
                    CHECK(mat.output.allFinite());
                    const auto& t = tiles[static_cast<std::size_t>(cases++) % 5];
                    const Matrix fl = attention_flash(q, k, v, p, FlashOptions{t[0], t[1], 1});
                    CHECK(rel_diff(fl, ref.output) < 1e-5);
                    const Matrix fl2 = attention_flash(q, k, v, p, FlashOptions{t[1], t[0], 2});
                    CHECK(rel_diff(fl2, ref.output) < 1e-5);
                    // a query row that sees no key: zero weights and zero output in every implementation
                    for (int i = 0; i < n; ++i) {
                        bool any = false;
                        for (int j = 0; j < n; ++j)
                            any = any || key_visible(p.mask, i, j);
                        if (any) {
                            CHECK(ref.weights.row(i).sum() == doctest::Approx(1.0).epsilon(1e-5));
                        } else {
                            CHECK(ref.weights.row(i).isZero(0.0f));
                            CHECK(ref.output.row(i).isZero(0.0f));
                            CHECK(mat.output.row(i).isZero(0.0f));
                            CHECK(fl.row(i).isZero(0.0f));
                        }
                    }
                }
    CHECK(cases == 7 * 4 * 3 * 4);
}

TEST_CASE("the many-heads flash call equals per-head matrix attention for MHA, GQA and MQA") {
    Rng rng(7);
    const int n = 45, d = 16;
    for (int n_kv : {4, 2, 1}) {
        CAPTURE(n_kv);
        std::vector<Matrix> q, k, v;
        for (int h = 0; h < 4; ++h)
            q.push_back(randn(rng, n, d));
        for (int g = 0; g < n_kv; ++g)
            k.push_back(randn(rng, n, d)), v.push_back(randn(rng, n, d));
        AttentionParams p;
        p.scale = 0.25f;
        p.mask.kind = MaskKind::Causal;
        const std::vector<float> slopes = {0.5f, 0.25f, 0.125f, 0.0625f};
        const auto out = attention_flash_heads(q, k, v, p, FlashOptions{8, 16, 2}, slopes);
        REQUIRE(out.size() == 4);
        for (int h = 0; h < 4; ++h) {
            const std::size_t g = static_cast<std::size_t>(h / (4 / n_kv)); // the key/value head of h
            AttentionParams ph = p;
            ph.alibi_slope = slopes[static_cast<std::size_t>(h)];
            const auto expected = attention_matrix(q[static_cast<std::size_t>(h)], k[g], v[g], ph);
            CHECK(rel_diff(out[static_cast<std::size_t>(h)], expected.output) < 1e-5);
        }
    }
}

TEST_CASE("logits of +-1e4 stay finite in every implementation") {
    Matrix q(3, 1), k(3, 1), v(3, 2);
    q << 100, -100, 1;
    k << 100, -100, 0;
    v << 1, 2, 3, 4, 5, 6;
    AttentionParams p; // scale 1: q·k reaches +-1e4
    const auto ref = attention_reference(q, k, v, p), mat = attention_matrix(q, k, v, p);
    const Matrix fl = attention_flash(q, k, v, p, FlashOptions{2, 2, 1});
    CHECK(ref.scores(0, 0) == 1e4f);
    CHECK(ref.scores(0, 1) == -1e4f);
    for (const Matrix* m : {&ref.weights, &ref.output, &mat.weights, &mat.output, &fl})
        CHECK(m->allFinite());
    CHECK(ref.weights(0, 0) == 1.0f); // e^(-1e4) underflows to 0 after the max is subtracted
    CHECK(rel_diff(fl, ref.output) < 1e-6);
    CHECK(ref.weights.row(1).sum() == doctest::Approx(1.0));
}

TEST_CASE("ALiBi penalises distance on both sides when attention is bidirectional") {
    Matrix q = Matrix::Zero(5, 2), k = Matrix::Zero(5, 2), v = Matrix::Random(5, 2);
    AttentionParams p;
    p.alibi_slope = 0.5f;
    const auto r = attention_matrix(q, k, v, p);
    CHECK(r.scores(2, 0) == -1.0f);
    CHECK(r.scores(2, 4) == -1.0f); // |2 - 4| · 0.5, not a bonus for looking ahead
    CHECK(r.weights(2, 2) > r.weights(2, 3));
    CHECK(r.weights(2, 1) == doctest::Approx(r.weights(2, 3)));
}

TEST_CASE("check_attention_shapes explains mismatched heads, widths and masks") {
    const std::vector<Matrix> q(4, Matrix::Zero(5, 8)), k(2, Matrix::Zero(5, 8)), v(2, Matrix::Zero(5, 3));
    CHECK(check_attention_shapes(q, k, v, {}).empty());
    CHECK(check_attention_shapes(q, std::vector<Matrix>(3, Matrix::Zero(5, 8)),
                                 std::vector<Matrix>(3, Matrix::Zero(5, 3)), {})
              .find("divide") != std::string::npos);
    CHECK(check_attention_shapes(q, std::vector<Matrix>(2, Matrix::Zero(5, 7)), v, {}).find("width") !=
          std::string::npos);
    CHECK(check_attention_shapes(q, k, std::vector<Matrix>(2, Matrix::Zero(4, 3)), {})
              .find("one value per key") != std::string::npos);
    MaskSpec m;
    m.key_valid.assign(4, 1);
    CHECK(check_attention_shapes(q, k, v, m).find("padding mask has 4 entries for 5 keys") !=
          std::string::npos);
    CHECK(check_attention_shapes({}, k, v, {}).find("at least one") != std::string::npos);
}

// The sizes the app and the bench run at: tiles from the cache sizes (several packed panels of queries per
// block, key tiles of whole register blocks), blocks that do not divide n, and heads wider than one
// k-block of the GEMM (d above 128 floats) as well as the usual 64.
TEST_CASE("flash at production tile sizes and wide heads agrees with the matrix form") {
    Rng rng(77);
    for (int d : {64, 80, 160, 264})
        for (MaskKind kind : {MaskKind::Bidirectional, MaskKind::Causal, MaskKind::SlidingWindow})
            for (bool alibi : {false, true}) {
                const int n = 391;
                CAPTURE(d);
                const std::string mask_name = to_string(kind);
                CAPTURE(mask_name);
                CAPTURE(alibi);
                const Matrix q = randn(rng, n, d), k = randn(rng, n, d), v = randn(rng, n, d);
                AttentionParams p;
                p.scale = 1.0f / std::sqrt(static_cast<float>(d));
                p.alibi_slope = alibi ? 0.05f : 0.0f;
                p.mask = make_mask(kind, 150, n, false, rng);
                const Matrix ref = attention_matrix(q, k, v, p).output;
                const FlashBlocks fast = flash_blocks_for_cache(d, d);
                CHECK(rel_diff(attention_flash(q, k, v, p, FlashOptions{fast.block_q, fast.block_k, 2}),
                               ref) < 1e-5);
                CHECK(rel_diff(attention_flash(q, k, v, p, FlashOptions{200, 90, 1}), ref) < 1e-5);
            }
}

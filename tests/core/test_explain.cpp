// Attributions beside attention (core/train/explain.hpp): a one-layer, two-token model worked out by hand,
// gradient × input against finite differences, rollout against a direct product of the residual-mixed
// matrices, leave-one-out and head ablation against re-running the model, and Spearman's ρ on known ranks.
#include "core/rng.hpp"
#include "core/train/explain.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace attn;
using namespace attn::train;

namespace {

double log_prob(const Matrix& logits, int pos, int token) {
    const auto row = logits.row(pos).cast<double>();
    const double top = row.maxCoeff();
    return row(token) - top - std::log((row.array() - top).exp().sum());
}

// d_model 2, one head with W_Q = 0 (every weight 1/2), W_K = W_V = W_O = I, no positions, no MLP; words
// <unk> = (0, 0), A = (1, -1), B = (-1, 1); the output layer scores A with (1, -1) and B with (-1, 1).
// A LayerNorm over two features maps any (a, b) with a > b to (1, -1) and a < b to (-1, 1) (up to ε), and
// (0, 0) to (0, 0).
TinyModel hand_model() {
    ModelConfig c;
    c.vocab_size = 3;
    c.d_model = 2;
    c.n_layers = 1;
    c.n_heads = 1;
    c.n_kv_heads = 1;
    c.d_head = 2;
    c.positions = PositionKind::None;
    c.max_positions = 8;
    TinyModel m = init_model(c, {"<unk>", "A", "B"}, 1);
    ModelWeights& w = m.weights;
    w.token_embedding << 0, 0, 1, -1, -1, 1;
    LayerWeights& l = w.layers[0];
    l.w_q.setZero();
    l.w_k.setIdentity();
    l.w_v.setIdentity();
    l.w_o.setIdentity();
    w.w_out << 0, 1, -1, 0, -1, 1;
    w.b_out.setZero();
    return m;
}

// A two-layer model with an MLP whose LayerNorms and biases are moved off 1 / 0.
TinyModel random_model(PositionKind positions, std::uint64_t seed) {
    ModelConfig c;
    c.vocab_size = 7;
    c.max_positions = 8;
    c.d_model = 8;
    c.n_layers = 2;
    c.n_heads = 2;
    c.n_kv_heads = 2;
    c.d_head = 4;
    c.d_ff = 16;
    c.positions = positions;
    TinyModel m = init_model(c, {"<unk>", "a", "b", "c", "d", "e", "f"}, seed);
    Rng rng(seed + 7);
    for (TensorRef& t : tensors(m.weights))
        for (std::size_t i = 0; i < t.size(); ++i)
            t.data[i] += static_cast<float>(0.3 * rng.normal());
    return m;
}

} // namespace

TEST_CASE("explain: a one-layer, two-token model worked out by hand") {
    const TinyModel m = hand_model();
    const Explanation e = explain(m, {1, 2}, 0); // "A B", the answer at A
    // Both tokens' values cancel ((1,-1) + (-1,1)) / 2 = 0, so position 0 keeps LN(A) = (1, -1):
    // logits (<unk>, A, B) = (0, 2, -2), answer A with p = e² / (1 + e² + e⁻²).
    CHECK(e.answer == 1);
    const double p = std::exp(2.0) / (1.0 + std::exp(2.0) + std::exp(-2.0));
    CHECK(e.answer_prob == doctest::Approx(p).epsilon(1e-4));
    // W_Q = 0: every score is 0 and both tokens get 1/2.
    REQUIRE(e.attention.size() == 1);
    CHECK(e.attention[0](0, 0) == doctest::Approx(0.5));
    CHECK(e.attention[0](0, 1) == doctest::Approx(0.5));
    CHECK(e.mean_attention(0, 1) == doctest::Approx(0.5));
    // Rollout of one layer: ½ · A + ½ · I, row 0 = (3/4, 1/4).
    CHECK(e.rollout(0) == doctest::Approx(0.75));
    CHECK(e.rollout(1) == doctest::Approx(0.25));
    // B read as <unk>: values average to (1/2, -1/2), x = (3/2, -3/2) normalises to (1, -1) again: Δ = 0.
    // A read as <unk>: x = (0,0) + (-1/2, 1/2) normalises to (-1, 1), logits (0, -2, 2): Δ = -2 - 2 = -4.
    CHECK(e.leave_one_out(0) == doctest::Approx(-4.0).epsilon(1e-3));
    CHECK(std::abs(e.leave_one_out(1)) < 1e-3);
    CHECK(e.loo_answer[0] == 2);
    CHECK(e.loo_answer[1] == 1);
    // LayerNorm makes the answer blind to the scale of each embedding (up to ε), so e · ∂log p/∂e is ≈ 0
    // for both tokens although removing A changes everything: what gradient × input cannot see.
    CHECK(std::abs(e.grad_x_input(0)) < 1e-3);
    CHECK(std::abs(e.grad_x_input(1)) < 1e-3);
    // Attention is (1/2, 1/2): no ranking, no correlation. Rollout ranks A first, as |leave-one-out| does.
    CHECK(std::isnan(e.rank.attention_loo));
    CHECK(e.rank.rollout_loo == doctest::Approx(1.0));
    // Switching the only head off leaves x = LN(A) at position 0: the answer keeps its probability.
    REQUIRE(e.head_drop.size() == 1);
    CHECK(std::abs(e.head_drop[0]) < 1e-4);
}

TEST_CASE("explain: gradient x input matches finite differences along each embedding") {
    for (const PositionKind pk : {PositionKind::Learned, PositionKind::Rope, PositionKind::None}) {
        CAPTURE(to_string(pk));
        const TinyModel m = random_model(pk, 3);
        const std::vector<int> ids = {1, 4, 2, 6, 3, 5};
        for (const int pos : {0, 3, 5}) {
            const Explanation e = explain(m, ids, pos);
            const Matrix x0 = embed_ids(ids, m.config, m.weights);
            double largest = 0;
            for (int j = 0; j < 6; ++j)
                largest = std::max(largest, std::abs(static_cast<double>(e.grad_x_input(j))));
            REQUIRE(largest > 1e-3); // the attributions must not all vanish, or the check below is empty
            for (int j = 0; j < 6; ++j) {
                // d/dt log p(answer) with x0_j -> x0_j + t · e_j, central difference
                const double eps = 1e-2;
                const auto at = [&](double t) {
                    Matrix x = x0;
                    x.row(j) += static_cast<float>(t) *
                                m.weights.token_embedding.row(ids[static_cast<std::size_t>(j)]);
                    ForwardOptions o;
                    o.n_threads = 1;
                    return log_prob(forward(m.config, m.weights, x, o).logits, pos, e.answer);
                };
                const double fd = (at(eps) - at(-eps)) / (2 * eps);
                CAPTURE(pos);
                CAPTURE(j);
                CHECK(std::abs(fd - e.grad_x_input(j)) < 0.02 * largest + 1e-4);
            }
        }
    }
}

TEST_CASE("explain: rollout equals the product of the residual-mixed, row-normalised head means") {
    const TinyModel m = random_model(PositionKind::Rope, 11);
    const std::vector<int> ids = {2, 2, 5, 1, 6};
    const ForwardResult f = forward(m, ids);
    // Written out for two layers: R = Ã_2 Ã_1, Ã = rownorm(½ (A_h0 + A_h1)/2 + ½ I), element by element.
    const int n = 5;
    std::vector<Matrix> mixed;
    for (const LayerResult& l : f.layers) {
        Matrix a(n, n);
        for (int i = 0; i < n; ++i) {
            double row_sum = 0;
            for (int j = 0; j < n; ++j) {
                a(i, j) =
                    0.25f * (l.heads[0].weights(i, j) + l.heads[1].weights(i, j)) + (i == j ? 0.5f : 0.0f);
                row_sum += a(i, j);
            }
            for (int j = 0; j < n; ++j)
                a(i, j) = static_cast<float>(a(i, j) / row_sum);
        }
        mixed.push_back(a);
    }
    const Matrix r = attention_rollout(f);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            double direct = 0;
            for (int k = 0; k < n; ++k)
                direct += double(mixed[1](i, k)) * mixed[0](k, j);
            CHECK(r(i, j) == doctest::Approx(direct).epsilon(1e-5));
        }
    // Each row of the rollout is a distribution over the input tokens.
    for (int i = 0; i < n; ++i)
        CHECK(r.row(i).sum() == doctest::Approx(1.0).epsilon(1e-5));
    const Explanation e = explain(m, ids, 3);
    for (int j = 0; j < n; ++j)
        CHECK(e.rollout(j) == doctest::Approx(r(3, j)));
}

TEST_CASE("explain: leave-one-out and head ablation equal re-running the model") {
    const TinyModel m = random_model(PositionKind::Learned, 5);
    const std::vector<int> ids = {3, 1, 4, 1, 5, 6};
    const std::vector<Explanation> all = explain_all(m, ids);
    REQUIRE(all.size() == ids.size());
    for (int pos = 0; pos < 6; ++pos) {
        const Explanation& e = all[static_cast<std::size_t>(pos)];
        const double base = log_prob(forward(m, ids).logits, pos, e.answer);
        CHECK(std::exp(base) == doctest::Approx(e.answer_prob).epsilon(1e-5));
        for (int j = 0; j < 6; ++j) {
            std::vector<int> without = ids;
            without[static_cast<std::size_t>(j)] = 0;
            const Matrix logits = forward(m, without).logits;
            CHECK(e.leave_one_out(j) ==
                  doctest::Approx(log_prob(logits, pos, e.answer) - base).epsilon(1e-4));
            Eigen::Index arg = 0;
            logits.row(pos).maxCoeff(&arg);
            CHECK(e.loo_answer[static_cast<std::size_t>(j)] == static_cast<int>(arg));
        }
        for (int s = 0; s < 4; ++s) {
            ForwardOptions o;
            o.head_enabled = {1, 1, 1, 1};
            o.head_enabled[static_cast<std::size_t>(s)] = 0;
            const double p_off = std::exp(log_prob(forward(m, ids, o).logits, pos, e.answer));
            CHECK(e.head_off_prob[static_cast<std::size_t>(s)] == doctest::Approx(p_off).epsilon(1e-4));
            CHECK(e.head_drop[static_cast<std::size_t>(s)] ==
                  doctest::Approx(e.answer_prob - p_off).epsilon(1e-4));
        }
        // explain() of one position is the same as explain_all()'s entry
        const Explanation one = explain(m, ids, pos);
        CHECK(one.answer == e.answer);
        CHECK((one.leave_one_out - e.leave_one_out).cwiseAbs().maxCoeff() < 1e-6f);
        CHECK((one.grad_x_input - e.grad_x_input).cwiseAbs().maxCoeff() < 1e-6f);
    }
    // A token already read as <unk> is not removed again: its leave-one-out is exactly 0.
    const Explanation with_unk = explain(m, {3, 0, 4}, 2);
    CHECK(with_unk.leave_one_out(1) == 0.0f);
}

TEST_CASE("spearman: known rankings, ties and constant inputs") {
    RowVector a(4), b(4), c(4), d(4);
    a << 1, 2, 3, 4;
    b << 10, 20, 30, 40;
    c << 4, 3, 2, 1;
    d << 1, 1, 2, 3; // ties share rank 0.5
    CHECK(spearman(a, b) == doctest::Approx(1.0));
    CHECK(spearman(a, c) == doctest::Approx(-1.0));
    // ranks of d: (0.5, 0.5, 2, 3) against (0, 1, 2, 3): ρ = 4.5 / sqrt(4.5 · 5)
    CHECK(spearman(a, d) == doctest::Approx(4.5 / std::sqrt(4.5 * 5.0)));
    CHECK(std::isnan(spearman(a, RowVector::Constant(4, 0.25f))));
    CHECK(std::isnan(spearman(a, RowVector::Zero(3))));
}

// Single-head attention: softmax numerics, a hand-computed example, masks and the embedding contract.
#include "core/attention.hpp"
#include "core/model.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace attn;

TEST_CASE("softmax rows sum to 1 and stay finite for logits of +-1e4") {
    Matrix m(3, 4);
    m << 1e4f, -1e4f, 0.0f, 1e4f,   //
        -1e4f, -1e4f, -1e4f, -1e4f, //
        3.0f, 1.0f, -2.0f, 0.5f;
    softmax_rows(m);
    CHECK(m.allFinite());
    for (int i = 0; i < 3; ++i)
        CHECK(m.row(i).sum() == doctest::Approx(1.0).epsilon(1e-6));
    CHECK(m(0, 0) == doctest::Approx(0.5));
    CHECK(m(0, 1) == 0.0f);
    CHECK(m(1, 2) == doctest::Approx(0.25));
}

TEST_CASE("a row with every key masked gives zero weights, never NaN") {
    const float inf = std::numeric_limits<float>::infinity();
    Matrix m(1, 3);
    m << -inf, -inf, -inf;
    softmax_rows(m);
    CHECK(m.allFinite());
    CHECK(m.sum() == 0.0f);
}

// Worked by hand: q = k = rows of the 3x2 matrix [[1,0],[0,1],[1,1]], v = [[1,2],[3,4],[5,6]],
// scale = 1/sqrt(2). Row 0: q·k = [1, 0, 1] -> scaled [0.70711, 0, 0.70711];
// exp -> [2.02811, 1, 2.02811], sum 5.05622 -> w = [0.401112, 0.197776, 0.401112];
// output = 0.401112·[1,2] + 0.197776·[3,4] + 0.401112·[5,6] = [2.999999.., 3.999999..] = [3, 4].
// Row 2: q·k = [1, 1, 2] -> scaled [0.70711, 0.70711, 1.41421]; exp -> [2.02811, 2.02811, 4.11325],
// sum 8.16947 -> w = [0.248255, 0.248255, 0.503489]; output = [3.510468, 4.510468].
TEST_CASE("a 3-token example computed by hand") {
    Matrix q(3, 2), v(3, 2);
    q << 1, 0, 0, 1, 1, 1;
    v << 1, 2, 3, 4, 5, 6;
    AttentionParams p;
    p.scale = 1.0f / std::sqrt(2.0f);
    for (const auto& r : {attention_reference(q, q, v, p), attention_matrix(q, q, v, p)}) {
        CHECK(r.scores(0, 0) == doctest::Approx(0.7071068).epsilon(1e-6));
        CHECK(r.weights(0, 0) == doctest::Approx(0.401112).epsilon(1e-5));
        CHECK(r.weights(0, 1) == doctest::Approx(0.197776).epsilon(1e-5));
        CHECK(r.weights(2, 2) == doctest::Approx(0.503489).epsilon(1e-5));
        CHECK(std::abs(r.output(0, 0) - 3.0f) < 1e-6f);
        CHECK(std::abs(r.output(0, 1) - 4.0f) < 1e-6f);
        CHECK(std::abs(r.output(2, 0) - 3.510468f) < 1e-5f);
        CHECK(std::abs(r.output(2, 1) - 4.510468f) < 1e-5f);
    }
}

TEST_CASE("the causal mask zeroes the upper triangle exactly") {
    Matrix q = Matrix::Random(5, 4), k = Matrix::Random(5, 4), v = Matrix::Random(5, 4);
    AttentionParams p;
    p.mask.kind = MaskKind::Causal;
    const auto r = attention_matrix(q, k, v, p);
    for (int i = 0; i < 5; ++i) {
        for (int j = i + 1; j < 5; ++j)
            CHECK(r.weights(i, j) == 0.0f);
        CHECK(r.weights.row(i).sum() == doctest::Approx(1.0).epsilon(1e-6));
    }
    CHECK(r.weights(0, 0) == doctest::Approx(1.0));
}

TEST_CASE("a repeated word gets the same embedding, a different word does not") {
    const auto a = word_embedding("street", 16, 3), b = word_embedding("street", 16, 3);
    const auto c = word_embedding("Street", 16, 3), d = word_embedding("animal", 16, 3);
    CHECK(a == b);
    CHECK(a == c);
    CHECK((a - d).norm() > 1.0f);
    CHECK((word_embedding("street", 16, 4) - a).norm() > 1.0f);
}

TEST_CASE("sinusoidal positions follow sin/cos of pos / 10000^(2i/d)") {
    const Matrix pe = sinusoidal_positions(4, 8);
    CHECK(pe(0, 0) == 0.0f);
    CHECK(pe(0, 1) == 1.0f);
    CHECK(pe(3, 0) == doctest::Approx(std::sin(3.0)));
    CHECK(pe(3, 3) == doctest::Approx(std::cos(3.0 / std::pow(10000.0, 2.0 / 8.0))));
}

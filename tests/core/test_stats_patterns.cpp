// head_stats() on hand-made weight matrices whose entropy, distance and pattern are known exactly.
#include "core/stats.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace attn;

TEST_CASE("an identity matrix is a 'self' head with zero entropy and distance") {
    const HeadStats s = head_stats(Matrix::Identity(4, 4));
    CHECK(s.pattern == Pattern::Self);
    CHECK(s.mean_entropy == 0.0f);
    CHECK(s.mean_distance == 0.0f);
    CHECK(s.self_mass == 1.0f);
    CHECK(s.max_weight == 1.0f);
    CHECK(s.live_rows == 4);
}

TEST_CASE("uniform rows are 'broad': entropy ln n, normalised entropy 1, distance by hand") {
    const HeadStats s = head_stats(Matrix::Constant(4, 4, 0.25f));
    CHECK(s.pattern == Pattern::Broad);
    CHECK(s.mean_entropy == doctest::Approx(std::log(4.0)));
    CHECK(s.mean_norm_entropy == doctest::Approx(1.0));
    // Σ_j |i - j| / 4 per row: 1.5, 1, 1, 1.5 -> mean 1.25
    CHECK(s.mean_distance == doctest::Approx(1.25));
    CHECK(s.row_entropy[2] == doctest::Approx(std::log(4.0)));
}

TEST_CASE("weight on j = i - 1 is 'previous token'; row 0 has no previous token and is left out") {
    Matrix w = Matrix::Zero(4, 4);
    w(0, 0) = 1;
    w(1, 0) = 1;
    w(2, 1) = 0.8f, w(2, 2) = 0.2f;
    w(3, 2) = 0.6f, w(3, 0) = 0.4f;
    const HeadStats s = head_stats(w);
    CHECK(s.previous_mass == doctest::Approx((1.0 + 0.8 + 0.6) / 3.0));
    CHECK(s.self_mass == doctest::Approx((1.0 + 0.2) / 4.0));
    CHECK(s.pattern == Pattern::Previous);
    // entropy of row 2: -(0.8 ln 0.8 + 0.2 ln 0.2)
    CHECK(s.row_entropy[2] == doctest::Approx(-(0.8 * std::log(0.8) + 0.2 * std::log(0.2))).epsilon(1e-5));
    // distance: rows 0..3 give 0, 1, 0.8·1 + 0.2·0, 0.6·1 + 0.4·3 -> mean (0 + 1 + 0.8 + 1.8) / 4
    CHECK(s.mean_distance == doctest::Approx(3.6 / 4.0));
}

TEST_CASE("weight on the first column is 'first token'; a spread-but-lumpy head is 'mixed'") {
    Matrix w = Matrix::Zero(4, 4);
    w.col(0).setConstant(0.7f);
    w(0, 3) = 0.3f, w(1, 3) = 0.3f, w(2, 3) = 0.3f, w(3, 1) = 0.3f;
    // self 0.7 / 4 (row 0 only), previous 0.7 / 3 (row 1 only), first 0.7
    CHECK(head_stats(w).pattern == Pattern::First);
    CHECK(head_stats(w).first_mass == doctest::Approx(0.7));
    CHECK(head_stats(w).previous_mass == doctest::Approx(0.7 / 3.0));
    Matrix m(3, 3);
    m << 0.1f, 0.1f, 0.8f,  //
        0.05f, 0.05f, 0.9f, //
        0.05f, 0.9f, 0.05f;
    // previous (0.05 + 0.9) / 2 = 0.475; normalised entropies 0.5819, 0.3590, 0.3590 -> mean 0.43322
    const HeadStats s = head_stats(m);
    CHECK(s.previous_mass == doctest::Approx(0.475));
    CHECK(s.mean_norm_entropy == doctest::Approx(0.43322).epsilon(1e-4));
    CHECK(s.pattern == Pattern::Mixed);
}

TEST_CASE("fully masked rows are left out of every mean") {
    Matrix w = Matrix::Zero(3, 3);
    w(1, 1) = 1; // rows 0 and 2 saw no key at all
    const HeadStats s = head_stats(w);
    CHECK(s.live_rows == 1);
    CHECK(s.self_mass == 1.0f);
    CHECK(s.pattern == Pattern::Self);
    CHECK(s.row_entropy[0] == 0.0f);
    const HeadStats empty = head_stats(Matrix::Zero(2, 2));
    CHECK(empty.live_rows == 0);
    CHECK(empty.pattern == Pattern::Mixed);
}

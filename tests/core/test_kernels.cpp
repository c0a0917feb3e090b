// The dispatched vector kernels (core/kernels.hpp) on every instruction set this CPU supports: the
// vectorised exp against std::exp over the whole range the kernels feed it, GEMM against a plain loop for
// odd shapes, strides, transposes and blocking edges, softmax rows, and the ATTN_ISA choice.
#include "core/attention.hpp"
#include "core/kernels.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"

#include "matrix_compare.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

using namespace attn;
namespace kn = attn::kernels;

namespace {

constexpr float k_inf = std::numeric_limits<float>::infinity();
// the bound kernels_body.inc states for vexp2 (1.44e-7 measured with FMA; SSE rounds multiply and add apart)
constexpr double k_exp2_rel = 2.5e-7;

std::vector<const kn::KernelTable*> supported_tables() {
    std::vector<const kn::KernelTable*> t{&kn::table_sse()};
    if (kn::supported(kn::Isa::Avx2)) t.push_back(&kn::table_avx2());
    if (kn::supported(kn::Isa::Avx512)) t.push_back(&kn::table_avx512());
    return t;
}

Matrix randn(Rng& rng, int rows, int cols) {
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(rng.normal());
    return m;
}

} // namespace

TEST_CASE(
    "the vectorised exp stays within 2.5e-7 relative of std::exp on [-87.33, 88], 0 below and at -inf") {
    // Every input the kernels give it: s - max <= 0 (down to -inf for masked keys, and far below the
    // subnormal range for large logits) and m_old - m_new <= 0; positive values up to 88 for completeness.
    std::vector<float> x;
    for (double v = -110.0; v <= 88.0; v += 0.000731)
        x.push_back(static_cast<float>(v));
    for (float v :
         {-k_inf, -1e30f, -103.97f, -87.34f, -87.3365f, -87.33f, -1e-30f, -0.0f, 0.0f, 1e-30f, 88.0f})
        x.push_back(v);
    std::vector<float> y(x.size());
    for (const kn::KernelTable* t : supported_tables()) {
        CAPTURE(t->name);
        t->exp(x.data(), y.data(), static_cast<int>(x.size()));
        double worst_rel = 0, worst_abs_below = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double want = std::exp(static_cast<double>(x[i]));
            REQUIRE(std::isfinite(y[i]));
            REQUIRE(y[i] >= 0.0f);
            if (x[i] >= -87.33f)
                worst_rel = std::max(worst_rel, std::abs(y[i] - want) / want);
            else
                worst_abs_below = std::max(worst_abs_below, std::abs(y[i] - want));
        }
        CHECK(worst_rel <= 2.5e-7);
        CHECK(worst_abs_below <= 1.2e-38);
        t->exp(x.data(), y.data(), 1); // x[0] = -110: underflows to exactly 0, as -inf does
        CHECK(y[0] == 0.0f);
        const float minus_inf = -k_inf, zero = 0.0f;
        float out = 1.0f;
        t->exp(&minus_inf, &out, 1);
        CHECK(out == 0.0f);
        t->exp(&zero, &out, 1);
        CHECK(out == 1.0f);
        // a NaN score gets weight 0 on every path alike (the underflow test is false for it)
        const float nan = std::numeric_limits<float>::quiet_NaN();
        t->exp(&nan, &out, 1);
        CHECK(out == 0.0f);
    }
}

TEST_CASE("the vectorised exp2 stays within 2.5e-7 relative of 2^x on [-126, 0], 0 below, at -inf and NaN") {
    // The tile softmax's inputs: s - max <= 0 in base 2 (down to -inf for masked keys) and m_old - m_new.
    // Every float in [-1, -0.5] (so every fraction in [0, 0.5] the polynomial sees, where its error peaks),
    // steps over the whole range, the integers (fraction exactly 0) and the edges of the normal range.
    std::vector<float> x;
    for (float v = -1.0f; v <= -0.5f; v = std::nextafter(v, 0.0f))
        x.push_back(v);
    for (double v = -140.0; v <= 0.0; v += 0.000731)
        x.push_back(static_cast<float>(v));
    for (int k = -126; k <= 0; ++k)
        x.push_back(static_cast<float>(k));
    for (float v :
         {-k_inf, -1e30f, -126.0001f, -126.0f, -125.9999f, -1e-30f, -0.0f, 0.0f, 1.0f, 10.5f, 127.5f})
        x.push_back(v);
    std::vector<float> y(x.size());
    for (const kn::KernelTable* t : supported_tables()) {
        CAPTURE(t->name);
        t->exp2(x.data(), y.data(), static_cast<int>(x.size()));
        double worst_rel = 0;
        long not_finite = 0, wrong_below = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double want = std::exp2(static_cast<double>(x[i]));
            not_finite += !std::isfinite(y[i]);
            if (x[i] >= -126.0f)
                worst_rel = std::max(worst_rel, std::abs(y[i] - want) / want);
            else
                wrong_below += y[i] != 0.0f; // would be subnormal: flushed to 0
        }
        CHECK(not_finite == 0);
        CHECK(worst_rel <= k_exp2_rel);
        CHECK(wrong_below == 0);
        const float minus_inf = -k_inf, zero = 0.0f, nan = std::numeric_limits<float>::quiet_NaN();
        float out = 1.0f;
        t->exp2(&minus_inf, &out, 1);
        CHECK(out == 0.0f);
        t->exp2(&zero, &out, 1);
        CHECK(out == 1.0f);
        t->exp2(&nan, &out, 1); // a NaN score gets weight 0, as with exp
        CHECK(out == 0.0f);
    }
}

TEST_CASE("GEMM matches a plain loop for odd shapes, strides, transposes, packed B, alpha, beta and "
          "blocking edges") {
    Rng rng(7);
    struct Shape {
        int m, n, k;
    };
    // 1×1×1, sizes that are no multiple of the register block, k = 0, k past the k block (256), n past the
    // column block (512)
    const Shape shapes[] = {{1, 1, 1}, {7, 13, 5},   {6, 64, 64}, {13, 65, 129},
                            {5, 3, 0}, {9, 530, 17}, {8, 20, 300}};
    for (const kn::KernelTable* t : supported_tables()) {
        CAPTURE(t->name);
        for (const Shape& s : shapes) {
            for (int variant = 0; variant < 8; ++variant) { // bits: A transposed, B transposed, B packed
                CAPTURE(s.m);
                CAPTURE(s.n);
                CAPTURE(s.k);
                CAPTURE(variant);
                const bool ta = variant & 1, tb = variant & 2, b_packed = variant & 4;
                const Matrix a = ta ? randn(rng, s.k, s.m) : randn(rng, s.m, s.k);
                const Matrix b = tb ? randn(rng, s.n, s.k) : randn(rng, s.k, s.n);
                const Matrix c0 = randn(rng, s.m, s.n);
                std::vector<float> row_beta(static_cast<std::size_t>(s.m));
                for (float& r : row_beta)
                    r = static_cast<float>(rng.uniform());
                for (int beta_kind = 0; beta_kind < 3; ++beta_kind) { // 0, 0.5, per row
                    Matrix c = c0;
                    if (beta_kind == 0) c.setConstant(std::numeric_limits<float>::quiet_NaN()); // never read
                    kn::GemmArgs g;
                    g.m = s.m, g.n = s.n, g.k = s.k;
                    g.a = a.data(), g.a_rs = ta ? 1 : s.k, g.a_cs = ta ? s.m : 1;
                    g.b = b.data(), g.b_rs = tb ? 1 : s.n, g.b_cs = tb ? s.k : 1;
                    g.c = c.data(), g.ldc = s.n, g.alpha = 0.75f;
                    g.beta = beta_kind == 1 ? 0.5f : 0.0f;
                    g.row_beta = beta_kind == 2 ? row_beta.data() : nullptr;
                    std::vector<float> b_pack(static_cast<std::size_t>(t->pack_b_floats(s.k, s.n)) + 1);
                    if (b_packed) { // packed once beforehand, as flash packs its query block for every key
                                    // tile
                        t->pack_b(b.data(), g.b_rs, g.b_cs, s.k, s.n, b_pack.data());
                        g.b = b_pack.data(), g.b_packed = true;
                        g.b_rs = g.b_cs = 0; // unused
                    }
                    std::vector<float> pack(static_cast<std::size_t>(t->gemm_pack_floats(s.n, s.k)));
                    // column maxima folded into what the caller holds: -inf, or above every entry
                    std::vector<float> col_max(static_cast<std::size_t>(s.n));
                    for (int j = 0; j < s.n; ++j)
                        col_max[static_cast<std::size_t>(j)] = j % 4 == 1 ? 1e30f : -k_inf;
                    g.col_max = col_max.data();
                    t->gemm(g, b_packed ? nullptr : pack.data());
                    for (int j = 0; j < s.n; ++j) {
                        float want = j % 4 == 1 ? 1e30f : -k_inf;
                        for (int i = 0; i < s.m; ++i)
                            want = std::max(want, c(i, j));
                        CHECK(col_max[static_cast<std::size_t>(j)] == want);
                    }
                    double worst = 0;
                    for (int i = 0; i < s.m; ++i)
                        for (int j = 0; j < s.n; ++j) {
                            double want = 0;
                            for (int p = 0; p < s.k; ++p)
                                want +=
                                    static_cast<double>(ta ? a(p, i) : a(i, p)) * (tb ? b(j, p) : b(p, j));
                            want *= 0.75;
                            if (beta_kind == 1) want += 0.5 * c0(i, j);
                            if (beta_kind == 2) want += row_beta[static_cast<std::size_t>(i)] * c0(i, j);
                            worst = std::max(worst, std::abs(c(i, j) - want) / (1.0 + std::abs(want)));
                        }
                    CHECK(worst < 1e-5);
                }
            }
        }
    }
}

TEST_CASE(
    "GEMM on a causal staircase: needed entries of C exact, zero steps of A skipped, beta still applied") {
    Rng rng(5);
    // diagonal offsets as flash's tiles give them (q0 - k0): negative, zero, positive, past every row;
    // k = 300 crosses the k block, so later blocks of k are skipped whole for the first rows
    for (const kn::KernelTable* t : supported_tables()) {
        CAPTURE(t->name);
        for (const int diag : {-40, -21, -9, -7, 0, 5, 130, 400}) {
            CAPTURE(diag);
            const int m = 50, n = 70, k = 300;
            // C's staircase (Q·Kᵀ): C(i, j) is needed where i <= j + diag
            const Matrix a = randn(rng, m, k), b = randn(rng, k, n);
            Matrix c = Matrix::Constant(m, n, std::numeric_limits<float>::quiet_NaN());
            kn::GemmArgs g;
            g.m = m, g.n = n, g.k = k, g.a = a.data(), g.a_rs = k, g.b = b.data(), g.b_rs = n;
            g.c = c.data(), g.ldc = n, g.c_diag = diag;
            std::vector<float> pack(static_cast<std::size_t>(t->gemm_pack_floats(n, k)));
            t->gemm(g, pack.data());
            const Matrix want_c = a * b;
            int wrong = 0; // counted, not maximised, so a NaN left by a skipped block counts too
            for (int i = 0; i < m; ++i)
                for (int j = std::max(0, i - diag); j < n; ++j) // i <= j + diag
                    wrong += !(std::abs(static_cast<double>(c(i, j)) - want_c(i, j)) < 1e-3);
            CHECK(wrong == 0);
            // A's staircase (P·V): A(i, p) = 0 where p > i + diag; accumulated with a per-row beta
            Matrix pa = randn(rng, m, k);
            for (int i = 0; i < m; ++i)
                for (int p = 0; p < k; ++p)
                    if (p > i + diag) pa(i, p) = 0.0f;
            const Matrix c0 = randn(rng, m, n);
            std::vector<float> row_beta(static_cast<std::size_t>(m));
            for (float& r : row_beta)
                r = static_cast<float>(rng.uniform());
            Matrix c2 = c0;
            kn::GemmArgs h;
            h.m = m, h.n = n, h.k = k, h.a = pa.data(), h.a_rs = k, h.b = b.data(), h.b_rs = n;
            h.c = c2.data(), h.ldc = n, h.row_beta = row_beta.data(), h.a_diag = diag;
            t->gemm(h, pack.data());
            wrong = 0;
            for (int i = 0; i < m; ++i)
                for (int j = 0; j < n; ++j) {
                    const double want = static_cast<double>(pa.row(i).dot(b.col(j))) +
                                        row_beta[static_cast<std::size_t>(i)] * static_cast<double>(c0(i, j));
                    wrong += !(std::abs(static_cast<double>(c2(i, j)) - want) < 1e-3);
                }
            CHECK(wrong == 0);
        }
    }
}

TEST_CASE("the online softmax of a transposed tile matches 2^x, max and sums taken in double over "
          "successive tiles") {
    Rng rng(11);
    // queries (columns): finite scores; some keys -inf; all -inf in the first tile only; all -inf in both
    const int queries = 64, keys = 37, ld = 72; // queries a whole number of vectors on every path
    for (const kn::KernelTable* t : supported_tables()) {
        CAPTURE(t->name);
        std::vector<float> m(queries, -std::numeric_limits<float>::infinity()), l(queries, 0.0f),
            scale(queries);
        std::vector<double> m_want(queries, -std::numeric_limits<double>::infinity()), l_want(queries, 0.0);
        for (int tile = 0; tile < 2; ++tile) {
            CAPTURE(tile);
            std::vector<float> st(static_cast<std::size_t>(keys) * ld,
                                  123.0f); // padding past the queries kept
            for (int p = 0; p < keys; ++p)
                for (int i = 0; i < queries; ++i) {
                    float& x = st[static_cast<std::size_t>(p) * ld + i];
                    x = static_cast<float>(rng.normal() * 4.0 + (tile == 1 ? 3.0 : 0.0));
                    const bool hidden =
                        (i % 5 == 1 && p % 3 == 0) || (i % 7 == 2 && tile == 0) || i % 11 == 3;
                    if (hidden) x = -std::numeric_limits<float>::infinity();
                }
            const std::vector<float> before = st;
            // the same tile with its column maxima given, as flash's product takes them: the same results
            std::vector<float> st2 = st, m2 = m, l2 = l, scale2(queries), tile_max(queries, -k_inf);
            for (int p = 0; p < keys; ++p)
                for (int i = 0; i < queries; ++i)
                    tile_max[static_cast<std::size_t>(i)] = std::max(
                        tile_max[static_cast<std::size_t>(i)], st[static_cast<std::size_t>(p) * ld + i]);
            t->softmax_tile_t(st.data(), ld, keys, queries, m.data(), l.data(), scale.data(), nullptr);
            t->softmax_tile_t(st2.data(), ld, keys, queries, m2.data(), l2.data(), scale2.data(),
                              tile_max.data());
            CHECK(st2 == st);
            CHECK(m2 == m);
            CHECK(l2 == l);
            CHECK(scale2 == scale);
            for (int i = 0; i < queries; ++i) {
                CAPTURE(i);
                const auto at = [&](const std::vector<float>& x, int p) {
                    return x[static_cast<std::size_t>(p) * ld + static_cast<std::size_t>(i)];
                };
                double mx = m_want[static_cast<std::size_t>(i)];
                for (int p = 0; p < keys; ++p)
                    mx = std::max(mx, static_cast<double>(at(before, p)));
                const bool none = mx == -std::numeric_limits<double>::infinity();
                const double shift = none ? 0.0 : mx;
                const double d_m = none ? 0.0 : m_want[static_cast<std::size_t>(i)] - shift; // m_old - m_new
                const double sc = none ? 1.0 : std::exp2(d_m);
                double sum = 0;
                for (int p = 0; p < keys; ++p) {
                    const double diff = static_cast<double>(at(before, p)) - shift, want = std::exp2(diff);
                    sum += want;
                    // exp2's own bound, plus the float subtraction's rounding (half an ulp of diff, times ln
                    // 2)
                    const double tol =
                        std::isinf(diff) ? 0.0 : want * (k_exp2_rel + std::abs(diff) * 6e-8) + 1e-37;
                    CHECK(std::abs(at(st, p) - want) <= tol);
                }
                l_want[static_cast<std::size_t>(i)] = l_want[static_cast<std::size_t>(i)] * sc + sum;
                m_want[static_cast<std::size_t>(i)] = mx;
                const double sc_tol = std::isinf(d_m) ? 0.0 : sc * (k_exp2_rel + std::abs(d_m) * 6e-8);
                CHECK(std::abs(scale[static_cast<std::size_t>(i)] - sc) <= sc_tol);
                CHECK(m[static_cast<std::size_t>(i)] == static_cast<float>(mx));
                const double lw = l_want[static_cast<std::size_t>(i)];
                CHECK(std::abs(l[static_cast<std::size_t>(i)] - lw) <= 1e-5 * lw);
                if (i % 11 == 3) CHECK(l[static_cast<std::size_t>(i)] == 0.0f); // never saw a visible key
            }
            for (int p = 0; p < keys; ++p)
                for (int j = queries; j < ld; ++j)
                    CHECK(st[static_cast<std::size_t>(p) * ld + j] == 123.0f);
        }
    }
}

TEST_CASE("softmax rows from the kernels sum to 1, keep -inf entries at 0 and zero an all-masked row") {
    Rng rng(3);
    for (const kn::KernelTable* t : supported_tables()) {
        CAPTURE(t->name);
        for (int n : {1, 3, 16, 17, 100}) {
            std::vector<float> s(static_cast<std::size_t>(n)), w(s.size());
            for (float& x : s)
                x = static_cast<float>(rng.normal() * 30.0);
            s[0] = -k_inf;
            t->softmax_row(s.data(), w.data(), n);
            double sum = 0, sum_want = 0, max_s = -k_inf;
            for (int j = 1; j < n; ++j)
                max_s = std::max(max_s, static_cast<double>(s[static_cast<std::size_t>(j)]));
            for (int j = 1; j < n; ++j)
                sum_want += std::exp(s[static_cast<std::size_t>(j)] - max_s);
            for (int j = 1; j < n; ++j) {
                const double want = std::exp(s[static_cast<std::size_t>(j)] - max_s) / sum_want;
                CHECK(std::abs(w[static_cast<std::size_t>(j)] - want) <= 1e-6); // weights are probabilities
                sum += w[static_cast<std::size_t>(j)];
            }
            CHECK(w[0] == 0.0f);
            if (n > 1) CHECK(sum == doctest::Approx(1.0).epsilon(1e-6));
            for (float& x : s)
                x = -k_inf;
            t->softmax_row(s.data(), w.data(), n);
            for (float x : w)
                CHECK(x == 0.0f);
        }
    }
}

TEST_CASE("ATTN_ISA chooses the kernel path when the CPU supports it") {
    const char* env = std::getenv("ATTN_ISA");
    const std::string note = kn::choice_note();
    const kn::Isa isa = kn::active().isa;
    CHECK(kn::supported(isa));
    CHECK(note.rfind(kn::isa_name(isa), 0) == 0);
    if (env && *env) {
        for (kn::Isa want : {kn::Isa::Sse, kn::Isa::Avx2, kn::Isa::Avx512})
            if (std::strcmp(env, kn::isa_name(want)) == 0 && kn::supported(want)) {
                CHECK(isa == want);
                CHECK(note.find("forced by ATTN_ISA") != std::string::npos);
            }
    } else {
        // unforced: the widest path the CPU has
        CHECK(isa == (kn::supported(kn::Isa::Avx512) ? kn::Isa::Avx512
                      : kn::supported(kn::Isa::Avx2) ? kn::Isa::Avx2
                                                     : kn::Isa::Sse));
    }
}

TEST_CASE("matmul with transposes equals Eigen's product, on the kernels and with plain products") {
    Rng rng(11);
    const Matrix a = randn(rng, 9, 21), b = randn(rng, 21, 14), bt = b.transpose(), at = a.transpose();
    const Matrix want = a * b;
    for (const bool plain : {false, true}) {
        CAPTURE(plain);
        kn::set_plain_products(plain);
        CHECK(kn::plain_products() == plain);
        Matrix c;
        for (int variant = 0; variant < 4; ++variant) {
            const bool ta = variant & 1, tb = variant & 2;
            kn::matmul(ta ? at : a, ta, tb ? bt : b, tb, c);
            CHECK(test::rel_diff(c, want) < 1e-5);
        }
        Matrix acc = want;
        kn::matmul(a, false, b, false, acc, 2.0f, 1.0f); // acc = 2·a·b + acc = 3·a·b
        CHECK(test::rel_diff(acc, Matrix(3.0f * want)) < 1e-5);
        acc = want;
        kn::matmul(at, true, bt, true, acc, -1.0f, 0.5f); // acc = -a·b + 0.5·acc = -0.5·a·b
        CHECK(test::rel_diff(acc, Matrix(-0.5f * want)) < 1e-5);
    }
    kn::set_plain_products(false);
}

TEST_CASE("the matrix form reuses its buffers across calls and gives the same result on a team") {
    Rng rng(5);
    const Matrix q = randn(rng, 70, 24), k = randn(rng, 70, 24), v = randn(rng, 70, 10);
    AttentionParams p;
    p.scale = 0.2f;
    p.mask.kind = MaskKind::Causal;
    AttentionResult r;
    attention_matrix_into(q, k, v, p, r);
    const float* scores = r.scores.data();
    const float* weights = r.weights.data();
    const AttentionResult first = r;
    WorkerTeam team(2);
    attention_matrix_into(q, k, v, p, r, &team);
    CHECK(r.scores.data() == scores);
    CHECK(r.weights.data() == weights);
    CHECK(test::rel_diff(r.output, first.output) == 0.0);
    CHECK(test::rel_diff(r.output, attention_reference(q, k, v, p).output) < 1e-5);
}

// Scores and weights larger than a core's L2 go through a per-thread chunk buffer and streaming stores;
// every entry must still arrive, whatever the alignment of the rows (odd n) and on one or two threads.
TEST_CASE("the matrix form's streamed scores and weights equal the reference's") {
    Rng rng(9);
    for (const int n : {700, 1031}) {
        CAPTURE(n);
        const Matrix q = randn(rng, n, 16), k = randn(rng, n, 16), v = randn(rng, n, 8);
        AttentionParams p;
        p.scale = 0.25f;
        p.mask.kind = n == 700 ? MaskKind::Causal : MaskKind::Bidirectional;
        const AttentionResult ref = attention_reference(q, k, v, p);
        AttentionResult r;
        r.scores.setConstant(n, n, 7.0f); // stale contents from an earlier call must all be overwritten
        r.weights.setConstant(n, n, 7.0f);
        attention_matrix_into(q, k, v, p, r);
        // the reference's -inf where it masks; everything else within float rounding of it
        CHECK((r.scores.array() == ref.scores.array() ||
               (r.scores - ref.scores).array().abs() < 1e-4f * (1.0f + ref.scores.array().abs()))
                  .all());
        CHECK(test::rel_diff(r.weights, ref.weights) < 1e-5);
        CHECK(test::rel_diff(r.output, ref.output) < 1e-5);
        WorkerTeam team(2);
        AttentionResult t;
        attention_matrix_into(q, k, v, p, t, &team);
        CHECK(test::rel_diff(t.weights, r.weights) == 0.0);
        CHECK(test::rel_diff(t.output, r.output) == 0.0);
    }
}

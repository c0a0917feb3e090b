// Head labelling on hand-built attention patterns: a perfect previous-token, first-token, referent,
// agreement and induction head each get their label; uniform attention is broad; a split head is mixed;
// the induction probe works on the induction task's own examples.
#include "core/head_probes.hpp"
#include "core/train/tasks.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace attn;

namespace {

// Every row puts all its weight on column col(i).
template <class F> Matrix one_hot(int n, F col) {
    Matrix w = Matrix::Zero(n, n); // (n_tokens, n_tokens)
    for (int i = 0; i < n; ++i)
        w(i, col(i)) = 1.0f;
    return w;
}

HeadReport report_of(const Matrix& w, const ProbeTargets& t) {
    HeadProbes p(1, 1);
    p.add(0, 0, w, t);
    const auto r = p.report();
    REQUIRE(r.size() == 1);
    return r[0];
}

ProbeTargets causal_targets() {
    ProbeTargets t;
    t.causal = true;
    return t;
}

} // namespace

TEST_CASE("a perfect previous-token head is labelled previous-token") {
    const Matrix w = one_hot(6, [](int i) { return i == 0 ? 0 : i - 1; });
    const HeadReport r = report_of(w, causal_targets());
    CHECK(r.previous_token.n == 5);
    CHECK(r.previous_token.hit == doctest::Approx(1.0));
    CHECK(r.previous_token.mass == doctest::Approx(1.0));
    CHECK(r.first_token.hit == 0.0); // rows 2..5 look at 1..4
    CHECK(r.entropy == doctest::Approx(0.0));
    CHECK(r.label == HeadLabel::PreviousToken);
}

TEST_CASE("a head that always looks at the first token is labelled first-token") {
    const Matrix w = one_hot(7, [](int) { return 0; });
    const HeadReport r = report_of(w, causal_targets());
    CHECK(r.first_token.n == 5);
    CHECK(r.first_token.hit == doctest::Approx(1.0));
    CHECK(r.previous_token.hit == doctest::Approx(1.0 / 6.0)); // only row 1, whose previous token is 0
    CHECK(r.label == HeadLabel::FirstToken);
}

TEST_CASE("uniform attention points nowhere and is labelled broad, causal or not") {
    const int n = 8;
    const Matrix full = Matrix::Constant(n, n, 1.0f / n);
    ProbeTargets t;
    t.referent = {{5, 1}};
    const HeadReport r = report_of(full, t);
    CHECK(r.entropy == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(r.previous_token.hit == 0.0);
    CHECK(r.first_token.hit == 0.0);
    CHECK(r.referent.hit == 0.0);
    CHECK(r.referent.mass == doctest::Approx(1.0 / n));
    CHECK(r.label == HeadLabel::Broad);

    Matrix causal = Matrix::Zero(n, n);
    for (int i = 0; i < n; ++i)
        causal.row(i).head(i + 1).setConstant(1.0f / static_cast<float>(i + 1));
    const HeadReport c = report_of(causal, causal_targets());
    CHECK(c.n_rows == n - 1); // row 0 sees one key and has no entropy to speak of
    CHECK(c.entropy == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(c.label == HeadLabel::Broad);
}

TEST_CASE("a head that splits its rows between two habits is mixed") {
    // Even rows look at the first token, odd rows at themselves: no probe reaches 0.6, entropy is 0.
    const Matrix w = one_hot(10, [](int i) { return i % 2 == 0 ? 0 : i; });
    const HeadReport r = report_of(w, {});
    CHECK(r.first_token.hit == doctest::Approx(4.0 / 8.0)); // rows 2, 4, 6, 8 of 2..9
    CHECK(r.label == HeadLabel::Mixed);
}

TEST_CASE("pronoun rows on the referent and verb rows on the subject give referent and agreement") {
    // "the animal didn't cross the street because it was too tired": it(7) -> animal(1);
    // a second sentence "the dogs near the wall were tired": were(5) -> dogs(1).
    ProbeTargets t;
    t.referent = {{7, 1}};
    Matrix w = one_hot(11, [](int i) { return i; }); // everyone else looks at itself
    w(7, 7) = 0.1f;
    w(7, 1) = 0.9f;
    const HeadReport r = report_of(w, t);
    CHECK(r.referent.n == 1);
    CHECK(r.referent.hit == doctest::Approx(1.0));
    CHECK(r.label == HeadLabel::Referent);

    ProbeTargets a;
    a.agreement = {{5, 1}};
    Matrix v = one_hot(7, [](int i) { return i == 5 ? 1 : i; });
    const HeadReport g = report_of(v, a);
    CHECK(g.agreement.hit == doctest::Approx(1.0));
    CHECK(g.label == HeadLabel::Agreement);
    CHECK(label_name(g.label) == "agreement");
}

TEST_CASE("a previous-token head does not pass for an agreement head when the subject is adjacent") {
    ProbeTargets a;
    a.agreement = {{2, 1}, {5, 1}}; // "the dog was ..." (adjacent) and a verb three words on
    const Matrix w = one_hot(7, [](int i) { return i == 0 ? 0 : i - 1; });
    const HeadReport r = report_of(w, a);
    CHECK(r.agreement.n == 1); // only the non-adjacent pair is checked
    CHECK(r.agreement.hit == 0.0);
    CHECK(r.label == HeadLabel::PreviousToken);
}

TEST_CASE("the induction probe finds a hand-built induction head on a repeated sequence") {
    // s = 3 1 4 5 9, then s again; row 5 + k (token s_k) looks at k + 1; first-half rows at themselves.
    ProbeTargets t = causal_targets();
    t.ids = {3, 1, 4, 5, 9, 3, 1, 4, 5, 9};
    const Matrix w = one_hot(10, [](int i) { return i >= 5 ? i - 5 + 1 : i; });
    const HeadReport r = report_of(w, t);
    CHECK(r.induction.n == 5); // rows 5..9, targets 1..5
    CHECK(r.induction.hit == doctest::Approx(1.0));
    CHECK(r.label == HeadLabel::Induction);
    // The same rows looking at the previous occurrence itself (a duplicate-token head) are no induction.
    const Matrix dup = one_hot(10, [](int i) { return i >= 5 ? i - 5 : i; });
    CHECK(report_of(dup, t).induction.hit == 0.0);
}

TEST_CASE("the induction probe works on the induction task's own examples") {
    const train::TaskData d = train::make_task("induction", 1);
    HeadProbes probes(2, 2);
    int checked = 0;
    for (std::size_t e = 0; e < 20; ++e) {
        const train::Example& ex = d.held_out[e];
        const int n = static_cast<int>(ex.ids.size());
        Matrix w = one_hot(n, [](int i) { return i; }); // (n, n)
        for (const auto& [q, k] : ex.attend) {          // the task's own induction targets
            w(q, q) = 0.0f;
            w(q, k) = 1.0f;
        }
        ProbeTargets t = causal_targets();
        t.ids = ex.ids;
        probes.add(1, 0, w, t);
        probes.add(1, 1, one_hot(n, [](int i) { return i == 0 ? 0 : i - 1; }), t);
        checked += n / 2; // every row of the repeat has an earlier occurrence
    }
    const auto r = probes.report();
    REQUIRE(r.size() == 4);
    const HeadReport& induction = r[2];
    CHECK(induction.layer == 1);
    CHECK(induction.head == 0);
    CHECK(induction.induction.n == checked);
    // attend leaves out the last row of each repeat, so a little under 1.
    CHECK(induction.induction.hit >= 0.8);
    CHECK(induction.induction.hit < 1.0);
    CHECK(induction.label == HeadLabel::Induction);
    CHECK(r[3].label == HeadLabel::PreviousToken);
    CHECK(r[0].induction.n == 0); // nothing added for layer 0
    CHECK(r[0].label == HeadLabel::Mixed);
}

TEST_CASE("statistics accumulate over examples") {
    HeadProbes p(1, 1);
    p.add(0, 0, one_hot(5, [](int i) { return i == 0 ? 0 : i - 1; }), causal_targets()); // 4 hits of 4
    p.add(0, 0, one_hot(5, [](int i) { return i; }), causal_targets());                  // 0 hits of 4
    const HeadReport r = p.report()[0];
    CHECK(r.previous_token.n == 8);
    CHECK(r.previous_token.hit == doctest::Approx(0.5));
    CHECK(r.label == HeadLabel::Mixed);
}

TEST_CASE("every label has its own name and an explanation") {
    const HeadLabel all[] = {HeadLabel::PreviousToken, HeadLabel::FirstToken, HeadLabel::Referent,
                             HeadLabel::Agreement,     HeadLabel::Induction,  HeadLabel::Broad,
                             HeadLabel::Mixed};
    for (std::size_t i = 0; i < std::size(all); ++i) {
        CHECK(!label_meaning(all[i]).empty());
        for (std::size_t j = 0; j < i; ++j)
            CHECK(label_name(all[i]) != label_name(all[j]));
    }
}

TEST_CASE("adding every head of an example at once equals adding them one by one") {
    const Matrix prev = one_hot(6, [](int i) { return i == 0 ? 0 : i - 1; });
    const Matrix first = one_hot(6, [](int) { return 0; });
    HeadProbes all(2, 1), one(2, 1);
    all.add({{prev}, {first}}, causal_targets());
    one.add(0, 0, prev, causal_targets());
    one.add(1, 0, first, causal_targets());
    const auto a = all.report(), b = one.report();
    REQUIRE(a.size() == 2);
    CHECK(a[0].label == HeadLabel::PreviousToken);
    CHECK(a[1].label == HeadLabel::FirstToken);
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].previous_token.hit == b[i].previous_token.hit);
        CHECK(a[i].first_token.hit == b[i].first_token.hit);
        CHECK(a[i].entropy == b[i].entropy);
    }
}

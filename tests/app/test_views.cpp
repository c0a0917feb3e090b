// Display helpers of the visual panels (app/state/views.*) and the vector-override commands: each helper is
// checked against the forward pass it reads or against numbers worked out by hand.
#include "app/state/app_state.hpp"
#include "app/state/derived.hpp"
#include "app/state/views.hpp"
#include "app/widgets/number_format.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

using namespace attn;

namespace {

AppState state_with(int n_heads, MaskKind mask, PositionKind pos) {
    AppState s = AppState::initial();
    ModelConfig c = s.config;
    c.n_heads = n_heads;
    c.n_kv_heads = n_heads;
    c.mask = mask;
    c.positions = pos;
    REQUIRE(apply(s, SetConfig{c}).message == "");
    return s;
}

} // namespace

TEST_CASE("dot-product terms sum to q·k and rebuild the score through the scale and the bias") {
    struct Case {
        int heads;
        MaskKind mask;
        PositionKind pos;
        float temperature;
    };
    const Case cases[] = {{1, MaskKind::Bidirectional, PositionKind::Sinusoidal, 1.0f},
                          {4, MaskKind::Causal, PositionKind::Alibi, 1.0f},
                          {2, MaskKind::Bidirectional, PositionKind::Alibi, 1.0f}, // keys after the query too
                          {2, MaskKind::SlidingWindow, PositionKind::Rope, 0.5f}};
    for (const Case& k : cases) {
        AppState s = state_with(k.heads, k.mask, k.pos);
        ModelConfig c = s.config;
        c.temperature = k.temperature;
        REQUIRE(apply(s, SetConfig{c}).message == "");
        const Derived d = compute_derived(s);
        const LayerResult& layer = d.forward.layers[0];
        int masked = 0, biased = 0;
        for (int h = 0; h < k.heads; ++h) {
            const HeadResult& head = layer.heads[static_cast<std::size_t>(h)];
            for (int i = 0; i < head.q.rows(); ++i)
                for (int j = 0; j < head.k.rows(); ++j) {
                    const DotTerms t = dot_terms(s.config, head, h, i, j);
                    REQUIRE(t.products.size() == static_cast<std::size_t>(head.q.cols()));
                    float sum = 0;
                    for (float p : t.products)
                        sum += p;
                    CHECK(t.dot == doctest::Approx(sum).epsilon(1e-4));
                    CHECK(t.dot == doctest::Approx(head.q.row(i).dot(head.k.row(j))).epsilon(1e-4));
                    CHECK(t.weight == head.weights(i, j));
                    if (std::isinf(head.scores(i, j))) {
                        ++masked;
                        CHECK(t.masked);
                        CHECK(t.weight == 0.0f);
                    } else {
                        CHECK_FALSE(t.masked);
                        CHECK(t.scale * t.dot + t.bias == doctest::Approx(head.scores(i, j)).epsilon(1e-4));
                        if (t.bias != 0.0f) ++biased;
                    }
                }
        }
        CHECK(dot_terms(s.config, layer.heads[0], 0, 0, 0).scale ==
              doctest::Approx(1.0 / std::sqrt(double(head_dim(s.config))) / double(k.temperature)));
        CHECK((masked > 0) == (k.mask != MaskKind::Bidirectional));
        CHECK((biased > 0) == (k.pos == PositionKind::Alibi));
    }
}

TEST_CASE("a 2-d example worked by hand: alignment is attention") {
    AppState s = AppState::initial();
    REQUIRE(apply(s, SetText{"a b"}).changed);
    ModelConfig c = s.config;
    c.d_head = 2;
    c.positions = PositionKind::None;
    REQUIRE(apply(s, SetConfig{c}).message == "");
    REQUIRE(apply(s, SetVectorOverride{0, 0, 0, 'q', {1.0f, 0.0f}}).changed);
    REQUIRE(apply(s, SetVectorOverride{0, 0, 0, 'k', {1.0f, 0.0f}}).changed);
    REQUIRE(apply(s, SetVectorOverride{0, 0, 1, 'k', {0.0f, 1.0f}}).changed);
    REQUIRE(apply(s, SetVectorOverride{0, 0, 0, 'v', {2.0f, 0.0f}}).changed);
    REQUIRE(apply(s, SetVectorOverride{0, 0, 1, 'v', {0.0f, 4.0f}}).changed);
    const Derived d = compute_derived(s);
    const HeadResult& h = d.forward.layers[0].heads[0];
    // scores: (1,0)·(1,0)/√2 = 0.70711 and (1,0)·(0,1)/√2 = 0; e^0.70711 = 2.02811
    CHECK(h.scores(0, 0) == doctest::Approx(0.70711).epsilon(1e-4));
    CHECK(h.scores(0, 1) == doctest::Approx(0.0).epsilon(1e-6));
    CHECK(h.weights(0, 0) == doctest::Approx(2.02811 / 3.02811).epsilon(1e-4));
    const QueryTrace t = trace_query(s.config, d.forward.layers[0], 0, 0);
    // output = 0.66976 · (2, 0) + 0.33024 · (0, 4)
    CHECK(t.head_out(0) == doctest::Approx(2 * 0.66976).epsilon(1e-3));
    CHECK(t.head_out(1) == doctest::Approx(4 * 0.33024).epsilon(1e-3));
}

TEST_CASE("vector overrides change the weights, are validated, replace each other and clear") {
    AppState s = state_with(2, MaskKind::Bidirectional, PositionKind::Sinusoidal);
    const Derived before = compute_derived(s);
    const int d_head = head_dim(s.config);
    std::vector<float> v(static_cast<std::size_t>(d_head), 0.0f);
    v[0] = 5.0f;
    REQUIRE(apply(s, SetVectorOverride{0, 1, 7, 'q', v}).changed);
    const Derived after = compute_derived(s);
    CHECK(after.forward.layers[0].heads[1].q(7, 0) == 5.0f);
    CHECK_FALSE(after.forward.layers[0].heads[1].weights.row(7).isApprox(
        before.forward.layers[0].heads[1].weights.row(7)));
    CHECK(after.forward.layers[0].heads[0].weights.isApprox(
        before.forward.layers[0].heads[0].weights)); // other head

    v[0] = -3.0f; // the same vector again: replaced, not added
    REQUIRE(apply(s, SetVectorOverride{0, 1, 7, 'q', v}).changed);
    CHECK(s.overrides.size() == 1);

    const AppState kept = s;
    auto refused = [&](const SetVectorOverride& cmd) {
        const ApplyResult r = apply(s, cmd);
        CHECK_FALSE(r.changed);
        CHECK_FALSE(r.message.empty());
        CHECK(s.revision == kept.revision);
        CHECK(s.overrides.size() == kept.overrides.size());
    };
    refused({0, 1, 7, 'x', v});            // not q, k or v
    refused({0, 2, 7, 'q', v});            // no head 2
    refused({1, 0, 7, 'q', v});            // no layer 1
    refused({0, 0, 11, 'q', v});           // no token 11
    refused({0, 0, 7, 'q', {1.0f, 2.0f}}); // wrong length
    std::vector<float> bad = v;
    bad[1] = std::nanf("");
    refused({0, 0, 7, 'k', bad}); // not a number

    REQUIRE(apply(s, ClearOverrides{}).changed);
    CHECK(s.overrides.empty());
    CHECK_FALSE(apply(s, ClearOverrides{}).changed); // nothing left to clear
    const Derived cleared = compute_derived(s);
    CHECK(cleared.forward.layers[0].heads[1].weights.isApprox(before.forward.layers[0].heads[1].weights));

    REQUIRE(apply(s, SetVectorOverride{0, 0, 3, 'k', v}).changed);
    ModelConfig c = s.config;
    c.d_head = 2; // a new head width makes the edited vector meaningless: it is dropped
    REQUIRE(apply(s, SetConfig{c}).changed);
    CHECK(s.overrides.empty());
}

TEST_CASE("the mean over heads keeps rows summing to 1 and the shared mask") {
    AppState s = state_with(4, MaskKind::Causal, PositionKind::Alibi);
    const Derived d = compute_derived(s);
    const LayerResult& layer = d.forward.layers[0];
    const HeadMean m = mean_over_heads(layer);
    const int n = static_cast<int>(s.tokens.size());
    REQUIRE(m.weights.rows() == n);
    for (int i = 0; i < n; ++i) {
        CHECK(m.weights.row(i).sum() == doctest::Approx(1.0).epsilon(1e-5));
        for (int j = 0; j < n; ++j) {
            float by_hand = 0;
            for (const auto& h : layer.heads)
                by_hand += h.weights(i, j) / 4.0f;
            CHECK(m.weights(i, j) == doctest::Approx(by_hand).epsilon(1e-5));
            CHECK(std::isinf(m.scores(i, j)) == (j > i)); // causal: keys after the query are hidden
        }
    }
    const std::vector<float> cells = masked_weights(m.scores, m.weights);
    CHECK(std::isnan(cells[1]));             // (0, 1) is masked
    CHECK(cells[0] == doctest::Approx(1.0)); // the first token can only see itself
}

TEST_CASE("contrast scaling: rows to their max, the matrix to its max, masked cells stay masked") {
    const float nan = std::nanf("");
    std::vector<float> v = {0.5f, 0.25f, nan, 0.2f};
    std::vector<float> row = v;
    CHECK(apply_contrast(row, 2, 2, Contrast::Row) == 1.0f);
    CHECK(row[0] == 1.0f);
    CHECK(row[1] == 0.5f);
    CHECK(std::isnan(row[2]));
    CHECK(row[3] == 1.0f);
    std::vector<float> mat = v;
    CHECK(apply_contrast(mat, 2, 2, Contrast::Whole) == 0.5f);
    CHECK(mat[1] == 0.5f);
    CHECK(mat[3] == doctest::Approx(0.4f));
    std::vector<float> honest = v;
    CHECK(apply_contrast(honest, 2, 2, Contrast::Honest) == 1.0f);
    CHECK(honest[1] == 0.25f);
}

TEST_CASE("arc lines follow the weights, the head switches and the hovered token") {
    AppState s = state_with(4, MaskKind::Causal, PositionKind::Sinusoidal);
    const Derived d = compute_derived(s);
    const LayerResult& layer = d.forward.layers[0];
    const int n = static_cast<int>(s.tokens.size());
    // causal: query i sees i + 1 keys, all with positive weight
    const auto all = arc_lines(layer, {}, 0.0f, -1, -1);
    CHECK(all.size() == static_cast<std::size_t>(4 * n * (n + 1) / 2));
    const auto one_head = arc_lines(layer, {0, 1, 0, 0}, 0.0f, -1, -1);
    CHECK(one_head.size() == static_cast<std::size_t>(n * (n + 1) / 2));
    for (const ArcLine& l : one_head)
        CHECK(l.head == 1);
    const auto from_it = arc_lines(layer, {}, 0.0f, 7, -1);
    float per_head[4] = {0, 0, 0, 0};
    for (const ArcLine& l : from_it) {
        CHECK(l.query == 7);
        per_head[l.head] += l.weight;
    }
    for (float sum : per_head)
        CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
    for (const ArcLine& l : arc_lines(layer, {}, 0.0f, -1, 2))
        CHECK(l.key == 2);
    const auto strong = arc_lines(layer, {}, 0.2f, -1, -1);
    CHECK(strong.size() < all.size());
    for (const ArcLine& l : strong)
        CHECK(l.weight >= 0.2f);

    for (int k = 0; k < n; ++k)
        CHECK(arc_row_at(arc_row_y(k, n, 40.0f, 400.0f), n, 40.0f, 400.0f) == k);
    CHECK(arc_row_at(39.0f, n, 40.0f, 400.0f) == -1);
    CHECK(arc_row_at(400.0f, n, 40.0f, 400.0f) == -1);
}

TEST_CASE(
    "an arc's segments keep its polyline within half a pixel of the curve, and tall arcs keep the most") {
    // the arc view's S-curve from (0, 0) to (gap, h), handles at 0.4 of the gap, at parameter t
    const auto curve = [](float gap, float h, float t) {
        const float u = 1 - t;
        return std::pair<float, float>{3 * u * u * t * 0.4f * gap + 3 * u * t * t * 0.6f * gap +
                                           t * t * t * gap,
                                       3 * u * t * t * h + t * t * t * h};
    };
    const auto stray = [&](float gap, float h, int n) { // farthest point of the curve from the polyline
        float worst = 0;
        for (int k = 0; k <= 400; ++k) {
            const auto [px, py] = curve(gap, h, static_cast<float>(k) / 400.0f);
            float best = std::numeric_limits<float>::max();
            for (int i = 0; i < n; ++i) {
                const auto [ax, ay] = curve(gap, h, static_cast<float>(i) / static_cast<float>(n));
                const auto [bx, by] = curve(gap, h, static_cast<float>(i + 1) / static_cast<float>(n));
                const float dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
                const float t =
                    len2 > 0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0f, 1.0f) : 0;
                best = std::min(best, std::hypot(px - ax - t * dx, py - ay - t * dy));
            }
            worst = std::max(worst, best);
        }
        return worst;
    };
    for (const float gap : {60.0f, 300.0f, 900.0f})
        for (const float h : {0.0f, 1.0f, 4.0f, 12.0f, 30.0f, 45.0f, 70.0f, -70.0f, 99.0f}) {
            CAPTURE(gap);
            CAPTURE(h);
            const int n = arc_curve_segments(h, 12);
            CHECK(n <= 12);
            CHECK(stray(gap, h, n) <= 0.5f);
        }
    CHECK(arc_curve_segments(0.0f, 12) == 1);    // a flat arc is a line
    CHECK(arc_curve_segments(40.0f, 12) < 12);   // to the next row: fewer than before
    CHECK(arc_curve_segments(500.0f, 12) == 12); // a tall arc is drawn as before
    CHECK(arc_curve_segments(-500.0f, 12) == 12);
}

TEST_CASE("a traced query agrees with the forward pass at every stage") {
    AppState s = state_with(2, MaskKind::SlidingWindow, PositionKind::Sinusoidal);
    const Derived d = compute_derived(s);
    const LayerResult& layer = d.forward.layers[0];
    const int i = 7;
    const QueryTrace t = trace_query(s.config, layer, 1, i);
    const HeadResult& h = layer.heads[1];
    CHECK(t.x.isApprox(layer.x_norm.row(i)));
    for (int j = 0; j < h.k.rows(); ++j) {
        CHECK(t.scaled(j) == doctest::Approx(t.scale * t.dots(j)));
        if (!std::isinf(h.scores(i, j))) CHECK(t.scores(j) == doctest::Approx(t.scaled(j)).epsilon(1e-4));
    }
    CHECK(t.weights.sum() == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(t.head_out.isApprox(h.output.row(i), 1e-5f));
    CHECK(t.concat.segment(head_dim(s.config), head_dim(s.config)).isApprox(h.output.row(i), 1e-5f));
    const RowVector y = t.concat * d.weights.layers[0].w_o;
    CHECK(y.isApprox(t.attn_out, 1e-4f));
}

TEST_CASE("the playground plane holds every vector with a margin") {
    RowVector a(2), b(2);
    a << 0.3f, -2.2f;
    b << 1.1f, 0.4f;
    const float e = plane_extent({a, b});
    CHECK(e >= 2.2f * 1.15f);
    CHECK(e <= 3.0f);
    CHECK(plane_extent({}) >= 1.0f);
}

TEST_CASE("overflowed cells are marked as overflow, never as masked, and do not set the contrast") {
    // issue 16: a huge scale with a small temperature made +inf scores that were drawn as masked, and a
    // trained weight near 3.4e38 gave NaN weights shown as "-nan%"
    const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    Matrix scores(2, 2), weights(2, 2);
    scores << inf, -inf, nan, 1.0f;
    weights << nan, 0.0f, nan, 0.5f;
    std::vector<float> cells = masked_weights(scores, weights);
    CHECK(cells[0] == k_overflow_cell);
    CHECK(std::isnan(cells[1])); // the -inf of a real mask stays masked
    CHECK(cells[2] == k_overflow_cell);
    CHECK(cells[3] == 0.5f);
    CHECK(apply_contrast(cells, 2, 2, Contrast::Whole) == 0.5f);
    CHECK(cells[3] == 1.0f);
    CHECK(cells[0] == k_overflow_cell);
    CHECK(format_whole_percent(nan) == "overflow");
    CHECK(format_percent(inf) == "overflow");
    CHECK(format_whole_percent(0.25) == "25%");
}

TEST_CASE("durations read in the unit a person would use, from microseconds to hours") {
    CHECK(format_ms(0.85) == "850 µs");
    CHECK(format_ms(3.2) == "3.20 ms");
    CHECK(format_ms(1250) == "1.25 s");
    CHECK(format_ms(90e3) == "90.0 s");
    CHECK(format_ms(117 * 60e3) == "117 min"); // a long training run's estimate
    CHECK(format_ms(6.4 * 3600e3) == "6.4 h");
    CHECK(format_ms(-1) == "?");
}

TEST_CASE("the live pass on a team of threads gives what it gives on one thread") {
    AppState s = state_with(4, MaskKind::Causal, PositionKind::Rope);
    std::vector<std::string> tokens;
    for (int i = 0; i < 40; ++i) // long enough that every product is split between the threads
        tokens.push_back(i % 3 ? "word" : "it");
    REQUIRE(apply(s, SetTokens{tokens}).changed);
    REQUIRE(apply(s, ToggleHead{0, 2}).changed); // the ablation passes run too
    const Derived alone = compute_derived(s);
    WorkerTeam team(2);
    const Derived shared = compute_derived(s, &team);
    REQUIRE(alone.error.empty());
    REQUIRE(shared.forward.layers.size() == alone.forward.layers.size());
    CHECK(shared.forward.output.isApprox(alone.forward.output, 1e-6f));
    for (std::size_t l = 0; l < alone.forward.layers.size(); ++l)
        for (std::size_t h = 0; h < alone.forward.layers[l].heads.size(); ++h)
            CHECK(shared.forward.layers[l].heads[h].weights.isApprox(alone.forward.layers[l].heads[h].weights,
                                                                     1e-6f));
    CHECK(alone.ablation_change > 0.0f);
    CHECK(shared.ablation_change == doctest::Approx(alone.ablation_change).epsilon(1e-5));
    REQUIRE(shared.head_effect.size() == alone.head_effect.size());
    REQUIRE_FALSE(alone.head_effect.empty());
    for (std::size_t i = 0; i < alone.head_effect.size(); ++i)
        CHECK(shared.head_effect[i] == doctest::Approx(alone.head_effect[i]).epsilon(1e-5));
}

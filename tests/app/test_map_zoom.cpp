// Zoom, pan and label thinning of the heatmap (app/state/map_zoom.*), and the arc view's top-k lines
// against a brute-force sort of each row.
#include "app/state/app_state.hpp"
#include "app/state/derived.hpp"
#include "app/state/map_zoom.hpp"
#include "app/state/views.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>

using namespace attn;

TEST_CASE("zooming about a point keeps that point where it was on screen") {
    MapZoom z;
    const float top = max_map_zoom(1024);
    CHECK(top == 256.0f);
    // the point at 30% across and 70% down of the window, before and after
    const float u = 0.3f, v = 0.7f;
    zoom_map_at(z, 4.0f, u, v, top);
    CHECK(z.zoom == 4.0f);
    CHECK((u - z.u0) * z.zoom == doctest::Approx(0.3f)); // still 30% across the window
    CHECK((v - z.v0) * z.zoom == doctest::Approx(0.7f));
    const MapZoom before = z;
    zoom_map_at(z, 2.0f, 0.31f, 0.62f, top);
    CHECK((0.31f - z.u0) * z.zoom == doctest::Approx((0.31f - before.u0) * before.zoom));
    CHECK((0.62f - z.v0) * z.zoom == doctest::Approx((0.62f - before.v0) * before.zoom));
    // zooming out past 1 returns to the whole map
    zoom_map_at(z, 0.001f, 0.5f, 0.5f, top);
    CHECK(z.zoom == 1.0f);
    CHECK(z.u0 == 0.0f);
    CHECK(z.v0 == 0.0f);
}

TEST_CASE("the window stays inside the map, zoom stays in range, hostile values are refused") {
    MapZoom z;
    const float top = max_map_zoom(64); // 16
    zoom_map_at(z, 1000.0f, 1.0f, 1.0f, top);
    CHECK(z.zoom == 16.0f);
    CHECK(z.u0 + 1.0f / z.zoom <= 1.0f + 1e-6f);
    pan_map(z, 5.0f, -5.0f, top);
    CHECK(z.u0 == doctest::Approx(1.0f - 1.0f / 16.0f));
    CHECK(z.v0 == 0.0f);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    pan_map(z, nan, nan, top);
    CHECK(std::isfinite(z.u0));
    zoom_map_at(z, nan, 0.5f, 0.5f, top);
    CHECK(z.zoom == 16.0f);
    MapZoom bad{nan, nan, std::numeric_limits<float>::infinity()};
    clamp_map_zoom(bad, top);
    CHECK(bad.zoom == 1.0f);
    CHECK(bad.u0 == 0.0f);
    CHECK(bad.v0 == 0.0f);
    // a 4-token map cannot zoom at all
    CHECK(max_map_zoom(4) == 1.0f);
    MapZoom tiny;
    center_map(tiny, 8.0f, 0.9f, 0.9f, max_map_zoom(4));
    CHECK(tiny.zoom == 1.0f);
}

TEST_CASE("centring on a cell puts it in the middle of the window") {
    MapZoom z;
    const int n = 1024;
    center_map(z, 16.0f, (500.5f) / n, (300.5f) / n, max_map_zoom(n));
    const CellRange rows = visible_cells(z.v0, 1.0f / z.zoom, n);
    const CellRange cols = visible_cells(z.u0, 1.0f / z.zoom, n);
    CHECK(rows.last - rows.first == doctest::Approx(64).epsilon(0.02));
    CHECK(rows.first <= 300);
    CHECK(rows.last > 300);
    CHECK(std::abs((rows.first + rows.last) / 2 - 300) <= 1);
    CHECK(std::abs((cols.first + cols.last) / 2 - 500) <= 1);
    // near the edge the window stops at the map's border instead
    center_map(z, 16.0f, 0.0f, 1.0f, max_map_zoom(n));
    CHECK(visible_cells(z.u0, 1.0f / z.zoom, n).first == 0);
    CHECK(visible_cells(z.v0, 1.0f / z.zoom, n).last == n);
}

TEST_CASE("labels: all when they fit, else every k-th, the kept one never overlapped") {
    CHECK(label_stride(20.0f, 18.0f) == 1);
    CHECK(label_stride(18.0f, 18.0f) == 1);
    CHECK(label_stride(9.0f, 18.0f) == 2);
    CHECK(label_stride(0.5f, 18.0f) == 36);
    const auto all = labelled_cells({10, 20}, 20.0f, 18.0f);
    CHECK(all.size() == 10);
    const auto thin = labelled_cells({10, 40}, 5.0f, 18.0f); // stride 4: 12, 16, ..., 36
    REQUIRE(thin.size() == 7);
    CHECK(thin.front() == 12);
    for (std::size_t i = 1; i < thin.size(); ++i)
        CHECK(thin[i] - thin[i - 1] >= 4); // no two labels closer than one label's room
    // a selected row keeps its label; its neighbours within the stride give way
    const auto kept = labelled_cells({10, 40}, 5.0f, 18.0f, 23);
    CHECK(std::find(kept.begin(), kept.end(), 23) != kept.end());
    CHECK(std::is_sorted(kept.begin(), kept.end()));
    for (std::size_t i = 1; i < kept.size(); ++i)
        CHECK(kept[i] - kept[i - 1] >= 4);
    // a selected row off screen changes nothing
    CHECK(labelled_cells({10, 40}, 5.0f, 18.0f, 200) == thin);
    CHECK(labelled_cells({5, 5}, 5.0f, 18.0f).empty());
}

TEST_CASE("the arc view's top k per query are the k largest weights of each row, per head") {
    AppState s = AppState::initial();
    ModelConfig c = s.config;
    c.n_heads = 4;
    c.n_kv_heads = 4;
    c.mask = MaskKind::Causal;
    REQUIRE(apply(s, SetConfig{c}).changed);
    const Derived d = compute_derived(s);
    const LayerResult& layer = d.forward.layers[0];
    const int n = s.n_tokens();
    const int k = 3;
    const ArcTopK t = arc_top_k(layer, {1, 0, 1, 0}, 0.0f, k);
    std::size_t expected_lines = 0, expected_left_out = 0;
    std::set<std::tuple<int, int, int>> want;
    for (int h : {0, 2}) {
        const Matrix& w = layer.heads[static_cast<std::size_t>(h)].weights;
        for (int i = 0; i < n; ++i) {
            std::vector<std::pair<float, int>> row;
            for (int j = 0; j < n; ++j)
                if (w(i, j) > 0.0f) row.push_back({-w(i, j), j});
            std::sort(row.begin(), row.end());
            const std::size_t kept = std::min<std::size_t>(row.size(), k);
            for (std::size_t r = 0; r < kept; ++r)
                want.insert({h, i, row[r].second});
            expected_lines += kept;
            expected_left_out += row.size() - kept;
        }
    }
    CHECK(t.lines.size() == expected_lines);
    CHECK(t.left_out == expected_left_out);
    std::set<std::tuple<int, int, int>> got;
    for (const ArcLine& l : t.lines) {
        got.insert({l.head, l.query, l.key});
        CHECK(l.weight == layer.heads[static_cast<std::size_t>(l.head)].weights(l.query, l.key));
        CHECK((l.head == 0 || l.head == 2));
        CHECK(l.share > 0.0f);
        CHECK(l.share <= 1.0f);
    }
    CHECK(got == want);
    // lines come query by query (the arc view finds a query's run by binary search)
    CHECK(std::is_sorted(t.lines.begin(), t.lines.end(),
                         [](const ArcLine& a, const ArcLine& b) { return a.query < b.query; }));
    // causal row 0 sees only itself: one line per visible head
    CHECK(std::count_if(t.lines.begin(), t.lines.end(), [](const ArcLine& l) { return l.query == 0; }) == 2);
    // a threshold above every weight leaves nothing
    CHECK(arc_top_k(layer, {}, 1.5f, k).lines.empty());
}

TEST_CASE("the live limit holds 2,048 tokens and refuses more with a message") {
    AppState s = AppState::initial();
    std::string text;
    for (int i = 0; i < 2100; ++i)
        text += 'w', text += std::to_string(i % 50), text += ' ';
    const ApplyResult r = apply(s, SetText{text});
    CHECK(s.n_tokens() == 2048);
    CHECK(r.message.find("2048") != std::string::npos);
    const Derived d = compute_derived(s);
    REQUIRE(d.forward.layers.size() == 1);
    CHECK(d.forward.layers[0].heads[0].weights.rows() == 2048);
}

TEST_CASE("a long text in a model with many heads is refused with a message, not computed") {
    AppState s = AppState::initial();
    std::string text;
    for (int i = 0; i < 2048; ++i)
        text += 'w', text += std::to_string(i % 50), text += ' ';
    REQUIRE(apply(s, SetText{text}).changed);
    ModelConfig c = s.config;
    c.n_layers = 4;
    c.n_heads = 8;
    c.n_kv_heads = 8;
    REQUIRE(apply(s, SetConfig{c}).changed);
    CHECK(live_matrix_bytes(s.config, s.n_tokens()) > k_live_matrix_budget); // 1 GiB
    const Derived d = compute_derived(s);
    CHECK(d.forward.layers.empty());
    CHECK(english(d.error).find("2048 tokens") != std::string::npos);
    CHECK(english(d.error).find("Shorten the text") != std::string::npos);
    // the same model on half the text fits (256 MiB)
    s.tokens.resize(1024);
    s.key_valid.resize(1024);
    const Derived half = compute_derived(s);
    CHECK(half.error.empty());
    CHECK(half.forward.layers.size() == 4);
}

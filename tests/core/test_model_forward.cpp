// The forward pass: the three implementations agree end to end for every mask and position kind;
// GQA against MHA with shared weights, MQA against a layer computed by hand; masks, RoPE, ALiBi,
// temperature, ablation, padding and dragged vectors.
#include "core/model.hpp"

#include "matrix_compare.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace attn;
using test::rel_diff;

namespace {

std::vector<std::string> words(int n) {
    const char* pool[] = {"the", "cat", "sat", "on", "a", "mat", "and", "it", "was", "warm"};
    std::vector<std::string> t;
    for (int i = 0; i < n; ++i)
        t.emplace_back(pool[(i * 7 + 3) % 10]);
    return t;
}

ModelConfig small_config() {
    ModelConfig c;
    c.d_model = 16;
    c.n_heads = 4;
    c.n_kv_heads = 2;
    c.n_layers = 2;
    c.seed = 9;
    return c;
}

ForwardResult run(const ModelConfig& c, int n, const ForwardOptions& opt = {}) {
    const ModelWeights w = make_weights(c);
    return forward(c, w, embed_tokens(words(n), c, w), opt);
}

} // namespace

TEST_CASE("reference, matrix and flash forward passes agree for every mask, position kind and shape") {
    struct Shape {
        int d_model, n_heads, n_kv, d_head, n, bq, bk;
    };
    const Shape shapes[] = {
        {16, 4, 2, 0, 19, 16, 16}, // n not a multiple of the tile
        {8, 2, 1, 0, 1, 3, 5},     // one token, MQA
        {4, 4, 4, 1, 9, 2, 4},     // d_head = 1
        {12, 3, 3, 5, 33, 5, 7},   // explicit odd d_head, uneven tiles
    };
    int checked = 0;
    for (const Shape& sh : shapes)
        for (MaskKind mask : {MaskKind::Bidirectional, MaskKind::Causal, MaskKind::SlidingWindow})
            for (PositionKind pos : {PositionKind::None, PositionKind::Sinusoidal, PositionKind::Learned,
                                     PositionKind::Rope, PositionKind::Alibi})
                for (bool padding : {false, true}) {
                    ModelConfig c;
                    c.d_model = sh.d_model, c.n_heads = sh.n_heads, c.n_kv_heads = sh.n_kv,
                    c.d_head = sh.d_head;
                    c.n_layers = 2, c.mask = mask, c.window = 3, c.positions = pos;
                    c.flash_block_q = sh.bq, c.flash_block_k = sh.bk, c.seed = 5;
                    REQUIRE(validate(c).empty());
                    const std::string label = std::string(to_string(mask)) + " / " + to_string(pos) +
                                              (padding ? " / padding" : "") + " / n=" + std::to_string(sh.n);
                    CAPTURE(label);
                    ForwardOptions opt;
                    if (padding) {
                        opt.key_valid.assign(static_cast<std::size_t>(sh.n), 1);
                        opt.key_valid[0] = 0; // with a causal mask, row 0 then sees nothing
                        if (sh.n > 4) opt.key_valid[4] = 0;
                    }
                    ForwardResult r[3];
                    for (Implementation impl :
                         {Implementation::Reference, Implementation::Matrix, Implementation::Flash}) {
                        c.implementation = impl;
                        r[static_cast<int>(impl)] = run(c, sh.n, opt);
                    }
                    for (int i = 1; i < 3; ++i) {
                        CHECK(rel_diff(r[i].output, r[0].output) < 1e-5);
                        for (int l = 0; l < 2; ++l)
                            for (int h = 0; h < c.n_heads; ++h) {
                                const HeadResult &a = r[i].layers[static_cast<std::size_t>(l)]
                                                          .heads[static_cast<std::size_t>(h)],
                                                 &b = r[0].layers[static_cast<std::size_t>(l)]
                                                          .heads[static_cast<std::size_t>(h)];
                                CHECK(rel_diff(a.weights, b.weights) < 1e-5);
                                CHECK(rel_diff(a.output, b.output) < 1e-5);
                            }
                    }
                    CHECK(r[2].output.allFinite());
                    ++checked;
                }
    CHECK(checked == 4 * 3 * 5 * 2);
}

TEST_CASE("GQA equals MHA whose key/value weights repeat per group") {
    ModelConfig gqa = small_config(); // 4 query heads, 2 key/value heads, d_head 4
    ModelConfig mha = gqa;
    mha.n_kv_heads = 4;
    const ModelWeights wg = make_weights(gqa);
    ModelWeights wm = wg;
    const int d = head_dim(gqa);
    for (std::size_t l = 0; l < wg.layers.size(); ++l) {
        wm.layers[l].w_k.resize(gqa.d_model, 4 * d);
        wm.layers[l].w_v.resize(gqa.d_model, 4 * d);
        for (int h = 0; h < 4; ++h) { // MHA head h gets the key/value weights of GQA group h / 2
            wm.layers[l].w_k.middleCols(h * d, d) = wg.layers[l].w_k.middleCols((h / 2) * d, d);
            wm.layers[l].w_v.middleCols(h * d, d) = wg.layers[l].w_v.middleCols((h / 2) * d, d);
        }
    }
    const Matrix x0 = embed_tokens(words(11), gqa, wg);
    const ForwardResult a = forward(gqa, wg, x0), b = forward(mha, wm, x0);
    CHECK(rel_diff(a.output, b.output) < 1e-5);
    CHECK(a.layers[0].heads[3].kv_head == 1);
    CHECK(b.layers[0].heads[3].kv_head == 3);
    CHECK(a.layers[0].heads[2].k == a.layers[0].heads[3].k); // heads of one group read the same keys
    CHECK(a.layers[0].heads[1].k != a.layers[0].heads[2].k);
}

TEST_CASE("MQA equals one layer computed independently with a single shared key/value head") {
    ModelConfig c = small_config();
    c.n_kv_heads = 1;
    c.n_layers = 1;
    c.positions = PositionKind::None;
    c.mask = MaskKind::Causal;
    const ModelWeights w = make_weights(c);
    const Matrix x0 = embed_tokens(words(7), c, w);
    const ForwardResult r = forward(c, w, x0);
    // by hand: LayerNorm, one K and one V for every head, per-head attention, concat, W_O, residual
    const LayerWeights& lw = w.layers[0];
    const Matrix xn = layer_norm(x0, lw.ln_gain, lw.ln_bias);
    const Matrix k = xn * lw.w_k, v = xn * lw.w_v; // (7, d_head): the one shared head
    Matrix concat(7, 16);
    for (int h = 0; h < 4; ++h) {
        const Matrix q = xn * lw.w_q.middleCols(h * 4, 4);
        Matrix s = (q * k.transpose()) / 2.0f; // 1 / sqrt(d_head = 4)
        for (int i = 0; i < 7; ++i) {
            for (int j = i + 1; j < 7; ++j)
                s(i, j) = -std::numeric_limits<float>::infinity();
            s.row(i) = (s.row(i).array() - s.row(i).maxCoeff()).exp().matrix();
            s.row(i) /= s.row(i).sum();
        }
        concat.middleCols(h * 4, 4) = s * v;
    }
    const Matrix expected = x0 + concat * lw.w_o;
    CHECK(rel_diff(r.output, expected) < 1e-5);
}

TEST_CASE("weights rows sum to 1 and the causal upper triangle is exactly 0 in every implementation") {
    ModelConfig c = small_config();
    c.mask = MaskKind::Causal;
    for (Implementation impl : {Implementation::Reference, Implementation::Matrix, Implementation::Flash}) {
        c.implementation = impl;
        const ForwardResult r = run(c, 13);
        CHECK(r.attention_ms > 0.0);
        for (const LayerResult& lr : r.layers)
            for (const HeadResult& hr : lr.heads)
                for (int i = 0; i < 13; ++i) {
                    CHECK(hr.weights.row(i).sum() == doctest::Approx(1.0).epsilon(1e-5));
                    for (int j = i + 1; j < 13; ++j)
                        CHECK(hr.weights(i, j) == 0.0f);
                }
    }
}

TEST_CASE("RoPE rotates halves by p · 10000^(-2d/d_head), and identical vectors score by i - j only") {
    Matrix x = Matrix::Zero(2, 4);
    x(0, 0) = x(1, 0) = 1.0f;
    apply_rope(x); // position 1, pair (0, 2) turns by θ_0 = 1 radian
    CHECK(x(0, 0) == 1.0f);
    CHECK(x(1, 0) == doctest::Approx(std::cos(1.0)));
    CHECK(x(1, 2) == doctest::Approx(std::sin(1.0)));
    CHECK(x(1, 1) == 0.0f);
    Matrix y = Matrix::Zero(2, 4);
    y(1, 1) = 1.0f;
    apply_rope(y); // pair (1, 3) turns by θ_1 = 10000^(-2/4) = 0.01
    CHECK(y(1, 1) == doctest::Approx(std::cos(0.01)));
    CHECK(y(1, 3) == doctest::Approx(std::sin(0.01)));

    const int n = 24, d = 16;
    RowVector u(d);
    for (int i = 0; i < d; ++i)
        u(i) = std::sin(1.7f * static_cast<float>(i) + 0.3f);
    Matrix q = u.replicate(n, 1), k = q;
    apply_rope(q);
    apply_rope(k);
    const Matrix s = q * k.transpose(); // (n, n)
    for (int i = 0; i + 1 < n; ++i)
        for (int j = 0; j + 1 < n; ++j)
            CHECK(s(i + 1, j + 1) == doctest::Approx(s(i, j)).epsilon(1e-4));
    CHECK(std::abs(s(0, 0) - s(5, 0)) > 0.01f); // yet the score does change with the distance
}

TEST_CASE("ALiBi slopes for 8 heads are 1/2 ... 1/256") {
    for (int h = 0; h < 8; ++h)
        CHECK(alibi_slope(h, 8) == std::ldexp(1.0f, -(h + 1)));
    CHECK(alibi_slope(0, 4) == 0.25f);
}

TEST_CASE("temperatures from 1e-3 to 1e3 keep everything finite and move between one-hot and uniform") {
    ModelConfig c = small_config();
    for (float t : {1e-3f, 1e-1f, 1.0f, 1e1f, 1e3f}) {
        c.temperature = t;
        for (Implementation impl :
             {Implementation::Reference, Implementation::Matrix, Implementation::Flash}) {
            c.implementation = impl;
            const ForwardResult r = run(c, 10);
            CHECK(r.output.allFinite());
            for (const LayerResult& lr : r.layers)
                for (const HeadResult& hr : lr.heads)
                    CHECK(hr.weights.allFinite());
            const HeadStats& st = r.layers[0].heads[0].stats;
            if (t == 1e-3f) CHECK(st.max_weight > 0.99f);
            if (t == 1e3f) CHECK(st.mean_norm_entropy > 0.999f);
        }
    }
}

TEST_CASE("switching a head off removes its contribution and changes what later layers read") {
    const ModelConfig c = small_config();
    const ForwardResult all = run(c, 9);
    ForwardOptions opt;
    opt.head_enabled.assign(8, 1);
    opt.head_enabled[1] = 0; // layer 0, head 1
    const ForwardResult off = run(c, 9, opt);
    CHECK_FALSE(off.layers[0].heads[1].enabled);
    CHECK(off.layers[0].concat.middleCols(4, 4).isZero(0.0f));
    CHECK(rel_diff(off.layers[0].heads[1].output, all.layers[0].heads[1].output) == 0.0); // still shown
    CHECK((off.layers[1].x_in - all.layers[1].x_in).norm() > 1e-3f);
    CHECK((off.output - all.output).norm() > 1e-3f);
    opt.head_enabled.assign(8, 0);
    const ForwardResult none = run(c, 9, opt);
    CHECK(none.output == none.x0); // nothing but the residual stream is left
    opt.head_enabled.assign(3, 0); // too short: the missing switches count as on, no crash
    CHECK(run(c, 9, opt).output.allFinite());
}

TEST_CASE("padding hides keys; a query that sees no key gets zero weights, never NaN") {
    ModelConfig c = small_config();
    c.mask = MaskKind::Causal;
    ForwardOptions opt;
    opt.key_valid = {0, 1, 1, 0, 1};
    for (Implementation impl : {Implementation::Reference, Implementation::Matrix, Implementation::Flash}) {
        c.implementation = impl;
        const ForwardResult r = run(c, 5, opt);
        CHECK(r.output.allFinite());
        for (const LayerResult& lr : r.layers)
            for (const HeadResult& hr : lr.heads) {
                CHECK(hr.weights.col(0).isZero(0.0f));
                CHECK(hr.weights.col(3).isZero(0.0f));
                CHECK(hr.weights.row(0).isZero(0.0f)); // token 0 is padding and sees only itself
                CHECK(hr.output.row(0).isZero(0.0f));
                CHECK(hr.weights.row(4).sum() == doctest::Approx(1.0));
            }
    }
    opt.key_valid = {1, 0}; // shorter than the sentence: the rest count as real tokens
    CHECK(run(c, 5, opt).layers[0].heads[0].weights.col(1).isZero(0.0f));
}

TEST_CASE("a dragged query vector changes that head's scores and nothing upstream") {
    const ModelConfig c = small_config();
    ForwardOptions opt;
    VectorOverride o;
    o.layer = 0, o.head = 2, o.token = 3, o.kind = 'q';
    o.value = RowVector::Constant(4, 2.0f);
    opt.overrides.push_back(o);
    const ForwardResult base = run(c, 6), moved = run(c, 6, opt);
    CHECK(moved.layers[0].heads[2].q.row(3) == o.value);
    CHECK(moved.layers[0].heads[2].scores.row(3) != base.layers[0].heads[2].scores.row(3));
    CHECK(moved.layers[0].heads[2].scores.row(2) == base.layers[0].heads[2].scores.row(2));
    CHECK(moved.layers[0].heads[1].scores == base.layers[0].heads[1].scores);
    o.value = RowVector::Constant(3, 2.0f); // wrong length: ignored
    opt.overrides = {o};
    CHECK(run(c, 6, opt).output == base.output);
}

TEST_CASE("the forward pass gives the same numbers on a caller's team, its own threads or one thread") {
    ModelConfig c = small_config();
    c.d_model = 64;
    const ModelWeights w = make_weights(c);
    const Matrix x0 = embed_tokens(words(40), c, w);
    ForwardOptions one;
    one.n_threads = 1;
    const ForwardResult a = forward(c, w, x0, one);
    WorkerTeam team(2);
    ForwardOptions shared;
    shared.team = &team;
    for (int rep = 0; rep < 3; ++rep)
        CHECK(rel_diff(forward(c, w, x0, shared).output, a.output) < 1e-6);
    ForwardOptions own;
    own.n_threads = 2;
    CHECK(rel_diff(forward(c, w, x0, own).output, a.output) < 1e-6);
}

TEST_CASE("an empty sentence and an over-long padding mask pass through without a crash") {
    ModelConfig c = small_config();
    for (Implementation impl : {Implementation::Reference, Implementation::Matrix, Implementation::Flash}) {
        c.implementation = impl;
        const ModelWeights w = make_weights(c);
        const ForwardResult r = forward(c, w, Matrix(0, c.d_model));
        CHECK(r.output.rows() == 0);
        CHECK(r.layers.size() == 2u);
        ForwardOptions opt;
        opt.key_valid = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0}; // 10 entries for 3 tokens: the extra ones are dropped
        const ForwardResult s = run(c, 3, opt);
        CHECK(s.output.allFinite());
        CHECK(s.layers[0].heads[0].weights.row(2).sum() == doctest::Approx(1.0));
    }
}

// Training core: gradients against central finite differences block by block, determinism, a loss that
// falls within a few dozen steps, the model file round trip and its refusals, and the app view checked
// against the core's own forward pass.
#include "core/model.hpp"
#include "core/rng.hpp"
#include "core/train/model_file.hpp"
#include "core/train/tasks.hpp"
#include "core/train/trainer.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

using namespace attn;
using namespace attn::train;

namespace {

// A two-layer model over 7 words; variant picks the mask, positions and head layout under test.
TinyModel small_model(MaskKind mask, PositionKind positions, int d_ff, int n_heads, int n_kv_heads,
                      std::uint64_t seed) {
    ModelConfig c;
    c.vocab_size = 7;
    c.max_positions = 6;
    c.d_model = 8;
    c.n_layers = 2;
    c.n_heads = n_heads;
    c.n_kv_heads = n_kv_heads;
    c.d_head = 4; // even, so RoPE rotates every feature
    c.d_ff = d_ff;
    c.mask = mask;
    c.window = 3;
    c.positions = positions;
    std::vector<std::string> vocab = {"<unk>", "a", "b", "c", "d", "e", "f"};
    TinyModel m = init_model(c, vocab, seed);
    // Move LayerNorm gains and every bias away from 1 / 0 so their gradients are exercised too.
    Rng rng(seed + 99);
    for (TensorRef& t : tensors(m.weights))
        for (std::size_t i = 0; i < t.size(); ++i)
            t.data[i] += static_cast<float>(0.1 * rng.normal());
    return m;
}
TinyModel small_model(bool causal, int d_ff, int n_heads, int n_kv_heads, std::uint64_t seed) {
    return small_model(causal ? MaskKind::Causal : MaskKind::Bidirectional, PositionKind::Learned, d_ff,
                       n_heads, n_kv_heads, seed);
}

double total_loss(const TinyModel& m, const std::vector<int>& ids, const std::vector<Target>& t,
                  const ForwardOptions& opt) {
    return cross_entropy(forward(m, ids, opt).logits, t);
}

// Directional finite difference of the loss along u restricted to one tensor: (L(θ+εu) − L(θ−εu)) / 2ε.
double fd_along(TinyModel m, std::size_t tensor, const std::vector<double>& u, double eps,
                const std::vector<int>& ids, const std::vector<Target>& t, const ForwardOptions& opt) {
    TensorRef x = tensors(m.weights)[tensor];
    const std::vector<float> base(x.data, x.data + x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        x.data[i] = static_cast<float>(base[i] + eps * u[i]);
    const double up = total_loss(m, ids, t, opt);
    for (std::size_t i = 0; i < x.size(); ++i)
        x.data[i] = static_cast<float>(base[i] - eps * u[i]);
    const double down = total_loss(m, ids, t, opt);
    return (up - down) / (2 * eps);
}

void check_gradients(const TinyModel& m, const ForwardOptions& opt = {}) {
    const std::vector<int> ids = {1, 4, 2, 6, 3, 1};
    const std::vector<Target> t = {{1, 2}, {3, 5}, {5, 1}};
    ModelWeights grad = zeros_like(m.weights);
    const double nll = backward(m.config, m.weights, forward(m, ids, opt), t, 1.0f, ids, grad);
    CHECK(nll == doctest::Approx(total_loss(m, ids, t, opt)).epsilon(1e-5));
    const std::vector<TensorRef> g = tensors(grad);
    REQUIRE(g.size() == tensors(const_cast<ModelWeights&>(m.weights)).size());
    Rng rng(5);
    for (std::size_t ti = 0; ti < g.size(); ++ti) {
        const TensorRef& b = g[ti];
        CAPTURE(b.name);
        CAPTURE(ti);
        double gnorm = 0;
        for (std::size_t i = 0; i < b.size(); ++i)
            gnorm += double(b.data[i]) * b.data[i];
        gnorm = std::sqrt(gnorm);
        REQUIRE(gnorm > 1e-4); // every tensor must matter to this loss
        // Along the analytic gradient the directional derivative is |g|.
        std::vector<double> u(b.size());
        for (std::size_t i = 0; i < b.size(); ++i)
            u[i] = b.data[i] / gnorm;
        CHECK(fd_along(m, ti, u, 3e-3, ids, t, opt) == doctest::Approx(gnorm).epsilon(0.01));
        // Along a random unit direction it is g·r: catches errors orthogonal to g.
        double rn = 0, g_dot_r = 0;
        for (auto& x : u)
            x = rng.normal(), rn += x * x;
        for (std::size_t i = 0; i < b.size(); ++i)
            u[i] /= std::sqrt(rn), g_dot_r += b.data[i] * u[i];
        CHECK(std::abs(fd_along(m, ti, u, 3e-3, ids, t, opt) - g_dot_r) < 0.01 * gnorm);
        // The largest single entry, on its own.
        std::size_t top = 0;
        for (std::size_t i = 0; i < b.size(); ++i)
            if (std::abs(b.data[i]) > std::abs(b.data[top])) top = i;
        std::fill(u.begin(), u.end(), 0.0);
        u[top] = 1.0;
        CHECK(fd_along(m, ti, u, 3e-3, ids, t, opt) == doctest::Approx(b.data[top]).epsilon(0.02));
    }
}

} // namespace

TEST_CASE("gradients match finite differences in every tensor: bidirectional MHA with an MLP") {
    check_gradients(small_model(false, 12, 2, 2, 11));
}

TEST_CASE("gradients match finite differences in every tensor: causal GQA, attention only") {
    check_gradients(small_model(true, 0, 4, 2, 12));
}

TEST_CASE("gradients match finite differences in every tensor: causal MQA with an MLP") {
    check_gradients(small_model(true, 12, 2, 1, 13));
}

TEST_CASE("gradients match finite differences: RoPE with GQA") {
    check_gradients(small_model(MaskKind::Bidirectional, PositionKind::Rope, 12, 4, 2, 14));
}

TEST_CASE("gradients match finite differences: ALiBi under a causal mask") {
    check_gradients(small_model(MaskKind::Causal, PositionKind::Alibi, 0, 2, 2, 15));
}

// A seed whose MLP pre-activations all lie further than ε from ReLU's kink at 0, where a finite difference
// would straddle the kink and measure neither side's slope (seed 16 has one that does).
TEST_CASE("gradients match finite differences: sliding window with sinusoidal positions") {
    check_gradients(small_model(MaskKind::SlidingWindow, PositionKind::Sinusoidal, 12, 2, 1, 18));
}

TEST_CASE("gradients match finite differences: padding and a switched-off head") {
    const TinyModel m = small_model(MaskKind::Bidirectional, PositionKind::None, 12, 2, 2, 17);
    ForwardOptions opt;
    opt.key_valid = {1, 1, 0, 1, 1, 0}; // tokens 2 and 5 are padding: no query may read them
    check_gradients(m, opt);
    // With head 1 of layer 1 off, its projections get no gradient at all.
    opt.head_enabled = {1, 0, 1, 1};
    const std::vector<int> ids = {1, 4, 2, 6, 3, 1};
    ModelWeights grad = zeros_like(m.weights);
    backward(m.config, m.weights, forward(m, ids, opt), {{1, 2}, {3, 5}}, 1.0f, ids, grad);
    const int dh = m.config.d_head;
    CHECK(grad.layers[0].w_q.middleCols(dh, dh).cwiseAbs().maxCoeff() == 0.0f);
    CHECK(grad.layers[0].w_q.middleCols(0, dh).cwiseAbs().maxCoeff() > 0.0f);
}

TEST_CASE("a weighted backward pass scales the gradient and leaves the loss unweighted") {
    const TinyModel m = small_model(false, 12, 2, 2, 3);
    const std::vector<int> ids = {2, 3, 4};
    const std::vector<Target> t = {{0, 1}, {2, 5}};
    ModelWeights g1 = zeros_like(m.weights), g2 = zeros_like(m.weights);
    const double a = backward(m.config, m.weights, forward(m, ids), t, 1.0f, ids, g1);
    const double b = backward(m.config, m.weights, forward(m, ids), t, 0.5f, ids, g2);
    CHECK(a == doctest::Approx(b));
    const std::vector<TensorRef> r1 = tensors(g1), r2 = tensors(g2);
    for (std::size_t k = 0; k < r1.size(); ++k)
        for (std::size_t i = 0; i < r1[k].size(); i += 7)
            CHECK(r2[k].data[i] == doctest::Approx(0.5f * r1[k].data[i]).epsilon(1e-4));
}

TEST_CASE("a second loss on a layer's output reaches every tensor below it through backward") {
    // loss = CE(targets) + Σ x_out(layer) ∘ R: its gradient on that layer's output is R (ResidualGradient)
    const TinyModel m = small_model(false, 12, 2, 2, 4);
    const std::vector<int> ids = {2, 3, 4, 1, 6};
    const std::vector<Target> t = {{1, 5}, {3, 2}};
    Matrix r(static_cast<Eigen::Index>(ids.size()), m.config.d_model); // (n_tokens, d_model)
    Rng rng(11);
    for (Eigen::Index i = 0; i < r.size(); ++i)
        r.data()[i] = static_cast<float>(rng.normal());
    for (int layer = 0; layer < m.config.n_layers; ++layer) {
        CAPTURE(layer);
        const auto loss = [&](const TinyModel& x) {
            const ForwardResult f = forward(x, ids);
            return cross_entropy(f.logits, t) +
                   static_cast<double>(f.layers[static_cast<std::size_t>(layer)].x_out.cwiseProduct(r).sum());
        };
        ModelWeights plain = zeros_like(m.weights), both = zeros_like(m.weights);
        backward(m.config, m.weights, forward(m, ids), t, 1.0f, ids, plain);
        backward(m.config, m.weights, forward(m, ids), t, 1.0f, ids, both, nullptr, {layer, &r});
        const std::vector<TensorRef> gp = tensors(plain), gb = tensors(both);
        // the extra term moves the gradients below that layer's output and leaves those above it alone
        bool changed = false;
        for (std::size_t k = 0; k < gb.size(); ++k) {
            double diff = 0;
            for (std::size_t i = 0; i < gb[k].size(); ++i)
                diff = std::max(diff, double(std::abs(gb[k].data[i] - gp[k].data[i])));
            if (std::string(gb[k].name).rfind("lnf", 0) == 0 || std::string(gb[k].name) == "w_out" ||
                std::string(gb[k].name) == "b_out")
                CHECK(diff == 0.0);
            else if (k == 0)
                changed = diff > 1e-3;
        }
        CHECK(changed);
        // finite differences on the token table and the first layer's W_Q, every fifth entry
        TinyModel probe = m;
        for (std::size_t k : {std::size_t{0}, std::size_t{4}}) {
            CAPTURE(gb[k].name);
            for (std::size_t i = 0; i < gb[k].size(); i += 5) {
                TensorRef x = tensors(probe.weights)[k];
                const float base = x.data[i];
                x.data[i] = base + 3e-3f;
                const double up = loss(probe);
                x.data[i] = base - 3e-3f;
                const double down = loss(probe);
                x.data[i] = base;
                CHECK((up - down) / 6e-3 == doctest::Approx(gb[k].data[i]).epsilon(0.02).scale(0.5));
            }
        }
    }
}

TEST_CASE("the previous-word objective trains beside the model without changing its shape") {
    TaskData d = make_task("reversal", 3);
    d.train.resize(8);
    const ModelConfig c = sized_config(d, 0, 1, 2, 2, false);
    TrainOptions o;
    o.steps = 60;
    o.warmup = 5;
    o.lr = 1e-2f;
    o.seed = 3;
    const TinyModel init = init_model(c, d.vocab, 3);
    Trainer off(init, d, o);
    o.previous_word = 1.0f;
    Trainer on(init, d, o);
    double first = 0, last = 0;
    for (int s = 0; s < o.steps; ++s) {
        off.step();
        on.step();
        if (s == 0) first = on.previous_word_loss();
        last = on.previous_word_loss();
    }
    CHECK(off.previous_word_loss() == 0.0);
    CHECK(first > 1.5);        // about ln(12) before training
    CHECK(last < 0.5 * first); // the word before is learnt
    CHECK(parameter_count(on.model().weights) == parameter_count(init.weights));
    // it pulls the model elsewhere: the same seed and batches end in other weights
    ModelWeights a = on.model().weights, b = off.model().weights;
    double diff = 0;
    const std::vector<TensorRef> ta = tensors(a), tb = tensors(b);
    for (std::size_t k = 0; k < ta.size(); ++k)
        for (std::size_t i = 0; i < ta[k].size(); ++i)
            diff = std::max(diff, double(std::abs(ta[k].data[i] - tb[k].data[i])));
    CHECK(diff > 1e-3);
    TrainOptions bad;
    bad.previous_word = -1.0f;
    CHECK_FALSE(validate(bad).empty());
}

TEST_CASE("the causal mask keeps each row from seeing later tokens") {
    const TinyModel m = small_model(true, 0, 2, 2, 4);
    const ForwardResult f = forward(m, {1, 2, 3, 4, 5});
    for (const auto& layer : f.layers)
        for (const HeadResult& h : layer.heads)
            for (int i = 0; i < 5; ++i) {
                CHECK(h.weights.row(i).sum() == doctest::Approx(1.0f));
                for (int j = i + 1; j < 5; ++j)
                    CHECK(h.weights(i, j) == 0.0f);
            }
    // Changing the last token must leave every earlier logit row unchanged.
    const ForwardResult g = forward(m, {1, 2, 3, 4, 6});
    CHECK((f.logits.topRows(4) - g.logits.topRows(4)).cwiseAbs().maxCoeff() < 1e-6f);
    CHECK((f.logits.row(4) - g.logits.row(4)).cwiseAbs().maxCoeff() > 1e-3f);
}

TEST_CASE("a trained model gives the same answers through the reference, matrix and flash forms") {
    for (PositionKind pos : {PositionKind::Learned, PositionKind::Rope, PositionKind::Alibi}) {
        CAPTURE(to_string(pos));
        TinyModel m = small_model(MaskKind::Causal, pos, 12, 4, 2, 21);
        const std::vector<int> ids = {3, 1, 4, 1, 5, 2};
        const ForwardResult matrix = forward(m, ids);
        for (Implementation impl : {Implementation::Reference, Implementation::Flash}) {
            m.config.implementation = impl;
            m.config.flash_block_q = m.config.flash_block_k = 4; // tiles that do not divide n
            const ForwardResult other = forward(m, ids);
            CHECK((other.logits - matrix.logits).cwiseAbs().maxCoeff() < 1e-4f);
            for (std::size_t l = 0; l < other.layers.size(); ++l)
                for (std::size_t h = 0; h < other.layers[l].heads.size(); ++h)
                    CHECK((other.layers[l].heads[h].output - matrix.layers[l].heads[h].output)
                              .cwiseAbs()
                              .maxCoeff() < 1e-5f);
        }
    }
}

TEST_CASE("the training loss falls within a few dozen steps, the same way for the same seed") {
    TaskData d = make_task("reversal", 3);
    d.train.resize(8); // a tiny problem: eight sequences to fit
    ModelConfig c = sized_config(d, 0, 1, 2, 2, false);
    TrainOptions o;
    o.steps = 40;
    o.warmup = 5;
    o.lr = 1e-2f;
    o.seed = 3;
    const TinyModel init = init_model(c, d.vocab, 3);
    const double before = evaluate(init, d.train, d.attention_layer).loss;
    Trainer a(init, d, o), b(init, d, o);
    for (int s = 0; s < o.steps; ++s) {
        a.step();
        b.step();
    }
    const double after = evaluate(a.model(), d.train, d.attention_layer).loss;
    CHECK(before > 2.0); // near ln(12) for a vocabulary of 12 at the start
    CHECK(after < 0.3 * before);
    const auto flat = [](const TinyModel& m) {
        std::vector<float> v;
        ModelWeights w = m.weights;
        for (const TensorRef& t : tensors(w))
            v.insert(v.end(), t.data, t.data + t.size());
        return v;
    };
    CHECK(flat(a.model()) == flat(b.model()));
    // One thread sums the batch in another order: the same result up to rounding.
    o.n_threads = 1;
    Trainer single(init, d, o);
    for (int s = 0; s < o.steps; ++s)
        single.step();
    double diff = 0;
    const std::vector<float> one = flat(single.model()), two = flat(a.model());
    for (std::size_t i = 0; i < one.size(); ++i)
        diff = std::max(diff, double(std::abs(one[i] - two[i])));
    CHECK(diff < 1e-3);
}

TEST_CASE("task splits share no example and their targets are where the task says") {
    for (const auto& name : task_names()) {
        CAPTURE(name);
        const TaskData d = make_task(name, 1);
        REQUIRE(!d.held_out.empty());
        std::set<std::vector<int>> train;
        for (const auto& e : d.train)
            train.insert(e.ids);
        for (const auto& e : d.held_out)
            CHECK(train.count(e.ids) == 0);
        for (const auto& e : d.train)
            CHECK(static_cast<int>(e.ids.size()) <= d.n_ctx);
        CHECK(make_task(name, 1).held_out.front().ids == d.held_out.front().ids); // deterministic
    }
    const TaskData p = make_task("pronoun", 1);
    for (const auto& e : p.held_out) {
        REQUIRE(e.targets.size() == 1);
        CHECK(p.vocab[static_cast<std::size_t>(e.ids[static_cast<std::size_t>(e.targets[0].pos)])] == "it");
    }
    CHECK(make_task("no such task", 1).name.empty());
}

TEST_CASE("the model file round-trips and refuses broken data with a message") {
    TinyModel m = small_model(true, 12, 2, 1, 8);
    m.task = "reversal";
    m.data_seed = 0x123456789ull;
    const auto bytes = serialize(m);
    const LoadResult ok = deserialize(bytes);
    REQUIRE(ok.error.empty());
    CHECK(ok.model.config == m.config);
    CHECK(ok.model.vocab == m.vocab);
    CHECK(ok.model.task == "reversal");
    CHECK(ok.model.data_seed == 0x123456789ull);
    CHECK(parameter_count(ok.model.weights) == parameter_count(m.weights));
    CHECK(serialize(ok.model) == bytes);
    for (std::size_t cut :
         {std::size_t{0}, std::size_t{3}, std::size_t{10}, std::size_t{50}, bytes.size() - 1}) {
        const auto r = deserialize(
            std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)));
        CHECK(!r.error.empty());
        CHECK(parameter_count(r.model.weights) == 0);
    }
    auto bad = bytes;
    bad[4] = 9; // version
    CHECK(english(deserialize(bad).error).find("version 9") != std::string::npos);
    bad = bytes;
    bad[8 + 12] = 0;
    bad[8 + 13] = 0; // n_layers = 0
    CHECK(!deserialize(bad).error.empty());
    bad = bytes;
    const float nan = std::nanf("");
    std::memcpy(bad.data() + bad.size() - 4, &nan, 4);
    CHECK(english(deserialize(bad).error).find("finite") != std::string::npos);
    CHECK(!load_model("/nonexistent/dir/model.atlm").error.empty());
}

TEST_CASE("a version-1 model file (learned positions, a causal flag) still loads with the same weights") {
    TinyModel m = small_model(true, 12, 2, 1, 9);
    m.config.window = ModelConfig{}.window; // version 1 has no window: it loads with the default
    const auto v2 = serialize(m);
    // Version 1: the same bytes with version 1, and "causal" in place of mask, window and positions.
    std::vector<std::uint8_t> v1(v2.begin(), v2.begin() + 8 + 4 * 8);
    v1[4] = 1;
    v1.push_back(1); // causal
    v1.resize(v1.size() + 3, 0);
    v1.insert(v1.end(), v2.begin() + 8 + 4 * 11, v2.end());
    const LoadResult r = deserialize(v1);
    REQUIRE(r.error.empty());
    CHECK(r.model.config.mask == MaskKind::Causal);
    CHECK(r.model.config.positions == PositionKind::Learned);
    CHECK(serialize(r.model) == v2);
    v1[4] = 3;
    CHECK(english(deserialize(v1).error).find("Train it again") != std::string::npos);
}

TEST_CASE("unknown words encode as <unk> and are reported") {
    const std::vector<std::string> vocab = {"<unk>", "the", "dog"};
    std::vector<std::string> unknown;
    CHECK(encode(vocab, {"The", "cat", "dog", "<unk>"}, &unknown) == std::vector<int>{1, 0, 2, 0});
    CHECK(unknown == std::vector<std::string>{"cat", "<unk>"});
}

TEST_CASE("the model reader refuses folders, devices and a version-1 causal flag other than 0 or 1") {
    CHECK(english(load_model("/").error).find("not a regular file") != std::string::npos);
    CHECK(english(load_model("/dev/zero").error).find("not a regular file") != std::string::npos);
    TinyModel m = small_model(true, 0, 2, 2, 31);
    m.config.window = ModelConfig{}.window;
    const auto v2 = serialize(m);
    std::vector<std::uint8_t> v1(v2.begin(), v2.begin() + 8 + 4 * 8);
    v1[4] = 1;
    v1.push_back(0);
    v1.push_back(0);
    v1.push_back(6); // 393216: a flag that was never written by any version
    v1.push_back(0);
    v1.insert(v1.end(), v2.begin() + 8 + 4 * 11, v2.end());
    CHECK(english(deserialize(v1).error).find("causal flag") != std::string::npos);
}

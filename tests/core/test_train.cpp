// Training core: gradients against central finite differences block by block, determinism, a loss that
// falls within a few dozen steps, the model file round trip and its refusals, and the app view checked
// against the core's own forward pass.
#include "core/model.hpp"
#include "core/rng.hpp"
#include "core/train/model_file.hpp"
#include "core/train/tasks.hpp"
#include "core/train/trainer.hpp"
#include "core/train/view.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

using namespace attn;
using namespace attn::train;

namespace {

TinyModel small_model(bool causal, int d_ff, int n_heads, int n_kv_heads, std::uint64_t seed) {
    TinyConfig c;
    c.vocab_size = 7;
    c.n_ctx = 6;
    c.d_model = 8;
    c.n_layers = 2;
    c.n_heads = n_heads;
    c.n_kv_heads = n_kv_heads;
    c.d_head = 3;
    c.d_ff = d_ff;
    c.causal = causal;
    std::vector<std::string> vocab = {"<unk>", "a", "b", "c", "d", "e", "f"};
    TinyModel m = init_model(c, vocab, seed);
    // Move LayerNorm gains and every bias away from 1 / 0 so their gradients are exercised too.
    Rng rng(seed + 99);
    for (float& p : m.params)
        p += static_cast<float>(0.1 * rng.normal());
    return m;
}

double total_loss(const TinyModel& m, const std::vector<int>& ids, const std::vector<Target>& t) {
    return loss(m, forward(m, ids), t);
}

struct BlockRef {
    std::string name;
    Block block;
};

std::vector<BlockRef> blocks_of(const TinyModel& m) {
    const ParamLayout& L = m.layout;
    std::vector<BlockRef> b = {{"tok_emb", L.tok_emb}, {"pos_emb", L.pos_emb}, {"lnf_g", L.lnf_g},
                               {"lnf_b", L.lnf_b},     {"w_out", L.w_out},     {"b_out", L.b_out}};
    for (std::size_t l = 0; l < L.layers.size(); ++l) {
        const LayerBlocks& B = L.layers[l];
        const std::string p = "layer" + std::to_string(l + 1) + ".";
        for (const auto& [n, blk] : {std::pair{"ln1_g", B.ln1_g},
                                     {"ln1_b", B.ln1_b},
                                     {"wq", B.wq},
                                     {"wk", B.wk},
                                     {"wv", B.wv},
                                     {"wo", B.wo}})
            b.push_back({p + n, blk});
        if (m.config.d_ff > 0)
            for (const auto& [n, blk] : {std::pair{"ln2_g", B.ln2_g},
                                         {"ln2_b", B.ln2_b},
                                         {"w1", B.w1},
                                         {"b1", B.b1},
                                         {"w2", B.w2},
                                         {"b2", B.b2}})
                b.push_back({p + n, blk});
    }
    return b;
}

// Directional finite difference of the loss along u restricted to one block: (L(θ+εu) − L(θ−εu)) / 2ε.
double fd_along(TinyModel m, const Block& b, const std::vector<double>& u, double eps,
                const std::vector<int>& ids, const std::vector<Target>& t) {
    const std::vector<float> base = m.params;
    for (std::size_t i = 0; i < b.size(); ++i)
        m.params[b.offset + i] = static_cast<float>(base[b.offset + i] + eps * u[i]);
    const double up = total_loss(m, ids, t);
    for (std::size_t i = 0; i < b.size(); ++i)
        m.params[b.offset + i] = static_cast<float>(base[b.offset + i] - eps * u[i]);
    const double down = total_loss(m, ids, t);
    return (up - down) / (2 * eps);
}

void check_gradients(const TinyModel& m) {
    const std::vector<int> ids = {1, 4, 2, 6, 3, 1};
    const std::vector<Target> t = {{1, 2}, {3, 5}, {5, 1}};
    std::vector<float> grad(m.params.size(), 0.0f);
    const double nll = backward(m, forward(m, ids), t, 1.0f, grad.data());
    CHECK(nll == doctest::Approx(total_loss(m, ids, t)).epsilon(1e-5));
    Rng rng(5);
    for (const BlockRef& br : blocks_of(m)) {
        CAPTURE(br.name);
        const Block& b = br.block;
        double gnorm = 0;
        for (std::size_t i = 0; i < b.size(); ++i)
            gnorm += double(grad[b.offset + i]) * grad[b.offset + i];
        gnorm = std::sqrt(gnorm);
        REQUIRE(gnorm > 1e-4); // every block must matter to this loss
        // Along the analytic gradient the directional derivative is |g|.
        std::vector<double> u(b.size());
        for (std::size_t i = 0; i < b.size(); ++i)
            u[i] = grad[b.offset + i] / gnorm;
        CHECK(fd_along(m, b, u, 3e-3, ids, t) == doctest::Approx(gnorm).epsilon(0.01));
        // Along a random unit direction it is g·r: catches errors orthogonal to g.
        double rn = 0, g_dot_r = 0;
        for (auto& x : u)
            x = rng.normal(), rn += x * x;
        for (std::size_t i = 0; i < b.size(); ++i)
            u[i] /= std::sqrt(rn), g_dot_r += grad[b.offset + i] * u[i];
        CHECK(std::abs(fd_along(m, b, u, 3e-3, ids, t) - g_dot_r) < 0.01 * gnorm);
        // The largest single entry, on its own.
        std::size_t top = 0;
        for (std::size_t i = 0; i < b.size(); ++i)
            if (std::abs(grad[b.offset + i]) > std::abs(grad[b.offset + top])) top = i;
        std::fill(u.begin(), u.end(), 0.0);
        u[top] = 1.0;
        CHECK(fd_along(m, b, u, 3e-3, ids, t) == doctest::Approx(grad[b.offset + top]).epsilon(0.02));
    }
}

} // namespace

TEST_CASE("gradients match finite differences in every block: bidirectional MHA with an MLP") {
    check_gradients(small_model(false, 12, 2, 2, 11));
}

TEST_CASE("gradients match finite differences in every block: causal GQA, attention only") {
    check_gradients(small_model(true, 0, 4, 2, 12));
}

TEST_CASE("gradients match finite differences in every block: causal MQA with an MLP") {
    check_gradients(small_model(true, 12, 2, 1, 13));
}

TEST_CASE("a weighted backward pass scales the gradient and leaves the loss unweighted") {
    const TinyModel m = small_model(false, 12, 2, 2, 3);
    const std::vector<int> ids = {2, 3, 4};
    const std::vector<Target> t = {{0, 1}, {2, 5}};
    std::vector<float> g1(m.params.size(), 0.0f), g2(m.params.size(), 0.0f);
    const double a = backward(m, forward(m, ids), t, 1.0f, g1.data());
    const double b = backward(m, forward(m, ids), t, 0.5f, g2.data());
    CHECK(a == doctest::Approx(b));
    for (std::size_t i = 0; i < g1.size(); i += 17)
        CHECK(g2[i] == doctest::Approx(0.5f * g1[i]).epsilon(1e-4));
}

TEST_CASE("the causal mask keeps each row from seeing later tokens") {
    const TinyModel m = small_model(true, 0, 2, 2, 4);
    const ForwardCache f = forward(m, {1, 2, 3, 4, 5});
    for (const auto& lc : f.layers)
        for (const Matrix& p : lc.probs)
            for (int i = 0; i < 5; ++i) {
                CHECK(p.row(i).sum() == doctest::Approx(1.0f));
                for (int j = i + 1; j < 5; ++j)
                    CHECK(p(i, j) == 0.0f);
            }
    // Changing the last token must leave every earlier logit row unchanged.
    const ForwardCache g = forward(m, {1, 2, 3, 4, 6});
    CHECK((f.logits.topRows(4) - g.logits.topRows(4)).cwiseAbs().maxCoeff() < 1e-6f);
    CHECK((f.logits.row(4) - g.logits.row(4)).cwiseAbs().maxCoeff() > 1e-3f);
}

TEST_CASE("the app view equals the core's own forward pass for an attention-only model") {
    for (bool causal : {false, true}) {
        CAPTURE(causal);
        const TinyModel m = small_model(causal, 0, 4, 2, 21);
        const std::vector<int> ids = {3, 1, 4, 1, 5};
        const ForwardResult mine = to_forward_result(m, ids);
        ModelConfig c = display_config(m);
        c.positions = PositionKind::None; // x0 already holds the learned positions
        ModelWeights w;
        for (const LayerBlocks& B : m.layout.layers) {
            auto map = [&](const Block& b) {
                return Matrix(Eigen::Map<const Matrix>(m.params.data() + b.offset, b.rows, b.cols));
            };
            w.layers.push_back({map(B.wq), map(B.wk), map(B.wv), map(B.wo), map(B.ln1_g), map(B.ln1_b)});
        }
        REQUIRE(validate(c).empty());
        const ForwardResult ref = forward(c, w, mine.x0);
        for (std::size_t l = 0; l < ref.layers.size(); ++l) {
            CHECK((ref.layers[l].x_out - mine.layers[l].x_out).cwiseAbs().maxCoeff() < 1e-4f);
            for (std::size_t h = 0; h < ref.layers[l].heads.size(); ++h) {
                CHECK(ref.layers[l].heads[h].kv_head == mine.layers[l].heads[h].kv_head);
                CHECK(
                    (ref.layers[l].heads[h].weights - mine.layers[l].heads[h].weights).cwiseAbs().maxCoeff() <
                    1e-5f);
                CHECK((ref.layers[l].heads[h].scores.array().isInf() ==
                       mine.layers[l].heads[h].scores.array().isInf())
                          .all());
            }
        }
    }
}

TEST_CASE("the training loss falls within a few dozen steps, the same way for the same seed") {
    TaskData d = make_task("reversal", 3);
    d.train.resize(8); // a tiny problem: eight sequences to fit
    TinyConfig c = sized_config(d, 0, 1, 2, 2, false);
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
    CHECK(a.model().params == b.model().params);
    // One thread sums the batch in another order: the same result up to rounding.
    o.n_threads = 1;
    Trainer single(init, d, o);
    for (int s = 0; s < o.steps; ++s)
        single.step();
    double diff = 0;
    for (std::size_t i = 0; i < single.model().params.size(); ++i)
        diff = std::max(diff, double(std::abs(single.model().params[i] - a.model().params[i])));
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
    CHECK(ok.model.params == m.params);
    for (std::size_t cut :
         {std::size_t{0}, std::size_t{3}, std::size_t{10}, std::size_t{50}, bytes.size() - 1}) {
        const auto r = deserialize(
            std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)));
        CHECK(!r.error.empty());
        CHECK(r.model.params.empty());
    }
    auto bad = bytes;
    bad[4] = 9; // version
    CHECK(deserialize(bad).error.find("version 9") != std::string::npos);
    bad = bytes;
    bad[8 + 12] = 0;
    bad[8 + 13] = 0; // n_layers = 0
    CHECK(!deserialize(bad).error.empty());
    bad = bytes;
    const float nan = std::nanf("");
    std::memcpy(bad.data() + bad.size() - 4, &nan, 4);
    CHECK(deserialize(bad).error.find("finite") != std::string::npos);
    CHECK(!load_model("/nonexistent/dir/model.atlm").error.empty());
}

TEST_CASE("unknown words encode as <unk> and are reported") {
    const std::vector<std::string> vocab = {"<unk>", "the", "dog"};
    std::vector<std::string> unknown;
    CHECK(encode(vocab, {"The", "cat", "dog", "<unk>"}, &unknown) == std::vector<int>{1, 0, 2, 0});
    CHECK(unknown == std::vector<std::string>{"cat", "<unk>"});
}

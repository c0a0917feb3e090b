// The training estimate `attention-lab train` prints and refuses by: its parameter count is the model's
// own, and memory and arithmetic grow the way the shapes say.
#include "core/train/tiny_model.hpp"
#include "core/train/train_cost.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace attn;

namespace {

ModelConfig trained_config(int d_model, int layers, int heads, int kv_heads, int d_ff, PositionKind pos) {
    ModelConfig c;
    c.vocab_size = 50;
    c.d_model = d_model;
    c.n_layers = layers;
    c.n_heads = heads;
    c.n_kv_heads = kv_heads;
    c.d_head = d_model / heads;
    c.d_ff = d_ff;
    c.positions = pos;
    c.max_positions = 64;
    return c;
}

} // namespace

TEST_CASE("the training estimate counts exactly the parameters the model has") {
    std::vector<std::string> vocab(50);
    for (std::size_t i = 0; i < vocab.size(); ++i)
        vocab[i] = std::string("w").append(std::to_string(i));
    for (const ModelConfig& c : {trained_config(32, 2, 2, 2, 0, PositionKind::Learned),
                                 trained_config(64, 3, 4, 1, 128, PositionKind::Rope),
                                 trained_config(48, 1, 6, 3, 96, PositionKind::Alibi)}) {
        const train::TinyModel m = train::init_model(c, vocab, 1);
        const train::TrainCost t = train::estimate_training(c, 16, train::TrainOptions{});
        CHECK(t.parameters == static_cast<double>(parameter_count(m.weights)));
        CHECK(t.bytes > 4.0 * t.parameters * 3); // at least the weights and AdamW's two moments
    }
}

TEST_CASE("the training estimate grows with the batch, the threads and the square of the length") {
    const ModelConfig c = trained_config(64, 2, 4, 4, 128, PositionKind::Rope);
    train::TrainOptions o;
    const train::TrainCost base = train::estimate_training(c, 32, o);
    o.batch *= 2;
    CHECK(train::estimate_training(c, 32, o).flops_per_step == doctest::Approx(2 * base.flops_per_step));
    CHECK(train::estimate_training(c, 32, o).bytes == doctest::Approx(base.bytes)); // one example at a time
    o = {};
    o.n_threads = 4;
    CHECK(train::estimate_training(c, 32, o).bytes > base.bytes);
    // the attention terms are quadratic: at 8 times the length they outgrow 8 times the linear terms
    const ModelConfig attention_only = trained_config(64, 2, 4, 4, 0, PositionKind::Rope);
    const double short_flops = train::estimate_training(attention_only, 32, {}).flops_per_step;
    CHECK(train::estimate_training(attention_only, 256, {}).flops_per_step > 8.5 * short_flops);
    CHECK(train::measured_matrix_rate() > 1e6); // any machine does a million FLOP/s
}

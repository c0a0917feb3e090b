// AdamW, the threaded training step and evaluation (see trainer.hpp).
#include "trainer.hpp"

#include "core/rng.hpp"

#include <cmath>
#include <numbers>
#include <thread>

namespace attn::train {

Message validate(const TrainOptions& o) {
    if (o.steps < 1 || o.steps > 1000000) return message(N_("Steps must be 1 to 1,000,000."));
    if (o.batch < 1 || o.batch > 4096) return message(N_("The batch must hold 1 to 4096 examples."));
    if (!(o.lr > 0.0f && o.lr <= 1.0f))
        return message(N_("The learning rate must be above 0 and at most 1."));
    if (o.warmup < 0) return message(N_("Warm-up steps cannot be negative."));
    if (!(o.weight_decay >= 0.0f && o.weight_decay < 1.0f))
        return message(N_("Weight decay must be in [0, 1)."));
    if (o.n_threads < 1 || o.n_threads > 64) return message(N_("Threads must be 1 to 64."));
    if (!(o.previous_word >= 0.0f && o.previous_word <= 10.0f))
        return message(N_("The previous-word weight must be 0 to 10."));
    if (o.previous_word_layer < 0) return message(N_("The previous-word layer cannot be negative."));
    return {};
}

void AdamW::step(ModelWeights& params, ModelWeights& grad, float lr, const TrainOptions& o) {
    ++t_;
    const float c1 = 1.0f - std::pow(o.beta1, static_cast<float>(t_)); // bias corrections
    const float c2 = 1.0f - std::pow(o.beta2, static_cast<float>(t_));
    const std::vector<TensorRef> p = tensors(params), g = tensors(grad);
    ATTN_CHECK(p.size() == g.size());
    std::size_t at = 0;
    for (std::size_t t = 0; t < p.size(); ++t) {
        ATTN_CHECK(p[t].size() == g[t].size() && at + p[t].size() <= m_.size());
        const float decay = p[t].decay ? o.weight_decay : 0.0f;
        for (std::size_t i = 0; i < p[t].size(); ++i, ++at) {
            const float gi = g[t].data[i];
            m_[at] = o.beta1 * m_[at] + (1.0f - o.beta1) * gi;
            v_[at] = o.beta2 * v_[at] + (1.0f - o.beta2) * gi * gi;
            const float update = (m_[at] / c1) / (std::sqrt(v_[at] / c2) + o.eps);
            p[t].data[i] -= lr * (update + decay * p[t].data[i]);
        }
    }
}

float learning_rate(const TrainOptions& o, int step) {
    if (step < o.warmup) return o.lr * static_cast<float>(step + 1) / static_cast<float>(o.warmup);
    const double span = std::max(1, o.steps - o.warmup);
    const double t = std::min(1.0, (step - o.warmup) / span);
    return static_cast<float>(o.lr * (0.1 + 0.9 * 0.5 * (1.0 + std::cos(std::numbers::pi * t))));
}

namespace {

// The previous-word objective's output layer: W N(0, 1/d_model), b 0, like W_out; empty when it is off.
ModelWeights previous_word_layer(const ModelConfig& c, const TrainOptions& o) {
    ModelWeights w;
    if (o.previous_word <= 0.0f || c.vocab_size <= 0) return w;
    Rng rng(mix_seed(o.seed, 0x9E11ull));
    const double stddev = 1.0 / std::sqrt(static_cast<double>(c.d_model));
    w.w_out.resize(c.d_model, c.vocab_size);
    for (Eigen::Index i = 0; i < w.w_out.size(); ++i)
        w.w_out.data()[i] = static_cast<float>(rng.normal() * stddev);
    w.b_out.setZero(c.vocab_size);
    return w;
}

// Every position but the first predicts the token before it, as the model was given it (<mask> included).
std::vector<Target> previous_word_targets(const std::vector<int>& ids) {
    std::vector<Target> t;
    for (std::size_t i = 1; i < ids.size(); ++i)
        t.push_back({static_cast<int>(i), ids[i - 1]});
    return t;
}

} // namespace

Trainer::Trainer(TinyModel model, const TaskData& data, TrainOptions options)
    : model_(std::move(model)), data_(&data), options_(options), adam_(parameter_count(model_.weights)),
      rng_state_(mix_seed(options.seed, 0xBA7Cull)), previous_(previous_word_layer(model_.config, options)),
      previous_adam_(parameter_count(previous_)) {
    ATTN_CHECK(validate(options_).empty());
    ATTN_CHECK(!data.train.empty());
    ATTN_CHECK(options_.previous_word_layer < model_.config.n_layers);
    grads_.assign(static_cast<std::size_t>(options_.n_threads), zeros_like(model_.weights));
    if (previous_.w_out.size() > 0)
        previous_grads_.assign(static_cast<std::size_t>(options_.n_threads), zeros_like(previous_));
}

double Trainer::step() {
    Rng rng(rng_state_);
    rng_state_ = rng.next_u64();
    std::vector<const Example*> batch;
    int n_targets = 0, n_previous = 0;
    for (int b = 0; b < options_.batch; ++b) {
        const Example& e = data_->train[static_cast<std::size_t>(rng.next_u64() % data_->train.size())];
        batch.push_back(&e);
        n_targets += static_cast<int>(e.targets.size());
        n_previous += static_cast<int>(e.ids.size()) - 1;
    }
    const float weight = 1.0f / static_cast<float>(std::max(1, n_targets));
    const bool previous = !previous_grads_.empty();
    // loss = mean NLL(targets) + previous_word · mean NLL(previous words)
    const float previous_weight = options_.previous_word / static_cast<float>(std::max(1, n_previous));
    const int n_threads = options_.n_threads;
    std::vector<double> nll(static_cast<std::size_t>(n_threads), 0.0),
        previous_nll(static_cast<std::size_t>(n_threads), 0.0);
    ForwardOptions fwd;
    fwd.head_stats = false;
    auto work = [&](int t) {
        ModelWeights& g = grads_[static_cast<std::size_t>(t)];
        for (TensorRef& x : tensors(g))
            std::fill(x.data, x.data + x.size(), 0.0f);
        if (previous)
            for (TensorRef& x : tensors(previous_grads_[static_cast<std::size_t>(t)]))
                std::fill(x.data, x.data + x.size(), 0.0f);
        Matrix d_previous; // (n_tokens, d_model) the previous-word objective's gradient on its layer's x_out
        const int at = options_.previous_word_layer;
        const RowVector unit_gain = RowVector::Ones(model_.config.d_model),
                        zero_bias = RowVector::Zero(model_.config.d_model);
        RowVector unused_gain = zero_bias, unused_bias = zero_bias;
        for (std::size_t b = static_cast<std::size_t>(t); b < batch.size();
             b += static_cast<std::size_t>(n_threads)) {
            const std::vector<int>& ids = batch[b]->ids;
            const ForwardResult f = forward(model_, ids, fwd);
            ResidualGradient extra;
            if (previous) { // logits' = LN(x_out of layer `at`) W' + b', the targets the tokens one to the
                            // left
                ModelWeights& pg = previous_grads_[static_cast<std::size_t>(t)];
                const Matrix& x = f.layers[static_cast<std::size_t>(at)].x_out;
                LayerNormCache ln;
                const Matrix xn = layer_norm_forward(x, unit_gain, zero_bias, &ln);
                const Matrix logits = linear_forward(xn, previous_.w_out, previous_.b_out);
                Matrix d_logits = Matrix::Zero(logits.rows(), logits.cols());
                previous_nll[static_cast<std::size_t>(t)] +=
                    cross_entropy_backward(logits, previous_word_targets(ids), previous_weight, d_logits);
                Matrix d_xn = Matrix::Zero(xn.rows(), xn.cols());
                linear_backward(d_logits, xn, previous_.w_out, pg.w_out, pg.b_out, d_xn);
                d_previous.setZero(x.rows(), x.cols());
                layer_norm_backward(d_xn, ln, unit_gain, unused_gain, unused_bias, d_previous);
                extra = {at, &d_previous};
            }
            nll[static_cast<std::size_t>(t)] +=
                backward(model_.config, model_.weights, f, batch[b]->targets, weight, ids, g, nullptr, extra);
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < n_threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool)
        th.join();
    // Σ over threads in a fixed order, then the global-norm clip
    std::vector<TensorRef> g = tensors(grads_[0]);
    for (int t = 1; t < n_threads; ++t) {
        const std::vector<TensorRef> gt = tensors(grads_[static_cast<std::size_t>(t)]);
        for (std::size_t i = 0; i < g.size(); ++i)
            for (std::size_t j = 0; j < g[i].size(); ++j)
                g[i].data[j] += gt[i].data[j];
    }
    if (previous) { // the previous-word layer's gradients join the sum and the clip's norm
        std::vector<TensorRef> pg = tensors(previous_grads_[0]);
        for (int t = 1; t < n_threads; ++t) {
            const std::vector<TensorRef> pt = tensors(previous_grads_[static_cast<std::size_t>(t)]);
            for (std::size_t i = 0; i < pg.size(); ++i)
                for (std::size_t j = 0; j < pg[i].size(); ++j)
                    pg[i].data[j] += pt[i].data[j];
        }
        g.insert(g.end(), pg.begin(), pg.end());
    }
    if (options_.clip > 0.0f) {
        double sq = 0;
        for (const TensorRef& x : g)
            for (std::size_t j = 0; j < x.size(); ++j)
                sq += static_cast<double>(x.data[j]) * x.data[j];
        const double norm = std::sqrt(sq);
        if (norm > options_.clip) {
            const auto s = static_cast<float>(options_.clip / norm);
            for (TensorRef& x : g)
                for (std::size_t j = 0; j < x.size(); ++j)
                    x.data[j] *= s;
        }
    }
    adam_.step(model_.weights, grads_[0], learning_rate(options_, step_), options_);
    if (previous)
        previous_adam_.step(previous_, previous_grads_[0], learning_rate(options_, step_), options_);
    ++step_;
    double total = 0, previous_total = 0;
    for (double x : nll)
        total += x;
    for (double x : previous_nll)
        previous_total += x;
    previous_loss_ = previous ? previous_total / std::max(1, n_previous) : 0.0;
    return total / std::max(1, n_targets);
}

int resolve_layer(int attention_layer, int n_layers) {
    return attention_layer == k_last_layer ? n_layers - 1 : attention_layer;
}

Evaluation evaluate(const TinyModel& m, const std::vector<Example>& examples, int attention_layer,
                    std::size_t max_examples) {
    const ModelConfig& c = m.config;
    const int layer = resolve_layer(attention_layer, c.n_layers);
    const std::size_t n = max_examples == 0 ? examples.size() : std::min(max_examples, examples.size());
    std::vector<long> hits(static_cast<std::size_t>(c.n_layers * c.n_heads), 0);
    long checks = 0, correct = 0;
    double nll = 0;
    Evaluation ev;
    for (std::size_t e = 0; e < n; ++e) {
        const Example& ex = examples[e];
        ForwardOptions fwd;
        fwd.head_stats = false;
        const ForwardResult f = forward(m, ex.ids, fwd);
        nll += cross_entropy(f.logits, ex.targets);
        for (const Target& t : ex.targets) {
            Eigen::Index arg = 0;
            f.logits.row(t.pos).maxCoeff(&arg);
            correct += arg == t.token ? 1 : 0;
            ++ev.n_targets;
        }
        for (const auto& [q, k] : ex.attend) {
            ++checks;
            for (int l = 0; l < c.n_layers; ++l) {
                if (layer != k_any_layer && l != layer) continue;
                for (int h = 0; h < c.n_heads; ++h) {
                    Eigen::Index arg = 0;
                    f.layers[static_cast<std::size_t>(l)]
                        .heads[static_cast<std::size_t>(h)]
                        .weights.row(q)
                        .maxCoeff(&arg);
                    if (arg == k) ++hits[static_cast<std::size_t>(l * c.n_heads + h)];
                }
            }
        }
    }
    ev.loss = ev.n_targets ? nll / ev.n_targets : 0.0;
    ev.accuracy = ev.n_targets ? static_cast<double>(correct) / ev.n_targets : 0.0;
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const double rate = checks ? static_cast<double>(hits[i]) / static_cast<double>(checks) : 0.0;
        if (ev.best_layer < 0 || rate > ev.attention_hit) {
            ev.attention_hit = rate;
            ev.best_layer = static_cast<int>(i) / c.n_heads;
            ev.best_head = static_cast<int>(i) % c.n_heads;
        }
    }
    // A best head outside the checked layer has no hits; report the checked layer's first head instead.
    if (layer >= 0 && ev.attention_hit == 0.0) ev.best_layer = layer, ev.best_head = 0;
    return ev;
}

} // namespace attn::train

namespace attn::train {

ModelConfig sized_config(const TaskData& d, int size, int n_layers, int n_heads, int n_kv_heads, bool mlp) {
    ModelConfig c;
    c.vocab_size = static_cast<int>(d.vocab.size());
    c.max_positions = d.n_ctx;
    c.mask = d.causal ? MaskKind::Causal : MaskKind::Bidirectional;
    c.positions = PositionKind::Learned;
    c.d_model = size <= 0 ? 16 : size == 1 ? 32 : 64;
    c.n_layers = n_layers;
    c.n_heads = n_heads;
    c.n_kv_heads = n_kv_heads;
    c.d_head = std::max(4, c.d_model / std::max(1, n_heads));
    c.d_ff = mlp ? 4 * c.d_model : 0;
    return c;
}

Recipe default_recipe(const TaskData& d) {
    Recipe r;
    // Reversal is a fixed positional map, so one layer suffices; the others need two composed layers.
    r.config = sized_config(d, 1, d.name == "reversal" ? 1 : 2, 2, 2, false);
    r.options.batch = 32;
    r.options.lr = 3e-3f;
    r.options.steps = d.name == "pronoun" ? 1000 : d.name == "induction" ? 2000 : 1000;
    // Pronoun resolution has two equally good two-layer circuits: "it" reads the adjective, then the noun
    // (what the criterion checks), or the adjective fetches the noun first and "it" reads the adjective.
    // Which one forms depends on the initial weights; seed 2 gives the first.
    r.options.seed = default_seed(d.name);
    if (d.name == "english") {
        // A vocabulary of 400+ words and three jobs (words, referents, agreement) need more room: 4 heads of
        // 16 on a 64-wide stream, an MLP, and RoPE, whose relative angles make a previous-token head easy.
        r.config = sized_config(d, 2, 2, 4, 4, true);
        r.config.positions = PositionKind::Rope;
        r.options.steps = 5000;
        r.options.warmup = 100;
        // The previous-word objective (see TrainOptions) on the last layer's output, at weight 0.2: it grows
        // a previous-token head beside the referent and agreement heads. Heavier (0.5, 1) it took layer 2's
        // agreement head; lighter (0.1) or reading layer 1 it left the previous-token head below 95%
        // (assets/models/README.md lists the runs).
        r.options.previous_word = 0.2f;
        r.options.previous_word_layer = r.config.n_layers - 1;
    }
    return r;
}

void adapt_to_positions(Recipe& r, TaskData& d) {
    if (d.name != "pronoun" || r.config.positions != PositionKind::Rope) return;
    add_pronoun_decoys(d, r.options.seed);
    r.options.steps = 2000;
    r.options.lr = 1e-2f;
}

std::uint64_t default_seed(std::string_view task) {
    // pronoun: seed 2 grows the referent head ("it" looks at its noun in layer 2) rather than the equally
    // accurate route through the adjective (see default_recipe). english: most seeds split that job by
    // noun kind over two heads (one for animals, one for places and things); seed 6 grows one head for all
    // kinds (assets/models/README.md lists the seeds measured).
    return task == "pronoun" ? 2 : task == "english" ? 6 : 1;
}

} // namespace attn::train

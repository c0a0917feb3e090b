// Training loop pieces: AdamW (Loshchilov & Hutter 2019), a step-by-step Trainer that splits each batch
// over threads (deterministic: fixed split, fixed summation order), and the evaluation of a task's
// accuracy and attention criterion.
#pragma once

#include "tasks.hpp"
#include "tiny_model.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace attn::train {

struct TrainOptions {
    int steps = 1500;
    int batch = 32;
    float lr = 3e-3f; // peak learning rate, after a linear warm-up, cosine decay to lr/10
    int warmup = 50;
    float weight_decay = 0.01f; // decoupled, on projection matrices only
    float beta1 = 0.9f, beta2 = 0.98f, eps = 1e-8f;
    float clip = 1.0f; // global gradient-norm clip, 0 = off
    std::uint64_t seed = 1;
    int n_threads = 2;
    // Weight of the previous-word objective, 0 = off: at every position i >= 1 a training-only output layer
    // reads the residual stream leaving layer previous_word_layer (0-based, LayerNorm without gain or bias)
    // and predicts the input token at i - 1. Nothing but attention moves information between positions,
    // so a head of that layer or below must learn to look one token back from everywhere. The extra layer
    // is not part of the model and is not saved.
    float previous_word = 0.0f;
    int previous_word_layer = 0;
};

// Empty when valid, otherwise one readable sentence (translated by the app, message.hpp).
Message validate(const TrainOptions& o);

// m = β1 m + (1−β1) g;  v = β2 v + (1−β2) g²;  θ −= lr (m̂ / (sqrt(v̂) + eps) + wd·θ·decay)
// Over every tensor of a model (tensors() in model.hpp), decay on the projection matrices only.
class AdamW {
  public:
    explicit AdamW(std::size_t n) : m_(n, 0.0f), v_(n, 0.0f) {}
    void step(ModelWeights& params, ModelWeights& grad, float lr, const TrainOptions& o);
    int t() const { return t_; }

  private:
    std::vector<float> m_, v_;
    int t_ = 0;
};

// The learning rate of step s (0-based): linear warm-up, then cosine from lr down to lr / 10.
float learning_rate(const TrainOptions& o, int step);

class Trainer {
  public:
    // data must outlive the trainer.
    Trainer(TinyModel model, const TaskData& data, TrainOptions options);
    // One optimiser step on a freshly drawn batch; returns the batch's mean cross-entropy.
    double step();
    int steps_done() const { return step_; }
    // The last step's mean cross-entropy of the previous-word objective (0 when it is off).
    double previous_word_loss() const { return previous_loss_; }
    const TinyModel& model() const { return model_; }
    const TrainOptions& options() const { return options_; }

  private:
    TinyModel model_;
    const TaskData* data_;
    TrainOptions options_;
    AdamW adam_;
    std::uint64_t rng_state_;
    int step_ = 0;
    std::vector<ModelWeights> grads_; // (n_threads) per-thread gradient buffers
    // previous-word objective (options.previous_word > 0): w_out (d_model, vocab_size) and b_out only
    ModelWeights previous_;
    AdamW previous_adam_;
    std::vector<ModelWeights> previous_grads_; // (n_threads)
    double previous_loss_ = 0;
};

struct Evaluation {
    double loss = 0;          // mean cross-entropy per target
    double accuracy = 0;      // fraction of targets whose argmax is right
    double attention_hit = 0; // best head: fraction of (query, key) checks whose row argmax is the key
    int best_layer = -1, best_head = -1;
    int n_targets = 0;
};

// Evaluates at most max_examples examples (0 = all).
Evaluation evaluate(const TinyModel& m, const std::vector<Example>& examples, int attention_layer,
                    std::size_t max_examples = 0);

// The attention criterion's layer resolved against a model: k_last_layer -> n_layers-1, k_any_layer stays.
int resolve_layer(int attention_layer, int n_layers);

} // namespace attn::train

namespace attn::train {

// The shipped recipe of a task: model size, optimiser settings and the criterion the tests check.
struct Recipe {
    ModelConfig config; // vocab_size, max_positions (the longest text) and the mask filled in from the task
    TrainOptions options;
    double accuracy_goal = 0.95;
    double attention_goal = 0.90;
};
Recipe default_recipe(const TaskData& d);
// What a task needs beyond the recipe for positions other than its default, applied after r.config.positions
// is set and before the caller's own --steps / --lr. Pronoun with RoPE: decoys in the training split
// (add_pronoun_decoys), 2000 steps at lr 0.01; without them the referent head stays diffuse (README).
void adapt_to_positions(Recipe& r, TaskData& d);
// The seed of the shipped model of a task (data split, initial weights and batch order).
std::uint64_t default_seed(std::string_view task);
// Model size presets offered by the app: 0 small, 1 medium, 2 large (d_model 16 / 32 / 64).
ModelConfig sized_config(const TaskData& d, int size, int n_layers, int n_heads, int n_kv_heads, bool mlp);

} // namespace attn::train

// estimate_training(): shape arithmetic; measured_matrix_rate(): a timed loop of 64×64 products.
#include "train_cost.hpp"

#include "core/types.hpp"

#include <algorithm>
#include <chrono>

namespace attn::train {

TrainCost estimate_training(const ModelConfig& c, int max_tokens, const TrainOptions& o) {
    const double d = c.d_model, V = c.vocab_size, L = c.n_layers, H = c.n_heads, kv = c.n_kv_heads,
                 dh = c.d_head > 0 ? c.d_head : c.d_model / std::max(1, c.n_heads), ff = c.d_ff,
                 n = std::max(1, max_tokens);
    const double per_layer_matrices = d * H * dh + 2 * d * kv * dh + H * dh * d + 2 * d * ff;
    const double per_layer = 2 * d + per_layer_matrices + (ff > 0 ? 2 * d + ff + d : 0);
    // The previous-word objective adds a second output layer (trained, not saved) and its logits.
    const double heads_out = o.previous_word > 0.0f ? 2 : 1;
    TrainCost t;
    t.parameters = V * d + (c.positions == PositionKind::Learned ? c.max_positions * d : 0) + L * per_layer +
                   2 * d + d * V + V;
    // activations of one example: per layer the residual streams and their norms (7 · n·d), q, k, v and
    // the output of every query head (4 · n·H·dh, keys and values are copied per head), scores and
    // weights (2 · H·n²), the MLP's hidden layer before and after its activation (2 · n·ff); then the
    // logits and their softmax (2 · n·V). Backward holds gradients of about the same size.
    const double activations =
        L * (7 * n * d + 4 * n * H * dh + 2 * H * n * n + 2 * n * ff) + heads_out * 2 * n * V;
    const double threads = std::max(1, o.n_threads);
    const double trained = t.parameters + (heads_out - 1) * (d * V + V);
    t.bytes = 4 * (trained * (3 + threads) + 2 * activations * threads);
    // multiply-adds of one example's forward pass: the projections and the MLP for every token, q·k and
    // weights·v for every pair and head, the output layer; backward about twice that.
    const double forward =
        2 * n * L * per_layer_matrices + L * 4 * H * n * n * dh + heads_out * 2 * n * d * V;
    t.flops_per_step = 3 * forward * std::max(1, o.batch);
    return t;
}

double measured_matrix_rate() {
    const Matrix a = Matrix::Constant(64, 64, 0.5f), b = Matrix::Constant(64, 64, 0.25f);
    Matrix c = Matrix::Zero(64, 64);
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    int runs = 0;
    double elapsed = 0;
    while (elapsed < 0.03) {
        for (int k = 0; k < 16; ++k)
            c.noalias() += a * b;
        runs += 16;
        elapsed = std::chrono::duration<double>(clock::now() - t0).count();
    }
    // c's sum keeps the products from being optimised away
    volatile float keep = c.sum();
    (void)keep;
    return 2.0 * 64 * 64 * 64 * runs / elapsed;
}

} // namespace attn::train

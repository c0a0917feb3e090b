// compute_derived(): embeddings, weights and the forward pass for the current AppState, plus the
// ablation measures (an extra pass with every head on, and one per head when it is cheap).
#include "derived.hpp"

#include "core/cost.hpp"
#include "trained_model.hpp"

#include <algorithm>
#include <chrono>

namespace attn {

float relative_change(const Matrix& y, const Matrix& y_ref, const Matrix& x0) {
    if (y.rows() != y_ref.rows() || y.cols() != y_ref.cols() || y.size() == 0) return 0.0f;
    const double added = (y_ref - x0).norm();
    if (!(added > 0.0)) return 0.0f;
    return static_cast<float>((y - y_ref).norm() / added);
}

Derived compute_derived(const AppState& s) {
    const auto t0 = std::chrono::steady_clock::now();
    Derived d;
    d.revision = s.revision;
    if (auto why = validate(s.config); !why.empty()) {
        d.error = why;
        return d;
    }
    // The core's formula, 2 · L · H_kv · d_head · tokens · 4 bytes (fp32), capped by a sliding window.
    const cost::Dims dims = cost::dims_of(s.config);
    const std::int64_t window = s.config.mask == MaskKind::SlidingWindow ? s.config.window : 0;
    d.kv_cache_bytes =
        static_cast<double>(cost::kv_cache_bytes(dims, s.n_tokens(), 1, cost::Precision::Fp32, window));
    d.kv_cache_bytes_mha = static_cast<double>(cost::kv_cache_bytes(
        cost::with_kv_heads(dims, s.config.n_heads), s.n_tokens(), 1, cost::Precision::Fp32, window));
    if (s.trained) {
        TrainedView v = view_trained(*s.trained, s.tokens);
        d.weights = std::move(v.weights);
        d.forward = std::move(v.forward);
        d.prediction = std::move(v.prediction);
        d.confidence = std::move(v.confidence);
        d.trained_note = std::move(v.note);
        d.compute_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return d;
    }
    d.weights = make_weights(s.config);
    const int n_switches = s.config.n_layers * s.config.n_heads;
    if (!s.tokens.empty()) {
        const Matrix x0 = embed_tokens(s.tokens, s.config, d.weights); // (n_tokens, d_model)
        ForwardOptions opt;
        if (static_cast<int>(s.head_enabled.size()) == n_switches) opt.head_enabled = s.head_enabled;
        if (s.key_valid.size() == s.tokens.size() &&
            std::any_of(s.key_valid.begin(), s.key_valid.end(), [](std::uint8_t v) { return v == 0; }))
            opt.key_valid = s.key_valid;
        opt.overrides = s.overrides;
        d.forward = forward(s.config, d.weights, x0, opt);

        // The reference for ablation: the same input with every head on.
        ForwardOptions all_on = opt;
        all_on.head_enabled.clear();
        const bool any_off = s.heads_off() > 0;
        const Matrix y_all = any_off ? forward(s.config, d.weights, x0, all_on).output : d.forward.output;
        d.ablation_change = any_off ? relative_change(d.forward.output, y_all, x0) : 0.0f;

        if (n_switches * s.n_tokens() <= k_head_effect_budget) {
            d.head_effect.assign(static_cast<std::size_t>(n_switches), 0.0f);
            for (int i = 0; i < n_switches; ++i) {
                ForwardOptions flip = opt;
                if (flip.head_enabled.empty())
                    flip.head_enabled.assign(static_cast<std::size_t>(n_switches), 1);
                auto& e = flip.head_enabled[static_cast<std::size_t>(i)];
                e = e ? 0 : 1;
                d.head_effect[static_cast<std::size_t>(i)] =
                    relative_change(forward(s.config, d.weights, x0, flip).output, d.forward.output, x0);
            }
        }
    }
    d.compute_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return d;
}

} // namespace attn

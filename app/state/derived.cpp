// compute_derived(): embeddings, weights and the forward pass for the current AppState.
#include "derived.hpp"

#include <chrono>

namespace attn {

Derived compute_derived(const AppState& s) {
    const auto t0 = std::chrono::steady_clock::now();
    Derived d;
    d.revision = s.revision;
    d.weights = make_weights(s.config);
    if (!s.tokens.empty()) {
        ForwardOptions opt;
        opt.head_enabled = s.head_enabled;
        d.forward = forward(s.config, d.weights, embed_tokens(s.tokens, s.config, d.weights), opt);
    }
    d.compute_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return d;
}

} // namespace attn

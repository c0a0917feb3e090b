// Derived — what the core computed from AppState. compute_derived() is pure; the frame loop calls it
// only when AppState::revision changes, never every frame.
#pragma once

#include "app_state.hpp"
#include "core/model.hpp"

namespace attn {

struct Derived {
    std::uint64_t revision = ~0ull; // the AppState revision this was computed from
    ModelWeights weights;
    ForwardResult forward;          // empty layers when there are no tokens
    double compute_ms = 0;          // wall time of the whole recomputation
};

Derived compute_derived(const AppState& state);

} // namespace attn

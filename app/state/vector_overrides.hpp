// The vector-playground commands' logic: validating and storing edited query/key/value vectors of one
// head (AppState::overrides), which compute_derived() hands to the forward pass as VectorOverrides.
#pragma once

#include "app_state.hpp"

namespace attn {

ApplyResult apply_set_override(AppState& s, const SetVectorOverride& cmd);
ApplyResult apply_clear_overrides(AppState& s);
// Whether a configuration change makes stored edits meaningless (another head layout or width).
bool overrides_outlived(const ModelConfig& before, const ModelConfig& after);

} // namespace attn

// validate() and the small helpers of ModelConfig.
#include "config.hpp"

#include <cmath>

namespace attn {

const char* to_string(MaskKind m) {
    switch (m) {
    case MaskKind::Bidirectional: return "bidirectional";
    case MaskKind::Causal: return "causal";
    case MaskKind::SlidingWindow: return "sliding window";
    }
    return "?";
}
const char* to_string(PositionKind p) {
    switch (p) {
    case PositionKind::None: return "none";
    case PositionKind::Sinusoidal: return "sinusoidal";
    case PositionKind::Learned: return "learned";
    case PositionKind::Rope: return "RoPE";
    case PositionKind::Alibi: return "ALiBi";
    }
    return "?";
}
const char* to_string(Implementation i) {
    switch (i) {
    case Implementation::Reference: return "reference";
    case Implementation::Matrix: return "matrix";
    case Implementation::Flash: return "flash";
    }
    return "?";
}

int head_dim(const ModelConfig& c) {
    if (c.d_head > 0) return c.d_head;
    return c.n_heads > 0 ? c.d_model / c.n_heads : 0;
}

float score_scale(const ModelConfig& c) {
    const float base = c.scale > 0.0f ? c.scale : 1.0f / std::sqrt(static_cast<float>(head_dim(c)));
    return base / c.temperature;
}

std::string validate(const ModelConfig& c) {
    const auto str = [](auto v) { return std::to_string(v); };
    if (c.d_model <= 0) return "d_model must be at least 1 (it is " + str(c.d_model) + ").";
    if (c.d_model > k_max_d_model) return "d_model is limited to " + str(k_max_d_model) + " in the live view.";
    if (c.n_layers <= 0) return "There must be at least one layer.";
    if (c.n_layers > k_max_layers) return "At most " + str(k_max_layers) + " layers are supported.";
    if (c.n_heads <= 0) return "There must be at least one query head.";
    if (c.n_heads > k_max_heads) return "At most " + str(k_max_heads) + " heads are supported.";
    if (c.n_kv_heads <= 0) return "There must be at least one key/value head.";
    if (c.n_kv_heads > c.n_heads)
        return "There cannot be more key/value heads (" + str(c.n_kv_heads) + ") than query heads (" +
               str(c.n_heads) + ").";
    if (c.n_heads % c.n_kv_heads != 0)
        return "Key/value heads (" + str(c.n_kv_heads) + ") must divide the query heads (" + str(c.n_heads) +
               ") so every group of query heads shares one key/value head.";
    if (c.d_head < 0) return "d_head cannot be negative.";
    if (c.d_head == 0 && c.d_model % c.n_heads != 0)
        return "d_model (" + str(c.d_model) + ") is not divisible by the number of heads (" + str(c.n_heads) +
               "); choose a head count that divides it or set d_head explicitly.";
    if (head_dim(c) > k_max_d_model) return "d_head is limited to " + str(k_max_d_model) + ".";
    if (c.mask == MaskKind::SlidingWindow && c.window <= 0)
        return "A sliding window must cover at least 1 token (the query itself).";
    if (!(c.temperature > 0.0f) || !std::isfinite(c.temperature))
        return "Temperature must be a positive, finite number.";
    if (c.scale < 0.0f || !std::isfinite(c.scale)) return "The score scale must be positive (or 0 for 1/sqrt(d_head)).";
    if (c.flash_block_q <= 0 || c.flash_block_k <= 0) return "Flash attention tiles must be at least 1x1.";
    if (c.max_positions <= 0) return "The learned position table needs at least one row.";
    return {};
}

} // namespace attn

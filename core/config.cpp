// validate() and the small helpers of ModelConfig.
#include "config.hpp"

#include <cmath>
#include <cstdio>

namespace attn {

const char* to_string(MaskKind m) {
    switch (m) {
    case MaskKind::Bidirectional:
        return "bidirectional";
    case MaskKind::Causal:
        return "causal";
    case MaskKind::SlidingWindow:
        return "sliding window";
    }
    return "?";
}
const char* to_string(PositionKind p) {
    switch (p) {
    case PositionKind::None:
        return "none";
    case PositionKind::Sinusoidal:
        return "sinusoidal";
    case PositionKind::Learned:
        return "learned";
    case PositionKind::Rope:
        return "RoPE";
    case PositionKind::Alibi:
        return "ALiBi";
    }
    return "?";
}
const char* to_string(Implementation i) {
    switch (i) {
    case Implementation::Reference:
        return "reference";
    case Implementation::Matrix:
        return "matrix";
    case Implementation::Flash:
        return "flash";
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
    const auto real = [](float v) { // %g: 0.001, 1e+04, nan, inf rather than to_string's 0.001000
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", static_cast<double>(v));
        return std::string(buf);
    };
    // Enums can arrive from files as integers; an unknown value is refused, not guessed.
    if (static_cast<int>(c.mask) < 0 || static_cast<int>(c.mask) > static_cast<int>(MaskKind::SlidingWindow))
        return "Unknown mask kind (" + str(static_cast<int>(c.mask)) + ").";
    if (static_cast<int>(c.positions) < 0 ||
        static_cast<int>(c.positions) > static_cast<int>(PositionKind::Alibi))
        return "Unknown positional encoding (" + str(static_cast<int>(c.positions)) + ").";
    if (static_cast<int>(c.implementation) < 0 ||
        static_cast<int>(c.implementation) > static_cast<int>(Implementation::Flash))
        return "Unknown attention implementation (" + str(static_cast<int>(c.implementation)) + ").";
    if (c.d_model <= 0) return "d_model must be at least 1 (it is " + str(c.d_model) + ").";
    if (c.d_model > k_max_d_model)
        return "d_model is limited to " + str(k_max_d_model) + " in the live view (it is " + str(c.d_model) +
               ").";
    if (c.n_layers <= 0) return "There must be at least one layer (it is " + str(c.n_layers) + ").";
    if (c.n_layers > k_max_layers)
        return "At most " + str(k_max_layers) + " layers are supported in the live view (it is " +
               str(c.n_layers) + ").";
    if (c.n_heads <= 0) return "There must be at least one query head (it is " + str(c.n_heads) + ").";
    if (c.n_heads > k_max_heads)
        return "At most " + str(k_max_heads) + " heads are supported in the live view (it is " +
               str(c.n_heads) + ").";
    if (c.n_kv_heads <= 0)
        return "There must be at least one key/value head (it is " + str(c.n_kv_heads) + ").";
    if (c.n_kv_heads > c.n_heads)
        return "There cannot be more key/value heads (" + str(c.n_kv_heads) + ") than query heads (" +
               str(c.n_heads) + ").";
    if (c.n_heads % c.n_kv_heads != 0)
        return "Key/value heads (" + str(c.n_kv_heads) + ") must divide the query heads (" + str(c.n_heads) +
               ") so every group of query heads shares one key/value head.";
    if (c.d_head < 0)
        return "d_head cannot be negative (it is " + str(c.d_head) + "); use 0 for d_model / n_heads.";
    if (c.d_head == 0 && c.d_model % c.n_heads != 0)
        return "d_model (" + str(c.d_model) + ") is not divisible by the number of heads (" + str(c.n_heads) +
               "); choose a head count that divides it or set d_head explicitly.";
    if (c.d_head > k_max_d_model)
        return "d_head is limited to " + str(k_max_d_model) + " (it is " + str(c.d_head) + ").";
    if (static_cast<long long>(c.n_heads) * head_dim(c) > k_max_head_width)
        return "n_heads x d_head (" + str(static_cast<long long>(c.n_heads) * head_dim(c)) +
               ") is limited to " + str(k_max_head_width) + " in the live view.";
    if (c.mask == MaskKind::SlidingWindow && c.window <= 0)
        return "A sliding window must cover at least 1 token (the query itself); it is " + str(c.window) +
               ".";
    if (!std::isfinite(c.temperature) || c.temperature < k_min_temperature ||
        c.temperature > k_max_temperature)
        return "Temperature must lie between 0.001 and 1000 (it is " + real(c.temperature) + ").";
    if (!std::isfinite(c.scale) || c.scale < 0.0f)
        return "The score scale must be a positive number, or 0 for 1/sqrt(d_head) (it is " + real(c.scale) +
               ").";
    if (c.flash_block_q <= 0 || c.flash_block_k <= 0)
        return "Flash attention tiles must be at least 1x1 (they are " + str(c.flash_block_q) + "x" +
               str(c.flash_block_k) + ").";
    if (c.flash_block_q > k_max_flash_block || c.flash_block_k > k_max_flash_block)
        return "Flash attention tiles are limited to " + str(k_max_flash_block) + " on a side.";
    if (c.vocab_size < 0 || c.vocab_size > k_max_vocab)
        return "A vocabulary holds 0 (hashed words) to " + str(k_max_vocab) + " words (it is " +
               str(c.vocab_size) + ").";
    if (c.vocab_size == 1) return "A vocabulary needs at least two words (<unk> and one more).";
    if (c.d_ff < 0 || c.d_ff > k_max_d_ff)
        return "The MLP width must be 0 (no MLP) to " + str(k_max_d_ff) + " (it is " + str(c.d_ff) + ").";
    if (c.max_positions <= 0) return "The learned position table needs at least one row.";
    if (c.max_positions > k_max_positions)
        return "The learned position table is limited to " + str(k_max_positions) + " rows (it is " +
               str(c.max_positions) + ").";
    return {};
}

} // namespace attn

// validate() and the small helpers of ModelConfig.
#include "config.hpp"

#include <cmath>

namespace attn {

const char* to_string(MaskKind m) {
    switch (m) {
    case MaskKind::Bidirectional:
        return N_("bidirectional");
    case MaskKind::Causal:
        return N_("causal");
    case MaskKind::SlidingWindow:
        return N_("sliding window");
    }
    return "?";
}
const char* to_string(PositionKind p) {
    switch (p) {
    case PositionKind::None:
        return N_("none");
    case PositionKind::Sinusoidal:
        return N_("sinusoidal");
    case PositionKind::Learned:
        return N_("learned");
    case PositionKind::Rope:
        return N_("RoPE");
    case PositionKind::Alibi:
        return N_("ALiBi");
    }
    return "?";
}
const char* to_string(Implementation i) {
    switch (i) {
    case Implementation::Reference:
        return N_("reference");
    case Implementation::Matrix:
        return N_("matrix");
    case Implementation::Flash:
        return N_("flash");
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

Message validate(const ModelConfig& c) {
    const auto real = [](float v) { return static_cast<double>(v); }; // shown as %g: 0.001, 1e+04, nan, inf
    // Enums can arrive from files as integers; an unknown value is refused, not guessed.
    if (static_cast<int>(c.mask) < 0 || static_cast<int>(c.mask) > static_cast<int>(MaskKind::SlidingWindow))
        return message(N_("Unknown mask kind (%s)."), static_cast<int>(c.mask));
    if (static_cast<int>(c.positions) < 0 ||
        static_cast<int>(c.positions) > static_cast<int>(PositionKind::Alibi))
        return message(N_("Unknown positional encoding (%s)."), static_cast<int>(c.positions));
    if (static_cast<int>(c.implementation) < 0 ||
        static_cast<int>(c.implementation) > static_cast<int>(Implementation::Flash))
        return message(N_("Unknown attention implementation (%s)."), static_cast<int>(c.implementation));
    if (c.d_model <= 0) return message(N_("d_model must be at least 1 (it is %s)."), c.d_model);
    if (c.d_model > k_max_d_model)
        return message(N_("d_model is limited to %s in the live view (it is %s)."), k_max_d_model, c.d_model);
    if (c.n_layers <= 0) return message(N_("There must be at least one layer (it is %s)."), c.n_layers);
    if (c.n_layers > k_max_layers)
        return message(N_("At most %s layers are supported in the live view (it is %s)."), k_max_layers,
                       c.n_layers);
    if (c.n_heads <= 0) return message(N_("There must be at least one query head (it is %s)."), c.n_heads);
    if (c.n_heads > k_max_heads)
        return message(N_("At most %s heads are supported in the live view (it is %s)."), k_max_heads,
                       c.n_heads);
    if (c.n_kv_heads <= 0)
        return message(N_("There must be at least one key/value head (it is %s)."), c.n_kv_heads);
    if (c.n_kv_heads > c.n_heads)
        return message(N_("There cannot be more key/value heads (%s) than query heads (%s)."), c.n_kv_heads,
                       c.n_heads);
    if (c.n_heads % c.n_kv_heads != 0)
        return message(
            N_("Key/value heads (%s) must divide the query heads (%s) so every group of query heads "
               "shares one key/value head."),
            c.n_kv_heads, c.n_heads);
    if (c.d_head < 0)
        return message(N_("d_head cannot be negative (it is %s); use 0 for d_model / n_heads."), c.d_head);
    if (c.d_head == 0 && c.d_model % c.n_heads != 0)
        return message(
            N_("d_model (%s) is not divisible by the number of heads (%s); choose a head count that "
               "divides it or set d_head explicitly."),
            c.d_model, c.n_heads);
    if (c.d_head > k_max_d_model)
        return message(N_("d_head is limited to %s (it is %s)."), k_max_d_model, c.d_head);
    if (static_cast<long long>(c.n_heads) * head_dim(c) > k_max_head_width)
        return message(N_("n_heads x d_head (%s) is limited to %s in the live view."),
                       static_cast<long long>(c.n_heads) * head_dim(c), k_max_head_width);
    if (c.mask == MaskKind::SlidingWindow && c.window <= 0)
        return message(N_("A sliding window must cover at least 1 token (the query itself); it is %s."),
                       c.window);
    if (!std::isfinite(c.temperature) || c.temperature < k_min_temperature ||
        c.temperature > k_max_temperature)
        return message(N_("Temperature must lie between 0.001 and 1000 (it is %s)."), real(c.temperature));
    if (!std::isfinite(c.scale) || c.scale < 0.0f)
        return message(N_("The score scale must be a positive number, or 0 for 1/sqrt(d_head) (it is %s)."),
                       real(c.scale));
    if (c.flash_block_q <= 0 || c.flash_block_k <= 0)
        return message(N_("Flash attention tiles must be at least 1x1 (they are %sx%s)."), c.flash_block_q,
                       c.flash_block_k);
    if (c.flash_block_q > k_max_flash_block || c.flash_block_k > k_max_flash_block)
        return message(N_("Flash attention tiles are limited to %s on a side."), k_max_flash_block);
    if (c.vocab_size < 0 || c.vocab_size > k_max_vocab)
        return message(N_("A vocabulary holds 0 (hashed words) to %s words (it is %s)."), k_max_vocab,
                       c.vocab_size);
    if (c.vocab_size == 1) return message(N_("A vocabulary needs at least two words (<unk> and one more)."));
    if (c.d_ff < 0 || c.d_ff > k_max_d_ff)
        return message(N_("The MLP width must be 0 (no MLP) to %s (it is %s)."), k_max_d_ff, c.d_ff);
    if (c.max_positions <= 0) return message(N_("The learned position table needs at least one row."));
    if (c.max_positions > k_max_positions)
        return message(N_("The learned position table is limited to %s rows (it is %s)."), k_max_positions,
                       c.max_positions);
    return {};
}

} // namespace attn

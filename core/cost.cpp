// The cost formulas of cost.hpp. Every function is the formula written in its header comment.
#include "cost.hpp"

#include <algorithm>

namespace attn::cost {

Dims dims_of(const ModelConfig& c) {
    return Dims{c.n_layers, c.d_model, c.n_heads, c.n_kv_heads, head_dim(c)};
}

double dense_pairs(double n_q, double n_k) {
    return n_q * n_k;
}

double causal_pairs(double n) {
    return n * (n + 1.0) / 2.0;
}

double flash_pairs(std::int64_t n, MaskKind mask, int window, int block_q, int block_k) {
    const std::int64_t bq = std::max(1, block_q), bk = std::max(1, block_k);
    double pairs = 0;
    for (std::int64_t q0 = 0; q0 < n; q0 += bq) {
        const std::int64_t q1 = std::min(n, q0 + bq), rows = q1 - q0;
        if (mask == MaskKind::Bidirectional) {
            pairs += static_cast<double>(rows * n);
            continue;
        }
        // Kept key tiles: those starting at or before the last query (causal) and, for a window,
        // ending after q0 - window (the earliest key the first query of the tile may see).
        for (std::int64_t k0 = 0; k0 < n && k0 <= q1 - 1; k0 += bk) {
            const std::int64_t k1 = std::min(n, k0 + bk);
            if (mask == MaskKind::SlidingWindow && k1 - 1 <= q0 - window) continue;
            pairs += static_cast<double>(rows * (k1 - k0));
        }
    }
    return pairs;
}

LayerFlops layer_flops(const Dims& d, double n_new, double pairs) {
    const double dm = d.d_model, h = d.n_heads, hkv = d.n_kv_heads, dh = d.d_head;
    LayerFlops f;
    f.q_proj = 2.0 * n_new * dm * h * dh;
    f.k_proj = 2.0 * n_new * dm * hkv * dh;
    f.v_proj = f.k_proj;
    f.scores = 2.0 * h * pairs * dh;
    f.softmax = k_softmax_flops_per_score * h * pairs;
    f.weighted_sum = 2.0 * h * pairs * dh;
    f.o_proj = 2.0 * n_new * h * dh * dm;
    return f;
}

LayerFlops prompt_flops(const Dims& d, double n) {
    return layer_flops(d, n, dense_pairs(n, n));
}

LayerFlops decode_step_flops(const Dims& d, double cached) {
    return layer_flops(d, 1.0, cached + 1.0);
}

double crossover_tokens(const Dims& d) {
    return 2.0 * d.d_model;
}

double naive_score_bytes(const Dims& d, double n_q, double n_k, double bytes_per_value) {
    return static_cast<double>(d.n_heads) * n_q * n_k * bytes_per_value;
}

double flash_working_bytes(const Dims& d, int block_q, int block_k, int workers) {
    const double bq = block_q, bk = block_k, dh = d.d_head;
    return static_cast<double>(std::max(1, workers)) * 4.0 * (bq * bk + bq * dh + 2.0 * bq);
}

const char* to_string(Precision p) {
    switch (p) {
    case Precision::Fp32:
        return "fp32";
    case Precision::Fp16:
        return "fp16 / bf16";
    case Precision::Fp8:
        return "fp8 / int8";
    case Precision::Int4:
        return "int4";
    }
    return "?";
}

int bits_per_value(Precision p) {
    switch (p) {
    case Precision::Fp32:
        return 32;
    case Precision::Fp16:
        return 16;
    case Precision::Fp8:
        return 8;
    case Precision::Int4:
        return 4;
    }
    return 32;
}

double bytes_per_value(Precision p) {
    return bits_per_value(p) / 8.0;
}

std::int64_t cached_tokens(std::int64_t tokens, std::int64_t sliding_window) {
    const std::int64_t t = std::max<std::int64_t>(0, tokens);
    return sliding_window > 0 ? std::min(t, sliding_window) : t;
}

std::uint64_t kv_cache_bytes(const Dims& d, std::int64_t tokens, std::int64_t batch, Precision p,
                             std::int64_t sliding_window) {
    const auto u = [](std::int64_t v) { return static_cast<std::uint64_t>(std::max<std::int64_t>(0, v)); };
    const std::uint64_t bits = 2ull * u(d.n_layers) * u(d.n_kv_heads) * u(d.d_head) *
                               u(cached_tokens(tokens, sliding_window)) * u(batch) *
                               static_cast<std::uint64_t>(bits_per_value(p));
    return bits / 8ull; // 2 · bits is a multiple of 8 for every precision, so this is exact
}

double kv_bytes_per_token(const Dims& d, Precision p) {
    return 2.0 * d.n_layers * d.n_kv_heads * d.d_head * bytes_per_value(p);
}

Dims with_kv_heads(Dims d, int n_kv_heads) {
    d.n_kv_heads = n_kv_heads;
    return d;
}

} // namespace attn::cost

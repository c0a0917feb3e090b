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
        // ending after q0 - window (the earliest key the first query of the tile may see). They are
        // contiguous, so their columns add up to last_end - first_begin:
        //   last tile: the one holding key q1 - 1, ending at min(n, (⌊(q1 - 1) / bk⌋ + 1) · bk)
        //   first tile (window): the least multiple of bk with k0 + bk - 1 > q0 - window
        const std::int64_t last_end = std::min(n, ((q1 - 1) / bk + 1) * bk);
        std::int64_t first_begin = 0;
        if (mask == MaskKind::SlidingWindow) {
            const std::int64_t m = q0 - window - bk + 2; // k0 >= m
            if (m > 0) first_begin = (m + bk - 1) / bk * bk;
        }
        if (last_end > first_begin) pairs += static_cast<double>(rows * (last_end - first_begin));
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

std::uint64_t naive_head_score_bytes(std::int64_t n) {
    const auto u = static_cast<std::uint64_t>(std::max<std::int64_t>(0, n));
    return 4ull * u * u;
}

std::uint64_t flash_tile_bytes(std::int64_t rows, std::int64_t cols, int d_head) {
    const auto r = static_cast<std::uint64_t>(std::max<std::int64_t>(0, rows)),
               c = static_cast<std::uint64_t>(std::max<std::int64_t>(0, cols)),
               d = static_cast<std::uint64_t>(std::max(0, d_head));
    return 4ull * (r * c + r * d + 2ull * c * d + r * d + 2ull * r);
}

std::uint64_t flash_full_tile_bytes(std::int64_t n, int block_q, int block_k, int d_head) {
    return flash_tile_bytes(std::min<std::int64_t>(std::max(1, block_q), n),
                            std::min<std::int64_t>(std::max(1, block_k), n), d_head);
}

std::int64_t flash_memory_crossover(int block_q, int block_k, int d_head) {
    // Past n = max(block_q, block_k) the tile stops growing while 4n² keeps rising, so the loop ends by
    // then or at the n with 4n² above that fixed tile.
    std::int64_t n = 1;
    while (naive_head_score_bytes(n) <= flash_full_tile_bytes(n, block_q, block_k, d_head))
        ++n;
    return n;
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

std::vector<KvLayoutRow> kv_layouts(const Dims& d, std::int64_t tokens, std::int64_t batch, Precision p,
                                    std::int64_t sliding_window) {
    const int h = std::max(1, d.n_heads);
    const double mha =
        static_cast<double>(kv_cache_bytes(with_kv_heads(d, h), tokens, batch, p, sliding_window));
    std::vector<KvLayoutRow> rows;
    for (int kv = h; kv >= 1; --kv) { // largest first
        if (h % kv != 0 && kv != d.n_kv_heads) continue;
        KvLayoutRow r;
        r.n_kv_heads = kv;
        r.group_size = (h + kv - 1) / kv;
        r.is_model = kv == d.n_kv_heads;
        r.bytes = kv_cache_bytes(with_kv_heads(d, kv), tokens, batch, p, sliding_window);
        r.ratio_to_mha = mha > 0 ? static_cast<double>(r.bytes) / mha : static_cast<double>(kv) / h;
        rows.push_back(r);
    }
    return rows;
}

} // namespace attn::cost

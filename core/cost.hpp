// The cost model of one attention layer: FLOPs per stage, memory of the naive score matrix vs flash
// attention's working set, and KV-cache bytes (2 · L · H_kv · d_head · tokens · batch · bytes per value).
// Conventions: one multiply-add = 2 FLOPs; forward pass only; weights multiply from the right (x W).
#pragma once

#include "config.hpp"

#include <cstdint>
#include <vector>

namespace attn::cost {

// The widths that decide the cost of one layer. d_head is NOT always d_model / n_heads (Gemma-7B).
struct Dims {
    int n_layers = 1;
    int d_model = 0;
    int n_heads = 1;
    int n_kv_heads = 1;
    int d_head = 0;

    bool operator==(const Dims&) const = default;
};

// The live configuration's widths (d_head resolved from its default).
Dims dims_of(const ModelConfig& c);

// ---- (query, key) pairs that an implementation actually scores, per head ---------------------------
// Bidirectional or naive: every pair is computed, masked ones are thrown away afterwards.
//   pairs = n_q · n_k
double dense_pairs(double n_q, double n_k);
// Causal, counted exactly (query i sees keys 0..i):  pairs = n (n + 1) / 2
double causal_pairs(double n);
// Flash attention with tiles of block_q × block_k skips every tile wholly above the causal diagonal
// (or wholly outside a sliding window), but computes the masked corners of the tiles it keeps:
//   pairs = Σ over kept tiles of rows(tile) · cols(tile)
// Exact for the tiling of attention_flash; `mask` Bidirectional keeps every tile.
double flash_pairs(std::int64_t n, MaskKind mask, int window, int block_q, int block_k);

// ---- FLOPs per stage of one layer ------------------------------------------------------------------
// n_new tokens go through the projections; `pairs` (query, key) pairs per head go through attention.
struct LayerFlops {
    double q_proj = 0;       // 2 · n_new · d_model · H · d_head
    double k_proj = 0;       // 2 · n_new · d_model · H_kv · d_head
    double v_proj = 0;       // 2 · n_new · d_model · H_kv · d_head
    double scores = 0;       // QKᵀ: 2 · H · pairs · d_head
    double softmax = 0;      // 5 · H · pairs  (max, subtract, exp, sum, divide)
    double weighted_sum = 0; // weights · V: 2 · H · pairs · d_head
    double o_proj = 0;       // output projection: 2 · n_new · H · d_head · d_model

    double projections() const { return q_proj + k_proj + v_proj + o_proj; }
    double attention() const { return scores + softmax + weighted_sum; }
    double total() const { return projections() + attention(); }
};

// Constant of the softmax term: about five operations per score.
inline constexpr double k_softmax_flops_per_score = 5.0;

LayerFlops layer_flops(const Dims& d, double n_new, double pairs);
// A whole prompt of n tokens at once, every pair scored (naive, or bidirectional flash).
LayerFlops prompt_flops(const Dims& d, double n);
// One decoding step: one new token attends to the cache of `cached` tokens plus itself.
//   projections: n_new = 1; pairs = cached + 1
LayerFlops decode_step_flops(const Dims& d, double cached);
// The n at which the two main terms meet, for MHA (H · d_head = d_model):
//   8 · n · d_model² = 4 · n² · d_model   ⇔   n = 2 · d_model
double crossover_tokens(const Dims& d);

// ---- memory ----------------------------------------------------------------------------------------
// Naive attention materialises the score matrix of every head of a layer:
//   bytes = H · n_q · n_k · bytes_per_value          (fp32: 4 · n² per head, 64 MiB at n = 4096)
double naive_score_bytes(const Dims& d, double n_q, double n_k, double bytes_per_value = 4.0);
// Flash attention holds per worker thread one score tile, one output accumulator and the running m, l:
//   bytes = workers · 4 · (block_q · block_k + block_q · d_head + 2 · block_q)      — independent of n
double flash_working_bytes(const Dims& d, int block_q, int block_k, int workers = 1);

// One head, the way the Flash view counts it (fp32). Naive: the n × n score matrix, 4 · n².
// A flash tile of r query rows and c key columns holds its scores, its query rows, its key and value rows,
// the output accumulator and m, l:   4 · (r·c + r·d + 2·c·d + r·d + 2·r)
// On a short text the tile's copies of the rows (the d_head terms) outweigh the whole score matrix.
std::uint64_t naive_head_score_bytes(std::int64_t n);
std::uint64_t flash_tile_bytes(std::int64_t rows, std::int64_t cols, int d_head);
// The same tile on a text of n tokens: rows = min(block_q, n), cols = min(block_k, n).
std::uint64_t flash_full_tile_bytes(std::int64_t n, int block_q, int block_k, int d_head);
// The shortest text whose naive score matrix is larger than the flash tile on it:
//   the least n >= 1 with 4 · n² > flash_full_tile_bytes(n, ...)
// Below it flash holds more bytes than naive; from it on less, and the gap grows with n².
std::int64_t flash_memory_crossover(int block_q, int block_k, int d_head);

// ---- KV cache --------------------------------------------------------------------------------------
enum class Precision { Fp32, Fp16, Fp8, Int4 };
inline constexpr Precision k_all_precisions[] = {Precision::Fp32, Precision::Fp16, Precision::Fp8,
                                                 Precision::Int4};
const char* to_string(Precision p); // "fp32", "fp16 / bf16", "fp8 / int8", "int4"
int bits_per_value(Precision p);    // 32, 16, 8, 4
double bytes_per_value(Precision p);

// Tokens actually held: a sliding window of w tokens caps the cache at w (0 = no window).
//   cached = min(tokens, w)
std::int64_t cached_tokens(std::int64_t tokens, std::int64_t sliding_window);
// KV-cache bytes, exact in integers (int4 packs two values per byte):
//   bytes = 2 · L · H_kv · d_head · cached_tokens · batch · bits / 8      (2: one K and one V row)
std::uint64_t kv_cache_bytes(const Dims& d, std::int64_t tokens, std::int64_t batch, Precision p,
                             std::int64_t sliding_window = 0);
// Bytes added by one more token of one sequence:  2 · L · H_kv · d_head · bits / 8
double kv_bytes_per_token(const Dims& d, Precision p);

// The same model with a different number of key/value heads (MHA: H, MQA: 1).
Dims with_kv_heads(Dims d, int n_kv_heads);

// Every key/value layout the model's query heads allow: H_kv runs over the divisors of H, largest first,
// so query head h reads key/value head h / (H / H_kv). H_kv = H is MHA, 1 is MQA, the divisors in between
// are GQA with H / H_kv query heads per group. A model whose own H_kv is no divisor gets its own row too.
struct KvLayoutRow {
    int n_kv_heads = 1;
    int group_size = 1;      // query heads per key/value head: H / H_kv (rounded up when H_kv ∤ H)
    bool is_model = false;   // the model's own configuration
    std::uint64_t bytes = 0; // kv_cache_bytes of this layout
    double ratio_to_mha = 1; // bytes / bytes of MHA = H_kv / H
};
std::vector<KvLayoutRow> kv_layouts(const Dims& d, std::int64_t tokens, std::int64_t batch, Precision p,
                                    std::int64_t sliding_window = 0);

} // namespace attn::cost

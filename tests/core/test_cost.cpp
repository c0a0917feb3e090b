// The cost model against hand-computed values, published configurations and the flash implementation's
// own tiling. Every expected number below is worked out by hand in the comment beside it.
#include "core/attention.hpp"
#include "core/cost.hpp"
#include "core/model_table.hpp"
#include "core/rng.hpp"

#include <doctest/doctest.h>

#include <string>
#include <tuple>

using namespace attn;
using namespace attn::cost;

namespace {
const cost::Dims& dims(const char* name) {
    const ModelSpec* m = find_model(name);
    REQUIRE_MESSAGE(m != nullptr, name);
    return m->dims;
}
} // namespace

TEST_CASE("KV cache of six real models matches hand-computed bytes") {
    // 2 · 32 · 32 · 128 · 4096 · 2 bytes = 2^31
    CHECK(kv_cache_bytes(dims("Llama-2-7B"), 4096, 1, Precision::Fp16) == 2147483648ull);
    // GQA with 8 KV heads: a quarter of that, 512 MiB
    CHECK(kv_cache_bytes(dims("Llama-3-8B"), 4096, 1, Precision::Fp16) == 512ull * 1024 * 1024);
    // Mistral-7B at 32768 tokens: 2 · 32 · 8 · 128 · 32768 · 2 = 4 GiB without the window ...
    const ModelSpec& mistral = *find_model("Mistral-7B-v0.1");
    CHECK(kv_cache_bytes(mistral.dims, 32768, 1, Precision::Fp16) == 4ull << 30);
    // ... and the 4096-token window caps it at 512 MiB
    CHECK(mistral.sliding_window == 4096);
    CHECK(kv_cache_bytes(mistral.dims, 32768, 1, Precision::Fp16, mistral.sliding_window) == 512ull << 20);
    // below the window, the window changes nothing
    CHECK(kv_cache_bytes(mistral.dims, 1000, 1, Precision::Fp16, 4096) ==
          kv_cache_bytes(mistral.dims, 1000, 1, Precision::Fp16));
    // Falcon-7B: 2 · 32 · 1 · 64 · 2048 · 2 = 16 MiB, and as MHA 71 times that
    const Dims falcon = dims("Falcon-7B");
    const auto mqa = kv_cache_bytes(falcon, 2048, 1, Precision::Fp16);
    const auto mha = kv_cache_bytes(with_kv_heads(falcon, falcon.n_heads), 2048, 1, Precision::Fp16);
    CHECK(mqa == 16ull << 20);
    CHECK(mha == 71ull * mqa);
    // Gemma-7B: head_dim 256, not 3072 / 16 = 192: 2 · 28 · 16 · 256 · 8192 · 2 = 3,758,096,384
    const Dims gemma = dims("Gemma-7B");
    CHECK(gemma.d_head == 256);
    CHECK(gemma.d_head * gemma.n_heads != gemma.d_model);
    CHECK(kv_cache_bytes(gemma, 8192, 1, Precision::Fp16) == 3758096384ull);
    // GPT-2 small in fp32: 2 · 12 · 12 · 64 · 1024 · 4 = 75,497,472
    CHECK(kv_cache_bytes(dims("GPT-2 small"), 1024, 1, Precision::Fp32) == 75497472ull);
    // Llama-2-70B, fp8, batch 8: 2 · 80 · 8 · 128 · 4096 · 8 · 1 = 5 GiB
    CHECK(kv_cache_bytes(dims("Llama-2-70B"), 4096, 8, Precision::Fp8) == 5ull << 30);
    // Qwen2-7B, int4 (half a byte), full 131072 context: 2 · 28 · 4 · 128 · 131072 / 2 = 1,879,048,192
    CHECK(kv_cache_bytes(dims("Qwen2-7B"), 131072, 1, Precision::Int4) == 1879048192ull);
}

TEST_CASE("KV cache scales with every factor and per-token bytes agree with the total") {
    const Dims d = dims("Llama-3-8B");
    const auto one = kv_cache_bytes(d, 1000, 1, Precision::Fp16);
    CHECK(kv_cache_bytes(d, 1000, 3, Precision::Fp16) == 3 * one);
    CHECK(kv_cache_bytes(d, 2000, 1, Precision::Fp16) == 2 * one);
    CHECK(kv_cache_bytes(d, 1000, 1, Precision::Fp32) == 2 * one);
    CHECK(kv_cache_bytes(d, 1000, 1, Precision::Int4) * 4 == one);
    CHECK(kv_bytes_per_token(d, Precision::Fp16) * 1000.0 == doctest::Approx(static_cast<double>(one)));
    // 2 · 32 · 8 · 128 · 2 bytes = 128 KiB per token
    CHECK(kv_bytes_per_token(d, Precision::Fp16) == 131072.0);
    CHECK(kv_cache_bytes(d, 0, 1, Precision::Fp16) == 0);
    CHECK(kv_cache_bytes(d, -5, 1, Precision::Fp16) == 0);
    CHECK(cached_tokens(10, 0) == 10);
    CHECK(cached_tokens(10, 4) == 4);
    CHECK(cached_tokens(3, 4) == 3);
}

TEST_CASE("the model table cites a config.json for every row and its head layouts are consistent") {
    const auto& t = model_table();
    CHECK(t.size() >= 17);
    for (const auto& m : t) {
        CAPTURE(m.name);
        CHECK(m.source.find("config.json") != std::string::npos);
        CHECK(m.dims.n_heads % m.dims.n_kv_heads == 0);
        CHECK(m.dims.d_head > 0);
        CHECK(m.context > 0);
    }
    CHECK(std::string(attention_kind(dims("Llama-2-7B"))) == "MHA");
    CHECK(std::string(attention_kind(dims("Llama-2-70B"))) == "GQA");
    CHECK(std::string(attention_kind(dims("Falcon-7B"))) == "MQA");
    CHECK(find_model("no such model") == nullptr);
}

TEST_CASE("FLOPs per stage on a small case computed by hand") {
    // d_model 4, 2 heads of width 2, 1 KV head, 3 tokens: 9 pairs per head
    const Dims d{1, 4, 2, 1, 2};
    const LayerFlops f = prompt_flops(d, 3);
    CHECK(f.q_proj == 2 * 3 * 4 * 2 * 2); // 96
    CHECK(f.k_proj == 2 * 3 * 4 * 1 * 2); // 48
    CHECK(f.v_proj == 48);
    CHECK(f.scores == 2 * 2 * 9 * 2); // 72
    CHECK(f.softmax == 5 * 2 * 9);    // 90
    CHECK(f.weighted_sum == 72);
    CHECK(f.o_proj == 2 * 3 * 4 * 4); // 96
    CHECK(f.total() == 96 + 48 + 48 + 72 + 90 + 72 + 96);
}

TEST_CASE("projection and attention terms are equal at n = 2 · d_model") {
    for (const char* name : {"GPT-2 small", "Llama-2-7B", "Llama-2-13B"}) {
        CAPTURE(name);
        const Dims d = dims(name);
        const double n = crossover_tokens(d);
        CHECK(n == 2.0 * d.d_model);
        const LayerFlops f = prompt_flops(d, n);
        // 8 · n · d² vs 4 · n² · d
        CHECK(f.projections() == doctest::Approx(8.0 * n * d.d_model * d.d_model));
        CHECK(f.scores + f.weighted_sum == doctest::Approx(4.0 * n * n * d.d_model));
        CHECK(f.projections() == doctest::Approx(f.scores + f.weighted_sum));
        // below the crossover the projections dominate, above it attention does
        const LayerFlops lo = prompt_flops(d, n / 2), hi = prompt_flops(d, n * 2);
        CHECK(lo.projections() > lo.scores + lo.weighted_sum);
        CHECK(hi.projections() < hi.scores + hi.weighted_sum);
    }
}

TEST_CASE("doubling the prompt quadruples attention FLOPs; a decode step grows linearly") {
    const Dims d = dims("Llama-2-7B");
    CHECK(prompt_flops(d, 2048).attention() == doctest::Approx(4.0 * prompt_flops(d, 1024).attention()));
    CHECK(prompt_flops(d, 2048).projections() == doctest::Approx(2.0 * prompt_flops(d, 1024).projections()));
    const LayerFlops s0 = decode_step_flops(d, 0), s1 = decode_step_flops(d, 999),
                     s2 = decode_step_flops(d, 1999);
    CHECK(s1.attention() == doctest::Approx(1000.0 * s0.attention()));
    CHECK(s2.attention() == doctest::Approx(2000.0 * s0.attention()));
    CHECK(s1.projections() == s2.projections());
}

TEST_CASE("pair counts: dense, causal and flash block skipping") {
    CHECK(dense_pairs(7, 7) == 49);
    CHECK(causal_pairs(7) == 28);
    CHECK(flash_pairs(7, MaskKind::Bidirectional, 0, 3, 2) == 49);
    // 1×1 tiles skip exactly the masked pairs
    CHECK(flash_pairs(7, MaskKind::Causal, 0, 1, 1) == 28);
    // window 3, 1×1 tiles: rows see 1,2,3,3,3,3,3 keys = 18
    CHECK(flash_pairs(7, MaskKind::SlidingWindow, 3, 1, 1) == 18);
    // 2×2 tiles on n = 4 causal: tiles (0,0),(1,0),(1,1) kept = 12 pairs
    CHECK(flash_pairs(4, MaskKind::Causal, 0, 2, 2) == 12);
    // large tiles approach the ideal half from above
    const double ideal = causal_pairs(4096), tiled = flash_pairs(4096, MaskKind::Causal, 0, 64, 64);
    CHECK(tiled > ideal);
    CHECK(tiled < 1.02 * ideal);
}

TEST_CASE("flash_pairs counts exactly the tiles attention_flash computes") {
    Rng rng(7);
    for (auto [n, bq, bk, kind, w] :
         {std::tuple{37, 8, 5, MaskKind::Causal, 0}, std::tuple{37, 8, 5, MaskKind::SlidingWindow, 6},
          std::tuple{16, 4, 4, MaskKind::Bidirectional, 0},
          std::tuple{33, 16, 16, MaskKind::SlidingWindow, 9}}) {
        CAPTURE(n);
        CAPTURE(bq);
        CAPTURE(bk);
        Matrix q(n, 4), k(n, 4), v(n, 4);
        for (Eigen::Index i = 0; i < q.size(); ++i) {
            q.data()[i] = static_cast<float>(rng.normal());
            k.data()[i] = static_cast<float>(rng.normal());
            v.data()[i] = static_cast<float>(rng.normal());
        }
        AttentionParams p;
        p.mask.kind = kind;
        p.mask.window = w;
        FlashTrace trace;
        FlashOptions opt;
        opt.block_q = bq;
        opt.block_k = bk;
        opt.n_threads = 1;
        attention_flash(q, k, v, p, opt, &trace);
        double computed = 0;
        for (const auto& s : trace.steps)
            if (!s.skipped) computed += (s.q_end - s.q_begin) * (s.k_end - s.k_begin);
        CHECK(flash_pairs(n, kind, w, bq, bk) == computed);
    }
}

TEST_CASE("memory: naive score matrices grow with n², flash's working set does not") {
    const Dims d{1, 512, 8, 8, 64};
    // 8 heads · 4096² · 4 bytes = 512 MiB; one head is 64 MiB
    CHECK(naive_score_bytes(d, 4096, 4096) == 512.0 * 1024 * 1024);
    CHECK(naive_score_bytes(Dims{1, 64, 1, 1, 64}, 4096, 4096) == 64.0 * 1024 * 1024);
    // 4 · (16·16 + 16·64 + 2·16) = 5248 bytes per worker, whatever n is
    CHECK(flash_working_bytes(d, 16, 16) == 5248.0);
    CHECK(flash_working_bytes(d, 16, 16, 2) == 2 * 5248.0);
    // the implementation reports the same working set, at small and large n alike
    for (int n : {40, 300}) {
        Matrix q = Matrix::Ones(n, 64), k = Matrix::Ones(n, 64), v = Matrix::Ones(n, 64);
        FlashOptions opt;
        opt.n_threads = 1;
        FlashStats stats;
        attention_flash(q, k, v, AttentionParams{}, opt, nullptr, &stats);
        CHECK(static_cast<double>(stats.peak_extra_bytes) ==
              flash_working_bytes(d, opt.block_q, opt.block_k, 1));
    }
}

TEST_CASE("KV layouts: MHA, a GQA row per divisor of the query heads, and MQA, each against MHA") {
    // Llama-2-7B: 32 query heads, so 32, 16, 8, 4, 2 and 1 key/value heads; its own layout is MHA.
    const Dims llama2 = dims("Llama-2-7B");
    const auto rows = kv_layouts(llama2, 4096, 1, Precision::Fp16);
    REQUIRE(rows.size() == 6);
    const int expect_kv[] = {32, 16, 8, 4, 2, 1};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CAPTURE(i);
        CHECK(rows[i].n_kv_heads == expect_kv[i]);
        CHECK(rows[i].group_size == 32 / expect_kv[i]);
        CHECK(rows[i].is_model == (i == 0));
        // 2 · 32 · H_kv · 128 · 4096 · 2 bytes = H_kv · 64 MiB
        CHECK(rows[i].bytes == static_cast<std::uint64_t>(expect_kv[i]) * (64ull << 20));
        CHECK(rows[i].ratio_to_mha == doctest::Approx(expect_kv[i] / 32.0));
    }
    // Llama-3-8B: the same 32 query heads; its own layout is the GQA row with 8 key/value heads.
    const auto l3 = kv_layouts(dims("Llama-3-8B"), 4096, 1, Precision::Fp16);
    REQUIRE(l3.size() == 6);
    int own = 0;
    for (const auto& r : l3)
        own += r.is_model ? r.n_kv_heads : 0;
    CHECK(own == 8);
    CHECK(l3[2].bytes == kv_cache_bytes(dims("Llama-3-8B"), 4096, 1, Precision::Fp16));
    // Falcon-7B has 71 query heads, a prime: only MHA and MQA, and MQA (its own) is 1/71 of MHA.
    const auto falcon = kv_layouts(dims("Falcon-7B"), 2048, 1, Precision::Fp16);
    REQUIRE(falcon.size() == 2);
    CHECK(falcon[1].is_model);
    CHECK(falcon[1].ratio_to_mha == doctest::Approx(1.0 / 71.0));
    // GPT-2 XL, 25 heads: 25, 5, 1.
    const auto xl = kv_layouts(dims("GPT-2 XL"), 1024, 1, Precision::Fp32);
    REQUIRE(xl.size() == 3);
    CHECK(xl[1].n_kv_heads == 5);
    CHECK(xl[1].group_size == 5);
    // One head: MHA and MQA are the same single row.
    const auto one = kv_layouts(Dims{2, 64, 1, 1, 64}, 10, 1, Precision::Fp32);
    REQUIRE(one.size() == 1);
    CHECK(one[0].is_model);
    CHECK(one[0].ratio_to_mha == doctest::Approx(1.0));
    // A layout that is not a divisor (12 query heads, 5 key/value heads) still gets its own row, in order.
    const auto odd = kv_layouts(Dims{1, 768, 12, 5, 64}, 100, 1, Precision::Fp16);
    REQUIRE(odd.size() == 7); // 12, 6, 5, 4, 3, 2, 1
    CHECK(odd[2].n_kv_heads == 5);
    CHECK(odd[2].is_model);
    CHECK(odd[2].group_size == 3);
    // A sliding window caps every row alike, so the ratios stay H_kv / H.
    const ModelSpec& mistral = *find_model("Mistral-7B-v0.1");
    const auto mw = kv_layouts(mistral.dims, 32768, 1, Precision::Fp16, mistral.sliding_window);
    for (const auto& r : mw) {
        CHECK(r.bytes == kv_cache_bytes(with_kv_heads(mistral.dims, r.n_kv_heads), 32768, 1, Precision::Fp16,
                                        mistral.sliding_window));
        CHECK(r.ratio_to_mha == doctest::Approx(r.n_kv_heads / 32.0));
    }
}

TEST_CASE(
    "flash tile bytes against the score matrix: flash holds more on short texts, less from the crossover") {
    // a 3 × 3 tile with d_head 16: 4 · (9 + 48 + 96 + 48 + 6) = 828 bytes
    CHECK(flash_tile_bytes(3, 3, 16) == 828u);
    CHECK(naive_head_score_bytes(11) == 484u); // 4 · 11²
    // on 11 tokens that tile is larger than the whole 11 × 11 score matrix ...
    CHECK(flash_full_tile_bytes(11, 3, 3, 16) > naive_head_score_bytes(11));
    // ... and the crossover is the first n with 4n² > 828: n = 15 (4 · 14² = 784, 4 · 15² = 900)
    CHECK(flash_memory_crossover(3, 3, 16) == 15);
    // tiles larger than the text are clipped to it: with 64 × 64 tiles and d_head 64, the tile on n tokens
    // (n <= 64) is 4 · (n² + 4·64·n + 2n) > 4n², so naive stays smaller until the tile stops growing at
    // n = 64; past it the fixed tile is 4 · (4096 + 16384 + 128) = 82,432 bytes, and 4n² > 82,432 from
    // n = 144 (4 · 143² = 81,796; 4 · 144² = 82,944).
    CHECK(flash_full_tile_bytes(40, 64, 64, 64) == flash_tile_bytes(40, 40, 64));
    CHECK(flash_full_tile_bytes(1000, 64, 64, 64) == 82432u);
    CHECK(flash_memory_crossover(64, 64, 64) == 144);
    // the defining property, checked on both sides for a spread of tile shapes
    for (int bq : {1, 2, 5, 16, 64})
        for (int bk : {1, 3, 16, 128})
            for (int dh : {1, 2, 16, 128}) {
                CAPTURE(bq);
                CAPTURE(bk);
                CAPTURE(dh);
                const std::int64_t c = flash_memory_crossover(bq, bk, dh);
                CHECK(naive_head_score_bytes(c) > flash_full_tile_bytes(c, bq, bk, dh));
                if (c > 1) CHECK(naive_head_score_bytes(c - 1) <= flash_full_tile_bytes(c - 1, bq, bk, dh));
                // and naive stays the larger beyond it
                CHECK(naive_head_score_bytes(2 * c) > flash_full_tile_bytes(2 * c, bq, bk, dh));
            }
}

// validate(): every invalid combination is refused with a sentence that names the problem.
#include "core/config.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <limits>
#include <string>

using namespace attn;

TEST_CASE("validate explains every invalid model configuration") {
    CHECK(validate(ModelConfig{}).empty());
    struct Case {
        const char* expect; // a phrase the message must contain
        std::function<void(ModelConfig&)> change;
    };
    const Case cases[] = {
        {"d_model must be at least 1 (it is 0)", [](ModelConfig& c) { c.d_model = 0; }},
        {"d_model is limited to 1024", [](ModelConfig& c) { c.d_model = 2048; }},
        {"at least one layer (it is -1)", [](ModelConfig& c) { c.n_layers = -1; }},
        {"At most 6 layers", [](ModelConfig& c) { c.n_layers = 7; }},
        {"at least one query head", [](ModelConfig& c) { c.n_heads = 0; }},
        {"At most 16 heads", [](ModelConfig& c) { c.n_heads = 32, c.n_kv_heads = 1; }},
        {"at least one key/value head", [](ModelConfig& c) { c.n_kv_heads = 0; }},
        {"more key/value heads (2) than query heads (1)", [](ModelConfig& c) { c.n_kv_heads = 2; }},
        {"Key/value heads (3) must divide the query heads (4)",
         [](ModelConfig& c) { c.n_heads = 4, c.n_kv_heads = 3; }},
        {"d_head cannot be negative", [](ModelConfig& c) { c.d_head = -2; }},
        {"d_model (64) is not divisible by the number of heads (6)", [](ModelConfig& c) { c.n_heads = 6; }},
        {"d_head is limited to 1024", [](ModelConfig& c) { c.d_head = 2000; }},
        {"n_heads x d_head (8192) is limited to 4096",
         [](ModelConfig& c) { c.n_heads = 8, c.d_head = 1024; }},
        {"sliding window must cover at least 1 token",
         [](ModelConfig& c) { c.mask = MaskKind::SlidingWindow, c.window = 0; }},
        {"Temperature must lie between 0.001 and 1000 (it is 0)",
         [](ModelConfig& c) { c.temperature = 0.0f; }},
        {"(it is 5000)", [](ModelConfig& c) { c.temperature = 5000.0f; }},
        {"(it is nan)", [](ModelConfig& c) { c.temperature = std::numeric_limits<float>::quiet_NaN(); }},
        {"score scale must be a positive number", [](ModelConfig& c) { c.scale = -1.0f; }},
        {"(it is inf)", [](ModelConfig& c) { c.scale = std::numeric_limits<float>::infinity(); }},
        {"tiles must be at least 1x1 (they are 0x16)", [](ModelConfig& c) { c.flash_block_q = 0; }},
        {"tiles are limited to 1024", [](ModelConfig& c) { c.flash_block_k = 4096; }},
        {"position table needs at least one row", [](ModelConfig& c) { c.max_positions = 0; }},
        {"limited to 8192 rows", [](ModelConfig& c) { c.max_positions = 100000; }},
        {"Unknown mask kind (7)", [](ModelConfig& c) { c.mask = static_cast<MaskKind>(7); }},
        {"Unknown positional encoding (-1)",
         [](ModelConfig& c) { c.positions = static_cast<PositionKind>(-1); }},
        {"Unknown attention implementation (3)",
         [](ModelConfig& c) { c.implementation = static_cast<Implementation>(3); }},
    };
    for (const Case& k : cases) {
        ModelConfig c;
        k.change(c);
        const std::string why = english(validate(c));
        CAPTURE(why);
        CHECK(why.find(k.expect) != std::string::npos);
    }
}

TEST_CASE("valid edge configurations pass: d_head given for an odd split, GQA, MQA, window 1, limits") {
    ModelConfig c;
    c.d_model = 10, c.n_heads = 3, c.d_head = 4, c.n_kv_heads = 1;
    CHECK(validate(c).empty());
    CHECK(head_dim(c) == 4);
    c = {};
    c.n_heads = 16, c.n_kv_heads = 4, c.n_layers = 6, c.d_model = 1024;
    c.mask = MaskKind::SlidingWindow, c.window = 1, c.temperature = 1e-3f;
    CHECK(validate(c).empty());
    CHECK(head_dim(c) == 64);
    CHECK(kv_head_of(c, 5) == 1);
    c.temperature = 1e3f;
    CHECK(validate(c).empty());
}

TEST_CASE("the score multiplier is (scale or 1/sqrt(d_head)) / temperature") {
    ModelConfig c;
    c.d_model = 64, c.n_heads = 4; // d_head 16
    CHECK(score_scale(c) == doctest::Approx(0.25));
    c.temperature = 2.0f;
    CHECK(score_scale(c) == doctest::Approx(0.125));
    c.scale = 1.0f;
    CHECK(score_scale(c) == doctest::Approx(0.5));
}

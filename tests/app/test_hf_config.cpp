// Hugging Face config.json parsing: real-looking files of several families, incomplete and malformed ones.
// The JSON is written here by hand, with the field names each family uses.
#include "app/io/hf_config.hpp"
#include "core/cost.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace attn;

namespace {
bool mentions(const std::string& message, const char* word) {
    return message.find(word) != std::string::npos;
}
} // namespace

TEST_CASE("a Llama-style config with GQA") {
    const auto r = parse_hf_config(R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 4096,
        "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
        "max_position_embeddings": 8192, "model_type": "llama", "rope_theta": 500000.0})",
                                   "llama3");
    REQUIRE_MESSAGE(r.ok(), english(r.error));
    CHECK(r.value.name == "llama3");
    CHECK(r.value.dims.n_layers == 32);
    CHECK(r.value.dims.n_heads == 32);
    CHECK(r.value.dims.n_kv_heads == 8);
    CHECK(r.value.dims.d_head == 128);
    CHECK(r.value.context == 8192);
    CHECK(r.value.sliding_window == 0);
    CHECK(cost::kv_cache_bytes(r.value.dims, 4096, 1, cost::Precision::Fp16) == 512ull << 20);
}

TEST_CASE("num_key_value_heads absent means MHA, head_dim absent means hidden_size / heads") {
    const auto r = parse_hf_config(R"({"hidden_size": 4096, "num_hidden_layers": 32,
        "num_attention_heads": 32, "max_position_embeddings": 4096})",
                                   "llama2");
    REQUIRE(r.ok());
    CHECK(r.value.dims.n_kv_heads == 32);
    CHECK(r.value.dims.d_head == 128);
    CHECK(cost::kv_cache_bytes(r.value.dims, 4096, 1, cost::Precision::Fp16) == 2147483648ull);
}

TEST_CASE("Gemma's own head_dim wins over hidden_size / heads") {
    const auto r =
        parse_hf_config(R"({"hidden_size": 3072, "num_hidden_layers": 28, "num_attention_heads": 16,
        "num_key_value_heads": 16, "head_dim": 256, "model_type": "gemma"})",
                        "gemma");
    REQUIRE(r.ok());
    CHECK(r.value.dims.d_head == 256);
    CHECK(r.value.context == 0); // unknown, not invented
}

TEST_CASE("Mistral's sliding window is read, Qwen2's switched-off window is not") {
    const auto m =
        parse_hf_config(R"({"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
        "num_key_value_heads": 8, "sliding_window": 4096, "max_position_embeddings": 32768})",
                        "mistral");
    REQUIRE(m.ok());
    CHECK(m.value.sliding_window == 4096);
    const auto q =
        parse_hf_config(R"({"hidden_size": 3584, "num_hidden_layers": 28, "num_attention_heads": 28,
        "num_key_value_heads": 4, "sliding_window": 131072, "use_sliding_window": false})",
                        "qwen2");
    REQUIRE(q.ok());
    CHECK(q.value.sliding_window == 0);
    const auto mixtral =
        parse_hf_config(R"({"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
        "num_key_value_heads": 8, "sliding_window": null})",
                        "mixtral");
    REQUIRE(mixtral.ok());
    CHECK(mixtral.value.sliding_window == 0);
}

TEST_CASE("GPT-2's n_layer / n_head / n_embd names") {
    const auto r = parse_hf_config(R"({"model_type": "gpt2", "n_layer": 12, "n_head": 12, "n_embd": 768,
        "n_positions": 1024, "n_ctx": 1024})",
                                   "gpt2");
    REQUIRE(r.ok());
    CHECK(r.value.dims.n_layers == 12);
    CHECK(r.value.dims.d_model == 768);
    CHECK(r.value.dims.d_head == 64);
    CHECK(r.value.dims.n_kv_heads == 12);
    CHECK(r.value.context == 1024);
}

TEST_CASE("Falcon's multi_query means one key/value head even when 71 heads are written") {
    const auto r =
        parse_hf_config(R"({"model_type": "falcon", "hidden_size": 4544, "n_layer": 32, "n_head": 71,
        "n_head_kv": 71, "multi_query": true, "new_decoder_architecture": false})",
                        "falcon");
    REQUIRE_MESSAGE(r.ok(), english(r.error));
    CHECK(r.value.dims.n_kv_heads == 1);
    CHECK(r.value.dims.d_head == 64);
    const auto no_mq =
        parse_hf_config(R"({"hidden_size": 4544, "n_layer": 32, "n_head": 71, "multi_query": false})", "f");
    REQUIRE(no_mq.ok());
    CHECK(no_mq.value.dims.n_kv_heads == 71);
}

TEST_CASE("BERT is marked encoder-only") {
    const auto r = parse_hf_config(R"({"model_type": "bert", "hidden_size": 768, "num_hidden_layers": 12,
        "num_attention_heads": 12, "max_position_embeddings": 512})",
                                   "bert");
    REQUIRE(r.ok());
    CHECK(r.value.encoder_only);
}

TEST_CASE("incomplete configs name the missing field") {
    auto r = parse_hf_config(R"({"hidden_size": 4096, "num_attention_heads": 32})", "x");
    CHECK_FALSE(r.ok());
    CHECK(mentions(english(r.error), "num_hidden_layers"));
    r = parse_hf_config(R"({"hidden_size": 4096, "num_hidden_layers": 32})", "x");
    CHECK(mentions(english(r.error), "num_attention_heads"));
    r = parse_hf_config(R"({"num_hidden_layers": 32, "num_attention_heads": 32})", "x");
    CHECK(mentions(english(r.error), "hidden_size"));
    // no head_dim and a width that does not split evenly
    r = parse_hf_config(R"({"hidden_size": 100, "num_hidden_layers": 2, "num_attention_heads": 3})", "x");
    CHECK_FALSE(r.ok());
    CHECK(mentions(english(r.error), "head_dim"));
}

TEST_CASE("nonsensical values name the field and are refused") {
    auto r =
        parse_hf_config(R"({"hidden_size": 4096, "num_hidden_layers": 0, "num_attention_heads": 32})", "x");
    CHECK_FALSE(r.ok());
    CHECK(mentions(english(r.error), "num_hidden_layers"));
    r = parse_hf_config(R"({"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": "many"})",
                        "x");
    CHECK(mentions(english(r.error), "num_attention_heads"));
    r = parse_hf_config(R"({"hidden_size": -4096, "num_hidden_layers": 32, "num_attention_heads": 32})", "x");
    CHECK(mentions(english(r.error), "hidden_size"));
    r = parse_hf_config(R"({"hidden_size": 4096, "num_hidden_layers": 32.5, "num_attention_heads": 32})",
                        "x");
    CHECK(mentions(english(r.error), "num_hidden_layers"));
    r = parse_hf_config(R"({"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
        "num_key_value_heads": 5})",
                        "x");
    CHECK_FALSE(r.ok());
    CHECK(mentions(english(r.error), "num_key_value_heads"));
    r = parse_hf_config(R"({"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
        "num_key_value_heads": 64})",
                        "x");
    CHECK(mentions(english(r.error), "num_key_value_heads"));
    r = parse_hf_config(
        R"({"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32, "sliding_window": 0})",
        "x");
    CHECK(mentions(english(r.error), "sliding_window"));
}

TEST_CASE("malformed JSON and non-objects are refused with a message, never a throw") {
    for (const char* text : {"", "{", "{\"hidden_size\": 4096,}", "[1, 2, 3]", "42", "null", "\xff\xfe"}) {
        CAPTURE(text);
        const auto r = parse_hf_config(text, "x");
        CHECK_FALSE(r.ok());
        CHECK_FALSE(r.error.empty());
    }
}

TEST_CASE("loading a file: a missing path is a message, a written file parses with its path as source") {
    const auto missing = load_hf_config("/nonexistent/dir/config.json");
    CHECK_FALSE(missing.ok());
    CHECK(mentions(english(missing.error), "/nonexistent/dir/config.json"));
    const std::string path = (std::filesystem::temp_directory_path() / "attn_test_hf_config.json").string();
    {
        std::ofstream f(path);
        f << R"({"hidden_size": 2048, "num_hidden_layers": 18, "num_attention_heads": 8,
                 "num_key_value_heads": 1, "head_dim": 256})";
    }
    const auto r = load_hf_config(path);
    std::remove(path.c_str());
    REQUIRE_MESSAGE(r.ok(), english(r.error));
    CHECK(r.value.source == path);
    CHECK(r.value.dims.n_kv_heads == 1);
}

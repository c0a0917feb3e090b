// The built-in table of real model configurations. Each row cites the config.json it was read from
// (fields num_hidden_layers, hidden_size, num_attention_heads, num_key_value_heads, head_dim,
// max_position_embeddings, sliding_window; GPT-2: n_layer, n_embd, n_head, n_ctx).
#include "model_table.hpp"

namespace attn {

namespace {
std::string hf(const char* repo) {
    return std::string("https://huggingface.co/") + repo + "/blob/main/config.json";
}
} // namespace

const std::vector<ModelSpec>& model_table() {
    //                         name                L   d_model  H  H_kv d_head  context window enc note source
    static const std::vector<ModelSpec> table = {
        {"GPT-2 small", {12, 768, 12, 12, 64}, 1024, 0, false, "MHA", hf("openai-community/gpt2")},
        {"GPT-2 medium", {24, 1024, 16, 16, 64}, 1024, 0, false, "MHA", hf("openai-community/gpt2-medium")},
        {"GPT-2 large", {36, 1280, 20, 20, 64}, 1024, 0, false, "MHA", hf("openai-community/gpt2-large")},
        {"GPT-2 XL", {48, 1600, 25, 25, 64}, 1024, 0, false, "MHA", hf("openai-community/gpt2-xl")},
        {"BERT-base",
         {12, 768, 12, 12, 64},
         512,
         0,
         true,
         "encoder: attends both ways, keeps no KV cache",
         hf("google-bert/bert-base-uncased")},
        {"Llama-2-7B", {32, 4096, 32, 32, 128}, 4096, 0, false, "MHA", hf("meta-llama/Llama-2-7b-hf")},
        {"Llama-2-13B", {40, 5120, 40, 40, 128}, 4096, 0, false, "MHA", hf("meta-llama/Llama-2-13b-hf")},
        {"Llama-2-70B",
         {80, 8192, 64, 8, 128},
         4096,
         0,
         false,
         "GQA, 8 query heads per KV head",
         hf("meta-llama/Llama-2-70b-hf")},
        {"Llama-3-8B",
         {32, 4096, 32, 8, 128},
         8192,
         0,
         false,
         "GQA, 4 query heads per KV head",
         hf("meta-llama/Meta-Llama-3-8B")},
        {"Llama-3-70B",
         {80, 8192, 64, 8, 128},
         8192,
         0,
         false,
         "GQA, 8 query heads per KV head",
         hf("meta-llama/Meta-Llama-3-70B")},
        {"Mistral-7B-v0.1",
         {32, 4096, 32, 8, 128},
         32768,
         4096,
         false,
         "GQA; a 4096-token sliding window caps the cache",
         hf("mistralai/Mistral-7B-v0.1")},
        {"Mixtral-8x7B",
         {32, 4096, 32, 8, 128},
         32768,
         0,
         false,
         "GQA; no sliding window",
         hf("mistralai/Mixtral-8x7B-v0.1")},
        {"Falcon-7B",
         {32, 4544, 71, 1, 64},
         2048,
         0,
         false,
         "MQA (multi_query: one KV head for 71 query heads)",
         hf("tiiuae/falcon-7b")},
        {"Gemma-2B",
         {18, 2048, 8, 1, 256},
         8192,
         0,
         false,
         "MQA; head_dim 256 is its own field",
         hf("google/gemma-2b")},
        {"Gemma-7B",
         {28, 3072, 16, 16, 256},
         8192,
         0,
         false,
         "MHA; H · d_head = 4096 is not d_model = 3072",
         hf("google/gemma-7b")},
        {"Qwen2-7B",
         {28, 3584, 28, 4, 128},
         131072,
         0,
         false,
         "GQA, 7 query heads per KV head",
         hf("Qwen/Qwen2-7B")},
        {"Phi-3-mini-4k",
         {32, 3072, 32, 32, 96},
         4096,
         2047,
         false,
         "MHA; sliding window 2047",
         hf("microsoft/Phi-3-mini-4k-instruct")},
    };
    return table;
}

const ModelSpec* find_model(const std::string& name) {
    for (const auto& m : model_table())
        if (m.name == name) return &m;
    return nullptr;
}

const char* attention_kind(const cost::Dims& d) {
    if (d.n_kv_heads == d.n_heads) return "MHA";
    if (d.n_kv_heads == 1) return "MQA";
    return "GQA";
}

} // namespace attn

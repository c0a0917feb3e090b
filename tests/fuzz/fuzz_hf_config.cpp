// libFuzzer: parse_hf_config() (a Hugging Face config.json for the KV cache calculator) on arbitrary text.
#include "app/io/hf_config.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto m = attn::parse_hf_config(text, "fuzz");
    if (m.ok() && (m.value.dims.n_heads < 1 || m.value.dims.n_kv_heads < 1 || m.value.dims.n_layers < 1))
        __builtin_trap();
    return 0;
}

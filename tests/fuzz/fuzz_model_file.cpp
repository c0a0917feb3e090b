// libFuzzer: the trained-model file reader (train::deserialize, what load_model and the app use) on
// arbitrary bytes; a model that loads must serialise back to the same bytes.
#include "core/train/model_file.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::uint8_t> bytes(data, data + size);
    const attn::train::LoadResult r = attn::train::deserialize(bytes);
    if (r.error.empty() && attn::train::serialize(r.model) != bytes) __builtin_trap();
    return 0;
}

// libFuzzer: the trained-model file reader (train::deserialize, what load_model and the app use) on
// arbitrary bytes; a model that loads must serialise to bytes that load back and serialise the same.
// (Byte equality with the input is not required: the reader accepts a "causal" flag of any non-zero
// value, see tests/fuzz/findings/README.md.)
#include "core/train/model_file.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::uint8_t> bytes(data, data + size);
    const attn::train::LoadResult r = attn::train::deserialize(bytes);
    if (!r.error.empty()) return 0;
    const std::vector<std::uint8_t> once = attn::train::serialize(r.model);
    const attn::train::LoadResult back = attn::train::deserialize(once);
    if (!back.error.empty() || attn::train::serialize(back.model) != once) __builtin_trap();
    return 0;
}

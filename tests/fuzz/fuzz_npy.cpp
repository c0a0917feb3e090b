// libFuzzer: parse_npy() on arbitrary bytes (header dict, shapes whose product overflows, short data).
#include "core/npy.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    attn::NpyParse p = attn::parse_npy(bytes);
    if (p.ok()) {
        std::size_t n = 1;
        for (std::int64_t d : p.array.shape)
            n *= static_cast<std::size_t>(d);
        if (n != p.array.data.size()) __builtin_trap(); // the shape must describe the data returned
    }
    return 0;
}

// libFuzzer: prefs_from_json() on arbitrary text; preferences that load must save and load back equal.
#include "app/io/prefs.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto p = attn::prefs_from_json(text);
    if (p.ok()) {
        const auto back = attn::prefs_from_json(attn::prefs_to_json(p.value));
        if (!back.ok()) __builtin_trap();
    }
    return 0;
}

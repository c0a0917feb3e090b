// libFuzzer: the compute command's JSON config reader (paths are resolved against a folder that does not
// exist, so no input file is ever opened).
#include "app/io/compute_config.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto c = attn::parse_compute_config(text, "/nonexistent-fuzz-dir");
    if (c.ok() && c.value.options.mask.kind == attn::MaskKind::SlidingWindow &&
        c.value.options.mask.window < 1)
        __builtin_trap();
    return 0;
}

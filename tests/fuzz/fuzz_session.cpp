// libFuzzer: session_from_json() on arbitrary text (a session is rebuilt through apply(), so this also
// drives the commands with values from the file). Trained models named by path are looked for in a
// folder that does not exist.
#include "app/io/session.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto s = attn::session_from_json(text, "/nonexistent-fuzz-dir");
    if (s.ok()) {
        // what loads must save and load back to the same state
        const std::string again = attn::session_to_json(s.value.state, s.value.view, "x.atlm");
        const auto back = attn::session_from_json(again, "/nonexistent-fuzz-dir");
        if (!back.ok() && !s.value.state.trained) __builtin_trap();
    }
    return 0;
}

// libFuzzer: parse_script() on arbitrary text, then every parsed command through apply() on a fresh state,
// as --script does (apply must refuse what is out of range, never crash).
#include "app/io/script.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const attn::Script s = attn::parse_script(text);
    if (s.commands.size() != s.command_lines.size()) __builtin_trap();
    attn::AppState state = attn::AppState::initial();
    for (const attn::Command& c : s.commands)
        attn::apply(state, c);
    return 0;
}

// Small helpers shared by the JSON readers: a value-or-message result type.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace attn {

// Either a value or a readable message saying what was wrong (never both).
template <typename T> struct Parsed {
    T value{};
    std::string error; // empty on success

    bool ok() const { return error.empty(); }
    static Parsed fail(std::string why) {
        Parsed p;
        p.error = std::move(why);
        return p;
    }
};

// Reads a whole (small) file; refuses folders, devices and files larger than max_bytes before reading.
Parsed<std::string> read_text_file(const std::string& path, std::size_t max_bytes = 16u << 20);

// A quoted JSON string: quotes and backslashes escaped, control characters as \u00XX.
std::string json_string(std::string_view s);

} // namespace attn

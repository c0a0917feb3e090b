// Small helpers shared by the JSON readers: a value-or-message result type.
#pragma once

#include "core/message.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace attn {

// Either a value or a readable message saying what was wrong (never both). The message is translated where
// it is shown (i18n::text in the window, english() on the command line).
template <typename T> struct Parsed {
    T value{};
    Message error; // empty on success

    bool ok() const { return error.empty(); }
    static Parsed fail(Message why) {
        Parsed p;
        p.error = std::move(why);
        return p;
    }
    // A text with no template, shown as it is in every language (the JSON field checks of state_json.hpp).
    static Parsed fail(std::string why) { return fail(verbatim(std::move(why))); }
};

// Reads a whole (small) file; refuses folders, devices and files larger than max_bytes before reading.
Parsed<std::string> read_text_file(const std::string& path, std::size_t max_bytes = 16u << 20);

// A quoted JSON string: quotes and backslashes escaped, control characters as \u00XX.
std::string json_string(std::string_view s);

} // namespace attn

// Shared JSON helpers: reading a whole file into a string with a readable error, and quoting a string.
#include "json_util.hpp"

#include "bounded_read.hpp"

#include <cstdio>

namespace attn {

Parsed<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
    FileBytes f = read_file_bounded(path, max_bytes);
    if (!f.ok()) return Parsed<std::string>::fail(f.error);
    return Parsed<std::string>{std::move(f.bytes), {}};
}

std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

} // namespace attn

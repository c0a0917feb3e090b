// Shared JSON helpers: reading a whole file into a string with a readable error.
#include "json_util.hpp"

#include "bounded_read.hpp"

namespace attn {

Parsed<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
    FileBytes f = read_file_bounded(path, max_bytes);
    if (!f.ok()) return Parsed<std::string>::fail(f.error);
    return Parsed<std::string>{std::move(f.bytes), {}};
}

} // namespace attn

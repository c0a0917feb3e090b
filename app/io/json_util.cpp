// Shared JSON helpers: reading a whole file into a string with a readable error.
#include "json_util.hpp"

#include <fstream>
#include <sstream>

namespace attn {

Parsed<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return Parsed<std::string>::fail("cannot open " + path);
    std::ostringstream ss;
    ss << f.rdbuf();
    std::string text = ss.str();
    if (text.size() > max_bytes)
        return Parsed<std::string>::fail(path + " is larger than " + std::to_string(max_bytes / 1024) +
                                         " KiB");
    return Parsed<std::string>{std::move(text), {}};
}

} // namespace attn

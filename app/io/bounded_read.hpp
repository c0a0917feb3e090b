// Reading a whole input file safely: the size is checked with stat() before a byte is read, and anything
// that is not a regular file (a folder, /dev/zero, a pipe) is refused with a message saying what it is.
#pragma once

#include "core/message.hpp"

#include <cstddef>
#include <string>

namespace attn {

struct FileBytes {
    std::string bytes;
    Message error; // empty on success: "PATH is a folder, not a file", "cannot open PATH: <reason>", ...
    bool ok() const { return error.empty(); }
};

FileBytes read_file_bounded(const std::string& path, std::size_t max_bytes);

} // namespace attn

// A large file mapped read-only instead of copied: an import converts the weights straight from the page
// cache (a 600 MB import costs one copy instead of three). Another program may shorten the file while it
// is mapped, and a read past its new end raises SIGBUS, which would end the app. While a MappedFile lives,
// a SIGBUS inside its mapping is answered by mapping zero pages over the rest of it, and changed() says so:
// the reader refuses the file instead of using what it read. A SIGBUS anywhere else goes to whatever
// handled it before (by default it still ends the program).
#pragma once

#include "core/message.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace attn {

class MappedFile {
  public:
    // Maps a regular file of at most max_bytes; otherwise error() names the problem and bytes() is empty.
    MappedFile(const std::string& path, std::size_t max_bytes);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const Message& error() const { return error_; }
    std::string_view bytes() const { return {data_ ? data_ : "", size_}; }
    // The file was shortened while mapped: bytes() past its new end have read as zeros since.
    bool changed() const;

  private:
    const char* data_ = nullptr;
    std::size_t size_ = 0;
    int slot_ = -1; // where the SIGBUS handler finds the mapping
    Message error_;
};

} // namespace attn

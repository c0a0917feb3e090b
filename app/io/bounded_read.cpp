// read_file_bounded(): stat, refuse non-regular files and oversized ones, then read exactly that many bytes.
#include "bounded_read.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace attn {

namespace {

std::string size_text(std::size_t bytes) {
    if (bytes >= (std::size_t{1} << 20)) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes >> 10) + " KiB";
}

} // namespace

FileBytes read_file_bounded(const std::string& path, std::size_t max_bytes) {
    FileBytes out;
    if (path.empty()) {
        out.error = message(N_("no file name given"));
        return out;
    }
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not a regular file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        out.error = message(N_("cannot open %s: %s"), path, std::strerror(errno));
        return out;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        out.error = message(N_("cannot open %s: %s"), path, std::strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        out.error = message(N_("%s is a folder, not a file"), path);
    } else if (!S_ISREG(st.st_mode)) {
        out.error =
            message(N_("%s is not a regular file (a device, pipe or socket cannot be read as one)"), path);
    } else if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
        out.error = message(N_("%s is larger than %s (%s bytes)"), path, size_text(max_bytes),
                            static_cast<long long>(st.st_size));
    }
    if (!out.error.empty()) {
        ::close(fd);
        return out;
    }
    // Read at most max_bytes + 1, so a file that grows while it is read is still refused.
    out.bytes.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (true) {
        if (done == out.bytes.size()) {
            if (done > max_bytes) break;
            out.bytes.resize(std::min(max_bytes + 1, done + 4096));
        }
        const ssize_t n = ::read(fd, out.bytes.data() + done, out.bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            out.error = message(N_("cannot read %s: %s"), path, std::strerror(errno));
            break;
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    out.bytes.resize(done);
    if (out.error.empty() && done > max_bytes)
        out.error = message(N_("%s is larger than %s"), path, size_text(max_bytes));
    if (!out.error.empty()) out.bytes.clear();
    return out;
}

} // namespace attn

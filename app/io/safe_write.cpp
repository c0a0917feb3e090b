// safe_write_file(): temp file beside the target, checked writes, fsync, close, rename, fsync of the folder.
#include "safe_write.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

namespace attn {

namespace {

std::mutex g_fault_mutex;
SafeWriteFault g_fault;

int injected(SafeWriteStep step, const std::string& path) {
    std::lock_guard lock(g_fault_mutex);
    return g_fault ? g_fault(step, path) : 0;
}

std::string failure(const std::string& path, int err) {
    return "cannot write " + path + ": " + std::strerror(err);
}

// Folder entries (the rename) reach the disk only when the folder itself is synced. Best effort: some
// filesystems refuse fsync on a directory, which does not make the save fail.
void sync_folder(const std::string& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace

void set_safe_write_fault(SafeWriteFault fault) {
    std::lock_guard lock(g_fault_mutex);
    g_fault = std::move(fault);
}

std::string safe_write_file(const std::string& path, std::string_view bytes) {
    if (path.empty()) return "cannot write: no file name given";
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return failure(path, EISDIR);
    const std::string dir = std::filesystem::path(path).parent_path().string();
    // A name no other writer uses (pid + counter, O_EXCL), starting with a dot so file managers hide it.
    // Created 0666 so the kernel applies the umask, as for any new file (mkstemp would give 0600).
    static std::atomic<unsigned> counter{0};
    const std::string stem = (dir.empty() ? std::string{} : dir + "/") + "." +
                             std::filesystem::path(path).filename().string() + "." +
                             std::to_string(::getpid()) + ".";
    std::string tmp;
    int err = injected(SafeWriteStep::Open, path);
    int fd = -1;
    for (int attempt = 0; err == 0 && fd < 0; ++attempt) {
        tmp = stem + std::to_string(counter.fetch_add(1)) + ".tmp";
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && (errno != EEXIST || attempt > 100)) err = errno;
    }
    if (err != 0) return failure(path, err);
    const auto give_up = [&](int e) {
        if (fd >= 0) ::close(fd);
        ::unlink(tmp.c_str());
        return failure(path, e);
    };
    // Keep the permissions of the file being replaced.
    if (::stat(path.c_str(), &st) == 0) ::fchmod(fd, st.st_mode & 07777);
    std::size_t done = 0;
    while (done < bytes.size()) {
        if ((err = injected(SafeWriteStep::Write, path)) != 0) return give_up(err);
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return give_up(errno);
        }
        done += static_cast<std::size_t>(n);
    }
    if ((err = injected(SafeWriteStep::Sync, path)) != 0) return give_up(err);
    if (::fsync(fd) != 0) return give_up(errno);
    err = injected(SafeWriteStep::Close, path);
    const int closed = ::close(fd);
    fd = -1;
    if (err == 0 && closed != 0) err = errno;
    if (err != 0) return give_up(err);
    if ((err = injected(SafeWriteStep::Rename, path)) != 0) return give_up(err);
    if (::rename(tmp.c_str(), path.c_str()) != 0) return give_up(errno);
    sync_folder(dir);
    return {};
}

} // namespace attn

// safe_write_file(): temp file beside the target, checked writes, fsync, close, rename, fsync of the folder.
#include "safe_write.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <signal.h>
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

Message failure(const std::string& path, int err) {
    return message(N_("cannot write %s: %s"), path, std::strerror(err));
}

// Folder entries (the rename) reach the disk only when the folder itself is synced. Best effort: some
// filesystems refuse fsync on a directory, which does not make the save fail.
void sync_folder(const std::string& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

// Temporary files of earlier saves of `name` whose process died before the rename (killed, power lost):
// ".NAME.PID.N.tmp" where PID no longer runs. They hold no one's data, so a later save of the same file
// removes them.
void remove_orphans(const std::string& dir, const std::string& name) {
    std::error_code ec;
    const std::string prefix = "." + name + ".";
    for (const auto& entry : std::filesystem::directory_iterator(dir.empty() ? "." : dir, ec)) {
        const std::string f = entry.path().filename().string();
        if (f.size() <= prefix.size() + 4 || f.compare(0, prefix.size(), prefix) != 0 ||
            f.compare(f.size() - 4, 4, ".tmp") != 0)
            continue;
        const std::string rest = f.substr(prefix.size(), f.size() - prefix.size() - 4); // "PID.N"
        const auto dot = rest.find('.');
        if (dot == std::string::npos || dot == 0 || dot > 9) continue;
        if (rest.find_first_not_of("0123456789.") != std::string::npos) continue;
        const pid_t pid = static_cast<pid_t>(std::stol(rest.substr(0, dot)));
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) ::unlink(entry.path().c_str());
    }
}

} // namespace

void set_safe_write_fault(SafeWriteFault fault) {
    std::lock_guard lock(g_fault_mutex);
    g_fault = std::move(fault);
}

std::string safe_write_file(const std::string& path, std::string_view bytes) {
    return english(safe_write(path, bytes));
}

Message safe_write(const std::string& path, std::string_view bytes) {
    bool given = false;
    return safe_write_pieces_message(path, [&]() -> std::string_view {
        if (given) return {};
        given = true;
        return bytes.empty() ? std::string_view{} : bytes;
    });
}

std::string safe_write_pieces(const std::string& path, const SafeWriteSource& next) {
    return english(safe_write_pieces_message(path, next));
}

Message safe_write_pieces_message(const std::string& path, const SafeWriteSource& next) {
    if (path.empty()) return message(N_("cannot write: no file name given"));
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return failure(path, EISDIR);
    const std::string dir = std::filesystem::path(path).parent_path().string();
    // A name no other writer uses (pid + counter, O_EXCL), starting with a dot so file managers hide it.
    // Created 0666 so the kernel applies the umask, as for any new file (mkstemp would give 0600).
    static std::atomic<unsigned> counter{0};
    remove_orphans(dir, std::filesystem::path(path).filename().string());
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
    for (std::string_view bytes = next(); !bytes.empty(); bytes = next()) {
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

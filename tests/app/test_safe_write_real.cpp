// Saves against real failures, not the injection hook: a process killed in the middle of a save, a file
// size limit the kernel enforces (EFBIG, as a full disk gives ENOSPC), and a real full filesystem (a
// 64 KiB tmpfs, when the tests run as root and may mount one). Each save runs in a child process so the
// kill and the limits touch only it; the parent checks what is left on disk.
#include "app/io/safe_write.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sched.h>
#include <sstream>
#include <string>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace attn;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// Runs `child` in a forked process and returns its wait status.
template <class F> int in_child(F child) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int code = child();
        std::_Exit(code);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

const std::string k_old = "{\"format\": \"attention-lab session\", \"old\": true}\n";

} // namespace

TEST_CASE("a save killed half-way leaves the old file as it was") {
    test::TempDir d;
    const std::string p = d.file("session.json");
    d.write("session.json", k_old);
    const std::string piece(1 << 20, 'x');
    // The child writes 8 MiB and is killed (SIGKILL: no handler, no clean-up) after the fourth MiB.
    const int status = in_child([&] {
        int given = 0;
        safe_write_pieces(p, [&]() -> std::string_view {
            if (given == 4) ::raise(SIGKILL);
            return ++given <= 8 ? std::string_view(piece) : std::string_view{};
        });
        return 0;
    });
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    CHECK(slurp(p) == k_old);
    CHECK(d.entries() == 2); // the old file and the dead save's temporary file
    // The next save over it works, replaces it completely and removes the dead save's temporary file.
    CHECK(safe_write_file(p, "new") == "");
    CHECK(slurp(p) == "new");
    CHECK(d.entries() == 1);
}

TEST_CASE("a save beyond the kernel's file size limit fails with the reason and keeps the old file") {
    test::TempDir d;
    const std::string p = d.file("prefs.json");
    d.write("prefs.json", k_old);
    const std::string temp_marker = d.file("result.txt");
    const int status = in_child([&] {
        std::signal(SIGXFSZ, SIG_IGN); // the write then fails with EFBIG instead of killing the process
        rlimit lim{4096, 4096};
        if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) return 3;
        const std::string e = safe_write_file(p, std::string(64 * 1024, 'y'));
        lim = {RLIM_INFINITY, RLIM_INFINITY};
        ::setrlimit(RLIMIT_FSIZE, &lim); // lowering is allowed, raising back is not for non-root: best effort
        std::ofstream(temp_marker) << e;
        return e.empty() ? 1 : 0;
    });
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    const std::string message = slurp(temp_marker);
    CHECK(message.find("cannot write " + p) == 0);
    CHECK(message.find(std::strerror(EFBIG)) != std::string::npos);
    CHECK(slurp(p) == k_old);
    CHECK(d.entries() == 2); // the old file and the child's note: no temporary file left
}

TEST_CASE("a save on a full filesystem fails with the reason and keeps the old file") {
    if (::geteuid() != 0) {
        MESSAGE(
            "not root: a tmpfs cannot be mounted here; the file size limit test covers the write failure");
        return;
    }
    test::TempDir d;
    const std::string mnt = d.file("small");
    std::filesystem::create_directories(mnt);
    const std::string p = mnt + "/session.json", report = d.file("result.txt");
    // A private mount namespace: the tmpfs exists only for the child and disappears with it.
    const int status = in_child([&] {
        if (::unshare(CLONE_NEWNS) != 0) return 10;
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
        if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=64k") != 0) return 11;
        { std::ofstream(p) << k_old; }
        const std::string e = safe_write_file(p, std::string(256 * 1024, 'z'));
        const bool kept = slurp(p) == k_old;
        std::size_t left = 0;
        for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(mnt))
            ++left;
        std::ofstream(report) << e;
        if (e.empty()) return 1;
        if (!kept) return 2;
        return left == 1 ? 0 : 3;
    });
    REQUIRE(WIFEXITED(status));
    const int code = WEXITSTATUS(status);
    if (code == 10 || code == 11) {
        MESSAGE("this machine refuses a private tmpfs mount (code ", code,
                "); covered by the size limit test");
        return;
    }
    CHECK(code == 0); // 1: reported success, 2: old file damaged, 3: temporary file left behind
    const std::string message = slurp(report);
    CHECK(message.find("cannot write " + p) == 0);
    CHECK(message.find(std::strerror(ENOSPC)) != std::string::npos);
}

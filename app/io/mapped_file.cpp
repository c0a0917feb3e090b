// MappedFile and its SIGBUS guard (mapped_file.hpp). The handler finds the faulting address in a fixed
// table of live mappings (atomics only: no lock or allocation in a signal handler), maps anonymous zero
// pages from the faulting page to the end of that mapping (the file's tail is gone, not just one page) and
// marks the mapping; the read that faulted then runs again and reads zeros.
#include "mapped_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace attn {

namespace {

struct Guarded {
    std::atomic<std::uintptr_t> begin{0}; // 0: the slot is free
    std::atomic<std::size_t> size{0};
    std::atomic<bool> shortened{false};
};
constexpr int k_slots = 32; // mappings guarded at once (one per import in progress)
Guarded g_slots[k_slots];
struct sigaction g_previous {};
std::uintptr_t g_page = 4096;

void on_sigbus(int sig, siginfo_t* info, void* context) {
    const auto at = reinterpret_cast<std::uintptr_t>(info->si_addr);
    for (Guarded& g : g_slots) {
        const std::uintptr_t begin = g.begin.load(std::memory_order_acquire);
        const std::size_t size = g.size.load(std::memory_order_acquire);
        if (begin == 0 || at < begin || at >= begin + size) continue;
        const std::uintptr_t page = begin + (at - begin) / g_page * g_page;
        void* zeros = ::mmap(reinterpret_cast<void*>(page), begin + size - page, PROT_READ,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (zeros == MAP_FAILED) break; // cannot repair: handled as if it were not ours
        g.shortened.store(true, std::memory_order_release);
        return;
    }
    if ((g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_sigaction) {
        g_previous.sa_sigaction(sig, info, context);
    } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
        g_previous.sa_handler(sig);
    } else {
        // The default action: restored, and the faulting read runs again and raises it.
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        ::sigaction(SIGBUS, &dfl, nullptr);
    }
}

void install_handler() {
    static std::once_flag once;
    std::call_once(once, [] {
        const long page = ::sysconf(_SC_PAGESIZE);
        if (page > 0) g_page = static_cast<std::uintptr_t>(page);
        struct sigaction sa {};
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        ::sigaction(SIGBUS, &sa, &g_previous);
    });
}

int guard(const char* data, std::size_t size) {
    install_handler();
    for (int i = 0; i < k_slots; ++i) {
        std::uintptr_t expected = 0;
        Guarded& g = g_slots[i];
        // a free slot's size is 0, so the handler skips it until the size is stored after the address
        if (g.begin.compare_exchange_strong(expected, reinterpret_cast<std::uintptr_t>(data))) {
            g.shortened.store(false, std::memory_order_release);
            g.size.store(size, std::memory_order_release);
            return i;
        }
    }
    return -1;
}

} // namespace

MappedFile::MappedFile(const std::string& path, std::size_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        error_ = message(N_("cannot open %s: %s"), path, std::strerror(errno));
        return;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        error_ = message(N_("cannot open %s: %s"), path, std::strerror(errno));
    else if (S_ISDIR(st.st_mode))
        error_ = message(N_("%s is a folder, not a file"), path);
    else if (!S_ISREG(st.st_mode))
        error_ =
            message(N_("%s is not a regular file (a device, pipe or socket cannot be read as one)"), path);
    else if (static_cast<unsigned long long>(st.st_size) > max_bytes)
        error_ = message(N_("%s is larger than an import may be (%s MiB)"), path, max_bytes >> 20);
    else if (st.st_size > 0) {
        size_ = static_cast<std::size_t>(st.st_size);
        void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (p == MAP_FAILED) {
            error_ = message(N_("cannot read %s: %s"), path, std::strerror(errno)), size_ = 0;
        } else {
            data_ = static_cast<const char*>(p);
            slot_ = guard(data_, size_);
            if (slot_ < 0) {
                ::munmap(p, size_);
                data_ = nullptr, size_ = 0;
                error_ = message(N_("cannot read %s: too many files are being read at once"), path);
            }
        }
    }
    ::close(fd);
}

MappedFile::~MappedFile() {
    if (slot_ >= 0) {
        Guarded& g = g_slots[slot_];
        g.size.store(0, std::memory_order_release);
        g.begin.store(0, std::memory_order_release);
    }
    if (data_) ::munmap(const_cast<char*>(data_), size_);
}

bool MappedFile::changed() const {
    return slot_ >= 0 && g_slots[slot_].shortened.load(std::memory_order_acquire);
}

} // namespace attn

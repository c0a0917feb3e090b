// WorkerTeam: workers spin briefly between jobs (phases of a forward pass follow each other within
// microseconds, and waking a sleeping thread costs far more on a VM), then sleep on a condition variable.
// The caller counts finished tasks, so a worker the OS did not schedule never delays run().
#include "parallel.hpp"

#include <sys/mman.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <limits>

namespace attn {

namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

constexpr auto k_spin_time = std::chrono::microseconds(100);

} // namespace

int hardware_threads() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

WorkerTeam::WorkerTeam(int n_threads) {
    const int n = n_threads > 0 ? n_threads : hardware_threads();
    workers_.reserve(static_cast<std::size_t>(n - 1));
    for (int t = 1; t < n; ++t)
        workers_.emplace_back([this, t] { worker_loop(t); });
}

WorkerTeam::~WorkerTeam() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    for (std::thread& w : workers_)
        w.join();
}

void WorkerTeam::drain(Job& job, int thread) {
    for (int task = job.next.fetch_add(1, std::memory_order_relaxed); task < job.n_tasks;
         task = job.next.fetch_add(1, std::memory_order_relaxed)) {
        (*job.fn)(task, thread);
        job.done.fetch_add(1, std::memory_order_release);
    }
}

void WorkerTeam::run(int n_tasks, const std::function<void(int, int)>& fn) {
    if (n_tasks <= 0) return;
    if (workers_.empty() || n_tasks == 1) {
        for (int task = 0; task < n_tasks; ++task)
            fn(task, 0);
        return;
    }
    auto job = std::make_shared<Job>();
    job->fn = &fn;
    job->n_tasks = n_tasks;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        job_ = job;
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    drain(*job, 0);
    for (int spins = 0; job->done.load(std::memory_order_acquire) != n_tasks; ++spins) {
        if (spins < 4096)
            cpu_relax();
        else
            std::this_thread::yield();
    }
}

void WorkerTeam::worker_loop(int thread) {
    unsigned seen = 0;
    for (;;) {
        const auto spin_until = std::chrono::steady_clock::now() + k_spin_time;
        int spins = 0;
        while (generation_.load(std::memory_order_acquire) == seen) {
            cpu_relax();
            if (++spins % 64 == 0 && std::chrono::steady_clock::now() > spin_until) {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
            }
        }
        std::shared_ptr<Job> job;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stop_) return;
            seen = generation_.load(std::memory_order_acquire);
            job = job_;
        }
        if (job) drain(*job, thread);
    }
}

// A fresh buffer of several MiB about to be written once in full: asks the kernel for 2 MiB pages where
// the buffer covers whole ones, so filling it takes a few hundred page faults instead of a thousand per
// 4 MiB head (a 600 MB import spent a third of its time in faults). Only a hint; ignored where unsupported.
void advise_huge_pages(void* data, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
    constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
    const auto begin = (reinterpret_cast<std::uintptr_t>(data) + huge - 1) & ~(huge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(huge - 1);
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
    (void)data, (void)bytes;
#endif
}

void keep_freed_heap() {
#if defined(__GLIBC__)
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

std::shared_ptr<float[]> huge_page_floats(std::size_t count) {
    constexpr std::size_t huge = std::size_t{2} << 20;
    if (count > (std::numeric_limits<std::size_t>::max() - huge) / sizeof(float)) return nullptr;
    const std::size_t bytes = (std::max<std::size_t>(count * sizeof(float), 1) + huge - 1) & ~(huge - 1);
    auto* p = static_cast<float*>(std::aligned_alloc(huge, bytes));
    if (!p) return nullptr;
    advise_huge_pages(p, bytes);
    return std::shared_ptr<float[]>(p, [](float* q) { std::free(q); });
}

} // namespace attn

// A small team of worker threads for splitting one computation over the machine's cores.
// The caller owns the team (the core keeps no global state); run() hands tasks out through an atomic
// counter, so uneven tasks balance themselves, and the calling thread works too. run() returns when
// every task is finished, without waiting for workers that were not scheduled in time (a shared machine).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace attn {

// std::thread::hardware_concurrency(), at least 1.
int hardware_threads();

class WorkerTeam {
  public:
    // n_threads counts the calling thread too; 0 means hardware_threads(). 1 runs everything inline.
    explicit WorkerTeam(int n_threads = 0);
    ~WorkerTeam();
    WorkerTeam(const WorkerTeam&) = delete;
    WorkerTeam& operator=(const WorkerTeam&) = delete;

    int size() const { return static_cast<int>(workers_.size()) + 1; }
    // Calls fn(task, thread) for every task in [0, n_tasks); thread is in [0, size()). Returns when all
    // tasks are done. Not reentrant: fn must not call run() on the same team.
    void run(int n_tasks, const std::function<void(int task, int thread)>& fn);

  private:
    struct Job {
        const std::function<void(int, int)>* fn = nullptr; // only called for a task index below n_tasks
        int n_tasks = 0;
        std::atomic<int> next{0}; // next task to hand out; may run past n_tasks
        std::atomic<int> done{0}; // finished tasks
    };
    void worker_loop(int thread);
    static void drain(Job& job, int thread);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::shared_ptr<Job> job_;            // the current job; a late worker keeps the old one alive
    std::atomic<unsigned> generation_{0}; // bumped for every job
    bool stop_ = false;
};

// A fresh buffer of several MiB that is about to be written in full (one head of an import, a copy of it):
// asks the kernel for 2 MiB pages over the part that covers whole ones. A hint; ignored where unsupported.
void advise_huge_pages(void* data, std::size_t bytes);

// Keeps up to 128 MiB of freed heap in the process instead of handing it back to the kernel, and serves
// blocks below 32 MiB from the heap. Programs that allocate and free the same megabytes over and over (a
// forward pass's intermediates on every edit; a software OpenGL's scratch memory every frame) would
// otherwise page-fault them in again each time. Call once at start-up; glibc only (elsewhere no effect).
void keep_freed_heap();

// `count` floats, uninitialised, in memory aligned to 2 MiB and advised as huge pages (an import's
// hundreds of MiB fault in 512 times less often). Null when the memory cannot be had.
std::shared_ptr<float[]> huge_page_floats(std::size_t count);

} // namespace attn

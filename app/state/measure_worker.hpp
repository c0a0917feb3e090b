// Live measurement of attention's cost: naive (matrix form) and flash attention of one head timed at
// n = 64 … 8192 on a worker thread. The worker owns a copy of its request, publishes progress through a
// mutex-protected snapshot, stops soon after cancel(), and joins in its destructor. It never sees UI state.
#pragma once

#include "core/config.hpp"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace attn {

struct MeasureRequest {
    std::vector<int> sizes; // sequence lengths n, in the order they are run
    int d_head = 64;
    MaskKind mask = MaskKind::Bidirectional;
    int window = 0;                                  // for SlidingWindow
    double naive_budget_bytes = 256.0 * 1024 * 1024; // naive sizes needing more are skipped
    int flash_block = 64;                            // flash tile size (block_q = block_k)
    double min_seconds = 0.05; // best of 3+ runs per size, more while under this time (max_repeats caps)
    int max_repeats = 5;
    std::uint64_t seed = 1;

    static std::vector<int> doubling(int from, int to); // from, 2·from, … up to to
};

struct MeasurePoint {
    int n = 0;
    bool naive_skipped = false; // naive's matrices exceed the budget
    double naive_bytes = 0;     // scores + weights of one head: 2 · 4 · n² bytes
    double naive_seconds = 0;   // best of the repeats, one head
    double flash_seconds = 0;
    double max_abs_diff = 0; // max |naive − flash| over the output (0 when naive was skipped)
};

struct MeasureSnapshot {
    bool running = false;
    bool finished = false; // ran to the end
    bool cancelled = false;
    double progress = 0; // 0 … 1, by estimated work (∝ n²)
    std::string current; // what is being timed right now
    std::vector<MeasurePoint> points;
    std::vector<std::string> notes; // e.g. "n = 8192: naive skipped, needs 512 MiB"
};

// The bytes the naive matrix form holds for one head: scores and weights, (n, n) fp32 each.
double naive_measure_bytes(int n);

class MeasureWorker {
  public:
    MeasureWorker() = default;
    MeasureWorker(const MeasureWorker&) = delete;
    MeasureWorker& operator=(const MeasureWorker&) = delete;
    ~MeasureWorker(); // cancels and joins

    // Starts a run on a new thread; refuses (returns a message) while one is running or when the request
    // is invalid. Returns "" when started.
    std::string start(const MeasureRequest& request);
    void cancel(); // asks the thread to stop; returns at once
    void join();   // waits for the thread (if any)
    bool running() const;
    MeasureSnapshot snapshot() const;

  private:
    void run(MeasureRequest request);
    void publish(const MeasureSnapshot& s);

    std::thread thread_;
    std::atomic<bool> cancel_{false};
    std::atomic<bool> running_{false};
    mutable std::mutex mutex_;
    MeasureSnapshot snapshot_; // guarded by mutex_
};

} // namespace attn

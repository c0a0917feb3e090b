// FlashWorker: computes what the Flash panel shows (flash_view.hpp) on a background thread, so no trace or
// timing loop runs inside a frame. It owns copies of one head's Q, K, V; the newest request wins. Results
// come back in two stages: the trace and outputs first, then the timings of the three implementations.
#pragma once

#include "app/state/flash_view.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace attn {

class FlashWorker {
  public:
    FlashWorker() = default;
    FlashWorker(const FlashWorker&) = delete;
    FlashWorker& operator=(const FlashWorker&) = delete;
    ~FlashWorker(); // stops after the stage it is in, and joins

    // Asks for the view of `key`; replaces a request not yet started. q, k, v (n_tokens, d_head).
    void request(const FlashViewKey& key, const Matrix& q, const Matrix& k, const Matrix& v,
                 const AttentionParams& p);
    // The key of the last request (whether done or not); nullopt before the first.
    std::optional<FlashViewKey> requested() const;
    bool busy() const; // a request is waiting or being worked on
    // Each result is handed out once.
    std::optional<FlashViewData> take_view();
    std::optional<FlashTimings> take_timings();

  private:
    struct Job {
        FlashViewKey key;
        Matrix q, k, v; // (n_tokens, d_head)
        AttentionParams params;
    };
    void run();

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::thread thread_; // started by the first request
    bool stop_ = false, working_ = false;
    std::optional<Job> pending_;
    std::optional<FlashViewKey> requested_;
    std::optional<FlashViewData> view_;
    std::optional<FlashTimings> timings_;
};

} // namespace attn

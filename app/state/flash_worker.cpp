// The Flash panel's background thread (see flash_worker.hpp): one long-lived thread that waits for a
// request, traces the sweep, publishes it, then times the three implementations unless a newer request
// is already waiting (its timings would be stale before they were shown).
#include "flash_worker.hpp"

namespace attn {

FlashWorker::~FlashWorker() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void FlashWorker::request(const FlashViewKey& key, const Matrix& q, const Matrix& k, const Matrix& v,
                          const AttentionParams& p) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        pending_ = Job{key, q, k, v, p};
        requested_ = key;
        if (!thread_.joinable()) thread_ = std::thread(&FlashWorker::run, this);
    }
    cv_.notify_all();
}

std::optional<FlashViewKey> FlashWorker::requested() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requested_;
}

bool FlashWorker::busy() const {
    std::lock_guard<std::mutex> lock(mu_);
    return working_ || pending_.has_value();
}

std::optional<FlashViewData> FlashWorker::take_view() {
    std::lock_guard<std::mutex> lock(mu_);
    std::optional<FlashViewData> out = std::move(view_);
    view_.reset();
    return out;
}

std::optional<FlashTimings> FlashWorker::take_timings() {
    std::lock_guard<std::mutex> lock(mu_);
    std::optional<FlashTimings> out = std::move(timings_);
    timings_.reset();
    return out;
}

void FlashWorker::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [&] { return stop_ || pending_.has_value(); });
            if (stop_) return;
            job = std::move(*pending_);
            pending_.reset();
            working_ = true;
        }
        FlashViewData data = compute_flash_view(job.key, job.q, job.k, job.v, job.params, false);
        {
            std::lock_guard<std::mutex> lock(mu_);
            view_ = std::move(data);
            if (stop_ || pending_) {
                working_ = false;
                continue;
            }
        }
        FlashTimings t = time_flash_view(job.key, job.q, job.k, job.v, job.params);
        std::lock_guard<std::mutex> lock(mu_);
        timings_ = t;
        working_ = false;
    }
}

} // namespace attn

// The background computation of derived data (see derived_worker.hpp): one long-lived thread that waits
// for a state, computes it, and hands the result over.
#include "derived_worker.hpp"

namespace attn {

bool derived_in_background(const AppState& state) {
    return !state.imported && live_matrix_bytes(state.config, state.n_tokens()) > 24.0 * 1024.0 * 1024.0;
}

DerivedWorker::~DerivedWorker() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void DerivedWorker::request(const AppState& state) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (requested_ == state.revision && (working_ || pending_)) return;
        pending_ = std::make_shared<const AppState>(state);
        requested_ = state.revision;
        if (!thread_.joinable()) thread_ = std::thread(&DerivedWorker::run, this);
    }
    cv_.notify_all();
}

bool DerivedWorker::busy() const {
    std::lock_guard<std::mutex> lock(mu_);
    return working_ || pending_ != nullptr;
}

std::uint64_t DerivedWorker::requested_revision() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requested_;
}

std::optional<DerivedWorker::Result> DerivedWorker::take() {
    std::lock_guard<std::mutex> lock(mu_);
    std::optional<Result> out = std::move(result_);
    result_.reset();
    return out;
}

void DerivedWorker::run() {
    for (;;) {
        std::shared_ptr<const AppState> state;
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [&] { return stop_ || pending_ != nullptr; });
            if (stop_) return;
            state = std::move(pending_);
            pending_.reset();
            working_ = true;
        }
        Derived d = compute_derived(*state);
        std::lock_guard<std::mutex> lock(mu_);
        result_ = Result{std::move(state), std::move(d)};
        working_ = false;
    }
}

} // namespace attn

// DerivedWorker: compute_derived() for a large state on a background thread, so an edit at 2,048 tokens
// does not freeze the window for the second the forward pass and its n × n matrices take. The frame loop
// keeps showing the previous result, with the state it was computed from, until the new one arrives.
// It owns a copy of the state it computes; the newest request wins.
#pragma once

#include "app/state/app_state.hpp"
#include "app/state/derived.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace attn {

// Whether computing `state` takes long enough to leave the frame thread: the attention matrices it keeps
// (live_matrix_bytes) exceed 24 MiB, about 600 tokens with 8 heads in one layer.
bool derived_in_background(const AppState& state);

class DerivedWorker {
  public:
    DerivedWorker() = default;
    DerivedWorker(const DerivedWorker&) = delete;
    DerivedWorker& operator=(const DerivedWorker&) = delete;
    ~DerivedWorker(); // finishes the computation in progress, then joins

    // Computes `state` unless its revision is already being computed or waiting; replaces a request not
    // yet started.
    void request(const AppState& state);
    bool busy() const;                        // a request is waiting or being computed
    std::uint64_t requested_revision() const; // the last request's revision (0 before the first)

    struct Result {
        std::shared_ptr<const AppState> state; // what was computed
        Derived derived;
    };
    std::optional<Result> take(); // each result is handed out once

  private:
    void run();

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::thread thread_; // started by the first request
    bool stop_ = false, working_ = false;
    std::shared_ptr<const AppState> pending_;
    std::uint64_t requested_ = 0;
    std::optional<Result> result_;
};

} // namespace attn

// TrainWorker: trains a tiny transformer on a background thread for the Training panel. It owns copies of
// its inputs, reports progress (loss and accuracy curves, snapshots of the weights) under a mutex, can be
// paused, resumed and reset, and never touches UI or app state. The frame loop only reads progress().
#pragma once

#include "core/message.hpp"
#include "core/train/tiny_model.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace attn {

struct TrainRequest {
    std::string task = "pronoun";
    int size = 1; // 0 small (d_model 16), 1 medium (32), 2 large (64)
    int n_layers = 2;
    int n_heads = 2;
    int n_kv_heads = 2;
    bool mlp = false;
    int steps = 1000;
    float lr = 3e-3f;
    std::uint64_t seed = 2;
    int snapshot_every = 20; // steps between weight snapshots for the heatmaps
    int eval_every = 50;     // steps between held-out evaluations
};

// Empty when the request can run, otherwise one readable sentence (a message the panel shows translated).
Message validate(const TrainRequest& r);

enum class TrainPhase { Idle, Preparing, Running, Paused, Finished, Stopped };
const char* to_string(TrainPhase);

struct TrainProgress {
    TrainPhase phase = TrainPhase::Idle;
    int step = 0, total = 0;
    double seconds = 0;                                 // training time so far (pauses excluded)
    std::vector<double> loss_step, loss;                // mean training loss over each snapshot interval
    std::vector<double> eval_step, accuracy, attention; // held-out accuracy, best head's attention criterion
    int best_layer = -1, best_head = -1;
    std::shared_ptr<const train::TinyModel> snapshot; // latest weights
    std::uint64_t snapshot_id = 0;                    // grows with every new snapshot
    int snapshot_step = 0;
};

class TrainWorker {
  public:
    TrainWorker() = default;
    TrainWorker(const TrainWorker&) = delete;
    TrainWorker& operator=(const TrainWorker&) = delete;
    ~TrainWorker(); // stops and joins

    // Starts a new run (stopping any current one). Returns a refusal message, or empty when started.
    Message start(const TrainRequest& r);
    void pause();
    void resume();
    void reset(); // stops and forgets the run
    TrainProgress progress() const;

  private:
    void stop_and_join();
    void run(TrainRequest r);

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    bool paused_ = false;
    TrainProgress p_;
};

} // namespace attn

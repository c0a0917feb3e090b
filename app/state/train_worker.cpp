// The training thread behind the Training panel (see train_worker.hpp).
#include "train_worker.hpp"

#include "core/train/tasks.hpp"
#include "core/train/trainer.hpp"

#include <algorithm>
#include <chrono>

namespace attn {

const char* to_string(TrainPhase p) {
    switch (p) {
    case TrainPhase::Idle:
        return "idle";
    case TrainPhase::Preparing:
        return "preparing data";
    case TrainPhase::Running:
        return "training";
    case TrainPhase::Paused:
        return "paused";
    case TrainPhase::Finished:
        return "finished";
    case TrainPhase::Stopped:
        return "stopped";
    }
    return "?";
}

Message validate(const TrainRequest& r) {
    const auto& names = train::task_names();
    if (std::find(names.begin(), names.end(), r.task) == names.end())
        return message(N_("Unknown task \"%s\"."), r.task);
    if (r.size < 0 || r.size > 2) return message(N_("Choose a model size: small, medium or large."));
    if (r.n_layers < 1 || r.n_layers > 4) return message(N_("Train 1 to 4 layers here."));
    if (r.n_heads < 1 || r.n_heads > 8) return message(N_("Train 1 to 8 heads per layer here."));
    if (r.n_kv_heads < 1 || r.n_heads % r.n_kv_heads != 0)
        return message(N_("Key/value heads must divide the query heads (%s)."), r.n_heads);
    if (r.steps < 1 || r.steps > 20000) return message(N_("Steps must be 1 to 20,000."));
    if (!(r.lr >= 1e-5f && r.lr <= 0.1f))
        return message(N_("The learning rate must be between 0.00001 and 0.1."));
    if (r.snapshot_every < 1 || r.eval_every < 1)
        return message(N_("Snapshot and evaluation intervals must be at least 1."));
    return {};
}

TrainWorker::~TrainWorker() {
    stop_and_join();
}

void TrainWorker::stop_and_join() {
    {
        std::lock_guard<std::mutex> lock(mu_); // under the lock, so a waiting thread cannot miss it
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    stop_ = false;
}

Message TrainWorker::start(const TrainRequest& r) {
    if (auto why = validate(r); !why.empty()) return why;
    stop_and_join();
    {
        std::lock_guard<std::mutex> lock(mu_);
        paused_ = false;
        p_ = TrainProgress{};
        p_.phase = TrainPhase::Preparing;
        p_.total = r.steps;
    }
    thread_ = std::thread(&TrainWorker::run, this, r);
    return {};
}

void TrainWorker::pause() {
    std::lock_guard<std::mutex> lock(mu_);
    if (p_.phase == TrainPhase::Running) paused_ = true, p_.phase = TrainPhase::Paused;
}

void TrainWorker::resume() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (p_.phase != TrainPhase::Paused) return;
        paused_ = false;
        p_.phase = TrainPhase::Running;
    }
    cv_.notify_all();
}

void TrainWorker::reset() {
    stop_and_join();
    std::lock_guard<std::mutex> lock(mu_);
    paused_ = false;
    p_ = TrainProgress{};
}

TrainProgress TrainWorker::progress() const {
    std::lock_guard<std::mutex> lock(mu_);
    return p_;
}

void TrainWorker::run(TrainRequest r) {
    using clock = std::chrono::steady_clock;
    const train::TaskData data = train::make_task(r.task, r.seed);
    ModelConfig c = train::sized_config(data, r.size, r.n_layers, r.n_heads, r.n_kv_heads, r.mlp);
    train::TinyModel init = train::init_model(c, data.vocab, r.seed);
    init.task = data.name;
    init.data_seed = r.seed;
    train::TrainOptions o;
    o.steps = r.steps;
    o.lr = r.lr;
    o.seed = r.seed;
    o.warmup = std::min(50, std::max(1, r.steps / 10));
    o.n_threads = 1; // the other core keeps the UI smooth
    train::Trainer trainer(std::move(init), data, o);
    {
        std::lock_guard<std::mutex> lock(mu_);
        p_.snapshot = std::make_shared<const train::TinyModel>(trainer.model());
        ++p_.snapshot_id;
        if (p_.phase == TrainPhase::Preparing) p_.phase = TrainPhase::Running;
    }
    double train_s = 0, loss_sum = 0;
    int loss_n = 0;
    for (int s = 1; s <= r.steps; ++s) {
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [&] { return !paused_ || stop_; });
        }
        if (stop_) break;
        const auto t0 = clock::now();
        loss_sum += trainer.step();
        ++loss_n;
        const bool snap = s % r.snapshot_every == 0 || s == r.steps;
        const bool eval = s % r.eval_every == 0 || s == r.steps;
        train::Evaluation ev;
        if (eval) ev = train::evaluate(trainer.model(), data.held_out, data.attention_layer, 200);
        std::shared_ptr<const train::TinyModel> model;
        if (snap) model = std::make_shared<const train::TinyModel>(trainer.model());
        train_s += std::chrono::duration<double>(clock::now() - t0).count();
        std::lock_guard<std::mutex> lock(mu_);
        p_.step = s;
        p_.seconds = train_s;
        if (snap) {
            p_.loss_step.push_back(s);
            p_.loss.push_back(loss_sum / loss_n);
            loss_sum = 0;
            loss_n = 0;
            p_.snapshot = std::move(model);
            p_.snapshot_step = s;
            ++p_.snapshot_id;
        }
        if (eval) {
            p_.eval_step.push_back(s);
            p_.accuracy.push_back(ev.accuracy);
            p_.attention.push_back(ev.attention_hit);
            p_.best_layer = ev.best_layer;
            p_.best_head = ev.best_head;
        }
    }
    std::lock_guard<std::mutex> lock(mu_);
    p_.phase = stop_ ? TrainPhase::Stopped : TrainPhase::Finished;
}

} // namespace attn

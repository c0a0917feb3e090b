// The measurement thread: random Q, K, V of one head per size, naive attention (attention_matrix_into) and
// attention_flash timed (best of a few runs), results published after every step. cancel() is checked between
// runs, so the thread stops within one attention call.
#include "measure_worker.hpp"

#include "core/attention.hpp"
#include "core/rng.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace attn {

namespace {

Matrix random_matrix(Rng& rng, int rows, int cols) {
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(rng.normal());
    return m;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string mib(double bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f MiB", bytes / (1024.0 * 1024.0));
    return buf;
}

} // namespace

std::vector<int> MeasureRequest::doubling(int from, int to) {
    std::vector<int> v;
    for (long long n = std::max(1, from); n <= to; n *= 2)
        v.push_back(static_cast<int>(n));
    return v;
}

double naive_measure_bytes(int n) {
    return 2.0 * 4.0 * static_cast<double>(n) * static_cast<double>(n);
}

MeasureWorker::~MeasureWorker() {
    cancel();
    join();
}

std::string MeasureWorker::start(const MeasureRequest& request) {
    if (running_.load()) return "a measurement is already running";
    if (request.sizes.empty()) return "no sizes to measure";
    for (int n : request.sizes)
        if (n < 1 || n > (1 << 16)) return "sizes must be between 1 and 65536, not " + std::to_string(n);
    if (request.d_head < 1 || request.d_head > 1024) return "d_head must be between 1 and 1024";
    join(); // a finished thread must be joined before its object is reused
    cancel_ = false;
    running_ = true;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        snapshot_ = MeasureSnapshot{};
        snapshot_.running = true;
    }
    thread_ = std::thread(&MeasureWorker::run, this, request); // the thread owns its copy
    return "";
}

void MeasureWorker::cancel() {
    cancel_ = true;
}

void MeasureWorker::join() {
    if (thread_.joinable()) thread_.join();
}

bool MeasureWorker::running() const {
    return running_.load();
}

MeasureSnapshot MeasureWorker::snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return snapshot_;
}

void MeasureWorker::publish(const MeasureSnapshot& s) {
    std::lock_guard<std::mutex> lock(mutex_);
    snapshot_ = s;
}

void MeasureWorker::run(MeasureRequest req) {
    MeasureSnapshot s;
    s.running = true;
    double total_work = 0, done_work = 0;
    for (int n : req.sizes)
        total_work += 2.0 * static_cast<double>(n) * n;
    Rng rng(req.seed);
    AttentionParams params;
    params.scale = 1.0f / std::sqrt(static_cast<float>(req.d_head));
    params.mask.kind = req.mask;
    params.mask.window = req.window;
    FlashOptions flash;
    flash.block_q = flash.block_k = std::max(1, req.flash_block);
    flash.n_threads = 1; // one core: the other stays free for the UI

    // Times fn until min_seconds or max_repeats; returns the best time, or -1 when cancelled.
    auto time_best = [&](auto&& fn) {
        double best = -1, spent = 0;
        // best of at least three runs (a busy machine preempts single long runs), unless one run is
        // already half a second; more runs while under min_seconds, never more than max_repeats
        for (int r = 0; r < std::max(1, req.max_repeats); ++r) {
            if (r > 0 && spent >= req.min_seconds && (r >= 3 || best > 0.5)) break;
            if (cancel_) return -1.0;
            const auto t0 = std::chrono::steady_clock::now();
            fn();
            const double t = seconds_since(t0);
            spent += t;
            best = best < 0 ? t : std::min(best, t);
        }
        return best;
    };

    // The matrix form writes into buffers kept across its repeated runs (attention_matrix_into), so only
    // the first run at each size allocates and page-faults its n×n matrices; the best run counts.
    AttentionResult naive;
    for (int n : req.sizes) {
        if (cancel_) break;
        MeasurePoint p;
        p.n = n;
        p.naive_bytes = naive_measure_bytes(n);
        const Matrix q = random_matrix(rng, n, req.d_head); // (n, d_head)
        const Matrix k = random_matrix(rng, n, req.d_head); // (n, d_head)
        const Matrix v = random_matrix(rng, n, req.d_head); // (n, d_head)
        Matrix flash_out;
        p.naive_skipped = p.naive_bytes > req.naive_budget_bytes;
        if (p.naive_skipped) {
            s.notes.push_back("n = " + std::to_string(n) +
                              ": naive skipped, its score and weight matrices need " + mib(p.naive_bytes) +
                              ", over the " + mib(req.naive_budget_bytes) + " budget");
        } else {
            s.current = "naive attention, n = " + std::to_string(n);
            publish(s);
            p.naive_seconds = time_best([&] { attention_matrix_into(q, k, v, params, naive); });
            if (p.naive_seconds < 0) break;
        }
        done_work += static_cast<double>(n) * n;
        s.progress = total_work > 0 ? done_work / total_work : 1.0;
        s.current = "flash attention, n = " + std::to_string(n);
        publish(s);
        p.flash_seconds = time_best([&] { flash_out = attention_flash(q, k, v, params, flash); });
        if (p.flash_seconds < 0) break;
        if (!p.naive_skipped)
            p.max_abs_diff = static_cast<double>((naive.output - flash_out).cwiseAbs().maxCoeff());
        done_work += static_cast<double>(n) * n;
        s.progress = total_work > 0 ? done_work / total_work : 1.0;
        s.points.push_back(p);
        publish(s);
    }
    s.running = false;
    s.cancelled = cancel_.load();
    s.finished = !s.cancelled;
    s.current.clear();
    if (s.finished) s.progress = 1.0;
    publish(s);
    running_ = false;
}

} // namespace attn

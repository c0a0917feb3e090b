// The measurement worker: runs to completion with flash matching naive, skips sizes over the memory
// budget with a note, stops soon after cancel, and works only on its own copy of the request.
#include "app/io/csv_export.hpp"
#include "app/state/measure_worker.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <thread>

using namespace attn;

namespace {
MeasureSnapshot wait_done(MeasureWorker& w, double timeout_s) {
    const auto t0 = std::chrono::steady_clock::now();
    while (w.running() &&
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < timeout_s)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return w.snapshot();
}
} // namespace

TEST_CASE("a small run finishes, flash equals naive, and sizes over the budget are skipped with a note") {
    MeasureWorker w;
    auto req = std::make_unique<MeasureRequest>();
    req->sizes = MeasureRequest::doubling(16, 128);
    req->d_head = 8;
    req->min_seconds = 0;
    req->max_repeats = 1;
    req->naive_budget_bytes = naive_measure_bytes(64); // 64 fits, 128 does not
    CHECK(req->sizes == std::vector<int>{16, 32, 64, 128});
    REQUIRE(w.start(*req).empty());
    req.reset(); // the worker owns its copy: destroying the caller's request must not matter
    const MeasureSnapshot s = wait_done(w, 60);
    w.join();
    REQUIRE(s.finished);
    CHECK_FALSE(s.cancelled);
    CHECK(s.progress == 1.0);
    REQUIRE(s.points.size() == 4);
    for (const auto& p : s.points) {
        CAPTURE(p.n);
        CHECK(p.flash_seconds > 0);
        if (p.n <= 64) {
            CHECK_FALSE(p.naive_skipped);
            CHECK(p.naive_seconds > 0);
            CHECK(p.max_abs_diff < 1e-4);
        }
    }
    CHECK(s.points[3].naive_skipped);
    REQUIRE(s.notes.size() == 1);
    CHECK(s.notes[0].find("128") != std::string::npos);
    const std::string csv = measurements_csv(s.points);
    CHECK(csv.rfind("n,naive_seconds,flash_seconds", 0) == 0);
    CHECK(csv.find("\n128,,") != std::string::npos);
}

TEST_CASE("cancel stops a long run within one attention call, and the worker can be restarted") {
    MeasureWorker w;
    MeasureRequest req;
    req.sizes = std::vector<int>(2000, 1024); // far more work than the test waits for
    req.d_head = 32;
    req.min_seconds = 0;
    req.max_repeats = 1;
    REQUIRE(w.start(req).empty());
    CHECK_FALSE(w.start(req).empty()); // refused while running
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    w.cancel();
    // A bound far above one 1024-token attention call (milliseconds), far below the whole run.
    const auto t_cancel = std::chrono::steady_clock::now();
    const MeasureSnapshot s = wait_done(w, 10);
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t_cancel).count() < 10.0);
    CHECK_FALSE(w.running());
    CHECK(s.cancelled);
    CHECK_FALSE(s.finished);
    CHECK(s.points.size() < 2000);
    w.join();
    req.sizes = {8};
    REQUIRE(w.start(req).empty());
    const MeasureSnapshot again = wait_done(w, 20);
    CHECK(again.finished);
    CHECK(again.points.size() == 1);
}

TEST_CASE("invalid requests are refused with a message and start nothing") {
    MeasureWorker w;
    MeasureRequest req;
    CHECK(w.start(req) == "no sizes to measure");
    req.sizes = {0};
    CHECK_FALSE(w.start(req).empty());
    req.sizes = {64};
    req.d_head = 0;
    CHECK_FALSE(w.start(req).empty());
    CHECK_FALSE(w.running());
}

TEST_CASE("destroying a running worker cancels and joins it") {
    auto w = std::make_unique<MeasureWorker>();
    MeasureRequest req;
    req.sizes = std::vector<int>(500, 512);
    req.d_head = 16;
    REQUIRE(w->start(req).empty());
    w.reset(); // must return (join) without crashing
    CHECK(w == nullptr);
}

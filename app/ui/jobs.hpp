// Jobs: the background workers of the app (training, the cost measurement, the Flash panel's trace and
// timings), owned by the frame loop beside AppState and UiState. Panels never hold or call a worker: they
// read this frame's JobStatus and push JobRequests. Once per frame poll_jobs() reads every worker and turns
// what it finds into commands (a training snapshot becomes ShowTrainedModel) or UiState updates (the Flash
// view's data); after the frame, run_job_requests() starts, pauses or cancels them.
#pragma once

#include "app/state/app_state.hpp"
#include "app/state/derived_worker.hpp"
#include "app/state/flash_worker.hpp"
#include "app/state/measure_worker.hpp"
#include "app/state/train_worker.hpp"

#include <cstdint>
#include <variant>
#include <vector>

namespace attn {

struct App; // app/ui/frame.hpp

// What the panels may ask of the workers.
struct StartTraining {
    TrainRequest request;
};
struct PauseTraining {};
struct ResumeTraining {};
struct ResetTraining {}; // stops and forgets the run
struct StartMeasure {
    int up_to = 8192;    // largest sequence length timed
    bool scroll = false; // bring the finished plot into view (a script asked for it)
};
struct CancelMeasure {};
struct TraceFlash { // the Flash panel shows this head with these tiles: compute it unless it is there
    FlashViewKey key;
};
using JobRequest = std::variant<StartTraining, PauseTraining, ResumeTraining, ResetTraining, StartMeasure,
                                CancelMeasure, TraceFlash>;

// What the workers reported at this frame's poll: every panel draws from the same copy.
struct JobStatus {
    TrainProgress training;
    MeasureSnapshot measure;
    bool flash_busy = false;   // a trace or its timings are being computed
    bool derived_busy = false; // a large state's derived data is being computed (derived_worker.hpp)
};

struct Jobs {
    TrainWorker training;
    MeasureWorker measure;
    FlashWorker flash;
    DerivedWorker derived;
    std::uint64_t shown_snapshot = 0; // the training snapshot last handed to AppState
    JobStatus status;
};

// Once per frame, before drawing: reads every worker into jobs.status; hands a new training snapshot to
// the state (when the Training panel's "show in heatmap" is on), installs finished Flash data.
void poll_jobs(App& app);
// After drawing: carries out the panels' requests. Commands they imply (the task's example sentence when
// training starts) are appended to `commands`.
void run_job_requests(App& app, const std::vector<JobRequest>& requests, std::vector<Command>& commands);
// Starts a measurement of naive vs flash attention for the current model (the Scaling panel's button and
// the script step "Measure").
void start_measure(App& app, int up_to, bool scroll);

// True while a training run or a measurement is running or the Flash data is being computed: the frame
// loop keeps drawing frames then, to show progress.
bool jobs_running(const JobStatus& s);

} // namespace attn

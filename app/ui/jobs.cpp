// The frame loop's side of the workers (see jobs.hpp): polling them once per frame and carrying out the
// panels' requests.
#include "jobs.hpp"

#include "app/i18n/i18n.hpp"
#include "app/state/trained_model.hpp"
#include "app/ui/frame.hpp"

#include <string>
#include <type_traits>

namespace attn {

namespace {

// The Flash data for `key` from the live forward pass; nothing when the key is not of this frame's state.
void request_flash(App& app, const FlashViewKey& key) {
    FlashWorker& w = app.jobs.flash;
    if (app.ui.flash.has_data && app.ui.flash.data.key == key) return;
    if (const auto asked = w.requested(); asked && *asked == key) return;
    const AppState& s = app.state;
    const auto& layers = app.derived.forward.layers;
    if (key.revision != s.revision || app.derived.revision != s.revision || key.layer < 0 ||
        key.layer >= static_cast<int>(layers.size()))
        return;
    const auto& heads = layers[static_cast<std::size_t>(key.layer)].heads;
    if (key.head < 0 || key.head >= static_cast<int>(heads.size())) return;
    const HeadResult& h = heads[static_cast<std::size_t>(key.head)];
    w.request(key, h.q, h.k, h.v, head_attention_params(s.config, key.head, s.key_valid));
}

bool training_busy(TrainPhase p) {
    return p == TrainPhase::Preparing || p == TrainPhase::Running;
}

} // namespace

bool jobs_running(const JobStatus& s) {
    return training_busy(s.training.phase) || s.measure.running || s.flash_busy || s.derived_busy;
}

void poll_jobs(App& app) {
    Jobs& jobs = app.jobs;
    JobStatus& st = jobs.status;
    st.training = jobs.training.progress();
    st.measure = jobs.measure.snapshot();
    // a training snapshot reaches the views whichever panel is in front
    const TrainProgress& p = st.training;
    if (app.ui.training.follow && p.snapshot && p.snapshot_id != jobs.shown_snapshot) {
        jobs.shown_snapshot = p.snapshot_id;
        apply_commands(app, {ShowTrainedModel{p.snapshot, _("training snapshot, step ") +
                                                              std::to_string(p.snapshot_step)}});
    }
    // only the latest request's data: an older one arriving late would restart the sweep for nothing
    if (auto data = jobs.flash.take_view(); data && jobs.flash.requested() == data->key)
        install_flash_view(app.ui.flash, std::move(*data));
    if (auto t = jobs.flash.take_timings()) apply_flash_timings(app.ui.flash.data, *t);
    st.flash_busy = jobs.flash.busy();
    // a large state computed in the background: shown once it arrives, if no newer edit overtook it (then
    // it is still shown, being closer than what is on screen, and the newer one keeps computing)
    if (auto r = jobs.derived.take(); r && r->derived.revision > app.derived.revision) {
        app.derived = std::move(r->derived);
        app.derived_state = std::move(r->state);
    }
    st.derived_busy = jobs.derived.busy();
}

void start_measure(App& app, int up_to, bool scroll) {
    const AppState& s = app.state;
    CostViewsUi& cu = app.ui.cost;
    MeasureRequest req;
    req.sizes = MeasureRequest::doubling(64, up_to);
    req.d_head = head_dim(s.config);
    req.mask = s.config.mask == MaskKind::Bidirectional ? MaskKind::Bidirectional : MaskKind::Causal;
    req.naive_budget_bytes = cu.budget_mib * 1024.0 * 1024.0;
    req.seed = s.config.seed;
    cu.measure_message = app.jobs.measure.start(req);
    cu.measure_scroll = scroll && cu.measure_message.empty();
    app.jobs.status.measure = app.jobs.measure.snapshot();
}

void run_job_requests(App& app, const std::vector<JobRequest>& requests, std::vector<Command>& commands) {
    Jobs& jobs = app.jobs;
    for (const JobRequest& request : requests) {
        std::visit(
            [&](const auto& r) {
                using R = std::decay_t<decltype(r)>;
                if constexpr (std::is_same_v<R, StartTraining>) {
                    TrainingUi& t = app.ui.training;
                    t.message = jobs.training.start(r.request);
                    jobs.shown_snapshot = 0;
                    if (t.message.empty() && t.follow) // the task's example sentence, to watch it learn
                        for (const TrainedPreset& pr : trained_presets())
                            if (r.request.task == pr.name) commands.push_back(SetText{pr.text});
                } else if constexpr (std::is_same_v<R, PauseTraining>) {
                    jobs.training.pause();
                } else if constexpr (std::is_same_v<R, ResumeTraining>) {
                    jobs.training.resume();
                } else if constexpr (std::is_same_v<R, ResetTraining>) {
                    jobs.training.reset();
                    jobs.shown_snapshot = 0;
                } else if constexpr (std::is_same_v<R, StartMeasure>) {
                    start_measure(app, r.up_to, r.scroll);
                } else if constexpr (std::is_same_v<R, CancelMeasure>) {
                    jobs.measure.cancel();
                } else if constexpr (std::is_same_v<R, TraceFlash>) {
                    request_flash(app, r.key);
                }
            },
            request);
    }
    jobs.status.training = jobs.training.progress();
    jobs.status.flash_busy = jobs.flash.busy();
}

} // namespace attn

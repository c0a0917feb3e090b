// The frame-time benchmark of the real window (see bench_frames.hpp).
#include "bench_frames.hpp"

#include "app/panels/panel_context.hpp"
#include "app/state/derived_worker.hpp"
#include "app/ui/frame.hpp"
#include "app/ui/workspace.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string_view>

namespace attn {

namespace {

constexpr int k_warmup = 5;        // frames after each switch of view: first layout, texture uploads
constexpr int k_settle = 3000;     // at most this many more while the view's background job runs
constexpr std::size_t k_edits = 5; // edits timed in the edit phase, however many frames that takes

double process_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

struct Stats {
    double mean = 0, p95 = 0, max = 0;
};

Stats stats(std::vector<double> ms) {
    Stats s;
    if (ms.empty()) return s;
    for (const double m : ms)
        s.mean += m;
    s.mean /= static_cast<double>(ms.size());
    std::sort(ms.begin(), ms.end());
    s.p95 = ms[std::min(ms.size() - 1, static_cast<std::size_t>(0.95 * static_cast<double>(ms.size())))];
    s.max = ms.back();
    return s;
}

} // namespace

FrameBench::FrameBench(App& app, int frames_per_view) : frames_(frames_per_view) {
    if (frames_per_view <= 0) return;
    const auto& list = panels();
    const UiState& ui = app.ui;
    if (ui.layout.split) {
        phases_.push_back({"two panes as scripted", -1, false, false, {}, {}});
    } else {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].place == PanelPlace::View && ui.panel_open[i])
                phases_.push_back({list[i].name, static_cast<int>(i), false, false, {}, {}});
        if (phases_.empty()) phases_.push_back({"no view open", -1, false, false, {}, {}});
        // the views that follow the selected query, with it changing every frame (not in "all frames")
        for (const char* name : {"Heatmap", "Arc view", "Step by step", "Q/K/V"})
            for (std::size_t i = 0; i < list.size(); ++i)
                if (name == std::string_view(list[i].name) && ui.panel_open[i])
                    phases_.push_back({list[i].name, static_cast<int>(i), true, false, {}, {}});
        for (std::size_t i = 0; i < list.size(); ++i)
            if (std::string_view(list[i].name) == "Heatmap" && ui.panel_open[i])
                phases_.push_back({"Heatmap", static_cast<int>(i), false, true, {}, {}});
    }
    if (phases_[0].view >= 0) show_panel(app.ui, phases_[0].view);
    frame_start_ = std::chrono::steady_clock::now();
    cpu_start_ = process_cpu_ms();
}

void FrameBench::before_frame(App& app, int frame) {
    if (active() && phases_[phase_].sweep && app.state.n_tokens() > 0)
        app.ui.selected_query = frame % app.state.n_tokens();
    if (active() && phases_[phase_].edit && app.state.n_tokens() > 0 && frame_ >= k_warmup &&
        app.derived.revision == app.state.revision) { // the last edit is on screen: type another word
        const auto now = std::chrono::steady_clock::now();
        if (edit_pending_) {
            phases_[phase_].edit_ms.push_back(
                std::chrono::duration<double, std::milli>(now - edited_at_).count());
            phases_[phase_].compute_ms.push_back(app.derived.compute_ms);
        }
        apply_commands(app, {EditToken{app.state.n_tokens() / 2, ++edits_ % 2 ? "cat" : "dog"}});
        edited_at_ = now;
        edit_pending_ = true;
    }
}

bool FrameBench::after_frame(App& app, const ImDrawData& dd) {
    if (!active()) return false;
    const auto now = std::chrono::steady_clock::now();
    const double cpu = process_cpu_ms();
    if (frame_ == k_warmup && app.jobs.status.flash_busy && settle_ < k_settle) {
        ++settle_; // the Flash trace of a long sentence: time the view once it is shown, not the worker
    } else if (++frame_ > k_warmup) {
        Phase& ph = phases_[phase_];
        ph.ms.push_back(std::chrono::duration<double, std::milli>(now - frame_start_).count());
        ph.cpu_ms.push_back(cpu - cpu_start_);
        for (int l = 0; l < dd.CmdListsCount; ++l)
            ph.draws += dd.CmdLists[l]->CmdBuffer.Size;
        ph.vertices += dd.TotalVtxCount;
    }
    frame_start_ = now;
    cpu_start_ = cpu;
    if (frame_ < k_warmup + frames_) return false;
    if (phases_[phase_].edit && phases_[phase_].edit_ms.size() < k_edits && frame_ < k_settle) return false;
    if (++phase_ == phases_.size()) return true;
    frame_ = 0;
    settle_ = 0;
    if (phases_[phase_].view >= 0) show_panel(app.ui, phases_[phase_].view);
    return false;
}

void FrameBench::print(const App& app, int width, int height, int texture_renders) const {
    if (!active()) return;
    std::printf("frame times at %dx%d, %d tokens, %d layer(s) of %d heads; every panel open, the view named "
                "in front:\n",
                width, height, app.state.n_tokens(), app.state.config.n_layers, app.state.config.n_heads);
    std::printf("  %-28s %9s %9s %9s %9s %7s %9s\n", "view in front", "mean ms", "p95 ms", "max ms", "cpu ms",
                "draws", "vertices");
    std::vector<double> all, all_cpu;
    for (const Phase& p : phases_) {
        if (p.sweep || p.edit) continue;
        const Stats s = stats(p.ms);
        const long n = std::max<long>(1, static_cast<long>(p.ms.size()));
        std::printf("  %-28s %9.2f %9.2f %9.2f %9.2f %7ld %9ld\n", p.label.c_str(), s.mean, s.p95, s.max,
                    stats(p.cpu_ms).mean, p.draws / n, p.vertices / n);
        all.insert(all.end(), p.ms.begin(), p.ms.end());
        all_cpu.insert(all_cpu.end(), p.cpu_ms.begin(), p.cpu_ms.end());
    }
    const Stats s = stats(all);
    std::printf("  %-28s %9.2f %9.2f %9.2f %9.2f\n", "all frames", s.mean, s.p95, s.max, stats(all_cpu).mean);
    bool header = false;
    for (const Phase& p : phases_) {
        if (!p.sweep) continue;
        if (!header)
            std::printf("the selected query token changing every frame (as when hovering down the rows):\n");
        header = true;
        const Stats q = stats(p.ms);
        std::printf("  %-28s %9.2f %9.2f %9.2f %9.2f\n", p.label.c_str(), q.mean, q.p95, q.max,
                    stats(p.cpu_ms).mean);
    }
    for (const Phase& p : phases_) {
        if (!p.edit) continue;
        const Stats f = stats(p.ms), e = stats(p.edit_ms);
        std::printf("one token edited, again once shown (%zu edits), the %s in front:\n", p.edit_ms.size(),
                    p.label.c_str());
        std::printf("  %-28s %9.2f %9.2f %9.2f %9.2f\n", "frames meanwhile", f.mean, f.p95, f.max,
                    stats(p.cpu_ms).mean);
        std::printf("  %-28s %9.2f %9.2f %9.2f\n", "edit to result shown", e.mean, e.p95, e.max);
        const Stats c = stats(p.compute_ms);
        std::printf("  %-28s %9.2f %9.2f %9.2f  (%s)\n", "compute_derived", c.mean, c.p95, c.max,
                    derived_in_background(app.state) ? "on the worker; it held the frame before"
                                                     : "in the frame");
    }
    std::printf("heatmap texture renders %d\n", texture_renders);
}

} // namespace attn

// --bench-frames N: every panel open, each view brought to the front in turn (or the script's split layout
// as it is), a few warm-up frames after each switch (more while the view's background job, the Flash
// trace, is still being computed), then N timed frames. Prints a table in milliseconds: wall time, and the
// CPU time of every thread of the process (the software renderer's threads included), which a shared
// machine's load inflates less than wall time. Last, with the Heatmap in front, one token in the middle of
// the text is changed, and changed again as soon as the views show the result: the time from an edit to
// the frame that shows it, and the frames drawn meanwhile (a large text is computed in the background).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

struct ImDrawData;

namespace attn {

struct App;

class FrameBench {
  public:
    // Does nothing when frames_per_view is 0. Otherwise brings the first view to the front.
    FrameBench(App& app, int frames_per_view);
    bool active() const { return !phases_.empty(); }
    // Before drawing: the views that follow the selected query get a new one every frame; in the edit
    // phase a token changes.
    void before_frame(App& app, int frame);
    // After the frame was presented and finished (glFinish): records it, moves to the next view. Returns
    // true when every view has been timed.
    bool after_frame(App& app, const ImDrawData& dd);
    void print(const App& app, int width, int height, int texture_renders) const;

  private:
    struct Phase {
        std::string label;
        int view = -1;      // index into panels() to bring to the front, -1 = keep the layout
        bool sweep = false; // select the next query token every frame: what the views redraw while one hovers
        bool edit = false;  // change one token each time the last change is shown: the recompute after typing
        std::vector<double> ms;
        std::vector<double> cpu_ms;       // CPU time of the whole process (every thread, the renderer's too)
        long draws = 0, vertices = 0;     // summed over the timed frames
        std::vector<double> edit_ms{};    // (edit phase) from each edit to the frame that showed it
        std::vector<double> compute_ms{}; // (edit phase) compute_derived() of each edit, wherever it ran
    };
    std::vector<Phase> phases_;
    int frames_ = 0;
    std::size_t phase_ = 0;
    int frame_ = 0;
    std::chrono::steady_clock::time_point frame_start_;
    double cpu_start_ = 0;
    int settle_ = 0; // warm-up frames spent waiting for a background job of the view to finish
    std::chrono::steady_clock::time_point edited_at_;
    bool edit_pending_ = false;
    int edits_ = 0; // alternates the word typed, so that every edit changes the text
};

} // namespace attn

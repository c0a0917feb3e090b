// --screenshot FILE.png: render a few frames in the real window, wait for the jobs a script started (a
// measurement, the Flash trace) and for the panels to show their result, save the last frame and exit; or
// one picture per page of a lesson (--lesson-page all).
#pragma once

#include "app/cli/cli_options.hpp"

#include <chrono>

namespace attn {

struct App;

class ScreenshotRun {
  public:
    explicit ScreenshotRun(const CliOptions& opt);
    bool active() const { return !opt_.screenshot.empty(); }
    // After rendering frame `frame` (from 1): true when this frame is the picture. Jobs are waited for up to
    // two minutes, then two more frames let the panels scroll their result into view.
    bool due(const App& app, int frame);
    // Writes the PNG (and --regions). Returns the exit code. With --lesson-page all, every page gets its
    // own files: out.png becomes out-01.png, out-02.png, ... (and the regions likewise).
    int write(const App& app, int fb_width, int fb_height) const;
    // With --lesson-page all: enters the lesson's next page and returns true (render on); false when the
    // last page was written.
    bool next_lesson_page(App& app, int frame);

  private:
    CliOptions opt_;
    std::chrono::steady_clock::time_point started_;
    int settle_frames_ = 0;
    int first_frame_ = 0; // frames of earlier lesson pages
};

} // namespace attn

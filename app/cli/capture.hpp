// --screenshot FILE.png: render a few frames in the real window, wait for the jobs a script started (a
// measurement, the Flash trace) and for the panels to show their result, save the last frame and exit.
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
    // Writes the PNG (and --regions). Returns the exit code.
    int write(const App& app, int fb_width, int fb_height) const;

  private:
    CliOptions opt_;
    std::chrono::steady_clock::time_point started_;
    int settle_frames_ = 0;
};

} // namespace attn

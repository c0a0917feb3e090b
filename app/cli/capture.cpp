// Screenshot mode (see capture.hpp).
#include "capture.hpp"

#include "app/gfx/screenshot.hpp"
#include "app/io/safe_write.hpp"
#include "app/ui/frame.hpp"

#include <cstdio>
#include <sstream>
#include <string>

namespace attn {

namespace {

// The regions as JSON, written through the safe writer like every other file (an old file survives a
// full disk). Returns the error, empty when written.
std::string write_regions(const std::string& path, const UiState& ui) {
    std::ostringstream f;
    f << "{\n";
    bool first = true;
    for (const auto& [name, r] : ui.regions) {
        f << (first ? "" : ",\n") << "  \"" << name << "\": [" << r.x << ", " << r.y << ", " << r.w << ", "
          << r.h << "]";
        first = false;
    }
    f << "\n}\n";
    return safe_write_file(path, f.str());
}

} // namespace

ScreenshotRun::ScreenshotRun(const CliOptions& opt) : opt_(opt), started_(std::chrono::steady_clock::now()) {}

bool ScreenshotRun::due(const App& app, int frame) {
    if (!active()) return false;
    if (jobs_running(app.jobs.status) || app.ui.cost.measure_scroll)
        settle_frames_ = 2;
    else if (settle_frames_ > 0)
        --settle_frames_;
    const bool waited_long = std::chrono::steady_clock::now() - started_ > std::chrono::minutes(2);
    return frame >= opt_.frames && (settle_frames_ == 0 || waited_long);
}

int ScreenshotRun::write(const App& app, int fb_width, int fb_height) const {
    std::string err;
    if (!gfx::write_framebuffer_png(opt_.screenshot, fb_width, fb_height, &err)) {
        std::fprintf(stderr, "attention-lab: %s\n", err.c_str());
        return 1;
    }
    if (!opt_.regions_out.empty())
        if (auto e = write_regions(opt_.regions_out, app.ui); !e.empty()) {
            std::fprintf(stderr, "attention-lab: %s\n", e.c_str());
            return 1;
        }
    return 0;
}

} // namespace attn

// Screenshot mode (see capture.hpp).
#include "capture.hpp"

#include "app/gfx/screenshot.hpp"
#include "app/io/safe_write.hpp"
#include "app/ui/frame.hpp"
#include "app/ui/lesson_runner.hpp"

#include <imgui.h>

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
    return frame - first_frame_ >= opt_.frames && (settle_frames_ == 0 || waited_long);
}

namespace {
// "out.png" -> "out-03.png" and "out.regions.json" -> "out-03.regions.json" for page 3 (index 2).
std::string page_path(const std::string& path, int page) {
    char num[16];
    std::snprintf(num, sizeof num, "-%02d", page + 1);
    const auto slash = path.find_last_of('/');
    const auto dot = path.find('.', slash == std::string::npos ? 0 : slash + 1);
    if (dot == std::string::npos) return path + num;
    std::string out = path.substr(0, dot);
    out += num;
    out += path.substr(dot);
    return out;
}
} // namespace

bool ScreenshotRun::next_lesson_page(App& app, int frame) {
    const LessonUi& l = app.ui.lesson;
    if (!opt_.lesson_all_pages || !l.lesson || l.page + 1 >= static_cast<int>(l.lesson->pages.size()))
        return false;
    for (const auto& msg : enter_lesson_page(app, l.page + 1, ImGui::GetTime()))
        std::fprintf(stderr, "attention-lab: %s\n", msg.c_str());
    first_frame_ = frame;
    started_ = std::chrono::steady_clock::now();
    return true;
}

int ScreenshotRun::write(const App& app, int fb_width, int fb_height) const {
    std::string err;
    const bool per_page = opt_.lesson_all_pages && app.ui.lesson.lesson;
    const std::string png = per_page ? page_path(opt_.screenshot, app.ui.lesson.page) : opt_.screenshot;
    const std::string regions = per_page && !opt_.regions_out.empty()
                                    ? page_path(opt_.regions_out, app.ui.lesson.page)
                                    : opt_.regions_out;
    if (!gfx::write_framebuffer_png(png, fb_width, fb_height, &err)) {
        std::fprintf(stderr, "attention-lab: %s\n", err.c_str());
        return 1;
    }
    if (!regions.empty())
        if (auto e = write_regions(regions, app.ui); !e.empty()) {
            std::fprintf(stderr, "attention-lab: %s\n", e.c_str());
            return 1;
        }
    return 0;
}

} // namespace attn

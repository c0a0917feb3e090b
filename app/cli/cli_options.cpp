// parse_cli(): a small hand-written parser; every mistake becomes a one-line message.
#include "cli_options.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace attn {

const char* cli_usage() {
    return "Usage: attention-lab [options] [SESSION.json] [LESSON.md]\n"
           "       attention-lab compute --config FILE.json --out DIR\n"
           "       attention-lab train --task NAME --out FILE.atlm [options]   (train --help)\n"
           "       attention-lab inspect --model FILE|NAME --text \"SENTENCE\" [--json]\n"
           "       attention-lab read-attention FILE.npz [--json]\n"
           "       attention-lab export-attention --model FILE|NAME --text \"SENTENCE\" --out FILE.npz\n"
           "\n"
           "An interactive explorer of attention in transformers.\n"
           "\n"
           "SESSION.json, a session saved from File > Save, is opened at start (a file that cannot be read\n"
           "is reported on the status line and the default state opens). LESSON.md, a lesson file, is\n"
           "started as --lesson starts it.\n"
           "\n"
           "Options:\n"
           "  --screenshot FILE.png   render a few frames in a real window, save the last one, exit\n"
           "                          (the mouse pointer is ignored, so the picture does not depend on it)\n"
           "  --frames N              frames to render before the screenshot (default 5)\n"
           "  --size WxH              window size (default 1280x800)\n"
           "  --scale S               text and controls at content scale S (e.g. 2 for a HiDPI screen)\n"
           "                          instead of the monitor's\n"
           "  --regions FILE.json     with --screenshot: also write the screen rectangles of named views\n"
           "  --open-panel NAME       open a panel at start and bring it to the front (as named in the View "
           "menu;\n"
           "                          repeatable, the last one named is in front)\n"
           "  --flash-step N          start the Flash panel's sweep after N tiles (open it with --open-panel "
           "Flash)\n"
           "  --script FILE.json      apply a JSON list of commands at start-up (bad entries are reported\n"
           "                          with their line; the rest still runs)\n"
           "  --lesson FILE.md        start a lesson (Markdown pages with steps; see the README's Lessons);\n"
           "                          \"--lesson attention\" and \"--lesson kv-cache\" are the built-in "
           "ones\n"
           "  --lesson-page N         the page the lesson starts at (default 1); with --screenshot, \"all\"\n"
           "                          writes one picture per page (out-01.png, out-02.png, ...)\n"
           "  --bench-frames N        with every panel open, bring each view to the front in turn and render "
           "N\n"
           "                          frames of it; print its mean, 95th-percentile and worst frame time, "
           "exit\n"
           "  --help                  show this help\n"
           "  --version               show the version\n";
}

namespace {

bool parse_int(std::string_view s, int& out) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

} // namespace

CliOptions parse_cli(int argc, const char* const* argv) {
    CliOptions o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&](std::string_view name) -> const char* {
            if (i + 1 >= argc) {
                o.error = std::string(name) + " needs a value";
                return nullptr;
            }
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--version") {
            o.version = true;
        } else if (a == "--screenshot") {
            if (const char* v = value(a)) o.screenshot = v;
        } else if (a == "--open-panel") {
            if (const char* v = value(a)) o.open_panels.emplace_back(v);
        } else if (a == "--script") {
            if (const char* v = value(a)) o.script = v;
        } else if (a == "--lesson") {
            if (const char* v = value(a)) o.lesson = v;
        } else if (a == "--lesson-page") {
            const char* v = value(a);
            if (v && std::string_view(v) == "all")
                o.lesson_all_pages = true;
            else if (v && (!parse_int(v, o.lesson_page) || o.lesson_page < 1 || o.lesson_page > 10000))
                o.error =
                    std::string("--lesson-page expects a page number from 1 or \"all\", not '") + v + "'";
        } else if (a == "--bench-frames") {
            const char* v = value(a);
            if (v && (!parse_int(v, o.bench_frames) || o.bench_frames < 1 || o.bench_frames > 1000000))
                o.error = std::string("--bench-frames expects a positive number of frames, not '") + v + "'";
        } else if (a == "--regions") {
            if (const char* v = value(a)) o.regions_out = v;
        } else if (a == "--flash-step") {
            const char* v = value(a);
            if (v && (!parse_int(v, o.flash_step) || o.flash_step < 0))
                o.error = std::string("--flash-step expects a tile count of 0 or more, not '") + v + "'";
        } else if (a == "--frames") {
            const char* v = value(a);
            if (v && (!parse_int(v, o.frames) || o.frames < 1 || o.frames > 100000))
                o.error = std::string("--frames expects a positive number, not '") + v + "'";
        } else if (a == "--scale") {
            const char* v = value(a);
            if (!v) break;
            char* end = nullptr;
            const double s = std::strtod(v, &end);
            if (end == v || *end != '\0' || !(s >= 0.5 && s <= 4.0))
                o.error = std::string("--scale expects a content scale between 0.5 and 4, not '") + v + "'";
            else
                o.scale = static_cast<float>(s);
        } else if (a == "--size") {
            const char* v = value(a);
            if (!v) break;
            const std::string_view s = v;
            const auto x = s.find('x');
            if (x == std::string_view::npos || !parse_int(s.substr(0, x), o.width) ||
                !parse_int(s.substr(x + 1), o.height) || o.width < 200 || o.height < 150 || o.width > 8192 ||
                o.height > 8192)
                o.error = std::string("--size expects WxH between 200x150 and 8192x8192, not '") + v + "'";
        } else if (!a.empty() && a[0] != '-' && o.lesson.empty() && a.size() > 3 &&
                   a.substr(a.size() - 3) == ".md") {
            o.lesson = a; // a lesson, as a file manager passes it
        } else if (!a.empty() && a[0] != '-' && o.session.empty()) {
            o.session = a;
        } else if (!a.empty() && a[0] != '-') {
            o.error = "one session file at a time: '" + o.session + "' and '" + std::string(a) + "'";
        } else {
            o.error = "unknown option '" + std::string(a) + "' (see --help)";
        }
        if (!o.error.empty()) break;
    }
    return o;
}

} // namespace attn

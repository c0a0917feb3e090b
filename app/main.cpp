// attention-lab: GLFW + glad + Dear ImGui setup and the frame loop. Subcommands (compute, ...) are
// dispatched before any window is opened, so they run headless.
#include "app/cli_options.hpp"
#include "app/fonts.hpp"
#include "app/frame.hpp"
#include "app/gfx/heatmap_renderer.hpp"
#include "app/gfx/screenshot.hpp"
#include "app/io/prefs.hpp"
#include "app/io/script.hpp"
#include "app/panels/panel_context.hpp"
#include "app/persist/persist.hpp"
#include "app/state/measure_worker.hpp"
#include "app/state/trained_model.hpp"
#include "app/tools/compute_command.hpp"
#include "app/tools/train_command.hpp"
#include "app/widgets/theme.hpp"
#include "app/workspace.hpp"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <malloc.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::string g_glfw_error;
void on_glfw_error(int, const char* description) {
    g_glfw_error = description;
}

bool write_regions(const std::string& path, const attn::UiState& ui) {
    std::ofstream f(path);
    f << "{\n";
    bool first = true;
    for (const auto& [name, r] : ui.regions) {
        f << (first ? "" : ",\n") << "  \"" << name << "\": [" << r.x << ", " << r.y << ", " << r.w << ", "
          << r.h << "]";
        first = false;
    }
    f << "\n}\n";
    return f.good();
}

// --bench-frames: every panel open, each view brought to the front in turn (or the script's split layout
// as it is), a few warm-up frames after each switch, then N timed frames. Prints a table in milliseconds.
struct BenchPhase {
    std::string label;
    int view = -1;      // index into panels() to bring to the front, -1 = keep the layout
    bool sweep = false; // select the next query token every frame: what the views redraw while one hovers
    std::vector<double> ms;
    long draws = 0, vertices = 0; // summed over the timed frames
};

struct BenchStats {
    double mean = 0, p95 = 0, max = 0;
};

BenchStats bench_stats(std::vector<double> ms) {
    BenchStats s;
    if (ms.empty()) return s;
    for (const double m : ms)
        s.mean += m;
    s.mean /= static_cast<double>(ms.size());
    std::sort(ms.begin(), ms.end());
    s.p95 = ms[std::min(ms.size() - 1, static_cast<std::size_t>(0.95 * static_cast<double>(ms.size())))];
    s.max = ms.back();
    return s;
}

std::vector<BenchPhase> bench_phases(const attn::UiState& ui) {
    std::vector<BenchPhase> phases;
    const auto& list = attn::panels();
    if (ui.layout.split) {
        phases.push_back({"two panes as scripted", -1, false, {}});
        return phases;
    }
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i].place == attn::PanelPlace::View && ui.panel_open[i])
            phases.push_back({list[i].name, static_cast<int>(i), false, {}});
    if (phases.empty()) phases.push_back({"no view open", -1, false, {}});
    // the views that follow the selected query, with it changing every frame (not in "all frames")
    for (const char* name : {"Heatmap", "Arc view", "Step by step", "Q/K/V"})
        for (std::size_t i = 0; i < list.size(); ++i)
            if (name == std::string_view(list[i].name) && ui.panel_open[i])
                phases.push_back({list[i].name, static_cast<int>(i), true, {}});
    return phases;
}

void print_bench(const std::vector<BenchPhase>& phases, const attn::App& app, int width, int height,
                 int renders) {
    std::printf("frame times at %dx%d, %d tokens, %d layer(s) of %d heads; every panel open, the view named "
                "in front:\n",
                width, height, app.state.n_tokens(), app.state.config.n_layers, app.state.config.n_heads);
    std::printf("  %-28s %9s %9s %9s %7s %9s\n", "view in front", "mean ms", "p95 ms", "max ms", "draws",
                "vertices");
    std::vector<double> all;
    for (const BenchPhase& p : phases) {
        if (p.sweep) continue;
        const BenchStats s = bench_stats(p.ms);
        const long n = std::max<long>(1, static_cast<long>(p.ms.size()));
        std::printf("  %-28s %9.2f %9.2f %9.2f %7ld %9ld\n", p.label.c_str(), s.mean, s.p95, s.max,
                    p.draws / n, p.vertices / n);
        all.insert(all.end(), p.ms.begin(), p.ms.end());
    }
    const BenchStats s = bench_stats(all);
    std::printf("  %-28s %9.2f %9.2f %9.2f\n", "all frames", s.mean, s.p95, s.max);
    bool header = false;
    for (const BenchPhase& p : phases) {
        if (!p.sweep) continue;
        if (!header)
            std::printf("the selected query token changing every frame (as when hovering down the rows):\n");
        header = true;
        const BenchStats q = bench_stats(p.ms);
        std::printf("  %-28s %9.2f %9.2f %9.2f\n", p.label.c_str(), q.mean, q.p95, q.max);
    }
    std::printf("heatmap texture renders %d\n", renders);
}

// Switches between a window and full screen on the primary monitor, remembering the window's place.
void set_fullscreen(GLFWwindow* window, bool on, int saved[4]) {
    if (on) {
        glfwGetWindowPos(window, &saved[0], &saved[1]);
        glfwGetWindowSize(window, &saved[2], &saved[3]);
        GLFWmonitor* mon = glfwGetPrimaryMonitor();
        const GLFWvidmode* mode = mon ? glfwGetVideoMode(mon) : nullptr;
        if (mode) glfwSetWindowMonitor(window, mon, 0, 0, mode->width, mode->height, mode->refreshRate);
    } else {
        glfwSetWindowMonitor(window, nullptr, saved[0], saved[1], saved[2], saved[3], 0);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::string_view(argv[1]) == "compute")
        return attn::compute_command_main(argc - 1, argv + 1);
    if (argc >= 2 && std::string_view(argv[1]) == "train")
        return attn::train_command_main(argc - 1, argv + 1);
    const attn::CliOptions opt = attn::parse_cli(argc, argv);
    if (!opt.error.empty()) {
        std::fprintf(stderr, "attention-lab: %s\n", opt.error.c_str());
        return 2;
    }
    if (opt.help) {
        std::fputs(attn::cli_usage(), stdout);
        return 0;
    }
    if (opt.version) {
        std::printf("attention-lab %s (Dear ImGui %s)\ntrained models: %s\n", ATTN_VERSION, IMGUI_VERSION,
                    attn::trained_models_dir().c_str());
        return 0;
    }
    // --open-panel: every name must be a panel of the View menu; they are shown once the App exists.
    std::vector<int> open_at_start;
    for (const auto& name : opt.open_panels) {
        const auto& list = attn::panels();
        const auto it =
            std::find_if(list.begin(), list.end(), [&](const attn::PanelInfo& p) { return name == p.name; });
        if (it == list.end()) {
            std::string names;
            for (const auto& p : list)
                names += std::string(names.empty() ? "" : ", ") + p.name;
            std::fprintf(stderr, "attention-lab: no panel named '%s' (panels: %s)\n", name.c_str(),
                         names.c_str());
            return 2;
        }
        open_at_start.push_back(static_cast<int>(it - list.begin()));
    }

    attn::Script script;
    if (!opt.script.empty()) {
        script = attn::load_script(opt.script);
        if (!script.errors.empty() && script.errors.front().line == 0) {
            std::fprintf(stderr, "attention-lab: %s\n",
                         attn::format_script_message(opt.script, script.errors.front()).c_str());
            return 2;
        }
    }
    // Screenshots and benchmarks neither read nor write preferences or the window layout (reproducible).
    const bool persist = opt.screenshot.empty() && opt.bench_frames == 0;
    const std::string cfg_dir = persist ? attn::config_dir() : std::string{};
    const std::string ini_path = cfg_dir.empty() ? std::string{} : cfg_dir + "/imgui.ini";
    const std::string prefs_path = cfg_dir.empty() ? std::string{} : cfg_dir + "/prefs.json";

    // A software OpenGL (Mesa llvmpipe, as in CI and on machines without a GPU) frees and re-allocates
    // megabytes of scratch memory every frame. With glibc's default trim threshold each free hands the top
    // of the heap back to the kernel and the next frame page-faults it in again, which measured as half
    // the frame time of a simple panel. Keeping up to 128 MiB of free heap makes those frames reuse it.
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    glfwSetErrorCallback(on_glfw_error);
    if (!glfwInit()) {
        std::fprintf(stderr,
                     "attention-lab: cannot open a window: no display available (%s); "
                     "set DISPLAY or run under xvfb-run\n",
                     g_glfw_error.c_str());
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    GLFWwindow* window = glfwCreateWindow(opt.width, opt.height, "Attention Lab", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "attention-lab: cannot create an OpenGL 3.3 window (%s)\n",
                     g_glfw_error.c_str());
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(opt.screenshot.empty() && opt.bench_frames == 0 ? 1 : 0);
    if (!gladLoadGL(reinterpret_cast<GLADloadfunc>(glfwGetProcAddress))) {
        std::fprintf(stderr, "attention-lab: could not load OpenGL 3.3 functions\n");
        return 1;
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.IniFilename = nullptr; // the layout is saved by persist_frame (screenshots and benchmarks: never)
    float xscale = 1.0f, yscale = 1.0f;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    attn::gfx::HeatmapRenderer heatmaps;
    if (std::string err; !heatmaps.init(&err)) {
        std::fprintf(stderr, "attention-lab: heatmap shader failed: %s\n", err.c_str());
        return 1;
    }
    attn::App app;
    app.ui.content_scale = xscale;
    if (opt.flash_step >= 0) app.ui.flash.requested_step = opt.flash_step;
    attn::ensure_layout(app.ui);
    attn::Persistence persistence;
    persistence.ini_path = ini_path;
    persistence.prefs_path = prefs_path;
    if (persist) persistence.autosave_dir = attn::state_dir();
    attn::persist_start(persistence, app);
    if (!app.ui.status.empty()) std::fprintf(stderr, "attention-lab: %s\n", app.ui.status.c_str());
    if (!opt.session.empty())
        if (auto e = attn::open_session_file(app, opt.session); !e.empty()) {
            std::fprintf(stderr, "attention-lab: %s\n", e.c_str());
            app.ui.status = e; // the default state opens, with the reason on the status line
        }
    for (const int i : open_at_start)
        attn::show_panel(app.ui, i); // the last one named is in front
    if (opt.bench_frames > 0) app.ui.panel_open.assign(attn::panels().size(), true);
    if (!opt.script.empty())
        for (const auto& msg : attn::run_script(app, script, opt.script))
            std::fprintf(stderr, "attention-lab: %s\n", msg.c_str());
    // Characters of other scripts join the atlas as the text starts using them (see fonts.hpp).
    attn::FontCoverage coverage;
    std::uint64_t covered_revision = ~0ull;
    std::string covered_buffer, covered_status;
    const auto cover_text = [&] {
        bool more = false;
        if (covered_revision != app.state.revision) {
            for (const auto& t : app.state.tokens)
                more |= coverage.add(t);
            covered_revision = app.state.revision;
        }
        // the sentence box and status line are read again only when they change (a long paste is decoded
        // once)
        for (auto [text, seen] :
             {std::pair{&app.ui.text_buffer, &covered_buffer}, std::pair{&app.ui.status, &covered_status}})
            if (*text != *seen) {
                more |= coverage.add(*text);
                *seen = *text;
            }
        if (more && coverage.full())
            app.ui.status =
                "The text uses more different characters than the font atlas holds; the rest show as ?";
        return more;
    };
    cover_text();
    float font_px = attn::wanted_font_px(app.ui.comfort, xscale);
    if (auto warn = attn::load_fonts(font_px, coverage); !warn.empty())
        std::fprintf(stderr, "attention-lab: %s\n", warn.c_str());
    int windowed[4] = {0, 0, opt.width, opt.height};
    bool fullscreen = false;
    const bool may_go_fullscreen = persist;
    std::vector<BenchPhase> bench;
    if (opt.bench_frames > 0) bench = bench_phases(app.ui);
    constexpr int k_bench_warmup = 5; // frames after each switch of view: first layout, texture uploads
    std::size_t bench_phase = 0;
    int bench_frame = 0;
    if (!bench.empty() && bench[0].view >= 0) attn::show_panel(app.ui, bench[0].view);
    auto frame_start = std::chrono::steady_clock::now();
    const auto started = frame_start;
    int settle_frames = 0;

    int exit_code = 0;
    for (int frame = 1; !glfwWindowShouldClose(window); ++frame) {
        glfwPollEvents();
        // text size, presentation mode or new characters: rebuild the atlas, sharp at the new size
        const bool new_chars = cover_text();
        if (const float want = attn::wanted_font_px(app.ui.comfort, xscale); want != font_px || new_chars) {
            font_px = want;
            if (auto warn = attn::load_fonts(font_px, coverage); !warn.empty()) app.ui.status = warn;
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        if (const bool want = may_go_fullscreen && (app.ui.comfort.fullscreen || app.ui.comfort.presentation);
            want != fullscreen) {
            set_fullscreen(window, want, windowed);
            fullscreen = want;
        }
        if (!bench.empty() && bench[bench_phase].sweep && app.state.n_tokens() > 0)
            app.ui.selected_query = frame % app.state.n_tokens();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        if (!opt.screenshot.empty()) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX); // pictures ignore the pointer
        ImGui::NewFrame();
        attn::draw_frame(app, heatmaps);
        attn::persist_frame(persistence, app);
        ImGui::Render();
        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glViewport(0, 0, fb_w, fb_h);
        const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg]; // the workspace draws no background
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (auto& png = app.ui.comfort.png; png.pending && png.wait_frames == 0) {
            png.pending = false;
            std::string err;
            const auto r = app.ui.regions.find(png.region);
            const float sx = io.DisplayFramebufferScale.x, sy = io.DisplayFramebufferScale.y;
            const bool ok = png.region.empty() || r == app.ui.regions.end()
                                ? attn::gfx::write_framebuffer_png(png.path, fb_w, fb_h, &err)
                                : attn::gfx::write_framebuffer_png_region(
                                      png.path, fb_w, fb_h, static_cast<int>(r->second.x * sx),
                                      static_cast<int>(r->second.y * sy), static_cast<int>(r->second.w * sx),
                                      static_cast<int>(r->second.h * sy), &err);
            app.ui.status = ok ? "Wrote " + png.path : err;
        }
        if (app.ui.comfort.quit) glfwSetWindowShouldClose(window, GLFW_TRUE);
        // a screenshot waits for a measurement a script started (up to two minutes), then two more frames
        // for the panel to scroll its plot into view
        if (app.ui.cost.measure_up_to > 0 || app.ui.cost.measure_scroll ||
            (app.ui.cost.measure && app.ui.cost.measure->running()))
            settle_frames = 2;
        else if (settle_frames > 0)
            --settle_frames;
        const bool waited_long = std::chrono::steady_clock::now() - started > std::chrono::minutes(2);
        if (!opt.screenshot.empty() && frame >= opt.frames && (settle_frames == 0 || waited_long)) {
            std::string err;
            if (!attn::gfx::write_framebuffer_png(opt.screenshot, fb_w, fb_h, &err)) {
                std::fprintf(stderr, "attention-lab: %s\n", err.c_str());
                exit_code = 1;
            } else if (!opt.regions_out.empty() && !write_regions(opt.regions_out, app.ui)) {
                std::fprintf(stderr, "attention-lab: could not write %s\n", opt.regions_out.c_str());
                exit_code = 1;
            }
            break;
        }
        glfwSwapBuffers(window);
        if (!bench.empty()) {
            glFinish(); // count the GPU's work in the frame, not only the submission
            const auto now = std::chrono::steady_clock::now();
            if (++bench_frame > k_bench_warmup) {
                BenchPhase& ph = bench[bench_phase];
                ph.ms.push_back(std::chrono::duration<double, std::milli>(now - frame_start).count());
                const ImDrawData* dd = ImGui::GetDrawData();
                for (int l = 0; l < dd->CmdListsCount; ++l)
                    ph.draws += dd->CmdLists[l]->CmdBuffer.Size;
                ph.vertices += dd->TotalVtxCount;
            }
            frame_start = now;
            if (bench_frame == k_bench_warmup + opt.bench_frames) {
                if (++bench_phase == bench.size()) break;
                bench_frame = 0;
                if (bench[bench_phase].view >= 0) attn::show_panel(app.ui, bench[bench_phase].view);
            }
        }
    }
    if (!bench.empty()) print_bench(bench, app, opt.width, opt.height, heatmaps.renders());
    if (auto e = attn::persist_exit(persistence, app); !e.empty())
        std::fprintf(stderr, "attention-lab: %s\n", e.c_str());

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}

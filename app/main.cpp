// attention-lab: GLFW + glad + Dear ImGui setup and the frame loop, shaped like ImGui's GLFW/OpenGL3
// example. The command line (subcommands, options, screenshot and benchmark modes) lives in app/cli/, one
// frame of the UI in app/ui/frame.cpp.
#include "app/cli/bench_frames.hpp"
#include "app/cli/capture.hpp"
#include "app/cli/startup.hpp"
#include "app/gfx/heatmap_renderer.hpp"
#include "app/gfx/screenshot.hpp"
#include "app/i18n/i18n.hpp"
#include "app/persist/persist.hpp"
#include "app/ui/fonts.hpp"
#include "app/ui/frame.hpp"
#include "core/parallel.hpp"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cfloat>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

namespace {

std::string g_glfw_error;
void on_glfw_error(int, const char* description) {
    g_glfw_error = description;
}

// The content scale of the monitor the window is now on, reported by GLFW (0 = no change since the frame
// loop last read it).
float g_content_scale = 0.0f;
void on_content_scale(GLFWwindow*, float xscale, float) {
    g_content_scale = xscale;
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

// Frame pacing. While nothing moves the loop sleeps in glfwWaitEventsTimeout until an event (or a wake-up
// every two seconds, sooner while a text cursor blinks), then draws a few frames for ImGui to settle (a
// window that appears takes two frames to size). While something animates (attn::animating: a job running,
// the Flash sweep or decoding playing) or a mouse button is held, it draws continuously, at most a little
// faster than the monitor refreshes: vsync alone does not limit a virtual display such as Xvfb.
// Screenshots and benchmarks draw as fast as they can.
class FramePacer {
  public:
    FramePacer(bool free_running, GLFWmonitor* monitor) : free_running_(free_running) {
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        const double hz = mode && mode->refreshRate >= 30 ? mode->refreshRate : 60.0;
        min_interval_ = std::chrono::duration<double>(1.0 / (1.2 * hz));
    }
    void wait_for_frame(bool animating) {
        using clock = std::chrono::steady_clock;
        if (free_running_) {
            glfwPollEvents();
            return;
        }
        const ImGuiIO& io = ImGui::GetIO();
        const bool pressed = ImGui::IsAnyMouseDown();
        if (!animating && !pressed && settle_frames_ == 0) {
            const double timeout = io.WantTextInput ? k_caret_wake_s : k_idle_wake_s;
            const auto t0 = clock::now();
            glfwWaitEventsTimeout(timeout);
            const bool woken_by_event = clock::now() - t0 < std::chrono::duration<double>(0.95 * timeout);
            settle_frames_ = woken_by_event ? k_settle_frames : 0;
        } else {
            std::this_thread::sleep_until(last_ + std::chrono::duration_cast<clock::duration>(min_interval_));
            glfwPollEvents();
            if (settle_frames_ > 0) --settle_frames_;
        }
        last_ = clock::now();
    }

  private:
    static constexpr double k_idle_wake_s = 2.0;
    static constexpr double k_caret_wake_s = 0.4; // ImGui's text cursor blinks 0.8 s on, 0.4 s off
    static constexpr int k_settle_frames = 3;
    bool free_running_;
    int settle_frames_ = k_settle_frames;
    std::chrono::duration<double> min_interval_{};
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

} // namespace

int main(int argc, char** argv) {
    attn::Startup start;
    if (const auto exit_code = attn::handle_command_line(argc, argv, start)) return *exit_code;
    const attn::CliOptions& opt = start.opt;
    const bool free_running = !opt.screenshot.empty() || opt.bench_frames > 0;

    // A software OpenGL (Mesa llvmpipe, as in CI and on machines without a GPU) frees and re-allocates
    // megabytes of scratch memory every frame. With glibc's default trim threshold each free hands the top
    // of the heap back to the kernel and the next frame page-faults it in again, which measured as half
    // the frame time of a simple panel; the live forward pass's intermediates do the same on every edit.
    attn::keep_freed_heap();
    attn::i18n::init(); // the environment's language until the preferences (View > Language) say otherwise

    // Window and OpenGL 3.3 context
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
    glfwSwapInterval(free_running ? 0 : 1);
    if (!gladLoadGL(reinterpret_cast<GLADloadfunc>(glfwGetProcAddress))) {
        std::fprintf(stderr, "attention-lab: could not load OpenGL 3.3 functions\n");
        return 1;
    }

    // Dear ImGui and its backends
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.IniFilename = nullptr; // the layout is saved by persist_frame (screenshots and benchmarks: never)
    // HiDPI: the monitor's content scale (2 on a 2x screen) sizes the fonts and controls; --scale overrides
    // it. When the window moves to a monitor with another scale, GLFW reports it and the fonts are rebuilt.
    float xscale = 1.0f, yscale = 1.0f;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    if (opt.scale > 0.0f) xscale = opt.scale;
    if (opt.scale <= 0.0f) glfwSetWindowContentScaleCallback(window, on_content_scale);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    attn::gfx::HeatmapRenderer heatmaps;
    if (std::string err; !heatmaps.init(&err)) {
        std::fprintf(stderr, "attention-lab: heatmap shader failed: %s\n", err.c_str());
        return 1;
    }

    // The app: state, preferences, the command line's panels and script
    attn::App app;
    attn::Persistence persistence;
    attn::start_app(app, start, xscale, persistence);
    attn::FontKeeper fonts;
    fonts.start(app);
    attn::FrameBench bench(app, opt.bench_frames);
    attn::ScreenshotRun screenshot(opt);
    FramePacer pacer(free_running, glfwGetPrimaryMonitor());
    int windowed[4] = {0, 0, opt.width, opt.height};
    bool fullscreen = false;

    // Main loop
    int exit_code = 0;
    for (int frame = 1; !glfwWindowShouldClose(window); ++frame) {
        pacer.wait_for_frame(attn::animating(app));
        if (g_content_scale > 0.0f) { // moved to another monitor: fonts and sizes follow its scale
            app.ui.content_scale = g_content_scale;
            g_content_scale = 0.0f;
        }
        if (fonts.update(app)) { // text size, presentation mode or new characters: sharp at the new size
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        if (const bool want = start.persist && (app.ui.comfort.fullscreen || app.ui.comfort.presentation);
            want != fullscreen) {
            set_fullscreen(window, want, windowed);
            fullscreen = want;
        }
        bench.before_frame(app, frame);

        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        if (screenshot.active()) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX); // pictures ignore the pointer
        ImGui::NewFrame();
        attn::draw_frame(app, heatmaps);
        attn::persist_frame(persistence, app); // layout, preferences, autosave; the restore offer
        ImGui::Render();

        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glViewport(0, 0, fb_w, fb_h);
        const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg]; // the workspace draws no background
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        attn::gfx::fulfil_png_request(app.ui, fb_w, fb_h, io.DisplayFramebufferScale.x,
                                      io.DisplayFramebufferScale.y);
        if (app.ui.comfort.quit) glfwSetWindowShouldClose(window, GLFW_TRUE);
        if (screenshot.due(app, frame)) {
            exit_code = screenshot.write(app, fb_w, fb_h);
            if (exit_code != 0 || !screenshot.next_lesson_page(app, frame)) break;
        }
        glfwSwapBuffers(window);
        if (bench.active()) {
            glFinish(); // count the GPU's work in the frame, not only the submission
            if (bench.after_frame(app, *ImGui::GetDrawData())) break;
        }
    }
    bench.print(app, opt.width, opt.height, heatmaps.renders());
    attn::finish_app(app, persistence);

    // Cleanup
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}

// attention-lab: GLFW + glad + Dear ImGui setup and the frame loop. Subcommands (compute, ...) are
// dispatched before any window is opened, so they run headless.
#include "app/cli_options.hpp"
#include "app/fonts.hpp"
#include "app/frame.hpp"
#include "app/gfx/heatmap_renderer.hpp"
#include "app/gfx/screenshot.hpp"
#include "app/panels/panel_context.hpp"
#include "app/tools/train_command.hpp"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>
#include <string_view>

namespace {

std::string g_glfw_error;
void on_glfw_error(int, const char* description) { g_glfw_error = description; }

bool write_regions(const std::string& path, const attn::UiState& ui) {
    std::ofstream f(path);
    f << "{\n";
    bool first = true;
    for (const auto& [name, r] : ui.regions) {
        f << (first ? "" : ",\n") << "  \"" << name << "\": [" << r.x << ", " << r.y << ", " << r.w << ", " << r.h << "]";
        first = false;
    }
    f << "\n}\n";
    return f.good();
}

} // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::string_view(argv[1]) == "train") return attn::train_command_main(argc - 1, argv + 1);
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
        std::printf("attention-lab %s (Dear ImGui %s)\n", ATTN_VERSION, IMGUI_VERSION);
        return 0;
    }
    // --open-panel: every name must be a panel of the View menu; the flags are set once the App exists.
    std::vector<bool> open_at_start;
    for (const auto& p : attn::panels()) open_at_start.push_back(p.open_by_default);
    for (const auto& name : opt.open_panels) {
        const auto& list = attn::panels();
        const auto it = std::find_if(list.begin(), list.end(), [&](const attn::PanelInfo& p) { return name == p.name; });
        if (it == list.end()) {
            std::string names;
            for (const auto& p : list) names += std::string(names.empty() ? "" : ", ") + p.name;
            std::fprintf(stderr, "attention-lab: no panel named '%s' (panels: %s)\n", name.c_str(), names.c_str());
            return 2;
        }
        open_at_start[static_cast<std::size_t>(it - list.begin())] = true;
    }

    glfwSetErrorCallback(on_glfw_error);
    if (!glfwInit()) {
        std::fprintf(stderr, "attention-lab: cannot open a window: no display available (%s); "
                             "set DISPLAY or run under xvfb-run\n", g_glfw_error.c_str());
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    GLFWwindow* window = glfwCreateWindow(opt.width, opt.height, "Attention Lab", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "attention-lab: cannot create an OpenGL 3.3 window (%s)\n", g_glfw_error.c_str());
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(opt.screenshot.empty() ? 1 : 0);
    if (!gladLoadGL(reinterpret_cast<GLADloadfunc>(glfwGetProcAddress))) {
        std::fprintf(stderr, "attention-lab: could not load OpenGL 3.3 functions\n");
        return 1;
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    if (!opt.screenshot.empty()) io.IniFilename = nullptr; // screenshots start from the default layout
    ImGui::StyleColorsDark();
    float xscale = 1.0f, yscale = 1.0f;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    if (auto warn = attn::load_fonts(xscale); !warn.empty()) std::fprintf(stderr, "attention-lab: %s\n", warn.c_str());
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
    app.ui.panel_open = open_at_start;

    int exit_code = 0;
    for (int frame = 1; !glfwWindowShouldClose(window); ++frame) {
        glfwPollEvents();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        attn::draw_frame(app, heatmaps);
        ImGui::Render();
        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glViewport(0, 0, fb_w, fb_h);
        glClearColor(0.09f, 0.09f, 0.11f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (!opt.screenshot.empty() && frame >= opt.frames) {
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
    }

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}

// Drawing panels without any window or GPU: a Dear ImGui context with a built font atlas and a 1280×800
// display, a texture source that only checks what it is given, and small helpers shared by the headless
// panel tests.
#pragma once

#include "app/panels/panel_context.hpp"
#include "app/ui/frame.hpp"
#include "app/ui/workspace.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace attn::test {

struct HeadlessImGui {
    HeadlessImGui() {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(1280, 800);
        io.DeltaTime = 1.0f / 60.0f;
        io.IniFilename = nullptr;
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&px, &w, &h); // builds the atlas; ImGui refuses frames without it
    }
    ~HeadlessImGui() { ImGui::DestroyContext(); }
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;
};

// Stands in for the GPU heatmap pass: counts requests and checks each one carries values.
// Canvases are counted too, and must come with geometry to draw.
struct CountingTextures : HeatmapTextureSource {
    int calls = 0, canvas_calls = 0;
    ImTextureID texture(std::string_view, std::uint64_t, const HeatmapImage& img) override {
        ++calls;
        REQUIRE(img.values != nullptr);
        return nullptr;
    }
    ImTextureID canvas(std::string_view, std::uint64_t, ImVec2 size, float scale, ImU32,
                       const ImDrawList& geo) override {
        ++canvas_calls;
        REQUIRE(size.x >= 1.0f);
        REQUIRE(size.y >= 1.0f);
        REQUIRE(scale > 0.0f);
        REQUIRE(geo.CmdBuffer.Size > 0);
        return nullptr;
    }
};

inline void draw_one_frame(App& app, HeatmapTextureSource& tex) {
    ImGui::NewFrame();
    draw_frame(app, tex);
    ImGui::Render();
}

// Draws `n` frames; `before` may set input (keys, mouse) before each one.
inline void draw_frames(App& app, HeatmapTextureSource& tex, int n,
                        const std::function<void()>& before = {}) {
    for (int i = 0; i < n; ++i) {
        if (before) before();
        draw_one_frame(app, tex);
        CHECK(ImGui::GetDrawData() != nullptr);
    }
}

// Draws frames until no job is running (the Flash trace, a measurement; training too when `training`),
// as the frame loop does while they work, then one more so the panels draw the result. Gives up after
// two minutes; returns whether the jobs finished.
inline bool draw_until_idle(App& app, HeatmapTextureSource& tex) {
    const auto t0 = std::chrono::steady_clock::now();
    do {
        draw_one_frame(app, tex);
        if (!jobs_running(app.jobs.status)) {
            draw_one_frame(app, tex); // a request made while drawing the result starts a new job
            if (!jobs_running(app.jobs.status)) return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    } while (std::chrono::steady_clock::now() - t0 < std::chrono::minutes(2));
    return false;
}

// Index of the panel named `name` in panels(), or -1.
inline int panel_index(const char* name) {
    const auto& list = panels();
    for (std::size_t i = 0; i < list.size(); ++i)
        if (std::string(list[i].name) == name) return static_cast<int>(i);
    return -1;
}

// Opens that panel and brings it to the front of its pane, as the View menu does.
inline void show(App& app, const char* name) {
    const int i = panel_index(name);
    REQUIRE_MESSAGE(i >= 0, name);
    show_panel(app.ui, i);
}

// Opens exactly that panel, so it fills the window and gets the mouse.
inline void open_only(App& app, const char* name) {
    app.ui.panel_open.assign(panels().size(), false);
    show(app, name);
}

// True when the region was recorded this frame and is big enough to hold a drawing.
inline bool has_region(const UiState& ui, const char* name) {
    const auto it = ui.regions.find(name);
    return it != ui.regions.end() && it->second.w > 20 && it->second.h > 20;
}

} // namespace attn::test

// A Dear ImGui context for drawing panels without any window or GPU: a built font atlas, a 1280×800
// display, no ini file. Destroyed at scope end. Shared by the headless panel tests.
#pragma once

#include <imgui.h>

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

} // namespace attn::test

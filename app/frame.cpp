// draw_frame(): the menu bar and the panel windows, laid out from the panel list.
#include "frame.hpp"

#include "app/panels/panel_context.hpp"

#include <imgui.h>

namespace attn {

void apply_commands(App& app, const std::vector<Command>& commands) {
    for (const auto& c : commands) {
        const ApplyResult r = apply(app.state, c);
        if (!r.message.empty())
            app.ui.status = r.message;
        else if (r.changed)
            app.ui.status.clear();
    }
}

void refresh_derived(App& app) {
    if (app.derived.revision != app.state.revision) app.derived = compute_derived(app.state);
}

void draw_frame(App& app, HeatmapTextureSource& textures) {
    const auto& list = panels();
    if (app.ui.panel_open.size() != list.size()) {
        app.ui.panel_open.clear();
        for (const auto& p : list) app.ui.panel_open.push_back(p.open_by_default);
    }
    refresh_derived(app);
    std::vector<Command> commands;
    app.ui.regions.clear();

    float menu_h = 0.0f;
    if (ImGui::BeginMainMenuBar()) {
        if (ImGui::BeginMenu("View")) {
            for (std::size_t i = 0; i < list.size(); ++i) {
                bool open = app.ui.panel_open[i];
                if (ImGui::MenuItem(list[i].name, nullptr, &open)) app.ui.panel_open[i] = open;
            }
            ImGui::EndMenu();
        }
        menu_h = ImGui::GetWindowSize().y;
        ImGui::EndMainMenuBar();
    }

    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const ImVec2 work_pos(0.0f, menu_h);
    const ImVec2 work_size(display.x, display.y - menu_h);
    PanelContext ctx{app.state, app.derived, app.ui, commands, textures};
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (!app.ui.panel_open[i]) continue;
        const PanelInfo& p = list[i];
        ImGui::SetNextWindowPos(ImVec2(work_pos.x + p.x * work_size.x, work_pos.y + p.y * work_size.y),
                                ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(p.w * work_size.x, p.h * work_size.y), ImGuiCond_FirstUseEver);
        bool open = true;
        if (ImGui::Begin(p.name, &open)) {
            const ImVec2 wp = ImGui::GetWindowPos(), ws = ImGui::GetWindowSize();
            record_region(app.ui, std::string("panel:") + p.name, wp, ImVec2(wp.x + ws.x, wp.y + ws.y));
            p.draw(ctx);
        }
        ImGui::End();
        if (!open) app.ui.panel_open[i] = false;
    }
    apply_commands(app, commands);
}

} // namespace attn

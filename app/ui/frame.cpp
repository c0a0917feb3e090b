// draw_frame(): the jobs polled, the menu bar (File, View, Presets, Help), the workspace of panels, the Help
// window, the file dialogs (file_dialogs.cpp), keyboard shortcuts, and the preferences. Commands, scripts
// and the first screen are applied in app_commands.cpp.
// Sections: preferences · shortcuts · menus · draw_frame and animating
#include "frame.hpp"

#include "app/i18n/i18n.hpp"
#include "app/panels/panel_context.hpp"
#include "app/state/trained_model.hpp"
#include "app/ui/file_dialogs.hpp"
#include "app/ui/lesson_pane.hpp"
#include "app/ui/lesson_runner.hpp"
#include "app/ui/workspace.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/theme.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace attn {

// ---- preferences -----------------------------------------------------------------------------------

Prefs prefs_from_ui(const UiState& ui) {
    Prefs p;
    p.theme = theme_name(ui.comfort.theme);
    p.font_scale = ui.comfort.font_scale;
    p.language = ui.comfort.language;
    p.has_open_panels = true;
    const auto& list = panels();
    for (std::size_t i = 0; i < list.size() && i < ui.panel_open.size(); ++i)
        if (ui.panel_open[i]) p.open_panels.emplace_back(list[i].name);
    p.last_session = ui.comfort.session_path;
    const LayoutUi& l = ui.layout;
    p.sidebar_frac = l.sidebar_frac;
    p.sidebar_split = l.sidebar_split;
    p.pane_frac = l.pane_frac;
    p.split = l.split;
    p.kv_models = ui.cost.kv_custom;
    for (std::size_t i = 0; i < list.size() && i < l.side.size(); ++i)
        if (l.side[i] != 0) p.right_views.emplace_back(list[i].name);
    for (const int pane : {0, 1}) {
        const int i = l.select[pane] >= 0 ? l.select[pane] : l.shown[pane];
        p.front_views.emplace_back(i >= 0 ? list[static_cast<std::size_t>(i)].name : "");
    }
    return p;
}

void apply_prefs(UiState& ui, const Prefs& p) {
    ui.comfort.theme = theme_from_name(p.theme.c_str());
    ui.comfort.font_scale = std::clamp(p.font_scale, 0.75f, 2.5f);
    ui.comfort.language = p.language;
    if (!p.last_session.empty()) ui.comfort.session_path = p.last_session;
    ensure_layout(ui);
    LayoutUi& l = ui.layout;
    l.sidebar_frac = p.sidebar_frac;
    l.sidebar_split = p.sidebar_split;
    l.pane_frac = p.pane_frac;
    l.split = p.split;
    ui.cost.kv_custom = p.kv_models;
    for (const auto& name : p.right_views)
        if (const int i = panel_index(name); i >= 0) l.side[static_cast<std::size_t>(i)] = 1;
    if (p.has_open_panels) {
        std::fill(ui.panel_open.begin(), ui.panel_open.end(), false);
        for (const auto& name : p.open_panels)
            if (const int i = panel_index(name); i >= 0) ui.panel_open[static_cast<std::size_t>(i)] = true;
    }
    for (const auto& name : p.front_views) // names no longer open (or unknown) are skipped
        if (const int i = panel_index(name); i >= 0 && ui.panel_open[static_cast<std::size_t>(i)])
            show_panel(ui, i);
}

namespace {

// ---- shortcuts -------------------------------------------------------------------------------------
// ImGui 1.86 indexes io.KeysDown by the platform's key codes; these are GLFW's (letters are ASCII).
constexpr int k_key_f1 = 290, k_key_f2 = 291, k_key_f5 = 294, k_key_f11 = 300;
constexpr int k_key_s = 'S', k_key_o = 'O', k_key_e = 'E', k_key_t = 'T', k_key_1 = '1';

void next_head(App& app, int step) {
    const int per_layer = app.state.config.n_heads, total = per_layer * app.state.config.n_layers;
    UiState& ui = app.ui;
    const int flat = std::clamp(ui.selected_layer, 0, app.state.config.n_layers - 1) * per_layer +
                     std::clamp(ui.selected_head, 0, per_layer - 1);
    const int next = ((flat + step) % total + total) % total;
    ui.selected_layer = next / per_layer;
    ui.selected_head = next % per_layer;
}

// Brings the next (or previous) open view of the first pane to the front, wrapping around.
void next_view(UiState& ui, int step) {
    std::vector<int> views;
    for (int i = 0; i < static_cast<int>(panels().size()); ++i)
        if (panels()[static_cast<std::size_t>(i)].place == PanelPlace::View &&
            ui.panel_open[static_cast<std::size_t>(i)] && pane_of(ui, i) == 0)
            views.push_back(i);
    if (views.empty()) return;
    const int front = ui.layout.select[0] >= 0 ? ui.layout.select[0] : ui.layout.shown[0];
    const auto it = std::find(views.begin(), views.end(), front);
    const int at = it == views.end() ? 0 : static_cast<int>(it - views.begin());
    const int n = static_cast<int>(views.size());
    show_panel(ui, views[static_cast<std::size_t>(((at + step) % n + n) % n)]);
}

void handle_shortcuts(App& app, std::vector<Command>& commands) {
    const ImGuiIO& io = ImGui::GetIO();
    ComfortUi& c = app.ui.comfort;
    if (ImGui::IsKeyPressed(k_key_f1, false)) c.show_help = !c.show_help;
    if (ImGui::IsKeyPressed(k_key_f2, false)) {
        if (app.ui.lesson.lesson)
            app.ui.lesson.leave_requested = true;
        else
            app.ui.lesson.start_request = builtin_lessons().front().name;
    }
    if (ImGui::IsKeyPressed(k_key_f5, false)) c.presentation = !c.presentation;
    if (ImGui::IsKeyPressed(k_key_f11, false)) c.fullscreen = !c.fullscreen;
    const bool lesson = app.ui.lesson.lesson != nullptr;
    handle_lesson_keys(app); // a lesson's pages: arrows, Space, Page Up/Down, Home, End, Escape
    if (!lesson && c.presentation && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false) &&
        !io.WantTextInput)
        c.presentation = false;
    if (!io.WantTextInput && !lesson) {
        const int step = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown)) ? +1
                         : ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp)) ? -1
                                                                                    : 0;
        if (step != 0 && io.KeyCtrl)
            next_view(app.ui, step);
        else if (step != 0)
            next_head(app, step);
    }
    if (!io.KeyCtrl) return;
    if (ImGui::IsKeyPressed(k_key_s, false)) c.dialog = FileDialog::SaveSession;
    if (ImGui::IsKeyPressed(k_key_o, false)) c.dialog = FileDialog::OpenSession;
    if (ImGui::IsKeyPressed(k_key_e, false)) c.dialog = FileDialog::ExportPng;
    if (ImGui::IsKeyPressed(k_key_t, false))
        c.theme = static_cast<Theme>((static_cast<int>(c.theme) + 1) % 3);
    const auto& list = presets();
    for (int i = 0; i < static_cast<int>(list.size()) && i < 9; ++i)
        if (ImGui::IsKeyPressed(k_key_1 + i, false))
            request_preset(app.ui, commands, list[static_cast<std::size_t>(i)]);
}

// ---- menus -----------------------------------------------------------------------------------------

void draw_menus(App& app, std::vector<Command>& commands) {
    UiState& ui = app.ui;
    ComfortUi& c = ui.comfort;
    const auto& list = panels();
    if (ImGui::BeginMenu(_("File"))) {
        if (ImGui::MenuItem(_("Open session..."), _("Ctrl+O"))) c.dialog = FileDialog::OpenSession;
        if (ImGui::MenuItem(_("Save session..."), _("Ctrl+S"))) c.dialog = FileDialog::SaveSession;
        ImGui::Separator();
        if (ImGui::MenuItem(_("Open lesson..."))) c.dialog = FileDialog::OpenLesson;
        item_help(
            _("A lesson file (Markdown, .md) a teacher wrote: pages of text whose steps set up the views. "
              "The README's \"Lessons\" section shows how to write one."));
        ImGui::Separator();
        if (ImGui::MenuItem(_("Export view as PNG..."), _("Ctrl+E"))) c.dialog = FileDialog::ExportPng;
        if (ImGui::MenuItem(_("Export weights as CSV..."))) c.dialog = FileDialog::ExportCsv;
        ImGui::Separator();
        if (ImGui::MenuItem(_("Import attention..."))) c.dialog = FileDialog::ImportAttention;
        if (ImGui::MenuItem(_("Close imported attention"), nullptr, false, app.state.imported != nullptr))
            commands.push_back(CloseImportedAttention{});
        if (ImGui::MenuItem(_("Export attention as .npz..."))) c.dialog = FileDialog::ExportAttention;
        ImGui::Separator();
        if (ImGui::MenuItem(_("Quit"))) c.quit = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(_("View"))) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i > 0 && list[i].place != list[i - 1].place) ImGui::Separator();
            bool open = ui.panel_open[i];
            if (ImGui::MenuItem(_(list[i].name), nullptr, &open)) {
                if (open)
                    show_panel(ui, static_cast<int>(i));
                else
                    ui.panel_open[i] = false;
            }
        }
        ImGui::Separator();
        bool split = ui.layout.split;
        if (ImGui::MenuItem(_("Two views side by side"), nullptr, &split)) set_split(ui, split);
        item_help(_("Splits the views area into two panes, each with its own tabs, to compare two views: the "
                    "heatmap beside the arc view, say. Right-click a tab to move it to the other pane."));
        if (ImGui::MenuItem(_("Reset layout"))) {
            ui.layout = LayoutUi{};
            ui.panel_open.clear();
            ensure_layout(ui);
        }
        item_help(
            _("Every panel open again, the sidebar and panes at their first sizes, one pane of views."));
        ImGui::Separator();
        if (ImGui::BeginMenu(_("Theme"))) {
            if (ImGui::MenuItem(_("Dark"), nullptr, c.theme == Theme::Dark)) c.theme = Theme::Dark;
            if (ImGui::MenuItem(_("Light"), nullptr, c.theme == Theme::Light)) c.theme = Theme::Light;
            if (ImGui::MenuItem(_("High contrast"), nullptr, c.theme == Theme::Contrast))
                c.theme = Theme::Contrast;
            ImGui::EndMenu();
        }
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
        float pct = c.font_scale * 100.0f;
        if (ImGui::SliderFloat(_("Text size"), &pct, 75.0f, 250.0f, "%.0f %%")) c.font_scale = pct / 100.0f;
        item_help(
            _("Makes every letter and control bigger or smaller. The text is redrawn at the new size, so it "
              "stays sharp."));
        if (ImGui::BeginMenu(_("Language"))) {
            if (ImGui::MenuItem(_("As the system"), nullptr, c.language.empty())) c.language.clear();
            item_help(_("Follows the LANGUAGE and LANG settings of your desktop."));
            for (const i18n::Language& l : i18n::languages())
                if (ImGui::MenuItem(l.name, nullptr, c.language == l.code)) c.language = l.code;
            ImGui::EndMenu();
        }
        ImGui::MenuItem(_("Presentation mode"), _("F5"), &c.presentation);
        ImGui::MenuItem(_("Full screen"), _("F11"), &c.fullscreen);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(_("Presets"))) {
        const auto& ps = presets();
        for (std::size_t i = 0; i < ps.size(); ++i) {
            const std::string key = i < 9 ? std::string(_("Ctrl+")) + std::to_string(i + 1) : std::string{};
            if (ImGui::MenuItem(_(ps[i].title), key.c_str())) request_preset(ui, commands, ps[i]);
            item_help(_(ps[i].description));
        }
        ImGui::Separator();
        for (const TrainedPreset& t : trained_presets()) {
            if (ImGui::MenuItem(_(t.title))) commands.push_back(LoadTrainedModel{t.name});
            item_help(_(t.description));
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(_("Help"))) {
        ImGui::MenuItem(_("Keyboard shortcuts and help"), _("F1"), &c.show_help);
        ImGui::Separator();
        const auto& lessons = builtin_lessons();
        for (std::size_t i = 0; i < lessons.size(); ++i) {
            const std::string label = std::string(_("Lesson: ")) + _(lessons[i].title);
            if (ImGui::MenuItem(label.c_str(), i == 0 ? _("F2") : nullptr))
                ui.lesson.start_request = lessons[i].name;
        }
        item_help(
            _("A guided walk through the views, page by page, on the trained model: Right arrow or Space "
              "for the next page, Left to go back, Escape to leave."));
        if (ui.lesson.lesson && ImGui::MenuItem(_("Leave the lesson"), _("Esc")))
            ui.lesson.leave_requested = true;
        ImGui::EndMenu();
    }
    if (!ui.status.empty()) {
        ImGui::Separator();
        ImGui::PushStyleColor(ImGuiCol_Text, text_tones().warning);
        ImGui::TextUnformatted(ui.status.c_str());
        ImGui::PopStyleColor();
    }
}

void keep_selection_valid(App& app) {
    UiState& ui = app.ui;
    const AppState& s = shown_state(app); // what the panels draw this frame
    if (ui.selected_query >= s.n_tokens()) ui.selected_query = -1;
    ui.selected_layer = std::clamp(ui.selected_layer, 0, std::max(0, s.config.n_layers - 1));
    ui.selected_head = std::clamp(ui.selected_head, 0, std::max(0, s.config.n_heads - 1));
    if (ui.comfort.editing_token >= s.n_tokens()) ui.comfort.editing_token = -1;
}

// While a large state is computed in the background: a note at the right of the menu bar.
void recompute_note(App& app) {
    if (app.derived.revision == app.state.revision) return;
    char note[160];
    std::snprintf(note, sizeof note, _("computing %d tokens\xE2\x80\xA6 (showing the previous result)"),
                  app.state.n_tokens());
    const float w = ImGui::CalcTextSize(note).x + ImGui::GetStyle().ItemSpacing.x * 2.0f;
    if (ImGui::GetContentRegionAvail().x < w) return;
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - w);
    ImGui::TextColored(ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram), "%s", note);
    record_region(app.ui, "recompute_note", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

// Hands a changed language choice to gettext; every _() from the next one on is in the new language.
void keep_language_current(UiState& ui) {
    ComfortUi& c = ui.comfort;
    if (c.language == c.applied_language) return;
    i18n::set_language(c.language);
    c.applied_language = c.language;
    // a running built-in lesson follows: the same page, in the new language's text (the same pages and steps)
    LessonUi& l = ui.lesson;
    const std::string builtin = "built-in lesson ";
    if (l.lesson && l.file.rfind(builtin, 0) == 0)
        if (auto t = builtin_lesson(l.file.substr(builtin.size()));
            t && t->pages.size() == l.lesson->pages.size())
            l.lesson = std::move(t);
}

void keep_style_current(UiState& ui) {
    ComfortUi& c = ui.comfort;
    const Theme shown = c.presentation ? Theme::Contrast : c.theme;
    const float scale = wanted_font_px(c, ui.content_scale) / 17.0f;
    if (shown == c.applied_theme && scale == c.applied_style_scale) return;
    apply_theme(shown, scale);
    c.applied_theme = shown;
    c.applied_style_scale = scale;
}

} // namespace

// ---- draw_frame and animating ----------------------------------------------------------------------

bool animating(const App& app) {
    const UiState& ui = app.ui;
    return jobs_running(app.jobs.status) || ui.flash.player.playing || ui.cost.decode_playing ||
           ui.comfort.png.pending;
}

void draw_frame(App& app, HeatmapTextureSource& textures) {
    ensure_layout(app.ui);
    poll_jobs(app);
    update_derived(app);
    keep_selection_valid(app);
    keep_style_current(app.ui);
    keep_language_current(app.ui);
    if (app.ui.comfort.png.pending && app.ui.comfort.png.wait_frames > 0) --app.ui.comfort.png.wait_frames;
    std::vector<Command> commands;
    std::vector<JobRequest> requests;
    app.ui.regions.clear();
    handle_shortcuts(app, commands);

    float menu_h = 0.0f;
    if (ImGui::BeginMainMenuBar()) {
        draw_menus(app, commands);
        recompute_note(app);
        menu_h = ImGui::GetWindowSize().y;
        ImGui::EndMainMenuBar();
    }

    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const ImVec2 work_pos(0.0f, menu_h);
    const ImVec2 work_size(display.x, display.y - menu_h);
    PanelContext ctx{shown_state(app), app.derived, app.ui, commands, textures, app.jobs.status, requests};
    draw_workspace(ctx, work_pos, work_size);
    if (app.ui.comfort.show_help) {
        ImGui::SetNextWindowSize(ImVec2(work_size.x * 0.45f, work_size.y * 0.7f), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowPos(ImVec2(work_pos.x + work_size.x * 0.5f, work_pos.y + work_size.y * 0.5f),
                                ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
        if (ImGui::Begin(L_("Help", "Help"), &app.ui.comfort.show_help)) {
            const ImVec2 wp = ImGui::GetWindowPos(), ws = ImGui::GetWindowSize();
            record_region(app.ui, "panel:Help", wp, ImVec2(wp.x + ws.x, wp.y + ws.y));
            draw_help_panel(ctx);
        }
        ImGui::End();
    }
    draw_file_dialog(app);
    draw_lesson_error_window(app.ui);
    run_job_requests(app, requests, commands); // first: they refer to the state this frame showed
    apply_commands(app, commands);
    run_lesson_requests(app, ImGui::GetTime()); // a page entered applies its steps after the learner's edits
}

} // namespace attn

// Lessons in the app (lesson_runner.hpp): the built-in ones, starting, entering pages, leaving, the keys and
// the "try it" checks.
#include "lesson_runner.hpp"

#include "app/i18n/i18n.hpp"
#include "app/panels/panel_context.hpp"
#include "app/ui/frame.hpp"
#include "app/ui/workspace.hpp"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace attn {

namespace lesson_files {
extern const std::string_view attention_md; // embedded from assets/lessons (app/CMakeLists.txt)
extern const std::string_view kv_cache_md;
extern const std::string_view attention_de_md;
extern const std::string_view kv_cache_de_md;
} // namespace lesson_files

const std::vector<BuiltinLesson>& builtin_lessons() {
    static const std::vector<BuiltinLesson> list = {
        {"attention",
         N_("How attention works"),
         lesson_files::attention_md,
         {{"de", lesson_files::attention_de_md}}},
        {"kv-cache",
         N_("The KV cache in six pages"),
         lesson_files::kv_cache_md,
         {{"de", lesson_files::kv_cache_de_md}}},
    };
    return list;
}

std::string_view builtin_lesson_text(const BuiltinLesson& b, const std::string& lang) {
    for (const auto& t : b.translations)
        if (lang == t.lang) return t.text;
    return b.text;
}

std::shared_ptr<const Lesson> builtin_lesson(const std::string& name, const std::string& lang) {
    for (const auto& b : builtin_lessons())
        if (name == b.name) return std::make_shared<const Lesson>(parse_lesson(builtin_lesson_text(b, lang)));
    return nullptr;
}

std::shared_ptr<const Lesson> builtin_lesson(const std::string& name) {
    return builtin_lesson(name, i18n::current_language());
}

namespace {

bool same_text(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool contains_text(const std::string& hay, const std::string& needle) {
    const auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
    return it != hay.end();
}

bool compare(double a, LessonOp op, double b) {
    switch (op) {
    case LessonOp::Eq:
        return a == b;
    case LessonOp::Ne:
        return a != b;
    case LessonOp::Lt:
        return a < b;
    case LessonOp::Le:
        return a <= b;
    case LessonOp::Gt:
        return a > b;
    case LessonOp::Ge:
        return a >= b;
    case LessonOp::Contains:
        break;
    }
    return false;
}

bool compare_text(const std::string& value, LessonOp op, const std::string& wanted) {
    if (op == LessonOp::Contains) return contains_text(value, wanted);
    const bool eq = same_text(value, wanted);
    return op == LessonOp::Ne ? !eq : eq;
}

std::string name_key(const char* s) {
    std::string out(s);
    for (char& c : out)
        c = c == ' ' || c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void save_layout(UiState& ui) {
    LessonUi& l = ui.lesson;
    l.saved_panel_open = ui.panel_open;
    l.saved_split = ui.layout.split;
    l.saved_presentation = ui.comfort.presentation;
}

void save_work(App& app) {
    LessonUi& l = app.ui.lesson;
    l.saved_state = std::make_shared<const AppState>(app.state);
    l.saved_layer = app.ui.selected_layer;
    l.saved_head = app.ui.selected_head;
    l.saved_query = app.ui.selected_query;
    l.saved_mean_over_heads = app.ui.mean_over_heads;
}

void restore_work(App& app) {
    LessonUi& l = app.ui.lesson;
    if (!l.saved_state) return;
    const std::uint64_t revision = app.state.revision;
    app.state = *l.saved_state;
    app.state.revision = revision + 1; // a new revision: the views recompute what they show
    app.ui.selected_layer = l.saved_layer;
    app.ui.selected_head = l.saved_head;
    app.ui.selected_query = l.saved_query;
    app.ui.mean_over_heads = l.saved_mean_over_heads;
    l.saved_state.reset();
}

} // namespace

std::string start_lesson(App& app, std::shared_ptr<const Lesson> lesson, const std::string& file,
                         double now) {
    LessonUi& l = app.ui.lesson;
    if (!lesson) return i18n::format(_("%s: no such lesson"), file.c_str());
    if (!lesson->ok()) {
        l.open_error = lesson_errors_text(file, *lesson, 8, &i18n::tr);
        app.ui.status = format_script_message(file, lesson->errors.front(), &i18n::tr);
        return l.open_error;
    }
    ensure_layout(app.ui);
    if (!l.lesson) {
        save_layout(app.ui);
        save_work(app);
    }
    l.lesson = std::move(lesson);
    l.file = file;
    l.open_error.clear();
    enter_lesson_page(app, 0, now);
    return {};
}

std::string start_lesson_file(App& app, const std::string& path, double now) {
    return start_lesson(app, std::make_shared<const Lesson>(load_lesson(path)), path, now);
}

std::string start_builtin_lesson(App& app, const std::string& name, double now) {
    return start_lesson(app, builtin_lesson(name), std::string("built-in lesson ") + name, now);
}

std::vector<std::string> enter_lesson_page(App& app, int page, double now) {
    LessonUi& l = app.ui.lesson;
    if (!l.lesson || l.lesson->pages.empty()) return {};
    l.page = std::clamp(page, 0, static_cast<int>(l.lesson->pages.size()) - 1);
    const LessonPage& p = l.lesson->pages[static_cast<std::size_t>(l.page)];
    ensure_layout(app.ui);
    const auto& list = panels();
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i].place == PanelPlace::Sidebar) app.ui.panel_open[i] = false;
    l.show_all_model = false;
    l.problems = run_script(app, p.steps, l.file);
    l.page_entered_at = now;
    l.task_seen_done.assign(p.tasks.size(), 0);
    l.requested_page = -1;
    refresh_derived(app);
    return l.problems;
}

void leave_lesson(App& app) {
    LessonUi& l = app.ui.lesson;
    if (!l.lesson) return;
    if (l.saved_panel_open.size() == app.ui.panel_open.size()) app.ui.panel_open = l.saved_panel_open;
    set_split(app.ui, l.saved_split);
    app.ui.comfort.presentation = l.saved_presentation;
    restore_work(app);
    refresh_derived(app);
    l.lesson.reset();
    l.problems.clear();
    if (ImGui::GetCurrentContext()) ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    l.requested_page = -1;
    l.leave_requested = false;
    app.ui.status = _("Left the lesson: your sentence, model and views are back as they were before it.");
}

void run_lesson_requests(App& app, double now) {
    LessonUi& l = app.ui.lesson;
    if (!l.start_request.empty()) {
        const std::string name = std::move(l.start_request);
        l.start_request.clear();
        start_builtin_lesson(app, name, now);
        return;
    }
    if (l.leave_requested) {
        leave_lesson(app);
        l.leave_requested = false;
        return;
    }
    if (l.lesson && l.requested_page >= 0) enter_lesson_page(app, l.requested_page, now);
    l.requested_page = -1;
}

void handle_lesson_keys(App& app) {
    LessonUi& l = app.ui.lesson;
    ImGuiIO& io = ImGui::GetIO();
    if (!l.lesson) return;
    // the arrows and Space turn pages during a lesson, not ImGui's keyboard focus
    io.ConfigFlags &= ~ImGuiConfigFlags_NavEnableKeyboard;
    if (io.WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
    const auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), true); };
    const int last = static_cast<int>(l.lesson->pages.size()) - 1;
    const int base = l.requested_page >= 0 ? l.requested_page : l.page;
    const bool mine = !l.view_has_keys; // else the arrows step the focused view (click the lesson to return)
    if ((mine && (pressed(ImGuiKey_RightArrow) || pressed(ImGuiKey_Space))) || pressed(ImGuiKey_PageDown))
        l.requested_page = std::min(base + 1, last);
    else if ((mine && pressed(ImGuiKey_LeftArrow)) || pressed(ImGuiKey_PageUp))
        l.requested_page = std::max(base - 1, 0);
    else if (mine && pressed(ImGuiKey_Home))
        l.requested_page = 0;
    else if (mine && pressed(ImGuiKey_End))
        l.requested_page = last;
    else if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
        l.leave_requested = true;
    if (l.requested_page == l.page) l.requested_page = -1; // already there: the learner's changes stay
}

bool lesson_check_holds(const LessonCheck& c, const AppState& s, const UiState& ui) {
    const auto num = [&](double v) { return compare(v, c.op, c.number); };
    switch (c.quantity) {
    case LessonQuantity::Query:
        if (ui.selected_query < 0 || ui.selected_query >= s.n_tokens()) return c.op == LessonOp::Ne;
        if (c.is_number) return num(ui.selected_query);
        return compare_text(s.tokens[static_cast<std::size_t>(ui.selected_query)], c.op, c.text);
    case LessonQuantity::Layer:
        return num(ui.selected_layer);
    case LessonQuantity::Head:
        return num(ui.selected_head);
    case LessonQuantity::HeadsOff:
        return num(s.heads_off());
    case LessonQuantity::Off: {
        const auto dot = c.text.find('.');
        const int layer = std::stoi(c.text.substr(0, dot)), head = std::stoi(c.text.substr(dot + 1));
        return layer < s.config.n_layers && head < s.config.n_heads && !s.head_on(layer, head);
    }
    case LessonQuantity::Heads:
        return num(s.config.n_heads);
    case LessonQuantity::KvHeads:
        return num(s.config.n_kv_heads);
    case LessonQuantity::Layers:
        return num(s.config.n_layers);
    case LessonQuantity::DModel:
        return num(s.config.d_model);
    case LessonQuantity::Tokens:
        return num(s.n_tokens());
    case LessonQuantity::Text:
        return compare_text(s.text, c.op, c.text);
    case LessonQuantity::Mask:
        return compare_text(name_key(to_string(s.config.mask)), c.op, c.text);
    case LessonQuantity::Positions:
        return compare_text(name_key(to_string(s.config.positions)), c.op, c.text);
    case LessonQuantity::Implementation:
        return compare_text(name_key(to_string(s.config.implementation)), c.op, c.text);
    case LessonQuantity::Overrides:
        return num(static_cast<double>(s.overrides.size()));
    case LessonQuantity::Stage:
        return num(ui.views.step_stage + 1);
    case LessonQuantity::FlashStep:
        return num(ui.flash.requested_step >= 0 ? ui.flash.requested_step : ui.flash.player.steps_done);
    case LessonQuantity::View: {
        bool any = false;
        for (const int pane : {0, 1}) {
            const int i = ui.layout.select[pane] >= 0 ? ui.layout.select[pane] : ui.layout.shown[pane];
            if (i >= 0 && i < static_cast<int>(panels().size()) && (pane == 0 || ui.layout.split))
                any |= same_text(panels()[static_cast<std::size_t>(i)].name, c.text);
        }
        return c.op == LessonOp::Ne ? !any : any;
    }
    case LessonQuantity::Model:
        return compare_text(s.trained ? s.trained_source : std::string("live"), c.op, c.text);
    }
    return false;
}

bool lesson_hint_due(const LessonTask& task, bool done, double seconds_on_page) {
    return !done && !task.hint.empty() && seconds_on_page >= task.hint_after_s;
}

bool lesson_task_done(const LessonTask& task, const AppState& state, const UiState& ui) {
    if (task.checks.empty()) return false;
    for (const auto& c : task.checks)
        if (!lesson_check_holds(c, state, ui)) return false;
    return true;
}

} // namespace attn

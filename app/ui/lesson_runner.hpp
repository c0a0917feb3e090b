// Running a lesson (lesson.hpp) in the app: starting one (built in, or from a file), entering a page —
// its steps go through run_script(), the same path as --script — leaving, and the "try it" checks, which
// read AppState and UiState only, so tests can do a task (or not) without a window.
#pragma once

#include "app/io/lesson.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

struct App;
struct AppState;
struct UiState;

// The lessons shipped inside the program (assets/lessons/*.md, embedded at build time).
// A lesson is written once per language (attention.md, attention.de.md, each declaring "lang:"); the app
// picks the one in the interface's language and falls back to English.
struct LessonTranslation {
    const char* lang; // "de"
    std::string_view text;
};
struct BuiltinLesson {
    const char* name;      // "attention", "kv-cache"
    const char* title;     // for the Help menu, in English (marked N_, shown translated)
    std::string_view text; // English
    std::vector<LessonTranslation> translations;
};
const std::vector<BuiltinLesson>& builtin_lessons();
// The text in language `lang` ("de"), else the English one.
std::string_view builtin_lesson_text(const BuiltinLesson& b, const std::string& lang);
// Parsed, in `lang` or (without it) the interface's current language; null for an unknown name.
std::shared_ptr<const Lesson> builtin_lesson(const std::string& name, const std::string& lang);
std::shared_ptr<const Lesson> builtin_lesson(const std::string& name);

// Starts `lesson` at its first page. A lesson with errors is not started: nothing changes, the errors
// ("FILE:LINE: ...") are returned and kept in ui.lesson.open_error for the pane's message window.
std::string start_lesson(App& app, std::shared_ptr<const Lesson> lesson, const std::string& file, double now);
std::string start_lesson_file(App& app, const std::string& path, double now);
std::string start_builtin_lesson(App& app, const std::string& name, double now);

// Enters a page (clamped to the lesson): the sidebar is folded away, then the page's steps are applied
// (a page that needs the Model panel opens it). Returns what the steps could not do, also kept in
// ui.lesson.problems.
std::vector<std::string> enter_lesson_page(App& app, int page, double now);
// Ends the lesson: the panels open before it, presentation mode, the sentence, model and head switches and
// the selected layer, head and query come back as they were when it started.
void leave_lesson(App& app);
// Carries out what the keys and the pane asked for this frame (another page, leaving).
void run_lesson_requests(App& app, double now);
// The lesson keys (→ or Space, ←, Home, End, Escape), when a lesson runs and no text box has the keyboard.
void handle_lesson_keys(App& app);

bool lesson_check_holds(const LessonCheck& check, const AppState& state, const UiState& ui);
bool lesson_task_done(const LessonTask& task, const AppState& state, const UiState& ui);
// Whether a task's hint is shown: it has one, is not done, and the page has been open `seconds_on_page`
// for at least its hint_after seconds.
bool lesson_hint_due(const LessonTask& task, bool done, double seconds_on_page);

} // namespace attn

// libFuzzer: parse_lesson() on arbitrary text (File → Open lesson, --lesson), then every page's steps
// through apply() on a fresh state, as entering the page does. A lesson with errors must have no pages
// that could start; every error and block names a line inside the file.
#include "app/io/lesson.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const attn::Lesson lesson = attn::parse_lesson(text);
    const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const attn::ScriptMessage& e : lesson.errors)
        if (e.line < 0 || e.line > lines) __builtin_trap();
    if (!lesson.ok()) return 0;
    attn::AppState state = attn::AppState::initial();
    for (const attn::LessonPage& page : lesson.pages) {
        if (page.line < 1 || page.line > lines) __builtin_trap();
        if (page.steps.commands.size() != page.steps.command_lines.size()) __builtin_trap();
        for (const attn::Command& c : page.steps.commands)
            attn::apply(state, c);
    }
    (void)attn::lesson_errors_text("fuzz.md", lesson);
    return 0;
}

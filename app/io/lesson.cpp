// parse_lesson(): one pass over the lines. Outside fences a line is header, page title, subheading, list
// item, formula or paragraph text; inside a ```steps fence each line is a script entry (JSON as in scripts,
// or the short form `Name key=value ...`, turned into JSON and parsed by parse_script_entry, so lessons and
// scripts share one command reader); inside a ```try fence each line is `task:`, `check:`, `hint:` or
// `hint_after:`. Every problem is collected with its line; parsing goes on to find the others.
// Sections: inline markup · step lines · parse_lesson. The text helpers are in lesson_text.hpp, the
// reader of `check:` lines in lesson_checks.cpp.
#include "lesson.hpp"
#include "lesson_text.hpp"

#include "app/io/json_util.hpp"
#include "core/config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace attn {

using namespace lesson_text;

namespace {

// ---- inline markup -----------------------------------------------------------------------------------

// Splits text at ** (bold) and ` (code). Returns an error for a marker that is not closed.
Message parse_spans(std::string_view text, std::vector<LessonSpan>& out) {
    bool bold = false;
    std::string cur;
    const auto flush = [&](bool code) {
        if (!cur.empty()) out.push_back({cur, bold, code});
        cur.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '`') {
            const auto close = text.find('`', i + 1);
            if (close == std::string_view::npos)
                return message(N_("a ` starts code that is not closed with another `"));
            flush(false);
            cur = std::string(text.substr(i + 1, close - i - 1));
            flush(true);
            i = close;
        } else if (text[i] == '*' && i + 1 < text.size() && text[i + 1] == '*') {
            flush(false);
            bold = !bold;
            ++i;
        } else {
            cur += text[i];
        }
    }
    flush(false);
    if (bold)
        return message(N_("** starts bold text that is not closed with another ** in the same paragraph"));
    return {};
}

// ---- step lines --------------------------------------------------------------------------------------

bool is_ui_step(const std::string& name) {
    static const std::vector<std::string> names = script_ui_step_names();
    return std::find(names.begin(), names.end(), name) != names.end();
}

// True at whitespace followed by `name=`: where the next key of a step line starts.
bool next_is_key(std::string_view line, std::size_t i) {
    if (line[i] != ' ' && line[i] != '\t') return false;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        ++i;
    const std::size_t begin = i;
    while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_'))
        ++i;
    return i > begin && i < line.size() && line[i] == '=';
}

// `SelectQuery word=it` -> {"ui": "SelectQuery", "word": "it"}. Values: "quoted text" (JSON escapes),
// [lists] and {objects} as JSON, numbers, true/false, or a bare word taken as text.
Message short_form_to_json(std::string_view line, std::string& json) {
    std::size_t i = 0;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t')
        ++i;
    const std::string name(line.substr(0, i));
    json = std::string("{") + json_string(is_ui_step(name) ? "ui" : "cmd") + std::string(": ") +
           json_string(name);
    while (true) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i >= line.size()) break;
        const std::size_t key_begin = i;
        while (i < line.size() && line[i] != '=' && line[i] != ' ' && line[i] != '\t')
            ++i;
        const std::string_view key = line.substr(key_begin, i - key_begin);
        if (i >= line.size() || line[i] != '=')
            return message(N_("expected key=value after %s, not \"%s\" (e.g. SetText text=\"The cat sat\")"),
                           name, std::string(key));
        ++i;
        if (key.empty()) return message(N_("a value without a name before its '='"));
        if (i >= line.size() || line[i] == ' ') return message(N_("\"%s=\" has no value"), std::string(key));
        const std::size_t v_begin = i;
        std::string value;
        if (line[i] == '"' || line[i] == '[' || line[i] == '{') {
            int depth = 0;
            bool in_string = false;
            for (; i < line.size(); ++i) {
                const char c = line[i];
                if (in_string) {
                    if (c == '\\')
                        ++i;
                    else if (c == '"')
                        in_string = false;
                    if (!in_string && depth == 0) break;
                    continue;
                }
                if (c == '"')
                    in_string = true;
                else if (c == '[' || c == '{')
                    ++depth;
                else if ((c == ']' || c == '}') && --depth == 0)
                    break;
            }
            if (i >= line.size())
                return message(N_("the value of \"%s\" is not closed (a missing \" ] or })"),
                               std::string(key));
            ++i;
            value = std::string(line.substr(v_begin, i - v_begin));
        } else {
            // a bare value runs to the next " key=" (so name=Step by step needs no quotes)
            while (i < line.size() && !next_is_key(line, i))
                ++i;
            const std::string_view word = trim(line.substr(v_begin, i - v_begin));
            double d = 0;
            value = word == "true" || word == "false" || parse_number(word, d) ? std::string(word)
                                                                               : json_string(word);
        }
        json += std::string(", ") + json_string(key) + std::string(": ") + value;
    }
    json += "}";
    return {};
}

// ---- parse_lesson ------------------------------------------------------------------------------------

enum class Fence { None, Steps, Try, Code };

struct Parser {
    Lesson lesson;
    bool in_header = true;
    Fence fence = Fence::None;
    int fence_line = 0;
    LessonTask task;       // the ```try block being read
    std::string paragraph; // text of the paragraph being read
    int paragraph_line = 0;
    LessonBlockKind paragraph_kind = LessonBlockKind::Paragraph;
    std::string paragraph_label;
    std::string code;     // a plain ``` block's text
    int comment_line = 0; // where an open <!-- note started, until its -->

    void error(int line, Message text) { lesson.errors.push_back({line, std::move(text)}); }
    LessonPage* page() { return lesson.pages.empty() ? nullptr : &lesson.pages.back(); }

    void flush_paragraph() {
        if (paragraph.empty() || !page()) {
            paragraph.clear();
            return;
        }
        LessonBlock b;
        b.kind = paragraph_kind;
        b.line = paragraph_line;
        b.label = paragraph_label;
        if (auto e = parse_spans(paragraph, b.spans); !e.empty()) error(paragraph_line, e);
        page()->blocks.push_back(std::move(b));
        paragraph.clear();
    }

    void start_block(LessonBlockKind kind, int line, std::string_view text, std::string label = {}) {
        flush_paragraph();
        paragraph_kind = kind;
        paragraph_line = line;
        paragraph_label = std::move(label);
        paragraph = std::string(text);
    }

    void header_line(int n, std::string_view t) {
        const auto colon = t.find(':');
        const std::string key =
            colon == std::string_view::npos ? std::string{} : lower(trim(t.substr(0, colon)));
        const std::string value =
            colon == std::string_view::npos ? std::string{} : std::string(trim(t.substr(colon + 1)));
        if (key == "lang") {
            const bool ok = value.size() >= 2 && value.size() <= 12 &&
                            std::all_of(value.begin(), value.end(), [](char c) {
                                return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
                            });
            if (!ok)
                error(n,
                      message(N_("lang: needs a language code such as en, de or pt-BR, not \"%s\""), value));
            lesson.lang = value;
        } else if (key == "title") {
            if (value.empty()) error(n, message(N_("title: has no text")));
            lesson.title = value;
        } else {
            error(n, message(N_("before the first page (a line starting with \"# \") only \"lang:\" and "
                                "\"title:\" lines may stand, not \"%s\""),
                             std::string(t.substr(0, 60))));
        }
    }

    void try_line(int n, std::string_view t) {
        const auto colon = t.find(':');
        const std::string key =
            colon == std::string_view::npos ? std::string{} : lower(trim(t.substr(0, colon)));
        const std::string_view value = colon == std::string_view::npos ? t : trim(t.substr(colon + 1));
        if (key == "task") {
            task.task += std::string(task.task.empty() ? "" : " ") + std::string(value);
        } else if (key == "check") {
            LessonCheck c;
            c.line = n;
            if (auto e = parse_check(value, c); !e.empty())
                error(n, e);
            else
                task.checks.push_back(c);
        } else if (key == "hint") {
            task.hint += std::string(task.hint.empty() ? "" : " ") + std::string(value);
        } else if (key == "hint_after") {
            double s = 0;
            if (!parse_number(value, s) || s < 0 || s > 3600)
                error(n, message(N_("hint_after: is a number of seconds from 0 to 3600")));
            else
                task.hint_after_s = static_cast<float>(s);
        } else {
            error(n, message(N_("a try block holds task:, check:, hint: and hint_after: lines, not \"%s\""),
                             std::string(t.substr(0, 60))));
        }
    }

    void close_fence(int n) {
        if (fence == Fence::Try) {
            if (task.task.empty())
                error(fence_line, message(N_("this try block has no \"task:\" line saying what to do")));
            if (task.checks.empty())
                error(fence_line,
                      message(N_("this try block has no \"check:\" line saying when the task is done")));
            if (page()) page()->tasks.push_back(task);
        } else if (fence == Fence::Code && page()) {
            LessonBlock b;
            b.kind = LessonBlockKind::Code;
            b.line = fence_line;
            b.spans.push_back({code, false, true});
            page()->blocks.push_back(std::move(b));
        }
        (void)n;
        fence = Fence::None;
    }

    void fenced_line(int n, std::string_view t) {
        const std::string_view s = trim(t);
        if (fence == Fence::Code) {
            code += std::string(code.empty() ? "" : "\n") + std::string(t);
            return;
        }
        if (s.empty() || s.front() == '#') return; // blank lines and comments
        if (fence == Fence::Try) {
            try_line(n, s);
            return;
        }
        LessonPage* p = page();
        if (s.front() == '{') {
            parse_script_entry(s, n, p->steps);
            return;
        }
        std::string json;
        if (auto e = short_form_to_json(s, json); !e.empty()) {
            p->steps.errors.push_back({n, e});
            return;
        }
        parse_script_entry(json, n, p->steps);
    }

    void line(int n, std::string_view raw) {
        if (!valid_utf8(raw)) {
            error(n, message(N_("this line is not valid UTF-8 text (save the file as UTF-8)")));
            return;
        }
        const std::string_view t = trim(raw);
        if (comment_line > 0) {
            if (t.find("-->") != std::string_view::npos) comment_line = 0;
            return;
        }
        if (starts_with(t, "```")) {
            if (fence != Fence::None) {
                close_fence(n);
                return;
            }
            flush_paragraph();
            if (!page()) {
                error(n, message(N_("a ``` block before the first page (a line starting with \"# \")")));
                in_header = false;
            }
            const std::string info = lower(trim(t.substr(3)));
            fence = info == "steps" ? Fence::Steps : info == "try" ? Fence::Try : Fence::Code;
            fence_line = n;
            task = LessonTask{};
            task.line = n;
            code.clear();
            if (!page()) fence = Fence::Code; // read to its end, shown nowhere
            return;
        }
        if (fence != Fence::None) {
            fenced_line(n, raw);
            return;
        }
        if (starts_with(t, "<!--")) { // a note for the teacher, not shown; it may span lines
            if (t.find("-->") == std::string_view::npos) comment_line = n;
            return;
        }
        if (starts_with(t, "# ") || t == "#") {
            flush_paragraph();
            in_header = false;
            LessonPage p;
            p.line = n;
            p.title = std::string(trim(t.substr(1)));
            if (p.title.empty()) error(n, message(N_("a page title \"# \" with no text after it")));
            lesson.pages.push_back(std::move(p));
            return;
        }
        if (in_header) {
            if (!t.empty()) header_line(n, t);
            return;
        }
        if (t.empty()) {
            flush_paragraph();
            return;
        }
        if (starts_with(t, "## ") || starts_with(t, "### ")) {
            start_block(LessonBlockKind::Heading, n, trim(t.substr(t.find(' '))));
            flush_paragraph();
        } else if (starts_with(t, "- ") || starts_with(t, "* ")) {
            start_block(LessonBlockKind::Bullet, n, trim(t.substr(2)));
        } else if (starts_with(t, "> ") || t == ">") {
            start_block(LessonBlockKind::Formula, n, trim(t.substr(1)));
            flush_paragraph();
        } else if (std::isdigit(static_cast<unsigned char>(t[0])) && t.find(". ") != std::string_view::npos &&
                   t.find(". ") <= 3 &&
                   std::all_of(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(t.find(". ")),
                               [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
            const auto dot = t.find(". ");
            start_block(LessonBlockKind::Numbered, n, trim(t.substr(dot + 2)),
                        std::string(t.substr(0, dot + 1)));
        } else if (paragraph.empty()) {
            start_block(LessonBlockKind::Paragraph, n, t);
        } else {
            paragraph += ' ';
            paragraph += t; // a line continuing the paragraph or list item
        }
    }

    void finish() {
        if (fence != Fence::None) {
            error(fence_line, message(N_("this ``` block is not closed with a ``` line")));
            fence = Fence::None;
        }
        if (comment_line > 0) error(comment_line, message(N_("this <!-- note is not closed with -->")));
        flush_paragraph();
        if (lesson.lang.empty())
            error(1, message(N_(
                         "the header needs a \"lang:\" line naming the lesson's language, e.g. lang: en")));
        if (lesson.pages.empty())
            error(1, message(N_("the lesson has no pages: each page starts with a line \"# Title\"")));
        for (const auto& p : lesson.pages)
            for (const auto& e : p.steps.errors)
                lesson.errors.push_back(e);
        std::stable_sort(lesson.errors.begin(), lesson.errors.end(),
                         [](const ScriptMessage& a, const ScriptMessage& b) { return a.line < b.line; });
        if (lesson.title.empty() && !lesson.pages.empty()) lesson.title = lesson.pages.front().title;
    }
};

} // namespace

Lesson parse_lesson(std::string_view text) {
    Parser p;
    if (starts_with(text, "\xEF\xBB\xBF")) text.remove_prefix(3); // a byte-order mark some editors write
    int n = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto end = text.find('\n', pos);
        const std::string_view raw = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
        ++n;
        if (raw.size() > 4000)
            p.error(n, message(N_("this line is longer than 4000 characters")));
        else
            p.line(n, raw);
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    p.finish();
    return std::move(p.lesson);
}

Lesson load_lesson(const std::string& path) {
    auto text = read_text_file(path, 1u << 20);
    if (!text.ok()) {
        Lesson l;
        l.errors.push_back({0, std::move(text.error)});
        return l;
    }
    return parse_lesson(text.value);
}

std::string lesson_errors_text(const std::string& file, const Lesson& lesson, std::size_t max,
                               Translate translate) {
    std::string out;
    for (std::size_t i = 0; i < lesson.errors.size() && i < max; ++i) {
        if (!out.empty()) out += '\n';
        out += format_script_message(file, lesson.errors[i], translate);
    }
    if (lesson.errors.size() > max) {
        out += '\n';
        out += render(message(N_("... and %s more"), lesson.errors.size() - max), translate);
    }
    return out;
}

} // namespace attn

// Lesson files: the format (pages, text, steps, try-it blocks), its errors with their lines, and the short
// step form read the same as the JSON one. No window: parse_lesson and load_lesson only.
#include "app/io/lesson.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

using namespace attn;

namespace {

const char* k_good = R"(title: A short lesson
lang: en

# First page

Attention is a **weighted average** of `values`,
continued on a second line.

## A subheading

- one point
- a **bold** point
1. first
2. second

> softmax(q·kᵀ/√d)

```steps
LoadPreset name=tired
{"ui": "OpenPanel", "name": "Heatmap"}
# a comment
SelectQuery word=it
SetConfig config={"n_heads": 2, "n_kv_heads": 1}
```

```try
task: Select "it".
check: query = "it"
check: heads_off >= 0
hint: Click its row.
hint_after: 5
```

# Second page

Text.
)";

// The first message about `line`, or "" when there is none.
std::string error_at(const Lesson& l, int line) {
    for (const auto& e : l.errors)
        if (e.line == line) return e.text;
    return {};
}

} // namespace

TEST_CASE("a lesson file parses into pages of text, steps and tasks") {
    const Lesson l = parse_lesson(k_good);
    for (const auto& e : l.errors)
        FAIL_CHECK(e.line, ": ", e.text);
    CHECK(l.title == "A short lesson");
    CHECK(l.lang == "en");
    REQUIRE(l.pages.size() == 2);
    const LessonPage& p = l.pages[0];
    CHECK(p.title == "First page");
    CHECK(p.line == 4);
    REQUIRE(p.blocks.size() == 7);
    CHECK(p.blocks[0].kind == LessonBlockKind::Paragraph);
    REQUIRE(p.blocks[0].spans.size() == 5);
    CHECK(p.blocks[0].spans[1].text == "weighted average");
    CHECK(p.blocks[0].spans[1].bold);
    CHECK(p.blocks[0].spans[3].code);
    CHECK(p.blocks[0].spans[4].text == ", continued on a second line."); // lines join into one paragraph
    CHECK(p.blocks[1].kind == LessonBlockKind::Heading);
    CHECK(p.blocks[2].kind == LessonBlockKind::Bullet);
    CHECK(p.blocks[3].spans[1].bold);
    CHECK(p.blocks[4].kind == LessonBlockKind::Numbered);
    CHECK(p.blocks[5].label == "2.");
    CHECK(p.blocks[6].kind == LessonBlockKind::Formula);
    CHECK(p.blocks[6].spans[0].text == "softmax(q·kᵀ/√d)");
    // steps: commands and view steps, each with its line in the lesson file
    REQUIRE(p.steps.commands.size() == 2);
    CHECK(std::get<LoadPreset>(p.steps.commands[0]).name == "tired");
    CHECK(std::get<SetConfig>(p.steps.commands[1]).config.n_kv_heads == 1);
    CHECK(p.steps.command_lines == std::vector<int>{19, 23});
    REQUIRE(p.steps.ui_steps.size() == 2);
    CHECK(std::get<ui_step::SelectQuery>(p.steps.ui_steps[1]).word == "it");
    CHECK(p.steps.ui_step_lines == std::vector<int>{20, 22});
    REQUIRE(p.tasks.size() == 1);
    CHECK(p.tasks[0].task == "Select \"it\".");
    REQUIRE(p.tasks[0].checks.size() == 2);
    CHECK(p.tasks[0].checks[0].quantity == LessonQuantity::Query);
    CHECK(p.tasks[0].checks[0].text == "it");
    CHECK(p.tasks[0].checks[1].op == LessonOp::Ge);
    CHECK(p.tasks[0].hint_after_s == 5.0f);
    CHECK(l.pages[1].steps.commands.empty());
}

TEST_CASE("mistakes in a lesson file are reported with their line and what is wrong") {
    struct Case {
        const char* text;
        int line;
        const char* says;
    };
    const Case cases[] = {
        {"title: x\n\n# P\n", 1, "lang:"},
        {"lang: en\nauthor: me\n# P\n", 2, "only \"lang:\" and \"title:\""},
        {"lang: english language\n# P\n", 1, "language code"},
        {"lang: en\n", 1, "no pages"},
        {"lang: en\n# P\n```steps\nNoSuchStep a=1\n```\n", 4, "unknown command \"NoSuchStep\""},
        {"lang: en\n# P\n```steps\nSetText hello\n```\n", 4, "expected key=value"},
        {"lang: en\n# P\n```steps\nSetText text=\"open\n```\n", 4, "not closed"},
        {"lang: en\n# P\n```steps\nSelectQuery token=-5 word=it\n```\n", 4, "either"},
        {"lang: en\n# P\n```steps\nOpenPanel name=Heatmap side=7\n```\n", 4, "side must be"},
        {"lang: en\n# P\n```steps\n{\"cmd\": \"SetText\", \"txt\": 1}\n```\n", 4, "no field \"txt\""},
        {"lang: en\n# P\ntext\n```steps\nLoadPreset name=tired\n", 4, "not closed with a ```"},
        {"lang: en\n# P\nsome **bold text\n", 3, "not closed"},
        {"lang: en\n# P\n```try\ntask: do it\ncheck: colour = red\n```\n", 5, "a check starts with"},
        {"lang: en\n# P\n```try\ntask: do it\ncheck: kv_heads = two\n```\n", 5, "is a number"},
        {"lang: en\n# P\n```try\ntask: do it\ncheck: mask = diagonal\n```\n", 5, "unknown mask"},
        {"lang: en\n# P\n```try\ntask: do it\ncheck: off contains 1\n```\n", 5, "LAYER.HEAD"},
        {"lang: en\n# P\n```try\ntask: do it\n```\n", 3, "no \"check:\""},
        {"lang: en\n# P\n```try\ncheck: heads_off > 0\n```\n", 3, "no \"task:\""},
        {"lang: en\n# P\n```try\ntask: x\ncheck: heads_off > 0\nwhen: now\n```\n", 6, "try block holds"},
        {"lang: en\n# P\n```try\ntask: x\ncheck: heads_off > 0\nhint_after: -3\n```\n", 6, "seconds"},
        {"lang: en\n# P\nbad \xff byte\n", 3, "UTF-8"},
        {"lang: en\n#\n", 2, "no text"},
        {"lang: en\n# P\n<!-- a note\nthat goes on\n", 3, "not closed with -->"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        const Lesson l = parse_lesson(c.text);
        CHECK_FALSE(l.ok());
        const std::string e = error_at(l, c.line);
        CHECK_MESSAGE(e.find(c.says) != std::string::npos, "line ", c.line, ": got \"", e,
                      "\"; all: ", lesson_errors_text("x.md", l));
    }
    // every problem is found in one pass, and the messages name the file and line
    const Lesson two = parse_lesson("lang: en\n# P\n```steps\nBad1\nSelectQuery word=it\nBad2\n```\n");
    REQUIRE(two.errors.size() == 2);
    CHECK(lesson_errors_text("my.md", two).find("my.md:4: ") == 0);
    CHECK(lesson_errors_text("my.md", two).find("my.md:6: ") != std::string::npos);
    // an unreadable file is one message with no line
    const Lesson missing = load_lesson("/nonexistent/lesson.md");
    REQUIRE(missing.errors.size() == 1);
    CHECK(missing.errors[0].line == 0);
}

TEST_CASE("the short step form and the JSON form give the same steps") {
    const Lesson a =
        parse_lesson("lang: en\n# P\n```steps\nSetText text=\"say \\\"hi\\\" now\"\n"
                     "SetTokens tokens=[\"a\", \"b c\"]\nToggleHead layer=0 head=1\nSetSeed seed=7\n"
                     "SetPresentation on=true\nSetTheme theme=light\n```\n");
    const Lesson b =
        parse_lesson("lang: en\n# P\n```steps\n{\"cmd\": \"SetText\", \"text\": \"say \\\"hi\\\" now\"}\n"
                     "{\"cmd\": \"SetTokens\", \"tokens\": [\"a\", \"b c\"]}\n{\"cmd\": \"ToggleHead\", "
                     "\"layer\": 0, \"head\": 1}\n"
                     "{\"cmd\": \"SetSeed\", \"seed\": 7}\n{\"ui\": \"SetPresentation\", \"on\": true}\n"
                     "{\"ui\": \"SetTheme\", \"theme\": \"light\"}\n```\n");
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    const Script& sa = a.pages[0].steps;
    const Script& sb = b.pages[0].steps;
    REQUIRE(sa.commands.size() == 4);
    REQUIRE(sb.commands.size() == 4);
    CHECK(std::get<SetText>(sa.commands[0]).text == "say \"hi\" now");
    CHECK(std::get<SetText>(sa.commands[0]).text == std::get<SetText>(sb.commands[0]).text);
    CHECK(std::get<SetTokens>(sa.commands[1]).tokens == std::get<SetTokens>(sb.commands[1]).tokens);
    CHECK(std::get<ToggleHead>(sa.commands[2]).head == 1);
    CHECK(std::get<SetSeed>(sa.commands[3]).seed == 7);
    CHECK(std::get<ui_step::SetTheme>(sa.ui_steps[1]).theme == "light");
    CHECK(std::get<ui_step::SetTheme>(sb.ui_steps[1]).theme == "light");
    // a bare value runs to the next key, so a name with spaces needs no quotes
    const Lesson c = parse_lesson("lang: en\n# P\n```steps\nOpenPanel name=Step by step side=2\n"
                                  "OpenPanel name=KV cache\n```\n");
    REQUIRE(c.ok());
    const auto& open = std::get<ui_step::OpenPanel>(c.pages[0].steps.ui_steps[0]);
    CHECK(open.name == "Step by step");
    CHECK(open.side == ui_step::Side::Right);
    CHECK(std::get<ui_step::OpenPanel>(c.pages[0].steps.ui_steps[1]).name == "KV cache");
}

// Lesson files: Markdown a teacher writes by hand. A header of `key: value` lines (lang, title), then
// pages, each starting with a `# Title` line: paragraphs, `## ` subheadings, bullet and numbered lists,
// `> ` formula lines, **bold** and `code`; a ```steps block of script commands applied when the page is
// entered, and ```try blocks asking the learner to do something, checked against the state.
// The README section "Lessons" documents the format with a complete example.
#pragma once

#include "app/io/script.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace attn {

// ---- narrative text ----------------------------------------------------------------------------------
struct LessonSpan {
    std::string text;
    bool bold = false;
    bool code = false;
};

enum class LessonBlockKind { Heading, Paragraph, Bullet, Numbered, Formula, Code };

struct LessonBlock {
    LessonBlockKind kind = LessonBlockKind::Paragraph;
    int line = 0;                  // where it starts in the file
    std::string label;             // "3." for a numbered item
    std::vector<LessonSpan> spans; // the text, split where bold or code starts and ends
};

// ---- "try it" tasks ----------------------------------------------------------------------------------
// What a check can look at. Names as written in the file: see lesson_quantity_names().
enum class LessonQuantity {
    Query,          // the selected query token: its index, or its text ("it")
    Layer,          // the selected layer
    Head,           // the selected head
    HeadsOff,       // how many heads are switched off
    Off,            // the heads switched off, as "L.H" ("contains 1.0")
    Heads,          // n_heads
    KvHeads,        // n_kv_heads
    Layers,         // n_layers
    DModel,         // d_model
    Tokens,         // how many tokens
    Text,           // the sentence
    Mask,           // causal, bidirectional, sliding_window
    Positions,      // none, sinusoidal, learned, rope, alibi
    Implementation, // reference, matrix, flash
    Overrides,      // vectors dragged in the playground
    Stage,          // the Step by step view's stage, 1-based
    FlashStep,      // tiles done in the Flash view's sweep
    View,           // a view in front of a pane ("Heatmap")
    Model,          // the trained model's source ("english"), or "live"
};
enum class LessonOp { Eq, Ne, Lt, Le, Gt, Ge, Contains };

struct LessonCheck {
    int line = 0;
    LessonQuantity quantity = LessonQuantity::Query;
    LessonOp op = LessonOp::Eq;
    bool is_number = false; // the value was written as a number
    double number = 0;
    std::string text; // the value as written (unquoted); lower-case names for mask, positions, ...
};

struct LessonTask {
    int line = 0;
    std::string task;                // what to do, shown on the page
    std::vector<LessonCheck> checks; // all must hold for the ✓
    std::string hint;                // shown after hint_after_s seconds on the page without the ✓
    float hint_after_s = 20.0f;
};

// ---- pages and the lesson ----------------------------------------------------------------------------
struct LessonPage {
    int line = 0; // the "# Title" line
    std::string title;
    std::vector<LessonBlock> blocks;
    Script steps; // lines are the lesson file's lines
    std::vector<LessonTask> tasks;
};

struct Lesson {
    std::string title; // header "title:", else the first page's title
    std::string lang;  // header "lang:", e.g. "en", "de", "pt-BR"
    std::vector<LessonPage> pages;
    std::vector<ScriptMessage> errors; // every problem, with its line; a lesson with any is not started
    bool ok() const { return errors.empty(); }
};

Lesson parse_lesson(std::string_view text);
Lesson load_lesson(const std::string& path); // unreadable file: one error with line 0

// "line 12: ..." messages of a lesson file, one per line, at most `max` of them then "... and N more": in
// English, or with `translate` (i18n::tr) in the interface's language.
std::string lesson_errors_text(const std::string& file, const Lesson& lesson, std::size_t max = 8,
                               Translate translate = nullptr);

std::vector<std::string> lesson_quantity_names();
const char* lesson_quantity_name(LessonQuantity q);

} // namespace attn

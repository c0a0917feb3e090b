// Lessons in the app: every page of the built-in lessons applies without a problem and draws; a page whose
// steps fail is reported; each "try it" task is checked by doing it and by not doing it; the keys turn
// pages; a broken lesson changes nothing; leaving restores the learner's work. The file format itself is
// tested in test_lesson_file.cpp.
#include "app/io/lesson.hpp"
#include "app/ui/lesson_runner.hpp"

#include "app/widgets/help_marker.hpp"
#include "headless_imgui.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>

using namespace attn;
using namespace attn::test;

TEST_CASE("every page of every built-in lesson applies without a problem and draws") {
    HeadlessImGui imgui;
    CountingTextures tex;
    for (const BuiltinLesson& b : builtin_lessons()) {
        CAPTURE(b.name);
        const auto lesson = builtin_lesson(b.name);
        REQUIRE(lesson);
        INFO(lesson_errors_text(b.name, *lesson));
        REQUIRE(lesson->ok());
        CHECK(lesson->lang == "en");
        App app;
        REQUIRE(start_builtin_lesson(app, b.name, 0.0).empty());
        for (int i = 0; i < static_cast<int>(lesson->pages.size()); ++i) {
            CAPTURE(lesson->pages[static_cast<std::size_t>(i)].title);
            const auto problems = enter_lesson_page(app, i, 0.0);
            for (const auto& p : problems)
                FAIL_CHECK(p);
            CHECK(app.ui.lesson.page == i);
            draw_frames(app, tex, 2);
            CHECK(has_region(app.ui, "lesson"));
            CHECK(has_region(app.ui, "lesson_text"));
            CHECK(app.ui.regions.count("lesson_counter") == 1);
        }
        CHECK(draw_until_idle(app, tex)); // a measurement a page started finishes
    }
    const auto main = builtin_lesson("attention");
    CHECK(main->pages.size() >= 12);
    CHECK(main->pages.size() <= 20);
}

TEST_CASE("a page whose steps fail is reported with the lesson's line, and the others still apply") {
    const auto lesson = std::make_shared<const Lesson>(
        parse_lesson("lang: en\n# P\n```steps\nLoadPreset name=tired\nSelectQuery word=zebra\nOpenPanel "
                     "name=Nope\n```\n"));
    REQUIRE(lesson->ok()); // both are fine as written: what fails depends on the state
    App app;
    REQUIRE(start_lesson(app, lesson, "t.md", 0.0).empty());
    const auto& problems = app.ui.lesson.problems;
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].find("t.md:5: no token reads \"zebra\"") == 0);
    CHECK(problems[1].find("t.md:6: no panel named \"Nope\"") == 0);
    CHECK(app.state.trained != nullptr); // the preset before them was applied
}

TEST_CASE("a broken lesson changes nothing: the user's work and layout stay") {
    App app;
    apply_commands(app, {SetText{"my own sentence here"}});
    ensure_layout(app.ui);
    const auto revision = app.state.revision;
    const auto panels_before = app.ui.panel_open;
    const auto broken = std::make_shared<const Lesson>(
        parse_lesson("lang: en\n# P\n```steps\nLoadPreset name=tired\nOops\n```\n"));
    const std::string err = start_lesson(app, broken, "broken.md", 0.0);
    CHECK(err.find("broken.md:5:") == 0);
    CHECK(app.ui.lesson.lesson == nullptr);
    CHECK(app.ui.lesson.open_error == err);
    CHECK(app.state.revision == revision);
    CHECK(app.state.text == "my own sentence here");
    CHECK(app.ui.panel_open == panels_before);
    CHECK(start_lesson_file(app, "/nonexistent/x.md", 0.0).find("/nonexistent/x.md") == 0);
    CHECK(app.state.revision == revision);
}

// How a learner does each built-in task, by the page it is on.
using Doer = std::function<void(App&)>;
const std::map<std::string, Doer>& doers() {
    static const std::map<std::string, Doer> map = {
        {"Who is \"it\"?",
         [](App& a) {
             apply_ui_step(a, ui_step::SelectQuery{-1, "it"});
         }},
        {"Step 3: the causal mask", [](App& a) { show(a, "Heatmap"); }},
        {"Step 4: softmax, weighted sum", [](App& a) { a.ui.views.step_stage = 5; }},
        {"Switch a head off",
         [](App& a) {
             apply_commands(a, {ToggleHead{1, 2}});
         }},
        {"MQA and GQA",
         [](App& a) {
             apply_commands(a, {SetHeads{8, 2}});
         }},
        {"Mistake 1: it \"understands\"",
         [](App& a) {
             apply_commands(a, {SetVectorOverride{0, 0, 2, 'k', {0.5f, -1.0f}}});
         }},
        {"Fewer K/V heads",
         [](App& a) {
             apply_commands(a, {SetHeads{8, 1}});
         }},
    };
    return map;
}

TEST_CASE("each built-in try-it task is not done on entering its page, and done once the learner does it") {
    HeadlessImGui imgui;
    CountingTextures tex;
    int tasks = 0;
    for (const BuiltinLesson& b : builtin_lessons()) {
        const auto lesson = builtin_lesson(b.name);
        REQUIRE(lesson);
        App app;
        REQUIRE(start_builtin_lesson(app, b.name, 0.0).empty());
        for (int i = 0; i < static_cast<int>(lesson->pages.size()); ++i) {
            const LessonPage& page = lesson->pages[static_cast<std::size_t>(i)];
            if (page.tasks.empty()) continue;
            CAPTURE(page.title);
            enter_lesson_page(app, i, 0.0);
            draw_frames(app, tex, 1);
            for (const auto& t : page.tasks)
                CHECK_FALSE(lesson_task_done(t, app.state, app.ui)); // not doing it: no ✓
            const auto it = doers().find(page.title);
            REQUIRE_MESSAGE(it != doers().end(), "no test does the task of this page");
            it->second(app);
            draw_frames(app, tex, 1);
            for (const auto& t : page.tasks) {
                CHECK(lesson_task_done(t, app.state, app.ui));
                ++tasks;
            }
            // going back to the page applies its steps again: the task is undone
            enter_lesson_page(app, i, 0.0);
            for (const auto& t : page.tasks)
                CHECK_FALSE(lesson_task_done(t, app.state, app.ui));
        }
    }
    CHECK(tasks == static_cast<int>(doers().size()));
}

TEST_CASE("checks compare the state the way the lesson file says") {
    App app;
    apply_commands(app, {LoadPreset{"gqa"}}); // 8 heads, 2 K/V heads, causal, RoPE, live model
    const auto holds = [&](const std::string& text) {
        const Lesson l = parse_lesson("lang: en\n# P\n```try\ntask: t\ncheck: " + text + "\n```\n");
        REQUIRE_MESSAGE(l.ok(), lesson_errors_text("c", l));
        return lesson_task_done(l.pages[0].tasks[0], app.state, app.ui);
    };
    CHECK(holds("kv_heads = 2"));
    CHECK_FALSE(holds("kv_heads = 8"));
    CHECK(holds("n_heads >= 8"));
    CHECK_FALSE(holds("n_heads < 8"));
    CHECK(holds("mask = causal"));
    CHECK(holds("mask != bidirectional"));
    CHECK(holds("positions = RoPE"));
    CHECK(holds("model = live"));
    CHECK(holds("text contains \"STREET\"")); // any case
    CHECK_FALSE(holds("text contains wide"));
    CHECK_FALSE(holds("query = it")); // nothing selected
    CHECK(holds("query != it"));
    apply_ui_step(app, ui_step::SelectQuery{-1, "it"});
    CHECK(holds("query = it"));
    CHECK(holds("query = 7"));
    CHECK_FALSE(holds("query = animal"));
    CHECK_FALSE(holds("heads_off > 0"));
    CHECK_FALSE(holds("off contains 0.3"));
    apply_commands(app, {ToggleHead{0, 3}});
    CHECK(holds("heads_off = 1"));
    CHECK(holds("off contains 0.3"));
    CHECK_FALSE(holds("off contains 0.2"));
    CHECK_FALSE(holds("off contains 5.0")); // no such head
    CHECK_FALSE(holds("overrides > 0"));
    app.ui.views.step_stage = 2;
    CHECK(holds("stage = 3"));
    ensure_layout(app.ui);
    show(app, "Flash");
    CHECK(holds("view = flash"));
    CHECK_FALSE(holds("view = Heatmap"));
    apply_commands(app, {LoadTrainedModel{"english"}});
    CHECK(holds("model = english"));
}

TEST_CASE("the lesson keys turn pages, and leaving gives the panels back") {
    HeadlessImGui imgui;
    CountingTextures tex;
    ImGuiIO& io = ImGui::GetIO();
    io.KeyMap[ImGuiKey_RightArrow] = 262; // what the GLFW backend maps
    io.KeyMap[ImGuiKey_LeftArrow] = 263;
    io.KeyMap[ImGuiKey_End] = 269;
    io.KeyMap[ImGuiKey_Home] = 268;
    io.KeyMap[ImGuiKey_Escape] = 256;
    io.KeyMap[ImGuiKey_Space] = 32;
    App app;
    ensure_layout(app.ui);
    const auto panels_before = app.ui.panel_open;
    const auto press = [&](int key) {
        draw_frames(app, tex, 1, [&] { io.KeysDown[key] = true; });
        io.KeysDown[key] = false;
        draw_frames(app, tex, 1);
    };
    press(291); // F2: the built-in lesson
    REQUIRE(app.ui.lesson.lesson != nullptr);
    const int n = static_cast<int>(app.ui.lesson.lesson->pages.size());
    CHECK(app.ui.lesson.page == 0);
    press(262);
    CHECK(app.ui.lesson.page == 1);
    press(32);
    CHECK(app.ui.lesson.page == 2);
    press(263);
    CHECK(app.ui.lesson.page == 1);
    press(269);
    CHECK(app.ui.lesson.page == n - 1);
    press(262); // past the end: stays
    CHECK(app.ui.lesson.page == n - 1);
    press(268);
    CHECK(app.ui.lesson.page == 0);
    // the sidebar is folded away during the lesson
    CHECK_FALSE(app.ui.panel_open[static_cast<std::size_t>(panel_index("Tokens"))]);
    press(256); // Escape
    CHECK(app.ui.lesson.lesson == nullptr);
    CHECK(app.ui.panel_open == panels_before);
    CHECK((io.ConfigFlags & ImGuiConfigFlags_NavEnableKeyboard) != 0);
}

TEST_CASE("the heads the built-in lesson names are the ones the probes name") {
    // The text says "the referent head" and "layer 2, head 3"; the probes, run on held-out sentences when
    // the model loads, must agree, or the lesson would teach something the model does not do.
    const auto lesson = builtin_lesson("attention");
    REQUIRE(lesson);
    App app;
    REQUIRE(start_builtin_lesson(app, "attention", 0.0).empty());
    int checked = 0;
    for (int i = 0; i < static_cast<int>(lesson->pages.size()); ++i) {
        const std::string& title = lesson->pages[static_cast<std::size_t>(i)].title;
        if (title != "Who is \"it\"?" && title != "Switch a head off" &&
            title != "One word changes everything")
            continue;
        CAPTURE(title);
        enter_lesson_page(app, i, 0.0);
        CHECK(head_name(app.state, app.ui.selected_layer, app.ui.selected_head) == "referent");
        ++checked;
    }
    CHECK(checked == 3);
    CHECK(head_name(app.state, 1, 1) == "agreement");
    // "Mistake 2": with the referent head off the answer is still the animal, and the head shown is the
    // agreement head, which also looks from "it" at its noun; with a word it never saw, the model still
    // answers, "street", on the referent head
    for (int i = 0; i < static_cast<int>(lesson->pages.size()); ++i) {
        const std::string& title = lesson->pages[static_cast<std::size_t>(i)].title;
        if (title != "Mistake 2: map = explanation" && title != "A word it never saw") continue;
        CAPTURE(title);
        enter_lesson_page(app, i, 0.0);
        const auto& d = app.derived;
        const std::string answer = model_answer_text(app.state, d, app.ui.selected_query);
        if (title == "A word it never saw") {
            CHECK(head_name(app.state, app.ui.selected_layer, app.ui.selected_head) == "referent");
            CHECK(std::find(d.unknown_words.begin(), d.unknown_words.end(), "blorft") !=
                  d.unknown_words.end());
            CHECK_MESSAGE(answer.find("street") != std::string::npos, answer);
        } else {
            CHECK(head_name(app.state, app.ui.selected_layer, app.ui.selected_head) == "agreement");
            CHECK(head_name(app.state, 1, 2) == "referent");
            CHECK_FALSE(app.state.head_on(1, 2));
            CHECK_MESSAGE(answer.find("animal") != std::string::npos, answer);
        }
        ++checked;
    }
    CHECK(checked == 5);
}

TEST_CASE("a click on (?) shows its explanation in place, and another click folds it") {
    HeadlessImGui imgui;
    ImGuiIO& io = ImGui::GetIO();
    const char* text = "A long explanation that a class should be able to read on the projector, wrapped "
                       "to the width of the panel it sits in, over several lines.";
    ImVec2 marker_min, marker_max;
    const auto frame = [&](ImVec2 mouse, bool down, bool record) {
        io.MousePos = mouse;
        io.MouseDown[0] = down;
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(300, 400));
        ImGui::Begin("help test");
        ImGui::TextUnformatted("heads");
        help_marker(text);
        if (record) {
            marker_min = ImGui::GetItemRectMin();
            marker_max = ImGui::GetItemRectMax();
        }
        ImGui::TextUnformatted("next line");
        const float y = ImGui::GetItemRectMin().y;
        ImGui::End();
        ImGui::Render();
        return y;
    };
    const float closed_y = frame(ImVec2(-1, -1), false, true);
    const ImVec2 on_marker((marker_min.x + marker_max.x) / 2, (marker_min.y + marker_max.y) / 2);
    frame(on_marker, true, false);
    frame(on_marker, false, false);
    const float open_y = frame(ImVec2(-1, -1), false, false);
    CHECK(open_y > closed_y + 3 * ImGui::GetFontSize()); // the text stands under the line, wrapped
    frame(on_marker, true, false);
    frame(on_marker, false, false);
    CHECK(frame(ImVec2(-1, -1), false, false) == doctest::Approx(closed_y));
}

TEST_CASE("a try-it hint appears only after its delay on the page, and not once the task is done") {
    HeadlessImGui imgui;
    CountingTextures tex;
    ImGuiIO& io = ImGui::GetIO();
    App app;
    const auto lesson = std::make_shared<const Lesson>(parse_lesson(
        "lang: en\n# P\nText.\n```steps\nLoadPreset name=gqa\n```\n```try\ntask: Switch a head off.\n"
        "check: heads_off >= 1\nhint: Untick one in the Model panel.\nhint_after: 10\n```\n"));
    REQUIRE(lesson->ok());
    draw_frames(app, tex, 1);
    REQUIRE(start_lesson(app, lesson, "t.md", ImGui::GetTime()).empty());
    const auto hint_shown = [&](float seconds) { // the next frame comes `seconds` later
        draw_frames(app, tex, 1, [&] { io.DeltaTime = seconds; });
        io.DeltaTime = 1.0f / 60.0f;
        return app.ui.regions.count("lesson_hint_0") == 1;
    };
    CHECK_FALSE(hint_shown(1.0f / 60.0f));
    CHECK(has_region(app.ui, "lesson_task_0"));
    CHECK_FALSE(hint_shown(5.0f)); // about 5 s on the page
    CHECK_FALSE(hint_shown(4.0f)); // about 9 s
    CHECK(hint_shown(1.5f));       // past 10 s
    CHECK(hint_shown(1.0f / 60.0f));
    apply_commands(app, {ToggleHead{0, 0}}); // done: the hint goes
    CHECK_FALSE(hint_shown(1.0f / 60.0f));
    // entering the page again starts its clock again (and its steps undo the task)
    enter_lesson_page(app, 0, ImGui::GetTime());
    CHECK_FALSE(hint_shown(1.0f / 60.0f));
    CHECK(hint_shown(11.0f));
    // the rule itself: no hint text, or a task done, never shows one
    const LessonTask& t = lesson->pages[0].tasks[0];
    CHECK_FALSE(lesson_hint_due(t, false, 9.9));
    CHECK(lesson_hint_due(t, false, 10.0));
    CHECK_FALSE(lesson_hint_due(t, true, 100.0));
    LessonTask silent = t;
    silent.hint.clear();
    CHECK_FALSE(lesson_hint_due(silent, false, 100.0));
}

TEST_CASE("leaving a lesson gives back the sentence, model, switches and selection from before it") {
    HeadlessImGui imgui;
    ImGui::GetIO().KeyMap[ImGuiKey_Space] = 32; // leaving turns keyboard navigation back on, which needs it
    CountingTextures tex;
    App app;
    apply_commands(app, {LoadPreset{"gqa"}, SetText{"the cat sat on the mat"}, ToggleHead{0, 2}});
    app.ui.selected_layer = 0;
    app.ui.selected_head = 5;
    app.ui.selected_query = 3;
    draw_frames(app, tex, 1);
    const AppState before = app.state;
    REQUIRE(start_builtin_lesson(app, "attention", 0.0).empty());
    enter_lesson_page(app, 9, 0.0); // "Switch a head off": a trained model, its own sentence
    draw_frames(app, tex, 1);
    CHECK(app.state.text != before.text);
    CHECK(app.state.trained != nullptr);
    apply_commands(app, {ToggleHead{1, 0}}); // the learner's change on the page goes too
    leave_lesson(app);
    CHECK(app.ui.lesson.lesson == nullptr);
    CHECK(app.state.text == before.text);
    CHECK(app.state.tokens == before.tokens);
    CHECK(app.state.trained == nullptr);
    CHECK(app.state.config.n_heads == before.config.n_heads);
    CHECK(app.state.config.n_kv_heads == before.config.n_kv_heads);
    CHECK(app.state.head_enabled == before.head_enabled);
    CHECK(app.state.revision > before.revision); // the views recompute
    CHECK(app.derived.revision == app.state.revision);
    CHECK(app.ui.selected_head == 5);
    CHECK(app.ui.selected_query == 3);
    draw_frames(app, tex, 1);
}

TEST_CASE(
    "a page that opens the Model panel shows it below the text, with only the controls its task needs") {
    HeadlessImGui imgui;
    ImGui::GetIO().KeyMap[ImGuiKey_Space] = 32; // leaving turns keyboard navigation back on, which needs it
    CountingTextures tex;
    App app;
    REQUIRE(start_builtin_lesson(app, "attention", 0.0).empty());
    const auto page_titled = [&](const char* title) {
        const auto& pages = app.ui.lesson.lesson->pages;
        for (std::size_t i = 0; i < pages.size(); ++i)
            if (pages[i].title == title) return static_cast<int>(i);
        FAIL("no page ", title);
        return -1;
    };
    const auto region = [&](const char* name) {
        REQUIRE_MESSAGE(app.ui.regions.count(name) == 1, name);
        return app.ui.regions.at(name);
    };
    // "Switch a head off": the switches, one row per layer; no head-count controls
    enter_lesson_page(app, page_titled("Switch a head off"), 0.0);
    draw_frames(app, tex, 3);
    const Rect lesson = region("lesson"), model = region("panel:Model"), view = region("panel:Heatmap");
    CHECK(model.x == doctest::Approx(lesson.x));
    CHECK(model.y > lesson.y + lesson.h - 1.0f); // below the text, in the same column
    CHECK(view.x >= lesson.x + lesson.w);        // the view beside both, not a third column
    CHECK(view.w > 0.5f * 1280.0f);
    const Rect grid = region("model_switch_grid");
    CHECK(grid.y + grid.h <= model.y + model.h); // every switch inside the panel, none below its fold
    CHECK(app.ui.regions.count("model_kv_diagram") == 0);
    // "MQA and GQA": the head counts and the sharing diagram; no switches
    enter_lesson_page(app, page_titled("MQA and GQA"), 0.0);
    draw_frames(app, tex, 3);
    const Rect diagram = region("model_kv_diagram");
    const Rect model2 = region("panel:Model");
    CHECK(diagram.y + diagram.h <= model2.y + model2.h);
    CHECK(app.ui.regions.count("model_switch_grid") == 0);
    // every control on request
    app.ui.lesson.show_all_model = true;
    draw_frames(app, tex, 1);
    CHECK(app.ui.regions.count("model_ablation") == 1); // the live model's switch bars
    // a page without a Model task keeps the whole panel, and leaving gives the sidebar back its column
    leave_lesson(app);
    show(app, "Heatmap");
    app.ui.panel_open[static_cast<std::size_t>(panel_index("Model"))] = true;
    draw_frames(app, tex, 1);
    CHECK(app.ui.regions.count("model_kv_diagram") == 1);
    CHECK(app.ui.regions.count("lesson") == 0);
}

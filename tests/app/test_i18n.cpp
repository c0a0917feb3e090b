// The interface in two languages: the language read from the environment, a switch at run time that redraws
// the labels (headless ImGui) while the tabs keep their IDs, the choice kept in the preferences, and the
// built-in lesson picked in the interface's language.
#include "app/i18n/i18n.hpp"
#include "app/io/prefs.hpp"
#include "app/panels/panel_context.hpp"
#include "app/ui/frame.hpp"
#include "app/ui/lesson_runner.hpp"
#include "core/head_probes.hpp"
#include "core/stats.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <map>
#include <string>

using namespace attn;

namespace {

struct Tab {
    std::string label;
    ImGuiID id = 0;
};

// Every tab the last frame drew in any tab bar, by the label's ID part (after "###"), and the selected ones.
std::map<std::string, Tab> drawn_tabs(std::vector<ImGuiID>* selected = nullptr) {
    std::map<std::string, Tab> out;
    ImGuiContext& g = *GImGui;
    for (int i = 0; i < g.TabBars.GetMapSize(); ++i) {
        const ImGuiTabBar* bar = g.TabBars.TryGetMapData(i);
        if (!bar) continue;
        if (selected) selected->push_back(bar->SelectedTabId);
        for (const ImGuiTabItem& tab : bar->Tabs) {
            const std::string label = bar->GetTabName(&tab);
            const auto at = label.find("###");
            if (at == std::string::npos) continue;
            out[label.substr(at + 3)] = {label.substr(0, at), tab.ID};
        }
    }
    return out;
}

} // namespace

TEST_CASE("the language comes from LANGUAGE, then LC_ALL, LC_MESSAGES, LANG; unknown ones are English") {
    using i18n::language_from;
    CHECK(language_from(nullptr, nullptr, nullptr, "de_DE.UTF-8") == "de");
    CHECK(language_from(nullptr, nullptr, nullptr, "de_AT@euro") == "de");
    CHECK(language_from(nullptr, nullptr, nullptr, "C") == "en");
    CHECK(language_from(nullptr, nullptr, nullptr, nullptr) == "en");
    CHECK(language_from(nullptr, nullptr, nullptr, "fr_FR.UTF-8") == "en");
    CHECK(language_from(nullptr, "en_GB.UTF-8", nullptr, "de_DE.UTF-8") == "en"); // LC_ALL wins over LANG
    CHECK(language_from(nullptr, nullptr, "de_CH.UTF-8", "en_US.UTF-8") == "de"); // so does LC_MESSAGES
    CHECK(language_from("fr:de", nullptr, nullptr, "en_US.UTF-8") == "de"); // the first language we have
    CHECK(language_from("fr", nullptr, nullptr, "de_DE.UTF-8") == "de");    // none in LANGUAGE: the locale
    CHECK(language_from("", "", "", "de_DE") == "de");
}

TEST_CASE("View > Language redraws the labels in German without a restart, and the tabs keep their IDs") {
    i18n::init();
    test::HeadlessImGui imgui;
    test::CountingTextures tex;
    App app;
    app.ui.comfort.language = "en";
    show_first_screen(app);
    app.ui.panel_open.assign(panels().size(), false); // few enough views that they are tabs, not a list
    for (const char* view : {"Heads grid", "Arc view", "Heatmap"})
        test::show(app, view);
    test::draw_frames(app, tex, 2);
    CHECK(std::string(_("View")) == "View");
    std::vector<ImGuiID> selected_en;
    const auto en = drawn_tabs(&selected_en);
    REQUIRE(en.count("Arc view") == 1);
    CHECK(en.at("Arc view").label == "Arc view");
    CHECK(en.at("Heatmap").label == "Heatmap");

    app.ui.comfort.language = "de"; // what the menu item does
    test::draw_frames(app, tex, 2);
    CHECK(i18n::current_language() == "de");
    CHECK(std::string(_("View")) == "Ansicht");
    CHECK(std::string(P_("%d head", "%d heads", 3)) == "%d Köpfe");
    CHECK(std::string(C_("ordinal 2nd", "nd")) == ".");
    std::vector<ImGuiID> selected_de;
    const auto de = drawn_tabs(&selected_de);
    REQUIRE(de.count("Arc view") == 1);
    CHECK(de.at("Arc view").label == "Bogenansicht");
    CHECK(de.at("Heads grid").label == "Kopfraster");
    for (const auto& [id, tab] : en) {
        REQUIRE(de.count(id) == 1);
        CHECK(de.at(id).id == tab.id); // the same widget to ImGui: open tabs and the one in front survive
    }
    CHECK(selected_de == selected_en);
    CHECK(prefs_from_ui(app.ui).language == "de");

    app.ui.comfort.language = "en";
    test::draw_frames(app, tex, 1);
    CHECK(drawn_tabs().at("Arc view").label == "Arc view");
    i18n::set_language({});
}

TEST_CASE("the language choice is kept in the preferences; files from before the choice still load") {
    Prefs p;
    p.language = "de";
    const auto back = prefs_from_json(prefs_to_json(p));
    REQUIRE(back.ok());
    CHECK(back.value.language == "de");
    const auto old = prefs_from_json(R"({"theme": "light", "font_scale": 1.25})");
    REQUIRE(old.ok());
    CHECK(old.value.language.empty()); // follows the environment
    CHECK(old.value.theme == "light");
    const auto bad = prefs_from_json(R"({"language": "klingon"})");
    REQUIRE_FALSE(bad.ok());
    CHECK(english(bad.error).find("klingon") != std::string::npos);
    UiState ui;
    apply_prefs(ui, back.value);
    CHECK(ui.comfort.language == "de");
}

TEST_CASE("a running built-in lesson switches to the new language at the same page") {
    test::HeadlessImGui imgui;
    test::CountingTextures tex;
    App app;
    app.ui.comfort.language = "en";
    test::draw_frames(app, tex, 1);
    REQUIRE(start_builtin_lesson(app, "attention", 0.0).empty());
    enter_lesson_page(app, 3, 0.0);
    test::draw_frames(app, tex, 1);
    REQUIRE(app.ui.lesson.lesson);
    CHECK(app.ui.lesson.lesson->lang == "en");
    app.ui.comfort.language = "de";
    test::draw_frames(app, tex, 1);
    REQUIRE(app.ui.lesson.lesson);
    CHECK(app.ui.lesson.lesson->lang == "de");
    CHECK(app.ui.lesson.page == 3);
    app.ui.comfort.language = "en";
    test::draw_frames(app, tex, 1);
    CHECK(app.ui.lesson.lesson->lang == "en");
    i18n::set_language({});
}

TEST_CASE("every built-in lesson exists in German with the English one's pages and steps") {
    REQUIRE(builtin_lessons().size() >= 2);
    for (const BuiltinLesson& b : builtin_lessons()) {
        CAPTURE(b.name);
        const auto en = builtin_lesson(b.name, "en");
        const auto de = builtin_lesson(b.name, "de");
        REQUIRE(en);
        REQUIRE(de);
        CHECK(en->ok());
        CHECK(de->ok());
        CHECK(en->lang == "en");
        CHECK(de->lang == "de");
        CHECK(de->title != en->title);
        REQUIRE(de->pages.size() == en->pages.size());
        for (std::size_t i = 0; i < en->pages.size(); ++i) {
            CAPTURE(i);
            CHECK(de->pages[i].steps.commands.size() == en->pages[i].steps.commands.size());
            CHECK(de->pages[i].steps.ui_steps.size() == en->pages[i].steps.ui_steps.size());
            CHECK(de->pages[i].tasks.size() == en->pages[i].tasks.size());
            CHECK(de->pages[i].title != en->pages[i].title); // translated, not copied
        }
        const auto other = builtin_lesson(b.name, "fr"); // a language without a text: the English one
        REQUIRE(other);
        CHECK(other->lang == "en");
    }
}

TEST_CASE("what the core says in English about heads is translated where it is drawn") {
    // every label, meaning and pattern the core can return is in the panels' table, so none is drawn English
    const std::vector<std::string_view> table = core_texts();
    const auto listed = [&](std::string_view s) {
        return std::find(table.begin(), table.end(), s) != table.end();
    };
    for (const HeadLabel l :
         {HeadLabel::PreviousToken, HeadLabel::FirstToken, HeadLabel::Referent, HeadLabel::Agreement,
          HeadLabel::Induction, HeadLabel::Broad, HeadLabel::Mixed}) {
        CHECK(listed(label_name(l)));
        CHECK(listed(label_meaning(l)));
    }
    for (const Pattern p : {Pattern::Self, Pattern::Previous, Pattern::First, Pattern::Broad, Pattern::Mixed})
        CHECK(listed(to_string(p)));
    i18n::init();
    i18n::set_language("de");
    for (const std::string_view s : table) {
        CAPTURE(s);
        CHECK(std::string_view(core_text(s)) != s); // the German catalogue has each one
    }
    CHECK(std::string_view(core_text("not a core word")) == "not a core word");
    i18n::set_language({});
}

// A German learner reads in German why a session, a script or a lesson was refused: a misspelt or mistyped
// field, a JSON syntax error, an unknown command, a broken lesson check; and the note under a trained model.
// The field names stay as written in the file (they are its syntax); the sentences around them are
// translated. The English text of the same messages (what the command line prints and the other tests
// read) does not change. Whole numbers take the language's thousands separator.
#include "app/i18n/i18n.hpp"
#include "app/io/csv_export.hpp"
#include "app/io/lesson.hpp"
#include "app/io/model_files.hpp"
#include "app/io/script.hpp"
#include "app/io/session.hpp"
#include "app/state/derived.hpp"
#include "app/state/plot_math.hpp"

#include "in_german.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace attn;
using test::check_translated;
using test::contains;
using test::German;

namespace {

std::string session(const std::string& more) {
    return R"({"format": "attention-lab-session", "version": 1, "tokens": ["a", "b"])" + more + "}";
}

} // namespace

TEST_CASE(
    "a session with a misspelt field, a field of the wrong type or a syntax error is refused in German") {
    const German de;
    const Parsed<Session> misspelt = session_from_json(session(R"(, "veiw": {})"));
    REQUIRE_FALSE(misspelt.ok());
    std::string shown = i18n::text(misspelt.error);
    CAPTURE(shown);
    CHECK(contains(shown, "Die Sitzung: Es gibt kein Feld \"veiw\""));
    CHECK(contains(shown, "bekannt: format, version")); // the known keys, as written in the file
    check_translated(misspelt.error);
    CHECK(contains(english(misspelt.error), "The session has no field \"veiw\"")); // English unchanged

    const Parsed<Session> mistyped = session_from_json(session(R"(, "model": {"d_model": "big"})"));
    REQUIRE_FALSE(mistyped.ok());
    shown = i18n::text(mistyped.error);
    CHECK(shown == "Die Modelleinstellungen: \"d_model\" muss eine ganze Zahl sein, nicht \"big\"");
    check_translated(mistyped.error);
    // loaded from a file: one sentence each, no ".." where the loader adds that nothing was changed
    test::TempDir dir;
    dir.write("s.json", session(R"(, "model": {"d_model": "big"})"));
    const Parsed<Session> loaded = load_session(dir.file("s.json"));
    REQUIRE_FALSE(loaded.ok());
    CHECK(contains(i18n::text(loaded.error), "nicht \"big\". Es wurde nichts geändert."));
    CHECK(contains(english(loaded.error), "not \"big\". Nothing was changed."));

    const Parsed<Session> nested =
        session_from_json(session(R"(, "trained": {"source": "pronoun", "x": 1})"));
    REQUIRE_FALSE(nested.ok());
    CHECK(contains(i18n::text(nested.error), "Das Feld \"trained\" der Sitzung: Es gibt kein Feld \"x\""));
    check_translated(nested.error);

    const Parsed<Session> cut =
        session_from_json("{\"format\": \"attention-lab-session\",\n \"version\": 1,, }");
    REQUIRE_FALSE(cut.ok());
    shown = i18n::text(cut.error);
    CAPTURE(shown);
    CHECK(contains(shown, "Syntaxfehler in Zeile 2, Spalte 15: Syntaxfehler: unerwartetes \",\""));
    check_translated(cut.error);
    CHECK(contains(english(cut.error), "parse error at line 2, column 15: syntax error: unexpected \",\""));

    const Parsed<Session> twice = session_from_json(session(R"(, "tokens": ["c"])"));
    REQUIRE_FALSE(twice.ok());
    CHECK(contains(i18n::text(twice.error), "der Schlüssel \"tokens\" kommt in einem Objekt zweimal vor"));
    check_translated(twice.error);
}

TEST_CASE("a script's unknown command and wrong fields are listed in German with their lines") {
    const Script s = parse_script(R"([{"cmd": "FlyToTheMoon"},
        {"cmd": "SetDModel", "d_model": "big"},
        {"cmd": "SetText"},
        {"ui": "SelectHead", "layer": 0, "haed": 1},
        {"cmd": "SetText", "text": tru},
        {"cmd": "SetMask", "kind": "round"}])");
    REQUIRE(s.errors.size() == 6);
    CHECK(contains(s.errors[0].text, "unknown command \"FlyToTheMoon\"")); // English for the command line
    const German de;
    const char* expected[] = {
        "s.json:1: unbekannter Befehl \"FlyToTheMoon\" (bekannt: ",
        "s.json:2: SetDModel: \"d_model\" muss eine ganze Zahl sein, nicht \"big\"",
        "s.json:3: SetText: \"text\" fehlt (ein Text)",
        "s.json:4: SelectHead: Es gibt kein Feld \"haed\" (bekannt: ui, layer, head)",
        "s.json:5: kein gültiges JSON: \"tru\" ist kein JSON-Wert",
        "s.json:6: Unbekannte Maske \"round\" (bidirectional, causal oder sliding_window)",
    };
    for (std::size_t i = 0; i < s.errors.size(); ++i) {
        const std::string shown = format_script_message("s.json", s.errors[i], &i18n::tr);
        CAPTURE(shown);
        CHECK(contains(shown, expected[i]));
        check_translated(s.errors[i].message);
    }
    // the command line keeps reading them in English whatever the language
    CHECK(format_script_message("s.json", s.errors[0]).rfind("s.json:1: unknown command", 0) == 0);
}

TEST_CASE("a broken lesson's lines are listed in German") {
    const Lesson l = parse_lesson("lang: de\n# Seite\n```try\ntask: Probier es\ncheck: mask = round\n```\n"
                                  "```steps\nSetText text\nFlyToTheMoon\n```\n");
    REQUIRE(l.errors.size() == 4);
    const German de;
    const std::string shown = lesson_errors_text("l.md", l, 8, &i18n::tr);
    CAPTURE(shown);
    CHECK(contains(shown, "l.md:3: diesem try-Block fehlt eine Zeile \"check:\""));
    CHECK(contains(shown, "l.md:5: unbekannte Maske \"round\""));
    CHECK(contains(shown, "l.md:8: erwartet wird Schlüssel=Wert nach SetText"));
    CHECK(contains(shown, "l.md:9: unbekannter Befehl \"FlyToTheMoon\""));
    for (const auto& e : l.errors)
        check_translated(e.message);
    CHECK(contains(lesson_errors_text("l.md", l), "l.md:5: unknown mask \"round\"")); // English as before
    CHECK(contains(lesson_errors_text("l.md", l, 1, &i18n::tr), "... und 3 weitere"));
}

TEST_CASE("whole numbers are grouped the German way in German and the English way in English") {
    {
        const German de;
        CHECK(plot::format_grouped(1024, i18n::digit_separator()) == "1.024");
        CHECK(plot::format_grouped(2147483648ull, i18n::digit_separator()) == "2.147.483.648");
    }
    i18n::set_language("en");
    CHECK(plot::format_grouped(1024, i18n::digit_separator()) == "1,024");
    i18n::set_language({});
}

TEST_CASE("the trained model's note about unknown words and long texts is in German") {
    AppState s = AppState::initial();
    REQUIRE(apply_loading(s, LoadTrainedModel{"induction"}).changed);
    REQUIRE(apply(s, SetText{"Hello, wonderful world! a b c a b c and then many more words to go well past "
                             "twenty tokens"})
                .changed);
    const Derived d = compute_derived(s);
    const German de;
    const std::string shown = i18n::text(d.trained_note);
    CAPTURE(shown);
    CHECK(contains(shown, "Wörter, die dieses Modell nicht kennt, werden als <unk> gelesen: \"Hello\""));
    CHECK(contains(shown, "\nDas Modell wurde mit höchstens 20 Tokens trainiert"));
    check_translated(d.trained_note);
}

TEST_CASE("an export that cannot be written, or has no file name, says so in German") {
    const German de;
    test::TempDir d;
    // a folder where the file should go: the system refuses to write it
    const Message folder = write_weights_csv(d.path.string(), {"a"}, Matrix::Ones(1, 1), Matrix::Zero(1, 1));
    check_translated(folder);
    CHECK(contains(i18n::text(folder), "lässt sich nicht schreiben"));
    check_translated(write_weights_csv("", {"a"}, Matrix::Ones(1, 1), Matrix::Zero(1, 1)));
    check_translated(save_measurements_csv("", {MeasurePoint{}}));
    const Message measured = save_measurements_csv(d.path.string(), {MeasurePoint{}});
    check_translated(measured);
    CHECK(contains(english(measured), "cannot write"));
}

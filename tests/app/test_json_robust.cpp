// Issue 16: every JSON reader refuses, with a message and without throwing, what used to crash, hang or be
// accepted silently: 1e999, 200 KB of nested brackets, duplicate and misspelt keys, integers that wrap,
// text after the value, and the stray '}' that made the script splitter loop forever.
#include "app/io/compute_config.hpp"
#include "app/io/hf_config.hpp"
#include "app/io/prefs.hpp"
#include "app/io/script.hpp"
#include "app/io/session.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>

using namespace attn;

namespace {

const std::string k_deep = std::string(200000, '[') + std::string(200000, ']');
const std::string k_deep_objects = [] {
    std::string s;
    for (int i = 0; i < 50000; ++i)
        s += "{\"a\":";
    s += "1";
    s += std::string(50000, '}');
    return s;
}();

std::string session_with(const std::string& extra) {
    return R"({"format": "attention-lab-session", "version": 1, "tokens": ["a", "b", "c"])" + extra + "}";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("a valid session still loads (the checks below refuse only what is wrong)") {
    auto s =
        session_from_json(session_with(R"(, "padding": [1], "view": {"layer": 0, "head": 0, "query": 2})"));
    REQUIRE(s.ok());
    CHECK(!s.value.state.key_valid[1]);
    CHECK(s.value.view.query == 2);
}

TEST_CASE("session readers refuse numbers out of range, deep nesting, wrapping indices and odd keys") {
    const std::pair<std::string, std::string> cases[] = {
        {session_with(R"(, "model": {"temperature": 1e999})"), "number overflow"},
        {session_with(R"(, "padding": [4294967297])"), "\"padding\" must hold token indices"},
        {session_with(R"(, "padding": [18446744073709551615])"), "\"padding\" must hold token indices"},
        {session_with(R"(, "heads_off": [[0, 4294967296]])"), "\"heads_off\" entries must be"},
        {session_with(R"(, "view": {"layer": 4294967297})"), "\"layer\" as a whole number"},
        {session_with(R"(, "veiw": {})"), "no field \"veiw\""},
        {session_with(R"(, "view": {"qeury": 1})"), "no field \"qeury\""},
        {session_with(R"(, "tokens": ["x"])"), "appears twice"},
        {session_with("") + " {}", "parse error"},
        {R"({"format": 7, "version": 1, "tokens": []})", "not an Attention Lab session"},
        {R"({"format": ["attention-lab-session"], "version": 1, "tokens": []})",
         "not an Attention Lab session"},
        {R"({"format": "attention-lab-session", "version": 18446744073709551615, "tokens": []})", "version"},
        {k_deep, "levels deep"},
        {k_deep_objects, "levels deep"},
        {session_with(R"(, "model": )" + k_deep), "levels deep"},
    };
    for (const auto& [text, expected] : cases) {
        CAPTURE(text.substr(0, 120));
        Parsed<Session> s;
        CHECK_NOTHROW(s = session_from_json(text));
        CHECK(!s.ok());
        CHECK(contains(english(s.error), expected));
        CHECK(english(s.error).size() < 1000); // a message, not the file echoed back
    }
}

TEST_CASE("a stray '}' in a script is an error at its line, not an endless loop") {
    const auto t0 = std::chrono::steady_clock::now();
    const Script s = parse_script(R"([{"cmd": "SetText", "text": "a"}}])");
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
    REQUIRE(s.errors.size() == 1);
    CHECK(contains(s.errors[0].text, "closes nothing"));
    CHECK(s.commands.size() == 1); // the entry before it was fine

    const Script many = parse_script("[" + std::string(1000, '}') + "]");
    CHECK(!many.errors.empty());
    const Script brackets = parse_script("[{\"cmd\": \"SetText\", \"text\": \"a\"}]]");
    REQUIRE(brackets.errors.size() == 1);
    CHECK(contains(brackets.errors[0].text, "after the list"));
}

TEST_CASE("text after a script's closing ']' is refused with its line") {
    const Script s =
        parse_script("[{\"cmd\": \"SetText\", \"text\": \"a\"}]\n\n{\"cmd\": \"SetSeed\", \"seed\": 1}");
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].line == 3);
    CHECK(contains(s.errors[0].text, "after the list's closing ']'"));
    CHECK(parse_script("[]  // a comment after the list is fine\n").errors.empty());
}

TEST_CASE("a misspelt field in a script entry is an error naming the field") {
    const Script s = parse_script(R"([{"cmd": "SetMask", "kind": "sliding_window", "windw": 3},
        {"ui": "SelectHead", "layer": 0, "haed": 1},
        {"cmd": "SetMask", "kind": "sliding_window", "window": 3}])");
    REQUIRE(s.errors.size() == 2);
    CHECK(contains(s.errors[0].text, "no field \"windw\""));
    CHECK(contains(s.errors[0].text, "window")); // the known fields are listed
    CHECK(s.errors[0].line == 1);
    CHECK(contains(s.errors[1].text, "no field \"haed\""));
    CHECK(s.commands.size() == 1);
    CHECK(s.ui_steps.empty());
}

TEST_CASE("every script command lists the fields it accepts") {
    // a command added to the parser table without its field list would refuse all of its own fields
    for (const std::string& name : script_command_names()) {
        CAPTURE(name);
        const Script s = parse_script("[{\"cmd\": \"" + name + "\", \"zz_not_a_field\": 1}]");
        REQUIRE(s.errors.size() == 1);
        CHECK(contains(s.errors[0].text, "no field \"zz_not_a_field\""));
    }
}

TEST_CASE("script entries with 1e999, deep nesting, duplicate keys or huge floats give messages") {
    const std::pair<std::string, std::string> cases[] = {
        {R"([{"cmd": "SetTemperature", "temperature": 1e999}])", "number overflow"},
        {R"([{"cmd": "SetTemperature", "temperature": 1e39}])", "beyond the largest number a float holds"},
        {R"([{"cmd": "SetText", "text": "a", "text": "b"}])", "appears twice"},
        {R"([{"cmd": "SetDModel", "d_model": 4294967297}])", "out of range"},
        {"[" + k_deep + "]", "levels deep"},
        {"[{\"cmd\": \"SetConfig\", \"config\": " + k_deep_objects + "}]", "levels deep"},
        {R"([{"cmd": "SetVectorOverride", "layer": 0, "head": 0, "token": 0, "kind": "q", "value": [1e39]}])",
         "float"},
    };
    for (const auto& [text, expected] : cases) {
        CAPTURE(text.substr(0, 120));
        Script s;
        CHECK_NOTHROW(s = parse_script(text));
        REQUIRE(!s.errors.empty());
        CHECK(contains(s.errors[0].text, expected));
        CHECK(s.commands.empty());
    }
}

TEST_CASE("preferences, config.json and compute configs refuse 1e999, deep nesting and duplicate keys") {
    for (const std::string& bad :
         {std::string(R"({"font_scale": 1e999})"), k_deep, k_deep_objects,
          std::string(R"({"theme": "dark", "theme": "light"})"), std::string(R"({"theme": "dark"} x)")}) {
        CAPTURE(bad.substr(0, 80));
        Parsed<Prefs> p;
        CHECK_NOTHROW(p = prefs_from_json(bad));
        CHECK(!p.ok());
        Parsed<ModelSpec> m;
        CHECK_NOTHROW(m = parse_hf_config(bad, "x"));
        CHECK(!m.ok());
        Parsed<ComputeConfig> c;
        CHECK_NOTHROW(c = parse_compute_config(bad, "."));
        CHECK(!c.ok());
    }
    auto dup = parse_compute_config(R"({"inputs": {"x": "a.npy"}, "heads": 2, "heads": 4})", ".");
    CHECK(contains(english(dup.error), "\"heads\" appears twice"));
    auto wrap = parse_hf_config(R"({"num_hidden_layers": 18446744073709551615, "num_attention_heads": 2,
                                    "hidden_size": 8})",
                                "x");
    CHECK(contains(english(wrap.error), "out of range"));
    auto huge_float = prefs_from_json(R"({"layout": {"sidebar": 1e300}})");
    CHECK(contains(english(huge_float.error), "float"));
}

TEST_CASE("every script shipped in the repository passes the stricter checks (no unknown keys)") {
    int checked = 0;
    for (const char* dir : {"/assets/screenshots", "/tests/gui"})
        for (const auto& entry : std::filesystem::directory_iterator(std::string(ATTN_SOURCE_DIR) + dir)) {
            if (entry.path().extension() != ".json") continue;
            CAPTURE(entry.path().string());
            const Script s = load_script(entry.path().string());
            for (const auto& e : s.errors)
                FAIL_CHECK(format_script_message(entry.path().string(), e));
            ++checked;
        }
    CHECK(checked >= 5);
}

// Issue 16: opening a session from the command line (as a file manager passes FILE.json), and the
// command-line parser's handling of that argument.
#include "app/cli_options.hpp"
#include "app/io/session.hpp"
#include "app/persist/persist.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace attn;

TEST_CASE("a file name without an option is the session to open; two are refused") {
    const char* one[] = {"attention-lab", "lesson.json", "--size", "1280x800"};
    const CliOptions o = parse_cli(4, one);
    CHECK(o.error.empty());
    CHECK(o.session == "lesson.json");
    const char* two[] = {"attention-lab", "a.json", "b.json"};
    CHECK(parse_cli(3, two).error.find("one session file at a time") != std::string::npos);
    const char* none[] = {"attention-lab"};
    CHECK(parse_cli(1, none).session.empty());
}

TEST_CASE("open_session_file replaces the state from a good file and leaves it alone on a bad one") {
    const auto dir = std::filesystem::temp_directory_path() / ("attn_persist_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string good = (dir / "good.json").string(), bad = (dir / "bad.json").string();
    AppState saved = AppState::initial();
    REQUIRE(apply(saved, SetText{"one two three"}).message.empty());
    REQUIRE(save_session(good, saved, SessionView{0, 0, 2}) == "");
    std::ofstream(bad) << R"({"format": "attention-lab-session", "version": 1, "tokens": [1e999]})";

    App app;
    const auto before = app.state.tokens;
    const std::string err = open_session_file(app, bad);
    CHECK(err.find("bad.json") != std::string::npos);
    CHECK(err.find("number overflow") != std::string::npos);
    CHECK(app.state.tokens == before);

    CHECK(open_session_file(app, dir.string()).find("is a folder") != std::string::npos);

    CHECK(open_session_file(app, good) == "");
    CHECK(app.state.tokens == saved.tokens);
    CHECK(app.ui.selected_query == 2);
    CHECK(app.ui.comfort.session_path == good);
    std::filesystem::remove_all(dir);
}

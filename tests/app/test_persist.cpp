// Issue 16: opening a session from the command line (as a file manager passes FILE.json), and the
// command-line parser's handling of that argument.
#include "app/cli/cli_options.hpp"
#include "app/io/safe_write.hpp"
#include "app/io/session.hpp"
#include "app/persist/persist.hpp"
#include "headless_imgui.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
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
    // a lesson file, as a file manager passes it, is the lesson to start; a session may come with it
    const char* lesson[] = {"attention-lab", "week3.lesson.md", "saved.json"};
    const CliOptions l = parse_cli(3, lesson);
    CHECK(l.error.empty());
    CHECK(l.lesson == "week3.lesson.md");
    CHECK(l.session == "saved.json");
}

TEST_CASE("open_session_file replaces the state from a good file and leaves it alone on a bad one") {
    const auto dir = std::filesystem::temp_directory_path() / ("attn_persist_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string good = (dir / "good.json").string(), bad = (dir / "bad.json").string();
    AppState saved = AppState::initial();
    REQUIRE(apply(saved, SetText{"one two three"}).message.empty());
    REQUIRE(english(save_session(good, saved, SessionView{0, 0, 2})) == "");
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

namespace {

struct AutosaveDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("attn_autosave_" + std::to_string(::getpid()) + "/attention-lab");
    AutosaveDir() { std::filesystem::remove_all(path.parent_path()); }
    ~AutosaveDir() { std::filesystem::remove_all(path.parent_path()); }
};

} // namespace

TEST_CASE("autosave: saved at exit, and after a crash the next start offers to restore it") {
    test::HeadlessImGui imgui;
    AutosaveDir dir;
    std::vector<std::string> tokens;
    {
        App app;
        Persistence p;
        p.autosave_dir = dir.path.string();
        persist_start(p, app);
        CHECK_FALSE(p.offer_restore);
        CHECK(std::filesystem::exists(p.marker_path())); // this run is running
        REQUIRE(apply(app.state, SetText{"autosaved words here"}).message.empty());
        tokens = app.state.tokens;
        CHECK(persist_exit(p, app) == "");
        CHECK(std::filesystem::exists(p.autosave_path()));
        CHECK_FALSE(std::filesystem::exists(p.marker_path())); // a normal exit
    }
    { // a normal exit last time: nothing to offer
        App app;
        Persistence p;
        p.autosave_dir = dir.path.string();
        persist_start(p, app);
        CHECK_FALSE(p.offer_restore);
        // now this run "crashes": its marker stays, naming a process that no longer exists
        std::ofstream(p.marker_path()) << "2147483646\n";
    }
    App app;
    Persistence p;
    p.autosave_dir = dir.path.string();
    persist_start(p, app);
    REQUIRE(p.offer_restore);
    CHECK(app.state.tokens != tokens);
    CHECK(restore_autosave(p, app) == "");
    CHECK(app.state.tokens == tokens);
    CHECK_FALSE(p.offer_restore);
    CHECK(app.ui.comfort.session_path == "attention-session.json"); // Save still goes where it went
}

TEST_CASE("autosave: another window still running is not mistaken for a crash") {
    test::HeadlessImGui imgui;
    AutosaveDir dir;
    std::filesystem::create_directories(dir.path);
    std::ofstream(dir.path / "autosave.json") << "{}";
    std::ofstream(dir.path / "running") << ::getppid() << "\n"; // alive: the process that started the tests
    App app;
    Persistence p;
    p.autosave_dir = dir.path.string();
    persist_start(p, app);
    CHECK_FALSE(p.offer_restore);
}

TEST_CASE("autosave: a failed autosave is shown on the status line with the reason, once") {
    test::HeadlessImGui imgui;
    AutosaveDir dir;
    App app;
    Persistence p;
    p.autosave_dir = dir.path.string();
    persist_start(p, app);
    REQUIRE(apply(app.state, SetText{"unsaved change"}).message.empty());
    ScopedSafeWriteFault fault([](SafeWriteStep s, const std::string& path) {
        return s == SafeWriteStep::Sync && path.find("autosave") != std::string::npos ? ENOSPC : 0;
    });
    p.next_autosave = {}; // due now
    persist_frame(p, app);
    CHECK(app.ui.status.find("Autosave failed") != std::string::npos);
    CHECK(app.ui.status.find(std::strerror(ENOSPC)) != std::string::npos);
    app.ui.status.clear();
    p.next_autosave = {};
    persist_frame(p, app);
    CHECK(app.ui.status.empty()); // the same failure is not repeated every 30 s
}

TEST_CASE("preferences are saved when they change, not only at exit") {
    test::HeadlessImGui imgui;
    AutosaveDir dir;
    App app;
    Persistence p;
    p.prefs_path = (dir.path / "prefs.json").string();
    persist_start(p, app);
    p.next_prefs_check = {};
    persist_frame(p, app);
    CHECK_FALSE(std::filesystem::exists(p.prefs_path)); // nothing changed yet
    app.ui.comfort.font_scale = 1.5f;
    p.next_prefs_check = {};
    persist_frame(p, app);
    REQUIRE(std::filesystem::exists(p.prefs_path));
    const auto back = load_prefs(p.prefs_path);
    REQUIRE(back.ok());
    CHECK(back.value.font_scale == doctest::Approx(1.5));
}

TEST_CASE("the window layout is saved through the safe writer: a full disk keeps the old imgui.ini") {
    test::HeadlessImGui imgui;
    AutosaveDir dir;
    std::filesystem::create_directories(dir.path);
    const std::string ini = (dir.path / "imgui.ini").string();
    std::ofstream(ini) << "[Window][Old]\nPos=1,2\n";
    App app;
    Persistence p;
    p.ini_path = ini;
    persist_start(p, app);
    CHECK(ImGui::GetIO().IniFilename == nullptr); // ImGui never writes it in place
    {
        ScopedSafeWriteFault fault(
            [](SafeWriteStep s, const std::string&) { return s == SafeWriteStep::Close ? ENOSPC : 0; });
        ImGui::GetIO().WantSaveIniSettings = true;
        persist_frame(p, app);
        CHECK(app.ui.status.find("imgui.ini") != std::string::npos);
        CHECK(app.ui.status.find(std::strerror(ENOSPC)) != std::string::npos);
    }
    std::ifstream in(ini);
    std::string first;
    std::getline(in, first);
    CHECK(first == "[Window][Old]");
    ImGui::GetIO().WantSaveIniSettings = true;
    persist_frame(p, app);
    CHECK(std::filesystem::file_size(ini) > 0);
    CHECK_FALSE(ImGui::GetIO().WantSaveIniSettings);
}

TEST_CASE("an emergency save (what the terminate handler does) writes the session even when unchanged") {
    test::HeadlessImGui imgui;
    AutosaveDir dir;
    App app;
    Persistence p;
    p.autosave_dir = dir.path.string();
    persist_start(p, app);
    REQUIRE(apply(app.state, SetText{"work in progress"}).message.empty());
    CHECK(emergency_save(p, app) == "");
    const auto back = load_session(p.autosave_path());
    REQUIRE(back.ok());
    CHECK(back.value.state.tokens == app.state.tokens);
    CHECK(std::filesystem::exists(p.marker_path())); // not a normal exit: the next start offers a restore
    Persistence off;
    CHECK(emergency_save(off, app) == "autosave is off");
}

TEST_CASE("a configuration folder that cannot be checked (a symlink loop) does not stop start-up") {
    test::HeadlessImGui imgui;
    AutosaveDir dir;
    std::filesystem::create_directories(dir.path);
    std::filesystem::create_directory_symlink(dir.path / "b", dir.path / "a");
    std::filesystem::create_directory_symlink(dir.path / "a", dir.path / "b");
    App app;
    Persistence p;
    p.prefs_path = (dir.path / "a" / "prefs.json").string();
    p.ini_path = (dir.path / "a" / "imgui.ini").string();
    p.autosave_dir = (dir.path / "b" / "state").string();
    CHECK_NOTHROW(persist_start(p, app));
    CHECK(app.ui.status.find("Autosave is off") != std::string::npos);
    app.ui.comfort.font_scale = 2.0f;
    std::string errors;
    CHECK_NOTHROW(errors = persist_exit(p, app));
    INFO(errors);
    CHECK(errors.find(std::strerror(ELOOP)) != std::string::npos); // reported, not thrown
}

TEST_CASE("autosave: a marker with this process's own pid is a crashed run whose pid came round again") {
    test::HeadlessImGui imgui;
    AutosaveDir dir;
    std::filesystem::create_directories(dir.path);
    std::ofstream(dir.path / "autosave.json") << "{}";
    std::ofstream(dir.path / "running") << ::getpid() << "\n";
    App app;
    Persistence p;
    p.autosave_dir = dir.path.string();
    persist_start(p, app);
    CHECK(p.offer_restore);
}

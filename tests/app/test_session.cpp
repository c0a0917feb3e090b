// Sessions round-trip the whole AppState; broken files and newer versions are refused with a message and
// leave the caller's state alone (load returns a value; nothing is applied unless it succeeded).
// session.hpp first: core/config.hpp must precede core/types.hpp, or GCC's -Wshadow flags the
// enumerator Implementation::Matrix against the type attn::Matrix.
#include "app/io/csv_export.hpp"
#include "app/io/model_files.hpp"
#include "app/io/prefs.hpp"
#include "app/io/session.hpp"
#include "app/state/trained_model.hpp"
#include "core/model_table.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>

using namespace attn;

namespace {

std::string temp_path(const char* name) {
    return (std::filesystem::temp_directory_path() / (std::string("attn_test_") + name)).string();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

} // namespace

TEST_CASE("a session saves and loads back to the same state") {
    AppState s = AppState::initial();
    apply(s, SetText{"The  naïve cat,\nsat"}); // double space and a line break survive in the text
    apply(s, SetHeads{4, 2});
    apply(s, SetLayers{2});
    apply(s, SetMask{MaskKind::SlidingWindow, 2});
    apply(s, SetPositions{PositionKind::Alibi});
    apply(s, SetTemperature{0.75f});
    apply(s, SetSeed{9876543210ull});
    apply(s, SetImplementation{Implementation::Reference});
    apply(s, SetPadding{1, true});
    apply(s, ToggleHead{1, 3});
    const std::string path = temp_path("session.json");
    REQUIRE(save_session(path, s, SessionView{1, 3, 2}).empty());

    const auto loaded = load_session(path);
    REQUIRE_MESSAGE(loaded.ok(), english(loaded.error));
    const AppState& t = loaded.value.state;
    CHECK(t.text == s.text);
    CHECK(t.tokens == s.tokens);
    CHECK(t.config == s.config);
    CHECK(t.key_valid == s.key_valid);
    CHECK(t.head_enabled == s.head_enabled);
    CHECK(loaded.value.view.layer == 1);
    CHECK(loaded.value.view.head == 3);
    CHECK(loaded.value.view.query == 2);
    std::remove(path.c_str());
}

TEST_CASE(
    "a session keeps the trained model shown: a preset by name, a Training snapshot in a file beside it") {
    const std::string dir = temp_path("trained_sessions");
    std::filesystem::create_directories(dir);

    AppState s = AppState::initial();
    REQUIRE(apply_loading(s, LoadTrainedModel{"pronoun"}).message.empty());
    REQUIRE(apply(s, SetText{"the cat didn't cross the road because it was too wide"}).message.empty());
    REQUIRE(apply(s, ToggleHead{1, 0}).message.empty());
    REQUIRE(s.trained);
    const std::string path = dir + "/preset.json";
    REQUIRE(save_session(path, s, SessionView{1, 0, 7}).empty());
    CHECK(session_to_json(s, SessionView{}).find("\"version\": 2") != std::string::npos);
    auto loaded = load_session(path);
    REQUIRE_MESSAGE(loaded.ok(), english(loaded.error));
    CHECK(loaded.value.state.trained != nullptr);
    CHECK(loaded.value.state.trained_source == "pronoun");
    CHECK(loaded.value.state.tokens == s.tokens); // the session's sentence, not the preset's example
    CHECK(loaded.value.state.config == s.config);
    CHECK(loaded.value.state.head_enabled == s.head_enabled);

    // a snapshot has no name to load it by: its weights are written beside the session
    AppState snap = AppState::initial();
    auto model = load_trained("induction").model;
    REQUIRE(model);
    REQUIRE(apply(snap, ShowTrainedModel{model, "training snapshot, step 300"}).message.empty());
    CHECK(snap.trained_source.empty());
    const std::string snap_path = dir + "/snapshot.json";
    REQUIRE(save_session(snap_path, snap, SessionView{}).empty());
    CHECK(std::filesystem::exists(dir + "/snapshot.atlm"));
    loaded = load_session(snap_path);
    REQUIRE_MESSAGE(loaded.ok(), english(loaded.error));
    REQUIRE(loaded.value.state.trained != nullptr);
    CHECK(loaded.value.state.trained->vocab == model->vocab);
    CHECK(loaded.value.state.config == snap.config);

    // without its model file the session is refused, saying why
    std::filesystem::remove(dir + "/snapshot.atlm");
    loaded = load_session(snap_path);
    CHECK_FALSE(loaded.ok());
    CHECK(english(loaded.error).find("trained model") != std::string::npos);
    CHECK(english(loaded.error).find("Nothing was changed") != std::string::npos);

    // no trained model: written as version 1, which older versions read
    AppState plain = AppState::initial();
    CHECK(session_to_json(plain, SessionView{}).find("\"version\": 1") != std::string::npos);
    CHECK_FALSE(session_from_json(R"({"format": "attention-lab-session", "version": 2, "tokens": ["a"],
                                      "trained": {"title": "x"}})")
                    .ok());
    std::filesystem::remove_all(dir);
}

TEST_CASE("a broken or foreign session file is refused with a message") {
    auto r = session_from_json("{ \"format\": \"attention-lab-session\", \"version\": 1, ");
    CHECK_FALSE(r.ok());
    CHECK(english(r.error).find("not valid JSON") != std::string::npos);

    r = session_from_json(R"({"hello": "world"})");
    CHECK(english(r.error).find("not an Attention Lab session") != std::string::npos);

    r = session_from_json(R"({"format": "attention-lab-session", "version": 1, "tokens": ["a", ""]})");
    CHECK(english(r.error).find("empty") != std::string::npos);

    r = session_from_json(R"({"format": "attention-lab-session", "version": 1, "tokens": ["a"],
                              "model": {"n_heads": 3}})");
    CHECK(english(r.error).find("divisible") != std::string::npos);

    r = session_from_json(R"({"format": "attention-lab-session", "version": 1, "tokens": ["a"],
                              "heads_off": [[0, 5]]})");
    CHECK(english(r.error).find("heads_off") != std::string::npos);

    r = session_from_json(R"({"format": "attention-lab-session", "version": 1, "tokens": ["a"],
                              "model": {"colour": "red"}})");
    CHECK(english(r.error).find("colour") != std::string::npos);

    const auto missing = load_session("/nonexistent/dir/s.json");
    CHECK(english(missing.error).find("cannot open") != std::string::npos);
}

TEST_CASE("a session from a newer version says so and is not loaded") {
    const std::string path = temp_path("newer.json");
    write_file(path, R"({"format": "attention-lab-session", "version": 99, "tokens": ["a"]})");
    const auto r = load_session(path);
    CHECK_FALSE(r.ok());
    CHECK(english(r.error).find("newer") != std::string::npos);
    CHECK(english(r.error).find("99") != std::string::npos);
    CHECK(english(r.error).find("Nothing was changed") != std::string::npos);
    std::remove(path.c_str());
}

TEST_CASE("preferences round-trip and bad values are refused") {
    Prefs p;
    p.theme = "light";
    p.font_scale = 1.5f;
    p.open_panels = {"Tokens", "Model"};
    p.has_open_panels = true;
    p.last_session = "/tmp/x.json";
    p.sidebar_frac = 0.25f;
    p.sidebar_split = 0.6f;
    p.pane_frac = 0.4f;
    p.split = true;
    p.right_views = {"Arc view"};
    p.front_views = {"Heatmap", "Arc view"};
    ModelSpec added = model_table().front();
    added.name = "my config.json model";
    added.sliding_window = 4096;
    p.kv_models = {added};
    const auto back = prefs_from_json(prefs_to_json(p));
    REQUIRE(back.ok());
    CHECK(back.value == p);
    CHECK(english(prefs_from_json(R"({"theme": "neon"})").error).find("neon") != std::string::npos);
    CHECK_FALSE(prefs_from_json(R"({"font_scale": 40})").ok());
    CHECK_FALSE(prefs_from_json("[1, 2").ok());
    CHECK(prefs_from_json(R"({"future_key": 1})").ok()); // keys from a newer version are ignored
    CHECK(english(prefs_from_json(R"({"layout": {"sidebar": 3}})").error).find("sidebar") !=
          std::string::npos);
    CHECK(english(prefs_from_json(R"({"layout": {"right": "Heatmap"}})").error).find("right") !=
          std::string::npos);
    CHECK(english(prefs_from_json(R"({"layout": {"front": [1]}})").error).find("front") != std::string::npos);
    CHECK_FALSE(prefs_from_json(R"({"layout": {"split": "yes"}})").ok());
    CHECK_FALSE(prefs_from_json(R"({"layout": []})").ok());
    CHECK(english(prefs_from_json(R"({"kv_models": [{"name": "x", "n_layers": 2, "d_model": 64, "n_heads": 6,
                                             "n_kv_heads": 4, "d_head": 16}]})")
                      .error)
              .find("multiple") != std::string::npos);
    CHECK(english(prefs_from_json(R"({"kv_models": [{"name": "x", "n_layers": 0, "d_model": 64, "n_heads": 4,
                                             "n_kv_heads": 4, "d_head": 16}]})")
                      .error)
              .find("n_layers") != std::string::npos);
    CHECK_FALSE(prefs_from_json(R"({"kv_models": {"name": "x"}})").ok());
}

TEST_CASE("the config directory follows XDG_CONFIG_HOME, then HOME") {
    const char* old_xdg = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = old_xdg ? old_xdg : "";
    setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
    CHECK(config_dir() == "/tmp/xdg-test/attention-lab");
    unsetenv("XDG_CONFIG_HOME");
    if (const char* home = std::getenv("HOME"))
        CHECK(config_dir() == std::string(home) + "/.config/attention-lab");
    if (old_xdg) setenv("XDG_CONFIG_HOME", saved.c_str(), 1);

    const std::string dir = temp_path("prefs_dir");
    std::filesystem::remove_all(dir);
    Prefs p;
    p.theme = "contrast";
    REQUIRE(save_prefs(dir + "/sub/prefs.json", p).empty()); // the directory is created
    CHECK(load_prefs(dir + "/sub/prefs.json").value.theme == "contrast");
    std::filesystem::remove_all(dir);
}

TEST_CASE("weights CSV: header of keys, one row per query, masked cells as nan, tokens quoted") {
    const std::vector<std::string> tokens = {"a", ",", "\"q\""};
    Matrix w(3, 3), s(3, 3);
    const float inf = std::numeric_limits<float>::infinity();
    w << 1, 0, 0, 0.25f, 0.75f, 0, 0.5f, 0.25f, 0.25f;
    s << 0, -inf, -inf, 0, 1, -inf, 0, 0, 0;
    const std::string csv = weights_csv(tokens, w, s);
    CHECK(csv == "query\\key,a,\",\",\"\"\"q\"\"\"\n"
                 "a,1,nan,nan\n"
                 "\",\",0.25,0.75,nan\n"
                 "\"\"\"q\"\"\",0.5,0.25,0.25\n");
}

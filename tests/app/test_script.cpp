// --script files: good entries become the same commands the panels push; an unknown command, a bad value
// or broken JSON is reported with its line and the remaining entries still run.
#include "app/io/script.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

using namespace attn;

TEST_CASE("a good script parses to commands in order, with their lines") {
    const char* text = R"([
  {"cmd": "SetText", "text": "The cat sat"},
  {"cmd": "SetHeads", "n_heads": 8, "n_kv_heads": 2},
  {"cmd": "SetMask", "kind": "sliding_window", "window": 3},
  {"cmd": "SetPositions", "kind": "RoPE"},
  {"cmd": "ToggleHead", "layer": 0, "head": 1},
  {"cmd": "SetConfig", "config": {"d_model": 32, "mask": "causal"}}
])";
    const Script s = parse_script(text);
    CHECK(s.errors.empty());
    REQUIRE(s.commands.size() == 6);
    CHECK(s.command_lines == std::vector<int>{2, 3, 4, 5, 6, 7});
    REQUIRE(std::holds_alternative<SetText>(s.commands[0]));
    CHECK(std::get<SetText>(s.commands[0]).text == "The cat sat");
    const auto& h = std::get<SetHeads>(s.commands[1]);
    CHECK(h.n_heads == 8);
    CHECK(h.n_kv_heads == 2);
    const auto& m = std::get<SetMask>(s.commands[2]);
    CHECK(m.kind == MaskKind::SlidingWindow);
    CHECK(m.window == 3);
    CHECK(std::get<SetPositions>(s.commands[3]).kind == PositionKind::Rope);
    const auto& c = std::get<SetConfig>(s.commands[5]).config;
    CHECK(c.d_model == 32);
    CHECK(c.mask == MaskKind::Causal);
    CHECK(c.n_heads == AppState::default_config().n_heads); // fields not given keep the defaults

    // and applying them gives the state a panel user would reach
    AppState st = AppState::initial();
    for (const auto& cmd : s.commands)
        CHECK(apply(st, cmd).message.empty());
    CHECK(st.tokens.size() == 3);
    CHECK(st.config.d_model == 32);
}

TEST_CASE("every command name has a parser and round-trips its fields") {
    const Script s = parse_script(R"([
  {"cmd": "SetTokens", "tokens": ["a", "b"]},
  {"cmd": "InsertToken", "index": 1, "token": "x"},
  {"cmd": "DeleteToken", "index": 0},
  {"cmd": "MoveToken", "from": 0, "to": 1},
  {"cmd": "EditToken", "index": 0, "token": "y"},
  {"cmd": "SetPadding", "index": 1, "padding": true},
  {"cmd": "LoadPreset", "name": "wide"},
  {"cmd": "SetDModel", "d_model": 128},
  {"cmd": "SetLayers", "n_layers": 2},
  {"cmd": "SetTemperature", "temperature": 0.5},
  {"cmd": "SetSeed", "seed": 18446744073709551615},
  {"cmd": "SetImplementation", "implementation": "flash"},
  {"cmd": "SetAllHeads", "enabled": false}
])");
    CHECK(s.errors.empty());
    REQUIRE(s.commands.size() == 13);
    CHECK(std::get<SetTokens>(s.commands[0]).tokens == std::vector<std::string>{"a", "b"});
    CHECK(std::get<InsertToken>(s.commands[1]).token == "x");
    CHECK(std::get<MoveToken>(s.commands[3]).to == 1);
    CHECK(std::get<SetPadding>(s.commands[5]).padding);
    CHECK(std::get<LoadPreset>(s.commands[6]).name == "wide");
    CHECK(std::get<SetTemperature>(s.commands[9]).temperature == 0.5f);
    CHECK(std::get<SetSeed>(s.commands[10]).seed == 18446744073709551615ull);
    CHECK(std::get<SetImplementation>(s.commands[11]).implementation == Implementation::Flash);
    CHECK_FALSE(std::get<SetAllHeads>(s.commands[12]).enabled);
}

TEST_CASE("an unknown command and a bad value are reported with their lines; the rest still runs") {
    const char* text = R"([
  {"cmd": "SetText", "text": "one two"},
  {"cmd": "FlyToTheMoon"},
  {"cmd": "SetHeads",
   "n_heads": "eight"},
  {"cmd": "SetMask", "kind": "diagonal"},
  {"cmd": "SetLayers", "n_layers": 2}
])";
    const Script s = parse_script(text);
    REQUIRE(s.errors.size() == 3);
    CHECK(s.errors[0].line == 3);
    CHECK(s.errors[0].text.find("FlyToTheMoon") != std::string::npos);
    CHECK(s.errors[0].text.find("SetText") != std::string::npos); // lists the known commands
    CHECK(s.errors[1].line == 4);
    CHECK(s.errors[1].text.find("n_heads") != std::string::npos);
    CHECK(s.errors[2].line == 6);
    CHECK(s.errors[2].text.find("diagonal") != std::string::npos);
    REQUIRE(s.commands.size() == 2);
    CHECK(std::holds_alternative<SetText>(s.commands[0]));
    CHECK(std::holds_alternative<SetLayers>(s.commands[1]));
    CHECK(s.command_lines == std::vector<int>{2, 7});
    CHECK(format_script_message("demo.json", s.errors[0]).rfind("demo.json:3: ", 0) == 0);
}

TEST_CASE("broken JSON inside one entry is reported at its line and later entries survive") {
    const char* text = "[\n"
                       "  // a comment is allowed\n"
                       "  {\"cmd\": \"SetText\", \"text\": \"a, b\"},\n"
                       "  {\"cmd\": \"SetSeed\",\n"
                       "   \"seed\": tru},\n"
                       "  {\"cmd\": \"SetDModel\", \"d_model\": 32}\n"
                       "]\n";
    const Script s = parse_script(text);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].line == 5);
    CHECK(s.errors[0].text.find("JSON") != std::string::npos);
    REQUIRE(s.commands.size() == 2);
    CHECK(std::get<SetText>(s.commands[0]).text == "a, b"); // the comma inside the string did not split
    CHECK(std::get<SetDModel>(s.commands[1]).d_model == 32);
}

TEST_CASE("entries that are not commands, and files that are not lists, get clear messages") {
    Script s = parse_script(R"([ 42, {"text": "no cmd"}, {"cmd": 7} ])");
    CHECK(s.commands.empty());
    REQUIRE(s.errors.size() == 3);
    CHECK(s.errors[0].text.find("object") != std::string::npos);
    CHECK(s.errors[1].text.find("\"cmd\"") != std::string::npos);

    s = parse_script(R"({"cmd": "SetText"})");
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].text.find("must start with '['") != std::string::npos);

    s = parse_script("");
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].text.find("empty") != std::string::npos);

    s = parse_script("[\n {\"cmd\": \"SetLayers\", \"n_layers\": 2}\n");
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].text.find("not closed") != std::string::npos);
    CHECK(s.commands.size() == 1); // what came before the missing ']' still runs
}

TEST_CASE("view steps are parsed separately from commands") {
    const Script s = parse_script(R"([
  {"ui": "OpenPanel", "name": "Model"},
  {"ui": "SetTheme", "theme": "light"},
  {"ui": "SetTheme", "theme": "pink"},
  {"ui": "SelectHead", "layer": 0, "head": 3},
  {"ui": "Dance"}
])");
    CHECK(s.commands.empty());
    REQUIRE(s.ui_steps.size() == 3);
    REQUIRE(std::holds_alternative<ui_step::OpenPanel>(s.ui_steps[0]));
    CHECK(std::get<ui_step::OpenPanel>(s.ui_steps[0]).name == "Model");
    REQUIRE(std::holds_alternative<ui_step::SelectHead>(s.ui_steps[2]));
    CHECK(std::get<ui_step::SelectHead>(s.ui_steps[2]).head == 3);
    REQUIRE(s.errors.size() == 2);
    CHECK(s.errors[0].line == 4);
    CHECK(s.errors[1].line == 6);
}

TEST_CASE("layout and flash view steps: a side for OpenPanel, SplitViews, FlashStep; bad values refused") {
    const Script s = parse_script(R"([
  {"ui": "OpenPanel", "name": "Arc view", "side": 2},
  {"ui": "OpenPanel", "name": "Arc view", "side": 3},
  {"ui": "SplitViews", "on": false},
  {"ui": "FlashStep", "step": 6},
  {"ui": "FlashStep", "step": -1},
  {"ui": "StepStage", "stage": 6},
  {"ui": "StepStage", "stage": 10},
  {"ui": "Measure"},
  {"ui": "Measure", "up_to": 32}
])");
    REQUIRE(s.ui_steps.size() == 5);
    CHECK(std::get<ui_step::StepStage>(s.ui_steps[3]).stage == 6);
    REQUIRE(std::holds_alternative<ui_step::Measure>(s.ui_steps[4]));
    CHECK(std::get<ui_step::Measure>(s.ui_steps[4]).up_to == 2048); // the default
    CHECK(std::get<ui_step::OpenPanel>(s.ui_steps[0]).side == ui_step::Side::Right);
    REQUIRE(std::holds_alternative<ui_step::SplitViews>(s.ui_steps[1]));
    CHECK_FALSE(std::get<ui_step::SplitViews>(s.ui_steps[1]).on);
    CHECK(std::get<ui_step::FlashStep>(s.ui_steps[2]).step == 6);
    REQUIRE(s.errors.size() == 4);
    CHECK(s.errors[0].line == 3);
    CHECK(s.errors[0].text.find("side") != std::string::npos);
    CHECK(s.errors[1].line == 6);
    CHECK(s.errors[2].line == 8);
    CHECK(s.errors[3].line == 10);
    CHECK(s.errors[3].text.find("up_to") != std::string::npos);
}

TEST_CASE("load_script reports a missing file as a whole-file message") {
    const Script s = load_script("/nonexistent/attention-lab-script.json");
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].line == 0);
    CHECK(format_script_message("x.json", s.errors[0]).find("cannot open") != std::string::npos);
}

TEST_CASE("a playground drag replays from a script, and bad vector overrides are refused with their lines") {
    const Script s = parse_script(R"([
  {"cmd": "SetVectorOverride", "layer": 0, "head": 1, "token": 2, "kind": "k", "value": [0.5, -1.25]},
  {"cmd": "SetVectorOverride", "layer": 0, "head": 0, "token": 2, "kind": "x", "value": [1, 2]},
  {"cmd": "SetVectorOverride", "layer": 0, "head": 0, "token": 2, "kind": "q", "value": [1, "two"]},
  {"cmd": "SetVectorOverride", "layer": 0, "head": 0, "token": 2, "kind": "q"},
  {"cmd": "ClearOverrides"}
])");
    REQUIRE(s.commands.size() == 2);
    const auto& o = std::get<SetVectorOverride>(s.commands[0]);
    CHECK(o.head == 1);
    CHECK(o.token == 2);
    CHECK(o.kind == 'k');
    CHECK(o.value == std::vector<float>{0.5f, -1.25f});
    CHECK(std::holds_alternative<ClearOverrides>(s.commands[1]));
    REQUIRE(s.errors.size() == 3);
    CHECK(s.errors[0].line == 3);
    CHECK(s.errors[0].text.find("kind") != std::string::npos);
    CHECK(s.errors[1].line == 4);
    CHECK(s.errors[2].line == 5);
    CHECK(s.errors[2].text.find("value") != std::string::npos);
}

TEST_CASE("ZoomHeatmap: a zoom and an optional cell; out-of-range values refused with their lines") {
    const Script s = parse_script(R"([
  {"ui": "ZoomHeatmap", "zoom": 16, "row": 500, "col": 480},
  {"ui": "ZoomHeatmap", "zoom": 2},
  {"ui": "ZoomHeatmap", "zoom": 0.5},
  {"ui": "ZoomHeatmap", "zoom": 4, "row": -3},
  {"ui": "ZoomHeatmap", "zoom": 4, "rows": 3}
])");
    REQUIRE(s.ui_steps.size() == 2);
    const auto& z = std::get<ui_step::ZoomHeatmap>(s.ui_steps[0]);
    CHECK(z.zoom == 16.0f);
    CHECK(z.row == 500);
    CHECK(z.col == 480);
    CHECK(std::get<ui_step::ZoomHeatmap>(s.ui_steps[1]).row == -1); // the middle
    REQUIRE(s.errors.size() == 3);
    CHECK(s.errors[0].line == 4);
    CHECK(s.errors[0].text.find("zoom must be between") != std::string::npos);
    CHECK(s.errors[1].line == 5);
    CHECK(s.errors[1].text.find("row must be 0 or more") != std::string::npos);
    CHECK(s.errors[2].line == 6);
    CHECK(s.errors[2].text.find("rows") != std::string::npos);
}

// Commands on AppState: valid ones change it and bump the revision, invalid ones leave it untouched and
// say why. Every command of the Command variant appears here at least once in each role.
#include "app/io/model_files.hpp"
#include "app/state/app_state.hpp"
#include "app/state/derived.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace attn;

namespace {

// Everything apply() may change, compared as a whole.
bool same_state(const AppState& a, const AppState& b) {
    return a.text == b.text && a.tokens == b.tokens && a.config == b.config &&
           a.head_enabled == b.head_enabled && a.key_valid == b.key_valid && a.revision == b.revision;
}

// Applies a command that must be refused; checks the state did not move and a message names the problem.
void check_refused(AppState& s, const Command& c, const char* expected_words) {
    const AppState before = s;
    const ApplyResult r = apply(s, c);
    CHECK_FALSE(r.changed);
    CHECK(same_state(s, before));
    CHECK_MESSAGE(r.message.find(expected_words) != std::string::npos, r.message);
}

AppState state_with(const char* text) {
    AppState s = AppState::initial();
    apply(s, SetText{text});
    return s;
}

} // namespace

TEST_CASE("the initial state holds the running example and keeps its invariants") {
    const AppState s = AppState::initial();
    REQUIRE(s.tokens.size() == 11);
    CHECK(s.tokens[1] == "animal");
    CHECK(s.tokens[7] == "it");
    CHECK(s.key_valid.size() == s.tokens.size());
    CHECK(s.head_enabled.size() == static_cast<std::size_t>(s.config.n_layers * s.config.n_heads));
}

TEST_CASE("SetText retokenizes and an empty text is allowed") {
    AppState s = AppState::initial();
    const auto rev = s.revision;
    auto r = apply(s, SetText{"Hello, world"});
    CHECK(r.changed);
    CHECK(s.tokens.size() == 3);
    CHECK(s.key_valid.size() == 3);
    CHECK(s.revision == rev + 1);
    r = apply(s, SetText{""});
    CHECK(r.changed);
    CHECK(s.tokens.empty());
    const Derived d = compute_derived(s);
    CHECK(d.forward.layers.empty());
}

TEST_CASE("a 10,000-word paste is cut to the live limit with a message") {
    AppState s = AppState::initial();
    std::string text;
    for (int i = 0; i < 10000; ++i)
        text += "token ";
    const auto r = apply(s, SetText{text});
    CHECK(r.changed);
    CHECK(s.tokens.size() == static_cast<std::size_t>(k_max_live_tokens));
    CHECK(r.message.find("10000") != std::string::npos);
}

TEST_CASE("SetTokens replaces the list and refuses empty, spaced or too many tokens") {
    AppState s = AppState::initial();
    CHECK(apply(s, SetTokens{{"a", "b", ","}}).changed);
    CHECK(s.text == "a b,");
    check_refused(s, SetTokens{{"a", ""}}, "empty");
    check_refused(s, SetTokens{{"two words"}}, "spaces");
    check_refused(s, SetTokens{std::vector<std::string>(k_max_live_tokens + 1, "x")},
                  std::to_string(k_max_live_tokens + 1).c_str());
}

TEST_CASE("InsertToken, DeleteToken, MoveToken and EditToken edit the chips") {
    AppState s = state_with("a b c");
    CHECK(apply(s, InsertToken{0, "z"}).changed);
    CHECK(s.tokens == std::vector<std::string>{"z", "a", "b", "c"});
    CHECK(apply(s, InsertToken{4, "end"}).changed); // index == n_tokens appends
    CHECK(s.tokens.back() == "end");
    CHECK(apply(s, DeleteToken{0}).changed);
    CHECK(s.tokens == std::vector<std::string>{"a", "b", "c", "end"});
    CHECK(apply(s, MoveToken{0, 2}).changed);
    CHECK(s.tokens == std::vector<std::string>{"b", "c", "a", "end"});
    CHECK(apply(s, MoveToken{3, 0}).changed);
    CHECK(s.tokens == std::vector<std::string>{"end", "b", "c", "a"});
    CHECK(apply(s, EditToken{1, "naïve"}).changed);
    CHECK(s.tokens[1] == "naïve");
    CHECK(s.text == "end naïve c a");
    CHECK(s.key_valid.size() == 4);

    check_refused(s, InsertToken{5, "x"}, "no token 5");
    check_refused(s, InsertToken{-1, "x"}, "no token -1");
    check_refused(s, InsertToken{0, ""}, "empty");
    check_refused(s, DeleteToken{4}, "no token 4");
    check_refused(s, MoveToken{0, 4}, "no token 4");
    check_refused(s, MoveToken{-2, 0}, "no token -2");
    check_refused(s, EditToken{9, "x"}, "no token 9");
    check_refused(s, EditToken{0, "a b"}, "spaces");
    check_refused(s, EditToken{0, ""}, "empty");
}

TEST_CASE("moving or deleting a token carries its padding flag along") {
    AppState s = state_with("a b c d");
    CHECK(apply(s, SetPadding{3, true}).changed);
    CHECK(s.key_valid == std::vector<std::uint8_t>{1, 1, 1, 0});
    apply(s, MoveToken{3, 0});
    CHECK(s.tokens[0] == "d");
    CHECK(s.key_valid == std::vector<std::uint8_t>{0, 1, 1, 1});
    apply(s, DeleteToken{1});
    CHECK(s.key_valid == std::vector<std::uint8_t>{0, 1, 1});
    apply(s, InsertToken{1, "e"});
    CHECK(s.key_valid == std::vector<std::uint8_t>{0, 1, 1, 1});
    // setting a flag to the value it already has is not a change
    const auto rev = s.revision;
    CHECK_FALSE(apply(s, SetPadding{0, true}).changed);
    CHECK(s.revision == rev);
    check_refused(s, SetPadding{4, true}, "no token 4");
}

TEST_CASE("a padded token receives no attention from any query") {
    AppState s = state_with("one two three four");
    apply(s, SetPadding{2, true});
    const Derived d = compute_derived(s);
    REQUIRE(d.error.empty());
    const auto& w = d.forward.layers[0].heads[0].weights;
    for (int i = 0; i < 4; ++i) {
        CHECK(w(i, 2) == 0.0f);
        CHECK(std::isinf(d.forward.layers[0].heads[0].scores(i, 2)));
        CHECK(w.row(i).sum() == doctest::Approx(1.0).epsilon(1e-5));
    }
}

TEST_CASE("model commands change one field each and refuse what validate() refuses") {
    AppState s = AppState::initial();
    CHECK(apply(s, SetDModel{96}).changed);
    CHECK(s.config.d_model == 96);
    check_refused(s, SetDModel{0}, "at least 1");
    check_refused(s, SetDModel{k_max_d_model * 2}, "limited");

    CHECK(apply(s, SetLayers{3}).changed);
    CHECK(s.head_enabled.size() == 3);
    check_refused(s, SetLayers{0}, "at least one layer");
    check_refused(s, SetLayers{k_max_layers + 1}, "layers");

    CHECK(apply(s, SetHeads{8, 2}).changed);
    CHECK(s.config.n_heads == 8);
    CHECK(s.config.n_kv_heads == 2);
    CHECK(s.head_enabled.size() == 24);
    check_refused(s, SetHeads{3, 2}, "divide");
    check_refused(s, SetHeads{5, 5}, "not divisible"); // 96 / 5
    check_refused(s, SetHeads{4, 8}, "cannot be more");

    CHECK(apply(s, SetMask{MaskKind::SlidingWindow, 3}).changed);
    CHECK(s.config.mask == MaskKind::SlidingWindow);
    CHECK(s.config.window == 3);
    check_refused(s, SetMask{MaskKind::SlidingWindow, 0}, "at least 1");

    CHECK(apply(s, SetPositions{PositionKind::Alibi}).changed);
    CHECK(s.config.positions == PositionKind::Alibi);

    CHECK(apply(s, SetTemperature{0.5f}).changed);
    CHECK(s.config.temperature == 0.5f);
    check_refused(s, SetTemperature{0.0f}, "Temperature");
    check_refused(s, SetTemperature{-1.0f}, "Temperature");
    check_refused(s, SetTemperature{std::nanf("")}, "Temperature");

    CHECK(apply(s, SetSeed{12345}).changed);
    CHECK(s.config.seed == 12345u);
    CHECK(apply(s, SetImplementation{Implementation::Flash}).changed);
    CHECK(s.config.implementation == Implementation::Flash);

    ModelConfig bad = s.config;
    bad.flash_block_q = 0;
    check_refused(s, SetConfig{bad}, "tiles");
    ModelConfig good = AppState::default_config();
    CHECK(apply(s, SetConfig{good}).changed);
    CHECK(s.config == good);
    // the same value again is accepted but changes nothing
    const auto rev = s.revision;
    const auto r = apply(s, SetConfig{good});
    CHECK_FALSE(r.changed);
    CHECK(r.message.empty());
    CHECK(s.revision == rev);
}

TEST_CASE("ToggleHead and SetAllHeads switch heads; switches reset when the head layout changes") {
    AppState s = AppState::initial();
    apply(s, SetHeads{4, 4});
    CHECK(apply(s, ToggleHead{0, 2}).changed);
    CHECK_FALSE(s.head_on(0, 2));
    CHECK(s.heads_off() == 1);
    CHECK(apply(s, ToggleHead{0, 2}).changed);
    CHECK(s.head_on(0, 2));
    check_refused(s, ToggleHead{0, 4}, "no head 4");
    check_refused(s, ToggleHead{1, 0}, "in layer 1");
    check_refused(s, ToggleHead{-1, 0}, "no head");

    CHECK(apply(s, SetAllHeads{false}).changed);
    CHECK(s.heads_off() == 4);
    CHECK_FALSE(apply(s, SetAllHeads{false}).changed);
    apply(s, SetAllHeads{true});
    apply(s, ToggleHead{0, 1});
    // a new kv layout keeps the switches, a new head count resets them
    apply(s, SetHeads{4, 2});
    CHECK(s.heads_off() == 1);
    apply(s, SetHeads{2, 2});
    CHECK(s.heads_off() == 0);
}

TEST_CASE("LoadPreset loads text and settings; an unknown preset lists the known ones") {
    AppState s = AppState::initial();
    apply(s, SetHeads{2, 2});
    apply(s, ToggleHead{0, 0});
    CHECK(apply_loading(s, LoadPreset{"wide"}).changed);
    CHECK(s.tokens.back() == "wide");
    CHECK(s.heads_off() == 0);
    CHECK(apply_loading(s, LoadPreset{"gqa"}).changed);
    CHECK(s.config.n_heads == 8);
    CHECK(s.config.n_kv_heads == 2);
    CHECK(apply_loading(s, LoadPreset{"paragraph"}).changed);
    CHECK(s.tokens.size() >= 200);
    CHECK(s.tokens.size() <= static_cast<std::size_t>(k_max_live_tokens));
    CHECK(apply_loading(s, LoadPreset{"repeated"}).changed);
    CHECK(s.tokens.size() == 48);
    CHECK(s.tokens[0] == s.tokens[12]);
    check_refused(s, LoadPreset{"nope"}, "tired, wide");
    for (const Preset& p : presets())
        CHECK_MESSAGE(validate(p.config).empty(), p.name);
}

TEST_CASE("nearest_kv_divisor snaps to a divisor of the head count") {
    CHECK(nearest_kv_divisor(8, 8) == 8);
    CHECK(nearest_kv_divisor(8, 7) == 4);
    CHECK(nearest_kv_divisor(8, 3) == 2);
    CHECK(nearest_kv_divisor(12, 5) == 4);
    CHECK(nearest_kv_divisor(7, 6) == 1);
    CHECK(nearest_kv_divisor(4, 99) == 4);
    CHECK(nearest_kv_divisor(4, 0) == 1);
}

TEST_CASE("derived data follows the state: one row of weights per token") {
    AppState s = AppState::initial();
    const Derived d = compute_derived(s);
    REQUIRE(d.forward.layers.size() == 1);
    const auto& w = d.forward.layers[0].heads[0].weights;
    CHECK(w.rows() == 11);
    CHECK(w.cols() == 11);
    for (int i = 0; i < 11; ++i)
        CHECK(w.row(i).sum() == doctest::Approx(1.0).epsilon(1e-5));
}

TEST_CASE("the ablation change is 0 with all heads on and matches a hand-made comparison otherwise") {
    AppState s = AppState::initial();
    apply(s, SetHeads{4, 4});
    const Derived all_on = compute_derived(s);
    CHECK(all_on.ablation_change == 0.0f);
    REQUIRE(all_on.head_effect.size() == 4);

    apply(s, ToggleHead{0, 1});
    const Derived off = compute_derived(s);
    // by hand: the change is head 1's output through its rows of W_O, relative to all of attention's output
    const auto& lw = off.weights.layers[0];
    const int dh = head_dim(s.config);
    const Matrix head1 = all_on.forward.layers[0].heads[1].output * lw.w_o.middleRows(dh, dh);
    const double expected = head1.norm() / all_on.forward.layers[0].attn_out.norm();
    CHECK(off.ablation_change == doctest::Approx(expected).epsilon(1e-4));
    CHECK(off.ablation_change > 0.0f);
    // the effect of flipping head 1 alone, measured from the all-on state, is the same quantity
    CHECK(all_on.head_effect[1] == doctest::Approx(expected).epsilon(1e-4));

    apply(s, SetAllHeads{false});
    const Derived none = compute_derived(s);
    CHECK(none.ablation_change ==
          doctest::Approx(1.0).epsilon(1e-5)); // all of attention's contribution is gone
}

TEST_CASE("relative_change is 0 for identical outputs and for no attention at all") {
    Matrix x0 = Matrix::Ones(2, 3), y = Matrix::Ones(2, 3);
    CHECK(relative_change(y, y, x0) == 0.0f);
    Matrix y_ref = x0;
    y_ref(0, 0) += 2.0f; // attention added 2 to one entry
    Matrix y2 = y_ref;
    y2(1, 1) += 1.0f;
    CHECK(relative_change(y2, y_ref, x0) == doctest::Approx(0.5));
}

TEST_CASE(
    "the Model panel's K/V cache figure: 2 · L · H_kv · d_head · n · 4 bytes, capped by a sliding window") {
    AppState s = AppState::initial(); // 11 tokens
    REQUIRE(apply(s, SetHeads{4, 2}).message.empty());
    const int d_head = head_dim(s.config), layers = s.config.n_layers;
    Derived d = compute_derived(s);
    CHECK(d.kv_cache_bytes == doctest::Approx(2.0 * layers * 2 * d_head * 11 * 4));
    CHECK(d.kv_cache_bytes_mha == doctest::Approx(2.0 * layers * 4 * d_head * 11 * 4));
    REQUIRE(apply(s, SetMask{MaskKind::SlidingWindow, 3}).changed);
    d = compute_derived(s);
    CHECK(d.kv_cache_bytes == doctest::Approx(2.0 * layers * 2 * d_head * 3 * 4)); // only 3 tokens kept
}

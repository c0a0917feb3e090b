// Commands on AppState: valid ones change it and bump the revision, invalid ones leave it untouched.
#include "app/state/app_state.hpp"
#include "app/state/derived.hpp"

#include <doctest/doctest.h>

using namespace attn;

TEST_CASE("the initial state holds the running example") {
    const AppState s = AppState::initial();
    REQUIRE(s.tokens.size() == 11);
    CHECK(s.tokens[1] == "animal");
    CHECK(s.tokens[7] == "it");
}

TEST_CASE("SetText retokenizes and an empty text is allowed") {
    AppState s = AppState::initial();
    const auto rev = s.revision;
    auto r = apply(s, SetText{"Hello, world"});
    CHECK(r.changed);
    CHECK(s.tokens.size() == 3);
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
    for (int i = 0; i < 10000; ++i) text += "token ";
    const auto r = apply(s, SetText{text});
    CHECK(r.changed);
    CHECK(s.tokens.size() == static_cast<std::size_t>(k_max_live_tokens));
    CHECK(r.message.find("10000") != std::string::npos);
}

TEST_CASE("an invalid head layout is refused and changes nothing") {
    AppState s = AppState::initial();
    const AppState before = s;
    const auto r = apply(s, SetHeads{3, 2});
    CHECK_FALSE(r.changed);
    CHECK(r.message.find("divide") != std::string::npos);
    CHECK(s.config == before.config);
    CHECK(s.revision == before.revision);
}

TEST_CASE("derived data follows the state: one row of weights per token") {
    AppState s = AppState::initial();
    const Derived d = compute_derived(s);
    REQUIRE(d.forward.layers.size() == 1);
    const auto& w = d.forward.layers[0].heads[0].weights;
    CHECK(w.rows() == 11);
    CHECK(w.cols() == 11);
    for (int i = 0; i < 11; ++i) CHECK(w.row(i).sum() == doctest::Approx(1.0).epsilon(1e-5));
}

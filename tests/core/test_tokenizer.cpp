// Tokenizer: words, punctuation, apostrophes, whitespace, non-ASCII and very long input.
#include "core/tokenizer.hpp"

#include <doctest/doctest.h>

using attn::tokenize;

TEST_CASE("the running example splits into words and keeps didn't whole") {
    const auto t = tokenize("The animal didn't cross the street because it was too tired.");
    REQUIRE(t.size() == 12);
    CHECK(t[0] == "The");
    CHECK(t[2] == "didn't");
    CHECK(t[7] == "it");
    CHECK(t[11] == ".");
}

TEST_CASE("empty and whitespace-only text has no tokens") {
    CHECK(tokenize("").empty());
    CHECK(tokenize("   \t\n  ").empty());
}

TEST_CASE("runs of punctuation become one token per mark") {
    const auto t = tokenize("wait!!! ...what?");
    REQUIRE(t.size() == 9);
    CHECK(t[0] == "wait");
    CHECK(t[1] == "!");
    CHECK(t[3] == "!");
    CHECK(t[4] == ".");
    CHECK(t[7] == "what");
    CHECK(t[8] == "?");
}

TEST_CASE("apostrophes at word edges are punctuation") {
    const auto t = tokenize("'quoted' it's");
    REQUIRE(t.size() == 4);
    CHECK(t[0] == "'");
    CHECK(t[1] == "quoted");
    CHECK(t[2] == "'");
    CHECK(t[3] == "it's");
}

TEST_CASE("non-ASCII UTF-8 words stay whole") {
    const auto t = tokenize("naïve café — 고양이를 Ελληνικά");
    REQUIRE(t.size() == 5);
    CHECK(t[0] == "naïve");
    CHECK(t[1] == "café");
    CHECK(t[2] == "—");
    CHECK(t[3] == "고양이를");
    CHECK(t[4] == "Ελληνικά");
}

TEST_CASE("Chinese characters and CJK punctuation are one token each; kana between them stay together") {
    const std::vector<std::string> zh = {"我", "喜", "欢", "猫", "，", "because",
                                         "它", "很", "可", "爱", "。"};
    CHECK(tokenize("我喜欢猫，because它很可爱。") == zh);
    const std::vector<std::string> ja = {"猫", "が", "好", "きです", "。"};
    CHECK(tokenize("猫が好きです。") == ja);
    // joined back without spaces between them, with spaces around Latin words
    CHECK(attn::join_tokens(ja) == "猫が好きです。");
    CHECK(attn::join_tokens(zh) == "我喜欢猫，because 它很可爱。");
    CHECK(attn::join_tokens({"I", "like", "猫", "and", "dogs"}) == "I like 猫 and dogs");
    CHECK(tokenize(attn::join_tokens(zh)) == zh);
    // broken UTF-8 never splits a sequence or reads past the end
    const auto broken = tokenize("猫\xE7\x8C");
    REQUIRE(broken.size() == 2);
    CHECK(broken[0] == "猫");
    CHECK(broken[1] == "\xE7\x8C");
}

TEST_CASE("a 10,000-word paste is counted fully and cut at the limit") {
    std::string text;
    for (int i = 0; i < 10000; ++i)
        text += (i % 7 == 0) ? "word, " : "word ";
    const auto r = tokenize(text, 512);
    CHECK(r.tokens.size() == 512);
    CHECK(r.total_tokens == 10000 + 10000 / 7 + 1);
    CHECK(r.truncated);
    const auto all = tokenize(text, 1000000);
    CHECK_FALSE(all.truncated);
    CHECK(all.tokens.size() == all.total_tokens);
}

TEST_CASE("join_tokens puts punctuation back against its word") {
    CHECK(attn::join_tokens(tokenize("Hello, world!")) == "Hello, world!");
    CHECK(attn::join_tokens({}) == "");
}

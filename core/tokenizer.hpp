// Splits text into word and punctuation tokens. Words are runs of letters, digits, apostrophes inside a
// word ("didn't") and non-ASCII UTF-8 characters (so "naïve", "Ελληνικά" or Korean "고양이" stay whole);
// every ASCII punctuation character is a token of its own; whitespace separates. Chinese characters, CJK
// punctuation and full-width forms are written without spaces, so each is a token of its own
// ("猫が好き。" gives 猫 | が | 好 | き | 。); kana between them stay together.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

struct TokenizeResult {
    std::vector<std::string> tokens; // at most max_tokens entries
    std::size_t total_tokens = 0;    // how many the whole text holds
    bool truncated = false;          // total_tokens > max_tokens
};

TokenizeResult tokenize(std::string_view text, std::size_t max_tokens);
inline std::vector<std::string> tokenize(std::string_view text) {
    return tokenize(text, static_cast<std::size_t>(-1)).tokens;
}

// Joins tokens back into readable text: a space between words, none before punctuation.
std::string join_tokens(const std::vector<std::string>& tokens);

// Lower-cases ASCII letters; the embedding treats "The" and "the" as one word.
std::string normalize_word(std::string_view word);

} // namespace attn

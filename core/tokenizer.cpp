// Word/punctuation tokenizer; see tokenizer.hpp for the rules.
#include "tokenizer.hpp"

namespace attn {
namespace {

bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_word_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

// The code point of the UTF-8 sequence at text[i] and its length in bytes; a malformed sequence reads as
// one byte of U+FFFD (it still ends up inside a word, as before).
struct CodePoint {
    unsigned cp = 0xFFFD;
    std::size_t len = 1;
};

CodePoint decode(std::string_view text, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    const std::size_t len = b0 < 0x80           ? 1
                            : (b0 >> 5) == 0x6  ? 2
                            : (b0 >> 4) == 0xE  ? 3
                            : (b0 >> 3) == 0x1E ? 4
                                                : 0;
    if (len == 0 || i + len > text.size()) return {};
    unsigned cp = len == 1 ? b0 : b0 & (0x7Fu >> len);
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xC0) != 0x80) return {};
        cp = (cp << 6) | (b & 0x3Fu);
    }
    return {cp, len};
}

// Chinese characters (and the ideographs of Japanese), CJK punctuation and full-width forms: scripts
// written without spaces, so each character is a token of its own, as BERT's tokenizer does.
bool is_ideographic(unsigned cp) {
    return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

// Written without spaces between words: ideographs plus kana. join_tokens puts no space between two of these,
// nor on either side of CJK punctuation.
bool is_spaceless(unsigned cp) {
    return is_ideographic(cp) || (cp >= 0x3040 && cp <= 0x30FF);
}
bool is_cjk_punct(unsigned cp) {
    return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

bool starts_ideographic(std::string_view text, std::size_t i) {
    return static_cast<unsigned char>(text[i]) >= 0x80 && is_ideographic(decode(text, i).cp);
}

// The first and the last code point of a token.
unsigned first_cp(std::string_view t) {
    return t.empty() ? 0 : decode(t, 0).cp;
}
unsigned last_cp(std::string_view t) {
    std::size_t i = t.size();
    while (i > 0 && (static_cast<unsigned char>(t[i - 1]) & 0xC0) == 0x80)
        --i; // back to the lead byte
    return i == 0 ? 0 : decode(t, i - 1).cp;
}

} // namespace

TokenizeResult tokenize(std::string_view text, std::size_t max_tokens) {
    TokenizeResult out;
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto emit = [&](std::size_t begin, std::size_t end) {
        ++out.total_tokens;
        if (out.tokens.size() < max_tokens) out.tokens.emplace_back(text.substr(begin, end - begin));
    };
    while (i < n) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (is_space(c)) {
            ++i;
        } else if (starts_ideographic(text, i)) {
            const std::size_t len = decode(text, i).len;
            emit(i, i + len);
            i += len;
        } else if (is_word_char(c)) {
            const std::size_t begin = i;
            while (i < n) {
                const auto d = static_cast<unsigned char>(text[i]);
                if (starts_ideographic(text, i)) {
                    break; // an ideograph ends the word and is a token of its own
                } else if (is_word_char(d)) {
                    ++i;
                } else if (d == '\'' && i + 1 < n && is_word_char(static_cast<unsigned char>(text[i + 1]))) {
                    i += 2; // an apostrophe between word characters stays inside the word
                } else {
                    break;
                }
            }
            emit(begin, i);
        } else {
            emit(i, i + 1);
            ++i;
        }
    }
    out.truncated = out.total_tokens > out.tokens.size();
    return out;
}

std::string join_tokens(const std::vector<std::string>& tokens) {
    std::string s;
    for (const auto& t : tokens) {
        const bool punct = t.size() == 1 && !is_word_char(static_cast<unsigned char>(t[0]));
        const bool opening = t == "(" || t == "[" || t == "\"";
        const unsigned before = s.empty() ? 0 : last_cp(s), after = first_cp(t);
        const bool spaceless =
            (is_spaceless(before) && is_spaceless(after)) || is_cjk_punct(before) || is_cjk_punct(after);
        if (!s.empty() && (!punct || opening) && !spaceless && s.back() != '(' && s.back() != '[') s += ' ';
        s += t;
    }
    return s;
}

std::string normalize_word(std::string_view word) {
    std::string s(word);
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

} // namespace attn

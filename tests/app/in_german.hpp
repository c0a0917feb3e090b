// Shared by the tests of the German interface: switching the process's language for one test case, and
// telling a template with words (which needs a translation) from one made of places and punctuation only.
#pragma once

#include "app/i18n/i18n.hpp"

#include <cctype>

namespace attn::test {

// The language is process-wide: each test sets it and puts the environment's back.
struct German {
    German() {
        i18n::init();
        i18n::set_language("de");
    }
    ~German() { i18n::set_language({}); }
    German(const German&) = delete;
    German& operator=(const German&) = delete;
};

// Text of a template apart from its places and punctuation: "%s: %s" has none and needs no translation.
inline bool has_words(const char* t) {
    for (const char* p = t; *p; ++p) {
        if (*p == '%' && p[1] == 's') {
            ++p;
            continue;
        }
        if (std::isalpha(static_cast<unsigned char>(*p))) return true;
    }
    return false;
}

} // namespace attn::test

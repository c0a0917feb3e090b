// Shared by the tests of the German interface: switching the process's language for one test case,
// telling a template with words (which needs a translation) from one made of places and punctuation only,
// and checking that a message is shown translated.
#pragma once

#include "app/i18n/i18n.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <string>
#include <vector>

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

inline bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

// In German (the caller holds a German): the message is made of templates, every template with words has
// a German translation, and the shown text differs from the English one.
inline void check_translated(const Message& m) {
    CAPTURE(english(m));
    REQUIRE_FALSE(m.empty());
    std::vector<const char*> templates;
    collect_templates(m, templates);
    REQUIRE_FALSE(templates.empty()); // not a fixed English text
    for (const char* t : templates) {
        CAPTURE(t);
        if (has_words(t)) CHECK(std::string(i18n::tr(t)) != t);
    }
    CHECK(i18n::text(m) != english(m));
}

} // namespace attn::test

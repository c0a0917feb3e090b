// Messages for the learner (core/message.hpp): templates filled in order or by position, nested messages,
// and a translation applied to every template but never to the values.
#include "core/message.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace attn;

namespace {
// A stand-in catalogue: templates in upper case, the two-value template reordered.
const char* shout(const char* t) {
    if (std::strcmp(t, "%s of %s") == 0) return "%2$s HAS %1$s";
    if (std::strcmp(t, "outer: %s") == 0) return "OUTER: %s";
    if (std::strcmp(t, "inner %s") == 0) return "INNER %s";
    if (std::strcmp(t, "causal") == 0) return "KAUSAL";
    return t;
}
} // namespace

TEST_CASE("message: values fill the places in order, numbers in digits") {
    CHECK(english(message("d_model must be at least 1 (it is %s).", -3)) ==
          "d_model must be at least 1 (it is -3).");
    CHECK(english(message("%sx%s", 16, std::string("32"))) == "16x32");
    CHECK(english(message("%s", 0.001)) == "0.001");
    CHECK(english(message("100%% of %s", "rows")) == "100% of rows");
    CHECK(english(message("no places")) == "no places");
    CHECK(english(message("missing %s and %s", 1)) ==
          "missing 1 and "); // a place without a value stays empty
    CHECK(english(message("%d is not a place, %5$s is out of range", 1)) ==
          "%d is not a place,  is out of range");
}

TEST_CASE("message: a translation is applied to every template and may reorder the values") {
    const Message m = message("outer: %s", message("inner %s", message("%s of %s", 2, message("causal"))));
    CHECK(english(m) == "outer: inner 2 of causal");
    CHECK(render(m, shout) == "OUTER: INNER KAUSAL HAS 2");
    // values are never translated, even when they look like a template
    CHECK(render(message("outer: %s", "causal"), shout) == "OUTER: causal");
    std::vector<const char*> templates;
    collect_templates(m, templates);
    CHECK(templates.size() == 4);
    CHECK(std::string(templates.front()) == "outer: %s");
}

TEST_CASE("message: empty means no message") {
    CHECK(Message{}.empty());
    CHECK_FALSE(message("x").empty());
    CHECK_FALSE(verbatim("path").empty());
    CHECK(verbatim("").empty());
    CHECK(english(verbatim("50% %s")) == "50% %s"); // a verbatim text is never read as a template
}

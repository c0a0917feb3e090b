// The sentence box's soft wrapping: lines fit the width, no byte moves, and the committed text is unchanged.
#include "app/widgets/soft_wrap.hpp"

#include "headless_imgui.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <string>

using namespace attn;

namespace {
std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out(1);
    for (char c : s)
        if (c == '\n')
            out.emplace_back();
        else
            out.back() += c;
    return out;
}
} // namespace

TEST_CASE("soft wrapping fits each line to the width and only swaps spaces for newlines") {
    test::HeadlessImGui imgui;
    ImGui::NewFrame(); // CalcTextSize needs a current font
    const std::string sentence = "The animal didn't cross the street because it was too tired";
    const float width = ImGui::CalcTextSize("The animal didn't cross").x + 1.0f;
    std::string wrapped = sentence;
    CHECK(soft_wrap(wrapped, width));
    REQUIRE(wrapped.size() == sentence.size());
    for (std::size_t i = 0; i < sentence.size(); ++i) {
        CAPTURE(i);
        if (sentence[i] == ' ')
            CHECK((wrapped[i] == ' ' || wrapped[i] == '\n'));
        else
            CHECK(wrapped[i] == sentence[i]);
    }
    const auto lines = lines_of(wrapped);
    CHECK(lines.size() >= 3);
    CHECK(lines.front() == "The animal didn't cross");
    CHECK(lines.back().find("tired") != std::string::npos); // the end of the sentence is on screen, not cut
    for (const auto& l : lines)
        CHECK(ImGui::CalcTextSize(l.c_str()).x <= width);
    // the text committed is the sentence itself, and wrapping again changes nothing
    CHECK(unwrapped(wrapped) == sentence);
    CHECK_FALSE(soft_wrap(wrapped, width));
    // wider boxes take the breaks back out; a word longer than the box keeps a line of its own
    CHECK(soft_wrap(wrapped, 1e6f));
    CHECK(wrapped == sentence);
    std::string long_word = "a supercalifragilistic b";
    soft_wrap(long_word, ImGui::CalcTextSize("a b").x);
    CHECK(long_word == "a\nsupercalifragilistic\nb");
    // non-ASCII bytes are never touched
    std::string greek = "ή γάτα κάθεται στο χαλί";
    const std::string greek_before = greek;
    soft_wrap(greek, ImGui::CalcTextSize("γάτα").x);
    CHECK(unwrapped(greek) == greek_before);
    ImGui::EndFrame();
}

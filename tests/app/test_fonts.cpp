// The font atlas takes characters from other scripts only when the text uses them, and the fallback font
// really provides their glyphs.
#include "app/ui/fonts.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <filesystem>
#include <string>

using namespace attn;

TEST_CASE("FontCoverage collects only the characters DejaVu's ranges lack, once each") {
    FontCoverage c;
    CHECK_FALSE(c.add("The animal didn't cross the street"));
    CHECK_FALSE(c.add("naïve Ωμέγα → √x ≤ 2, Kᵀ")); // Latin-1, Greek, arrows, math: in DejaVu's ranges
    CHECK(c.size() == 0);
    CHECK(c.ranges().empty());

    CHECK(c.add("猫が好き")); // U+732B U+304C U+597D U+304D
    CHECK(c.size() == 4);
    CHECK_FALSE(c.add("好き猫")); // nothing new
    const std::vector<ImWchar> expected = {0x304C, 0x304D, 0x597D, 0x597D, 0x732B, 0x732B, 0};
    CHECK(c.ranges() == expected);

    CHECK_FALSE(c.add("\xF0\x9F\x98\x80"));      // an emoji: outside ImGui's 16-bit characters
    CHECK_FALSE(c.add("\xFF\xFE\x80 \xE7\x8C")); // malformed and truncated UTF-8: skipped, no crash
    CHECK(c.size() == 4);
    CHECK_FALSE(c.full());
}

TEST_CASE("FontCoverage stops at its cap and says so") {
    FontCoverage c;
    std::string text;
    for (unsigned cp = 0x4E00; cp < 0x4E00 + FontCoverage::k_max_extra + 50; ++cp) {
        text += static_cast<char>(0xE0 | (cp >> 12));
        text += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        text += static_cast<char>(0x80 | (cp & 0x3F));
    }
    CHECK(c.add(text));
    CHECK(c.size() == FontCoverage::k_max_extra);
    CHECK(c.full());
}

TEST_CASE("the atlas holds the Chinese and Japanese glyphs in use, from the fallback font") {
    REQUIRE_MESSAGE(std::filesystem::exists("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
                    "fonts-wqy-microhei is in cmake/debian-packages.txt");
    ImGui::CreateContext();
    FontCoverage c;
    c.add("猫が好き 고양이");
    CHECK(load_fonts(17.0f, c).empty());
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h); // builds the atlas
    REQUIRE(ImGui::GetIO().Fonts->Fonts.Size == 1);        // merged into the one font
    const ImFont* f = ImGui::GetIO().Fonts->Fonts[0];
    for (const ImWchar ch :
         {ImWchar{0x732B}, ImWchar{0x304C}, ImWchar{0xACE0}, ImWchar{'A'}, ImWchar{0x03A9}})
        CHECK_MESSAGE(f->FindGlyphNoFallback(ch) != nullptr, "U+" << std::hex << ch);
    CHECK(f->FindGlyphNoFallback(0x6C34) == nullptr); // 水 is not in the text, so not in the atlas
    ImGui::DestroyContext();
}

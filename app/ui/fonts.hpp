// Loads DejaVu Sans (Latin, Greek, Cyrillic, arrows, math operators) into ImGui's font atlas at a pixel
// size, with the characters the text uses from other scripts (Chinese, Japanese, Korean) merged
// in from a fallback font. The caller rebuilds the atlas (and its GL texture) when the wanted size changes
// or FontCoverage reports new characters.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

// The characters outside DejaVu's ranges that the atlas must hold. Only those in use are added: every CJK
// ideograph at once would make an atlas of tens of megabytes.
class FontCoverage {
  public:
    static constexpr std::size_t k_max_extra = 6000; // beyond this, characters show as "?"

    // Adds the characters of UTF-8 `text` the atlas lacks; true when any were new (rebuild the atlas).
    bool add(std::string_view text);
    // Glyph ranges for the fallback font: pairs of first/last code point, ending with 0. Empty when none.
    std::vector<ImWchar> ranges() const;
    std::size_t size() const { return extra_.size(); }
    bool full() const { return full_; } // some characters were left out (k_max_extra reached)

  private:
    std::set<ImWchar> extra_;
    bool full_ = false;
};

// True when DejaVu's ranges in the atlas cover code point c.
bool in_base_ranges(unsigned c);

// The lesson pane's fonts, added after the UI font while a lesson runs: DejaVu Sans, Bold and a larger
// Bold for headings, holding only ASCII and the characters the lesson uses (so 40-pixel text keeps the atlas
// small). px 0: none are built.
struct LessonFontRequest {
    float px = 0;
    std::vector<ImWchar> ranges; // pairs of first/last code point, ending with 0
    std::vector<ImWchar> extra;  // those outside DejaVu's ranges, from the fallback font; may be empty
};
enum class LessonFont { Body, Bold, Heading };
// The font, or null when the lesson fonts are not in the atlas (draw with the UI font then).
ImFont* lesson_font(LessonFont f);
// The lesson's body text size: in presentation mode it grows with the window, 40 px at 1080 lines (the
// back row of a classroom reads it); otherwise a quarter larger than the UI's text.
float lesson_font_px(float ui_px, bool presentation, float display_h, float font_scale);

// Returns an empty string on success, otherwise a warning (a missing font file; what is missing falls
// back to the built-in font or "?").
std::string load_fonts(float font_px, const FontCoverage& extra = FontCoverage{},
                       const LessonFontRequest& lesson = LessonFontRequest{});

struct App; // app/ui/frame.hpp

// Keeps the atlas in step with the app, once per frame: the size the text-size settings and presentation
// mode want, and the characters the tokens, the sentence box and the status line use (each read again only
// when it changed, so a long paste is decoded once).
class FontKeeper {
  public:
    // Builds the first atlas. Warnings go to stderr.
    void start(App& app);
    // Rebuilds the atlas when needed; true when it did (the renderer must upload the font texture again).
    bool update(App& app);

  private:
    bool cover_text(App& app);   // true when the text brought new characters
    bool cover_lesson(App& app); // true when the lesson fonts must be rebuilt
    FontCoverage coverage_;
    LessonFontRequest lesson_;
    const void* covered_lesson_ = nullptr;
    std::uint64_t covered_revision_ = ~0ull;
    std::string covered_buffer_, covered_status_;
    float font_px_ = 0;
};

} // namespace attn

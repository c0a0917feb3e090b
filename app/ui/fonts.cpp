// load_fonts(): DejaVu Sans from fonts-dejavu-core with glyph ranges beyond Latin, at a given pixel size
// (content scale × the user's text size × presentation mode, see wanted_font_px in ui_state.hpp), and
// the other characters in use from WenQuanYi Micro Hei (fonts-wqy-microhei), merged into the same font.
#include "fonts.hpp"

#include "app/ui/frame.hpp"

#include <imgui.h>

#include <cstdio>
#include <fstream>
#include <utility>

namespace attn {

namespace {
constexpr const char* k_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* k_fallback_path = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
constexpr float k_base_size = 17.0f; // the pixel size at content scale 1 (wanted_font_px uses the same)

// Latin, Latin-1, Latin Extended-A/B, Greek, Cyrillic, phonetic extensions (the superscript ᵀ of Kᵀ),
// general punctuation (… — ·), super/subscripts, arrows (→), mathematical operators (√ ≈ ∑ ≤),
// geometric shapes (■ ●).
constexpr ImWchar k_ranges[] = {
    0x0020, 0x024F, 0x0370, 0x03FF, 0x0400, 0x04FF, 0x1D00, 0x1DBF, 0x2000, 0x206F,
    0x2070, 0x209F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0,
};
// Decodes one UTF-8 sequence at s[i], advancing i; malformed bytes give U+FFFD and advance by one.
unsigned next_code_point(std::string_view s, std::size_t& i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned c0 = b(i);
    const int len = c0 < 0x80 ? 1 : (c0 >> 5) == 0x6 ? 2 : (c0 >> 4) == 0xE ? 3 : (c0 >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
        ++i;
        return 0xFFFD;
    }
    unsigned c = len == 1 ? c0 : c0 & (0x7Fu >> len);
    for (int k = 1; k < len; ++k) {
        const unsigned ck = b(i + static_cast<std::size_t>(k));
        if ((ck & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        c = (c << 6) | (ck & 0x3F);
    }
    i += static_cast<std::size_t>(len);
    return c;
}

} // namespace

bool in_base_ranges(unsigned c) {
    for (std::size_t k = 0; k_ranges[k] != 0; k += 2)
        if (c >= k_ranges[k] && c <= k_ranges[k + 1]) return true;
    return false;
}

bool FontCoverage::add(std::string_view text) {
    bool added = false;
    for (std::size_t i = 0; i < text.size();) {
        if (static_cast<unsigned char>(text[i]) < 0x80) { // ASCII: always in the atlas
            ++i;
            continue;
        }
        const unsigned c = next_code_point(text, i);
        // ImGui here stores characters in 16 bits: the basic multilingual plane only (no emoji)
        if (c > 0xFFFF || c == 0xFFFD || in_base_ranges(c) || extra_.count(static_cast<ImWchar>(c))) continue;
        if (extra_.size() >= k_max_extra) {
            full_ = true;
            continue;
        }
        extra_.insert(static_cast<ImWchar>(c));
        added = true;
    }
    return added;
}

std::vector<ImWchar> FontCoverage::ranges() const {
    std::vector<ImWchar> r;
    for (const ImWchar c : extra_) {
        if (!r.empty() && r.back() + 1 == c)
            r.back() = c; // extends the last range
        else
            r.insert(r.end(), {c, c});
    }
    if (!r.empty()) r.push_back(0);
    return r;
}

std::string load_fonts(float font_px, const FontCoverage& extra) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const float px = font_px >= 6.0f ? font_px : k_base_size;
    if (!std::ifstream(k_font_path).good()) {
        ImFontConfig cfg;
        cfg.SizePixels = px * (13.0f / k_base_size);
        io.Fonts->AddFontDefault(&cfg);
        return std::string("font not found: ") + k_font_path +
               " (install fonts-dejavu-core); using the built-in font";
    }
    ImFontConfig cfg;
    cfg.OversampleH =
        px > 24.0f ? 1 : 2; // large presentation text needs no oversampling; keeps the atlas small
    io.Fonts->AddFontFromFileTTF(k_font_path, px, &cfg, k_ranges);
    if (extra.size() == 0) return {};
    if (!std::ifstream(k_fallback_path).good())
        return std::string("font not found: ") + k_fallback_path +
               " (install fonts-wqy-microhei); Chinese, Japanese and Korean text shows as ?";
    // ImGui reads the ranges when the atlas is built, after this function returns: keep them alive
    static std::vector<ImWchar> ranges;
    ranges = extra.ranges();
    ImFontConfig merge;
    merge.MergeMode = true;
    merge.OversampleH = 1; // ideographs are wide and dense: no horizontal oversampling needed
    io.Fonts->AddFontFromFileTTF(k_fallback_path, px, &merge, ranges.data());
    return {};
}

bool FontKeeper::cover_text(App& app) {
    bool more = false;
    if (covered_revision_ != app.state.revision) {
        for (const auto& t : app.state.tokens)
            more |= coverage_.add(t);
        covered_revision_ = app.state.revision;
    }
    for (auto [text, seen] :
         {std::pair{&app.ui.text_buffer, &covered_buffer_}, std::pair{&app.ui.status, &covered_status_}})
        if (*text != *seen) {
            more |= coverage_.add(*text);
            *seen = *text;
        }
    if (more && coverage_.full())
        app.ui.status =
            "The text uses more different characters than the font atlas holds; the rest show as ?";
    return more;
}

void FontKeeper::start(App& app) {
    cover_text(app);
    font_px_ = wanted_font_px(app.ui.comfort, app.ui.content_scale);
    if (auto warn = load_fonts(font_px_, coverage_); !warn.empty())
        std::fprintf(stderr, "attention-lab: %s\n", warn.c_str());
}

bool FontKeeper::update(App& app) {
    const bool new_chars = cover_text(app);
    const float want = wanted_font_px(app.ui.comfort, app.ui.content_scale);
    if (want == font_px_ && !new_chars) return false;
    font_px_ = want;
    if (auto warn = load_fonts(font_px_, coverage_); !warn.empty()) app.ui.status = warn;
    return true;
}

} // namespace attn

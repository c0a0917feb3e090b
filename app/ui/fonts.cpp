// load_fonts(): DejaVu Sans from fonts-dejavu-core with glyph ranges beyond Latin, at a given pixel size
// (content scale × the user's text size × presentation mode, see wanted_font_px in ui_state.hpp), and
// the other characters in use from WenQuanYi Micro Hei (fonts-wqy-microhei), merged into the same font.
#include "fonts.hpp"

#include "app/ui/frame.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <utility>

namespace attn {

namespace {
constexpr const char* k_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* k_bold_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
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

ImFont* lesson_font(LessonFont f) {
    const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    if (atlas->Fonts.Size < 4) return nullptr;
    return atlas->Fonts[1 + static_cast<int>(f)];
}

float lesson_font_px(float ui_px, bool presentation, float display_h, float font_scale) {
    float px = ui_px * 1.25f;
    if (presentation && display_h > 0) px = std::max(ui_px, 40.0f * display_h / 1080.0f * font_scale);
    return std::round(px);
}

namespace {
// The lesson fonts: body, bold, heading (a third larger), each with the fallback merged for the rest.
std::string add_lesson_fonts(const LessonFontRequest& r) {
    ImGuiIO& io = ImGui::GetIO();
    const char* paths[] = {k_font_path, k_bold_path, k_bold_path};
    const float sizes[] = {r.px, r.px, std::round(r.px * 1.3f)};
    std::string warn;
    for (int i = 0; i < 3; ++i) {
        const char* path = std::ifstream(paths[i]).good() ? paths[i] : k_font_path;
        ImFontConfig cfg;
        cfg.OversampleH = 1; // large text needs none, and the atlas stays small
        io.Fonts->AddFontFromFileTTF(path, sizes[i], &cfg, r.ranges.data());
        if (r.extra.size() > 1 && std::ifstream(k_fallback_path).good()) {
            ImFontConfig merge;
            merge.MergeMode = true;
            merge.OversampleH = 1;
            io.Fonts->AddFontFromFileTTF(k_fallback_path, sizes[i], &merge, r.extra.data());
        }
    }
    return warn;
}
} // namespace

std::string load_fonts(float font_px, const FontCoverage& extra, const LessonFontRequest& lesson) {
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
    std::string warn;
    if (extra.size() > 0 && !std::ifstream(k_fallback_path).good()) {
        warn = std::string("font not found: ") + k_fallback_path +
               " (install fonts-wqy-microhei); Chinese, Japanese and Korean text shows as ?";
    } else if (extra.size() > 0) {
        // ImGui reads the ranges when the atlas is built, after this function returns: keep them alive
        static std::vector<ImWchar> ranges;
        ranges = extra.ranges();
        ImFontConfig merge;
        merge.MergeMode = true;
        merge.OversampleH = 1; // ideographs are wide and dense: no horizontal oversampling needed
        io.Fonts->AddFontFromFileTTF(k_fallback_path, px, &merge, ranges.data());
    }
    if (lesson.px >= 6.0f && lesson.ranges.size() > 1) add_lesson_fonts(lesson);
    return warn;
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

// The characters a lesson's pane can show: ASCII, the pane's own marks, and every character of the lesson.
bool FontKeeper::cover_lesson(App& app) {
    const LessonUi& l = app.ui.lesson;
    const float ui_px = wanted_font_px(app.ui.comfort, app.ui.content_scale);
    const float want = l.lesson ? lesson_font_px(ui_px, app.ui.comfort.presentation,
                                                 ImGui::GetIO().DisplaySize.y, app.ui.comfort.font_scale)
                                : 0.0f;
    const void* lesson = l.lesson.get();
    if (lesson == covered_lesson_ && want == lesson_.px) return false;
    lesson_.px = want;
    if (lesson != covered_lesson_) {
        covered_lesson_ = lesson;
        std::set<unsigned> chars;
        const auto add = [&](std::string_view t) {
            for (std::size_t i = 0; i < t.size();) {
                const unsigned c = next_code_point(t, i);
                if (c >= 0x80 && c <= 0xFFFF && c != 0xFFFD) chars.insert(c);
            }
        };
        add("\xE2\x9C\x93\xE2\x80\xA2\xE2\x86\x92\xE2\x86\x90\xE2\x80\xA6\xE2\x80\x94\xE2\x80\x93\xC2\xB7\xC3"
            "\x97"); // ✓•→←…—–·×
        if (l.lesson) {
            add(l.lesson->title);
            for (const auto& p : l.lesson->pages) {
                add(p.title);
                for (const auto& b : p.blocks)
                    for (const auto& s : b.spans)
                        add(s.text);
                for (const auto& t : p.tasks) {
                    add(t.task);
                    add(t.hint);
                }
            }
        }
        lesson_.ranges = {0x0020, 0x007E};
        lesson_.extra.clear();
        for (const unsigned c : chars) {
            auto& r = in_base_ranges(c) ? lesson_.ranges : lesson_.extra;
            if (!r.empty() && r.back() + 1u == c)
                r.back() = static_cast<ImWchar>(c);
            else
                r.insert(r.end(), {static_cast<ImWchar>(c), static_cast<ImWchar>(c)});
        }
        lesson_.ranges.push_back(0);
        if (!lesson_.extra.empty()) lesson_.extra.push_back(0);
    }
    return true;
}

void FontKeeper::start(App& app) {
    cover_text(app);
    cover_lesson(app);
    font_px_ = wanted_font_px(app.ui.comfort, app.ui.content_scale);
    if (auto warn = load_fonts(font_px_, coverage_, lesson_); !warn.empty())
        std::fprintf(stderr, "attention-lab: %s\n", warn.c_str());
}

bool FontKeeper::update(App& app) {
    const bool new_chars = cover_text(app);
    const bool lesson_changed = cover_lesson(app);
    const float want = wanted_font_px(app.ui.comfort, app.ui.content_scale);
    if (want == font_px_ && !new_chars && !lesson_changed) return false;
    font_px_ = want;
    if (auto warn = load_fonts(font_px_, coverage_, lesson_); !warn.empty()) app.ui.status = warn;
    return true;
}

} // namespace attn

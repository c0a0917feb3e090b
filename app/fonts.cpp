// load_fonts(): DejaVu Sans from fonts-dejavu-core with glyph ranges beyond Latin, at a given pixel size
// (content scale × the user's text size × presentation mode, see wanted_font_px in ui_state.hpp).
#include "fonts.hpp"

#include <imgui.h>

#include <fstream>

namespace attn {

namespace {
constexpr const char* k_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr float k_base_size = 17.0f; // the pixel size at content scale 1 (wanted_font_px uses the same)

// Latin, Latin-1, Latin Extended-A/B, Greek, Cyrillic, phonetic extensions (the superscript ᵀ of Kᵀ),
// general punctuation (… — ·), super/subscripts, arrows (→), mathematical operators (√ ≈ ∑ ≤),
// geometric shapes (■ ●).
constexpr ImWchar k_ranges[] = {
    0x0020, 0x024F, 0x0370, 0x03FF, 0x0400, 0x04FF, 0x1D00, 0x1DBF, 0x2000, 0x206F,
    0x2070, 0x209F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0,
};
} // namespace

std::string load_fonts(float font_px) {
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
    return {};
}

} // namespace attn

// load_fonts(): DejaVu Sans from fonts-dejavu-core, glyph ranges beyond Latin, scaled for DPI.
#include "fonts.hpp"

#include <imgui.h>

#include <fstream>

namespace attn {

namespace {
constexpr const char* k_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr float k_base_size = 17.0f;

// Latin, Latin-1, Latin Extended-A/B, Greek, Cyrillic, general punctuation (… — ·), super/subscripts,
// arrows (→), mathematical operators (√ ≈ ∑ ≤), geometric shapes (■ ●).
constexpr ImWchar k_ranges[] = {
    0x0020, 0x024F, 0x0370, 0x03FF, 0x0400, 0x04FF, 0x2000, 0x206F, 0x2070, 0x209F,
    0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0,
};
} // namespace

std::string load_fonts(float content_scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const float scale = content_scale > 0.5f ? content_scale : 1.0f;
    if (!std::ifstream(k_font_path).good()) {
        ImFontConfig cfg;
        cfg.SizePixels = 13.0f * scale;
        io.Fonts->AddFontDefault(&cfg);
        return std::string("font not found: ") + k_font_path + " (install fonts-dejavu-core); using the built-in font";
    }
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    io.Fonts->AddFontFromFileTTF(k_font_path, k_base_size * scale, &cfg, k_ranges);
    ImGui::GetStyle().ScaleAllSizes(scale);
    return {};
}

} // namespace attn

// Colours the visual panels share: one colour per head (every view that colours heads) and a diverging
// blue–white–orange scale for signed numbers (vector entries, products).
#pragma once

#include "colormap.hpp"

#include <imgui.h>

#include <array>
#include <cmath>

namespace attn {

// One colour per head, the same in every view (Model diagram, Arc view, Heads grid, Step by step, legends).
// Sixteen colours chosen for this app by greedy farthest-point selection over an sRGB grid (steps of 1/15):
// start from orange, then repeatedly add the candidate whose smallest CIEDE2000 difference to the colours
// already taken is largest, where a difference counts as the smallest of what normal, deuteranope and
// protanope viewers see (Machado et al. 2009). Candidates keep CIELAB lightness 40..68 and chroma >= 30,
// so a colour reads as a colour and stands out on the dark and on the light theme. Greedy order means the
// first k colours are a well-separated set of k: a 4-head model differs by at least 25 (ΔE2000), 16 heads
// by at least 8.5 for every one of those viewers (tests/app/test_palette.cpp). Heads past 16 repeat the
// cycle; every view names the head in its label or tooltip.
inline constexpr int k_head_palette_size = 16;
inline constexpr std::array<Rgb, k_head_palette_size> k_head_palette = {{
    {0xdd / 255.0f, 0x77 / 255.0f, 0x00 / 255.0f}, // orange
    {0x77 / 255.0f, 0x11 / 255.0f, 0xff / 255.0f}, // violet
    {0x99 / 255.0f, 0x44 / 255.0f, 0x55 / 255.0f}, // plum
    {0x44 / 255.0f, 0xaa / 255.0f, 0xaa / 255.0f}, // teal
    {0x44 / 255.0f, 0x99 / 255.0f, 0xff / 255.0f}, // sky blue
    {0xaa / 255.0f, 0x44 / 255.0f, 0x00 / 255.0f}, // rust
    {0x22 / 255.0f, 0xbb / 255.0f, 0x88 / 255.0f}, // green
    {0xbb / 255.0f, 0x00 / 255.0f, 0x88 / 255.0f}, // magenta
    {0xcc / 255.0f, 0x55 / 255.0f, 0x55 / 255.0f}, // brick
    {0xcc / 255.0f, 0x55 / 255.0f, 0x88 / 255.0f}, // rose
    {0x66 / 255.0f, 0x77 / 255.0f, 0xbb / 255.0f}, // slate blue
    {0xee / 255.0f, 0x77 / 255.0f, 0x66 / 255.0f}, // salmon
    {0x33 / 255.0f, 0xaa / 255.0f, 0xcc / 255.0f}, // cyan
    {0x33 / 255.0f, 0x77 / 255.0f, 0x33 / 255.0f}, // forest
    {0xff / 255.0f, 0x66 / 255.0f, 0xaa / 255.0f}, // pink
    {0x22 / 255.0f, 0x66 / 255.0f, 0x99 / 255.0f}, // ocean
}};

inline Rgb head_rgb(int head) {
    return k_head_palette[static_cast<std::size_t>((head % k_head_palette_size + k_head_palette_size) %
                                                   k_head_palette_size)];
}

inline ImU32 head_color(int head, float alpha = 1.0f) {
    const Rgb c = head_rgb(head);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha));
}

// Text drawn on a chip filled with the head's colour: black or white, whichever contrasts more.
inline ImU32 ink_on_head(int head) {
    const Rgb c = head_rgb(head);
    const auto lin = [](float v) {
        return v <= 0.04045f ? v / 12.92f : std::pow((v + 0.055f) / 1.055f, 2.4f);
    };
    const float y = 0.2126f * lin(c.r) + 0.7152f * lin(c.g) + 0.0722f * lin(c.b);
    // contrast with black (y + 0.05) / 0.05 against with white 1.05 / (y + 0.05): equal at y ≈ 0.179
    return y > 0.179f ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
}

// Signed value t in [-1, 1]: negative blue, zero grey, positive orange.
inline ImU32 diverging_color(float t, float alpha = 1.0f) {
    const float x = std::isfinite(t) ? std::fmax(-1.0f, std::fmin(1.0f, t)) : 0.0f;
    const Rgb mid{0.55f, 0.55f, 0.58f}, neg{0.23f, 0.52f, 0.95f}, pos{0.98f, 0.58f, 0.18f};
    const Rgb e = x < 0 ? neg : pos;
    const float a = std::fabs(x);
    return ImGui::ColorConvertFloat4ToU32(
        ImVec4(mid.r + (e.r - mid.r) * a, mid.g + (e.g - mid.g) * a, mid.b + (e.b - mid.b) * a, alpha));
}

inline ImU32 viridis_u32(float t, float alpha = 1.0f) {
    const Rgb c = viridis(t);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha));
}

} // namespace attn

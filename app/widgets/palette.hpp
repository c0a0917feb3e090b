// Colours the visual panels share: one hue per head (arcs, grid borders, playground) and a diverging
// blue–white–orange scale for signed numbers (vector entries, products).
#pragma once

#include "colormap.hpp"

#include <imgui.h>

#include <array>
#include <cmath>

namespace attn {

// Twelve well-separated hues; heads beyond twelve reuse them (the tooltip names the head).
inline ImU32 head_color(int head, float alpha = 1.0f) {
    static constexpr std::array<Rgb, 12> k_heads = {{
        {0.96f, 0.42f, 0.36f},
        {0.30f, 0.66f, 0.98f},
        {0.45f, 0.82f, 0.38f},
        {0.98f, 0.74f, 0.22f},
        {0.75f, 0.48f, 0.95f},
        {0.24f, 0.84f, 0.80f},
        {0.98f, 0.50f, 0.78f},
        {0.70f, 0.70f, 0.40f},
        {0.55f, 0.58f, 1.00f},
        {0.98f, 0.60f, 0.40f},
        {0.50f, 0.90f, 0.60f},
        {0.85f, 0.85f, 0.85f},
    }};
    const Rgb c = k_heads[static_cast<std::size_t>((head % 12 + 12) % 12)];
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha));
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

// The viridis colormap as 11 stops (t = 0, 0.1, ..., 1), shared by the GLSL heatmap shader (as uniforms)
// and by CPU drawing (arcs, bars), so every view uses one colour scale.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>

namespace attn {

struct Rgb {
    float r, g, b;
};

inline constexpr std::array<Rgb, 11> k_viridis = {{
    {0.267f, 0.005f, 0.329f},
    {0.283f, 0.141f, 0.458f},
    {0.254f, 0.265f, 0.530f},
    {0.207f, 0.372f, 0.553f},
    {0.164f, 0.471f, 0.558f},
    {0.128f, 0.567f, 0.551f},
    {0.135f, 0.659f, 0.518f},
    {0.267f, 0.749f, 0.441f},
    {0.478f, 0.821f, 0.318f},
    {0.741f, 0.873f, 0.150f},
    {0.993f, 0.906f, 0.144f},
}};

inline Rgb viridis(float t) {
    const float x = std::clamp(std::isfinite(t) ? t : 0.0f, 0.0f, 1.0f) * 10.0f;
    const int i = std::min(static_cast<int>(x), 9);
    const float f = x - static_cast<float>(i);
    const Rgb a = k_viridis[static_cast<std::size_t>(i)], b = k_viridis[static_cast<std::size_t>(i + 1)];
    return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f};
}

} // namespace attn

// Colour arithmetic for checking palettes: sRGB to CIELAB (D65), the CIEDE2000 colour difference
// (Sharma, Wu & Dalal 2005), and dichromat vision simulated by Machado, Oliveira & Fernandes (2009) at
// full severity (a 3 × 3 matrix on linear RGB). No ImGui: tests use it without a window.
#pragma once

#include "colormap.hpp"

namespace attn::color {

struct Lab {
    double l = 0, a = 0, b = 0;
};

double srgb_to_linear(double c);                // the sRGB transfer curve, inverted
Lab lab_of(const Rgb& srgb);                    // sRGB (0..1) to CIELAB, D65 white
double delta_e76(const Lab& x, const Lab& y);   // Euclidean distance in Lab
double delta_e2000(const Lab& x, const Lab& y); // CIEDE2000, kL = kC = kH = 1

enum class Vision { Normal, Deuteranopia, Protanopia };
// How a viewer with that vision sees the colour, as the CIELAB of the simulated colour.
Lab seen_as(const Rgb& srgb, Vision v);

} // namespace attn::color

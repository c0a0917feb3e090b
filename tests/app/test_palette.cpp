// The head palette: every pair of head colours differs by a minimum CIEDE2000 distance for normal,
// deuteranope and protanope viewers, and the colour arithmetic behind that check against published values.
#include "app/widgets/color_science.hpp"
#include "app/widgets/palette.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace attn;
using namespace attn::color;

TEST_CASE("CIEDE2000 reproduces Sharma, Wu & Dalal's test pairs") {
    // pairs 1, 2, 7 and 17 of their table 1
    CHECK(delta_e2000({50, 2.6772, -79.7751}, {50, 0, -82.7485}) == doctest::Approx(2.0425).epsilon(1e-4));
    CHECK(delta_e2000({50, 3.1571, -77.2803}, {50, 0, -82.7485}) == doctest::Approx(2.8615).epsilon(1e-4));
    CHECK(delta_e2000({50, 0, 0}, {50, -1, 2}) == doctest::Approx(2.3669).epsilon(1e-4));
    CHECK(delta_e2000({50, 2.5, 0}, {73, 25, -18}) == doctest::Approx(27.1492).epsilon(1e-4));
    CHECK(delta_e2000({60, 10, -20}, {60, 10, -20}) == doctest::Approx(0.0));
    // CIE76 is plain distance
    CHECK(delta_e76({50, 0, 0}, {53, 4, 0}) == doctest::Approx(5.0));
}

TEST_CASE("sRGB to Lab and the dichromat simulation behave as published") {
    const Lab white = lab_of({1, 1, 1}), black = lab_of({0, 0, 0});
    CHECK(white.l == doctest::Approx(100.0).epsilon(1e-3));
    CHECK(std::fabs(white.a) < 0.01);
    CHECK(black.l == doctest::Approx(0.0));
    const Lab red = lab_of({1, 0, 0}); // the sRGB primary: L 53.24, a 80.09, b 67.20
    CHECK(red.l == doctest::Approx(53.24).epsilon(1e-3));
    CHECK(red.a == doctest::Approx(80.09).epsilon(1e-3));
    // greys look the same to everyone
    for (const Vision v : {Vision::Deuteranopia, Vision::Protanopia}) {
        const Lab g = seen_as({0.5f, 0.5f, 0.5f}, v), n = lab_of({0.5f, 0.5f, 0.5f});
        CHECK(delta_e2000(g, n) < 1.0);
    }
    // a red and a green that differ plainly for most viewers nearly merge for a deuteranope
    const Rgb r{0.80f, 0.40f, 0.20f}, gr{0.50f, 0.55f, 0.10f};
    const double normal = delta_e2000(lab_of(r), lab_of(gr));
    const double deutan = delta_e2000(seen_as(r, Vision::Deuteranopia), seen_as(gr, Vision::Deuteranopia));
    CHECK(normal > 20.0);
    CHECK(deutan < normal / 2.0);
}

TEST_CASE("head colours stay apart for up to 16 heads, for normal and colour-blind vision") {
    // the smallest CIEDE2000 difference among the first k head colours, as a viewer with vision v sees them
    const auto min_diff = [](int k, Vision v) {
        double m = 1e9;
        for (int i = 0; i < k; ++i)
            for (int j = i + 1; j < k; ++j)
                m = std::min(m, delta_e2000(seen_as(head_rgb(i), v), seen_as(head_rgb(j), v)));
        return m;
    };
    for (const Vision v : {Vision::Normal, Vision::Deuteranopia, Vision::Protanopia}) {
        CAPTURE(static_cast<int>(v));
        CHECK(min_diff(4, v) >= 25.0); // a typical classroom model: clearly different colours
        CHECK(min_diff(8, v) >= 14.0);
        CHECK(min_diff(16, v) >= 8.5); // still told apart side by side
    }
    // each colour is a colour (not a grey) of middle lightness, visible on dark and light backgrounds
    for (int h = 0; h < k_head_palette_size; ++h) {
        CAPTURE(h);
        const Lab c = lab_of(head_rgb(h));
        CHECK(c.l >= 40.0);
        CHECK(c.l <= 68.0);
        CHECK(std::hypot(c.a, c.b) >= 30.0);
    }
    // heads past the palette repeat it; negative indices do not read outside it
    CHECK(head_color(16) == head_color(0));
    CHECK(head_color(-1) == head_color(15));
    // the ink on a head chip contrasts with it
    for (int h = 0; h < k_head_palette_size; ++h) {
        const Rgb c = head_rgb(h);
        const double y =
            0.2126 * srgb_to_linear(c.r) + 0.7152 * srgb_to_linear(c.g) + 0.0722 * srgb_to_linear(c.b);
        const double ink_y = ink_on_head(h) == IM_COL32(0, 0, 0, 255) ? 0.0 : 1.0;
        CHECK((std::max(y, ink_y) + 0.05) / (std::min(y, ink_y) + 0.05) >= 4.5);
    }
}

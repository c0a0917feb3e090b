// The formulas of color_science.hpp. CIEDE2000 follows the steps of Sharma, Wu & Dalal (2005), eq. 1-22.
#include "color_science.hpp"

#include <algorithm>
#include <cmath>

namespace attn::color {

namespace {

constexpr double k_pi = 3.14159265358979323846;

double rad(double deg) {
    return deg * k_pi / 180.0;
}

double deg(double r) {
    return r * 180.0 / k_pi;
}

// linear RGB (0..1) to CIELAB, D65 white point
Lab lab_of_linear(double r, double g, double b) {
    const double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
    const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    const double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
    const auto f = [](double t) {
        constexpr double e = 6.0 / 29.0;
        return t > e * e * e ? std::cbrt(t) : t / (3.0 * e * e) + 4.0 / 29.0;
    };
    const double fx = f(x), fy = f(y), fz = f(z);
    return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

} // namespace

double srgb_to_linear(double c) {
    const double s = std::clamp(c, 0.0, 1.0);
    return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
}

Lab lab_of(const Rgb& c) {
    return lab_of_linear(srgb_to_linear(c.r), srgb_to_linear(c.g), srgb_to_linear(c.b));
}

double delta_e76(const Lab& x, const Lab& y) {
    return std::sqrt((x.l - y.l) * (x.l - y.l) + (x.a - y.a) * (x.a - y.a) + (x.b - y.b) * (x.b - y.b));
}

double delta_e2000(const Lab& x, const Lab& y) {
    const double c1 = std::hypot(x.a, x.b), c2 = std::hypot(y.a, y.b);
    const double c_mean7 = std::pow((c1 + c2) / 2.0, 7.0);
    const double g = 0.5 * (1.0 - std::sqrt(c_mean7 / (c_mean7 + std::pow(25.0, 7.0))));
    const double a1 = (1.0 + g) * x.a, a2 = (1.0 + g) * y.a; // a' = (1 + G) a
    const double cp1 = std::hypot(a1, x.b), cp2 = std::hypot(a2, y.b);
    const auto hue = [](double b, double a) {
        if (a == 0 && b == 0) return 0.0;
        const double h = deg(std::atan2(b, a));
        return h < 0 ? h + 360.0 : h;
    };
    const double h1 = hue(x.b, a1), h2 = hue(y.b, a2);
    const bool achromatic = cp1 * cp2 == 0;
    double dh = h2 - h1;
    if (achromatic)
        dh = 0;
    else if (dh > 180)
        dh -= 360;
    else if (dh < -180)
        dh += 360;
    const double d_l = y.l - x.l, d_c = cp2 - cp1;
    const double d_h = 2.0 * std::sqrt(cp1 * cp2) * std::sin(rad(dh / 2.0)); // ΔH'
    const double l_mean = (x.l + y.l) / 2.0, cp_mean = (cp1 + cp2) / 2.0;
    double h_mean = h1 + h2;
    if (!achromatic) {
        if (std::fabs(h1 - h2) <= 180)
            h_mean /= 2.0;
        else
            h_mean = h_mean < 360 ? (h_mean + 360) / 2.0 : (h_mean - 360) / 2.0;
    }
    const double t = 1.0 - 0.17 * std::cos(rad(h_mean - 30)) + 0.24 * std::cos(rad(2 * h_mean)) +
                     0.32 * std::cos(rad(3 * h_mean + 6)) - 0.20 * std::cos(rad(4 * h_mean - 63));
    const double d_theta = 30.0 * std::exp(-std::pow((h_mean - 275.0) / 25.0, 2.0));
    const double cp_mean7 = std::pow(cp_mean, 7.0);
    const double r_c = 2.0 * std::sqrt(cp_mean7 / (cp_mean7 + std::pow(25.0, 7.0)));
    const double s_l =
        1.0 + 0.015 * (l_mean - 50) * (l_mean - 50) / std::sqrt(20 + (l_mean - 50) * (l_mean - 50));
    const double s_c = 1.0 + 0.045 * cp_mean, s_h = 1.0 + 0.015 * cp_mean * t;
    const double r_t = -std::sin(rad(2.0 * d_theta)) * r_c;
    const double tl = d_l / s_l, tc = d_c / s_c, th = d_h / s_h;
    return std::sqrt(tl * tl + tc * tc + th * th + r_t * tc * th);
}

Lab seen_as(const Rgb& c, Vision v) {
    const double r = srgb_to_linear(c.r), g = srgb_to_linear(c.g), b = srgb_to_linear(c.b);
    // Machado et al. 2009, severity 1.0, rows give the simulated linear r, g, b
    static constexpr double k_deutan[3][3] = {
        {0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}};
    static constexpr double k_protan[3][3] = {
        {0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}};
    if (v == Vision::Normal) return lab_of_linear(r, g, b);
    const auto& m = v == Vision::Deuteranopia ? k_deutan : k_protan;
    const auto row = [&](int i) { return std::clamp(m[i][0] * r + m[i][1] * g + m[i][2] * b, 0.0, 1.0); };
    return lab_of_linear(row(0), row(1), row(2));
}

} // namespace attn::color

// Axis mapping, ticks, number formatting and the power-law fit of plot_math.hpp.
#include "plot_math.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace attn::plot {

namespace {

double safe_log(double v) {
    return v > 0 ? std::log10(v) : -1e300;
}

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

// "1.5", "12", "512": up to 3 significant digits, no trailing zeros.
std::string short_number(double v) {
    const double a = std::fabs(v);
    std::string s = a >= 100 || a == std::floor(a) ? fmt("%.0f", v)
                    : a >= 10                      ? fmt("%.1f", v)
                                                   : fmt("%.2f", v);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0')
            s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s;
}

std::string with_prefix(double v, double base, const char* const* prefixes, int n_prefixes, const char* sep) {
    int i = 0;
    double a = std::fabs(v);
    while (a >= base && i + 1 < n_prefixes) {
        a /= base;
        v /= base;
        ++i;
    }
    return short_number(v) + sep + prefixes[i];
}

} // namespace

double to_unit(const Axis& a, double v) {
    if (a.scale == Scale::Log) {
        const double l0 = safe_log(a.lo), l1 = safe_log(a.hi);
        return l1 == l0 ? 0.5 : (safe_log(v) - l0) / (l1 - l0);
    }
    return a.hi == a.lo ? 0.5 : (v - a.lo) / (a.hi - a.lo);
}

double from_unit(const Axis& a, double t) {
    if (a.scale == Scale::Log) {
        const double l0 = safe_log(a.lo), l1 = safe_log(a.hi);
        return std::pow(10.0, l0 + t * (l1 - l0));
    }
    return a.lo + t * (a.hi - a.lo);
}

std::vector<Tick> choose_ticks(const Axis& a, int max_ticks) {
    std::vector<Tick> out;
    const double lo = std::min(a.lo, a.hi), hi = std::max(a.lo, a.hi);
    max_ticks = std::max(2, max_ticks);
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return out;
    if (a.scale == Scale::Log) {
        if (lo <= 0) return out;
        const bool base2 = a.units == Units::Tokens || a.units == Units::Bytes;
        const double base = base2 ? 2.0 : 10.0;
        const double e0 = std::ceil(std::log(lo) / std::log(base) - 1e-9);
        const double e1 = std::floor(std::log(hi) / std::log(base) + 1e-9);
        const double count = e1 - e0 + 1;
        if (count < 1) return out;
        // stride in exponents: bytes prefer whole KiB/MiB/GiB steps once they must thin out
        static const int strides2[] = {1, 2, 5, 10, 20, 30};
        static const int strides10[] = {1, 2, 3, 5, 10, 20, 50};
        int stride = 1;
        const int* list = base2 ? strides2 : strides10;
        const int n_list = base2 ? 6 : 7;
        for (int i = 0; i < n_list; ++i) {
            stride = list[i];
            if (std::ceil(count / stride) <= max_ticks) break;
        }
        // start on a multiple of the stride so ticks land on 1k, 1M, ... and not on odd powers
        double e = std::ceil(e0 / stride) * stride;
        for (; e <= e1 + 1e-9; e += stride) {
            const double v = std::pow(base, e);
            out.push_back({v, format_value(v, a.units)});
        }
        return out;
    }
    const double raw = (hi - lo) / (max_ticks - 1);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * mag;
        if (step >= raw * (1 - 1e-9)) break;
    }
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
        const double clean = std::fabs(v) < step * 1e-9 ? 0.0 : v;
        out.push_back({clean, format_value(clean, a.units)});
    }
    return out;
}

std::string format_value(double v, Units u) {
    if (!std::isfinite(v)) return v != v ? "n/a" : (v > 0 ? "inf" : "-inf");
    switch (u) {
    case Units::Tokens: {
        static const char* const p[] = {"", "k", "M", "G"};
        return with_prefix(v, 1024.0, p, 4, "");
    }
    case Units::Bytes: {
        static const char* const p[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        return with_prefix(v, 1024.0, p, 6, " ");
    }
    case Units::Flops:
    case Units::Plain: {
        static const char* const p[] = {"", "k", "M", "G", "T", "P", "E"};
        if (std::fabs(v) < 1 && v != 0) return short_number(v);
        return with_prefix(v, 1000.0, p, 7, "");
    }
    case Units::Seconds: {
        const double a = std::fabs(v);
        if (a == 0) return "0 s";
        if (a < 1e-6) return short_number(v * 1e9) + " ns";
        if (a < 1e-3) return short_number(v * 1e6) + " µs";
        if (a < 1) return short_number(v * 1e3) + " ms";
        return short_number(v) + " s";
    }
    }
    return short_number(v);
}

std::string format_grouped(unsigned long long v, const char* separator) {
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
        out += digits[i];
    }
    return out;
}

PowerFit fit_power_law(const std::vector<double>& xs, const std::vector<double>& ys) {
    PowerFit f;
    const std::size_t n = std::min(xs.size(), ys.size());
    std::vector<double> lx, ly; // log x, log y of the usable points
    for (std::size_t i = 0; i < n; ++i) {
        if (!(xs[i] > 0) || !(ys[i] > 0) || !std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
        lx.push_back(std::log(xs[i]));
        ly.push_back(std::log(ys[i]));
    }
    const int m = static_cast<int>(lx.size());
    f.points = m;
    if (m < 2) return f;
    // two passes (means, then centred sums) so equal x give a variance of exactly 0
    double mx = 0, my = 0;
    for (int i = 0; i < m; ++i)
        mx += lx[i], my += ly[i];
    mx /= m, my /= m;
    double vxx = 0, vxy = 0, vyy = 0;
    for (int i = 0; i < m; ++i) {
        const double dx = lx[i] - mx, dy = ly[i] - my;
        vxx += dx * dx, vxy += dx * dy, vyy += dy * dy;
    }
    if (!(vxx > 0)) return f;
    // slope k = Σ dx·dy / Σ dx², intercept log c = mean(ly) - k · mean(lx)
    f.ok = true;
    f.exponent = vxy / vxx;
    f.coefficient = std::exp(my - f.exponent * mx);
    f.r2 = vyy > 0 ? (vxy * vxy) / (vxx * vyy) : 1.0;
    return f;
}

bool curves_coincide(const std::vector<double>& a, const std::vector<double>& b, double rel_tol) {
    if (a.empty() || a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double scale = std::max(std::fabs(a[i]), std::fabs(b[i]));
        if (!(std::fabs(a[i] - b[i]) <= rel_tol * scale)) return false;
    }
    return true;
}

double round_up_125(double x) {
    const double target = std::max(1.0, 1.25 * x);
    const double p = std::pow(10.0, std::floor(std::log10(target)));
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= target * (1.0 - 1e-12)) return m * p;
    return 10.0 * p;
}

} // namespace attn::plot

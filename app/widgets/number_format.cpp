// Human-readable number formatting (see number_format.hpp).
#include "number_format.hpp"

#include <cmath>
#include <cstdio>

namespace attn {

namespace {
std::string printf_str(const char* fmt, double v, const char* unit) {
    char buf[48];
    std::snprintf(buf, sizeof buf, fmt, v, unit);
    return buf;
}
// 3 significant digits: 1.23, 12.3, 123
const char* sig3(double v) {
    return v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s";
}
} // namespace

std::string format_ms(double ms) {
    if (!(ms >= 0) || !std::isfinite(ms)) return "?";
    if (ms < 1.0) return printf_str("%.0f %s", ms * 1000.0, "µs");
    if (ms < 1000.0) return printf_str(sig3(ms), ms, "ms");
    if (ms < 120e3) return printf_str(sig3(ms / 1000.0), ms / 1000.0, "s");
    if (ms < 7200e3) return printf_str("%.0f %s", ms / 60e3, "min");
    return printf_str("%.1f %s", ms / 3600e3, "h");
}

std::string format_whole_percent(double f) {
    if (!std::isfinite(f)) return "overflow";
    return printf_str("%.0f%s", f * 100.0, "%");
}

std::string format_percent(double f) {
    if (!std::isfinite(f)) return "overflow";
    const double p = f * 100.0;
    if (p != 0 && std::fabs(p) < 0.1) return printf_str("%.2g %s", p, "%");
    return printf_str("%.1f %s", p, "%");
}

} // namespace attn

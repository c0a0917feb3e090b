// format_bytes (see units.hpp).
#include "units.hpp"

#include <cmath>
#include <cstdio>

namespace attn {

std::string format_bytes(double bytes) {
    if (!(bytes >= 0) || !std::isfinite(bytes)) return "?";
    char buf[48];
    if (bytes < 1024) {
        std::snprintf(buf, sizeof buf, "%.0f B", bytes);
        return buf;
    }
    static const char* const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes / 1024.0;
    int u = 0;
    while (v >= 1024.0 && u < 4)
        v /= 1024.0, ++u;
    std::snprintf(buf, sizeof buf, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

} // namespace attn

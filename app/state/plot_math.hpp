// The pure half of the plot widget, testable without a window: axis mapping (linear and log), tick choice
// with readable labels (1k, 4k, 1M, 512 MiB, 3 ms), number formatting, and a least-squares power-law fit
// y = c · x^k found as the straight line log y = log c + k · log x.
#pragma once

#include <string>
#include <vector>

namespace attn::plot {

enum class Scale { Linear, Log };
// What the numbers are, which decides how they read: tokens count in powers of two (1k = 1024),
// bytes in KiB/MiB/GiB, FLOPs in SI prefixes, seconds in ns/µs/ms/s.
enum class Units { Plain, Tokens, Bytes, Flops, Seconds };

struct Axis {
    double lo = 1, hi = 10;
    Scale scale = Scale::Linear;
    Units units = Units::Plain;
};

// Position of v along the axis as a fraction: lo -> 0, hi -> 1 (log axes: of log v). Values <= 0 on a log
// axis map to -infinity's stand-in, a large negative number, so they fall off the plot.
double to_unit(const Axis& a, double v);
// The inverse of to_unit.
double from_unit(const Axis& a, double t);

struct Tick {
    double value = 0;
    std::string label;
};
// At most max_ticks ticks inside [lo, hi], at round values for the units: 1-2-5 steps on linear axes;
// on log axes powers of ten (Plain, Flops, Seconds) or of two (Tokens, Bytes), thinned to fit.
std::vector<Tick> choose_ticks(const Axis& a, int max_ticks);

// Short readable label: Tokens 4096 -> "4k", 131072 -> "128k"; Bytes 536870912 -> "512 MiB";
// Flops 2.5e12 -> "2.5T"; Seconds 0.0032 -> "3.2 ms"; Plain 1500000 -> "1.5M".
std::string format_value(double v, Units u);
// Integer with thousands separators: 2147483648 -> "2,147,483,648"; with separator "." (German, the
// catalogue's C_("digit grouping", ",")) -> "2.147.483.648".
std::string format_grouped(unsigned long long v, const char* separator = ",");

// Power-law fit through the points with x > 0 and y > 0 (others ignored).
struct PowerFit {
    bool ok = false;        // false with fewer than two usable points or all x equal
    double exponent = 0;    // k
    double coefficient = 0; // c
    double r2 = 0;          // coefficient of determination in log-log space
    int points = 0;         // how many points were used
};
PowerFit fit_power_law(const std::vector<double>& xs, const std::vector<double>& ys);

// Two curves sampled at the same xs coincide when every pair of points differs by at most `rel_tol` of the
// larger (a reader sees one line where there are two). Empty or differently sized curves never coincide.
bool curves_coincide(const std::vector<double>& a, const std::vector<double>& b, double rel_tol = 0.01);

// The right end of a linear axis that shows `x` comfortably: the next 1-2-5 round value at or above
// 1.25 · x (e.g. 100 -> 200, 700 -> 1000). For linear plots a school class can read without logarithms.
double round_up_125(double x);

} // namespace attn::plot

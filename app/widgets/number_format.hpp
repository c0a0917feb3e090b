// Numbers formatted for reading: 1.5 KiB, 3.2 ms, 12.5 %.
#pragma once

#include "core/units.hpp" // format_bytes

#include <string>

namespace attn {

std::string format_ms(double ms);            // "850 µs", "3.2 ms", "1.25 s", "117 min", "6.4 h"
std::string format_percent(double fraction); // 0.1234 -> "12.3 %", tiny values keep 2 significant digits
std::string format_whole_percent(double fraction); // 0.1234 -> "12%"
// both give "overflow" for a non-finite fraction (a NaN weight from a computation that overflowed)

} // namespace attn

// Numbers formatted for reading: 1.5 KiB, 3.2 ms, 12.5 %, 1 234 567 (thin spaces between thousands).
#pragma once

#include <cstdint>
#include <string>

namespace attn {

std::string format_bytes(double bytes);      // B, KiB, MiB, GiB with 3 significant digits
std::string format_ms(double ms);            // "850 µs", "3.2 ms", "1.25 s"
std::string format_percent(double fraction); // 0.1234 -> "12.3 %", tiny values keep 2 significant digits
std::string format_whole_percent(double fraction); // 0.1234 -> "12%"
// both give "overflow" for a non-finite fraction (a NaN weight from a computation that overflowed)
std::string format_count(std::uint64_t n); // 1234567 -> "1 234 567" (thin spaces)

} // namespace attn

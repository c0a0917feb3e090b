// Byte counts as people read them: the one formatter for sizes in the app, the tools and the bench.
#pragma once

#include <string>

namespace attn {

// 3 significant digits in binary units: "512 B", "1.50 KiB", "64.0 MiB", "2.00 GiB"; "?" when not finite
// or negative.
std::string format_bytes(double bytes);

} // namespace attn

// Loads DejaVu Sans (with Greek, arrows and math operators) at the monitor's content scale.
#pragma once

#include <string>

namespace attn {

// Returns an empty string on success, otherwise a warning (the built-in font is used instead).
std::string load_fonts(float content_scale);

} // namespace attn

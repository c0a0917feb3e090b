// Loads DejaVu Sans (with Greek, arrows and math operators) into ImGui's font atlas at a pixel size.
// The caller rebuilds the atlas (and its GL texture) when the wanted size changes.
#pragma once

#include <string>

namespace attn {

// Returns an empty string on success, otherwise a warning (the built-in font is used instead).
std::string load_fonts(float font_px);

} // namespace attn

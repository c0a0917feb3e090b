// Reads the current framebuffer and writes it as a PNG (rows flipped: OpenGL reads bottom-up).
#pragma once

#include <string>

namespace attn::gfx {

bool write_framebuffer_png(const std::string& path, int width, int height, std::string* error);

} // namespace attn::gfx

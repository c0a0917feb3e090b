// Reads the current framebuffer and writes it as a PNG (rows flipped: OpenGL reads bottom-up).
#pragma once

#include <string>

namespace attn::gfx {

bool write_framebuffer_png(const std::string& path, int width, int height, std::string* error);
// The same for the rectangle (x, y, w, h) given in top-down window pixels, clipped to the framebuffer.
bool write_framebuffer_png_region(const std::string& path, int fb_width, int fb_height, int x, int y, int w,
                                  int h, std::string* error);

} // namespace attn::gfx

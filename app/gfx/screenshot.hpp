// Reads the current framebuffer and writes it as a PNG (rows flipped: OpenGL reads bottom-up).
#pragma once

#include <string>

namespace attn {
struct UiState;
}

namespace attn::gfx {

bool write_framebuffer_png(const std::string& path, int width, int height, std::string* error);
// The same for the rectangle (x, y, w, h) given in top-down window pixels, clipped to the framebuffer.
bool write_framebuffer_png_region(const std::string& path, int fb_width, int fb_height, int x, int y, int w,
                                  int h, std::string* error);

// File > Export view as PNG: once its wait is over, writes the pending request of ui.comfort.png (the whole
// window or the named region; `scale` is framebuffer pixels per window pixel) and reports in ui.status.
void fulfil_png_request(UiState& ui, int fb_width, int fb_height, float scale_x, float scale_y);

} // namespace attn::gfx

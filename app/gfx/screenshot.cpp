// write_framebuffer_png(): glReadPixels of the back buffer, flipped, through stb_image_write.
#include "screenshot.hpp"

#include "app/io/safe_write.hpp"
#include "app/ui/ui_state.hpp"

#include <glad/gl.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace attn::gfx {

namespace {

// Encodes in memory, then saves through safe_write_file (a full disk keeps the old picture).
bool save_png(const std::string& path, int w, int h, const unsigned char* px, int stride,
              std::string* error) {
    std::string bytes;
    const auto append = [](void* ctx, void* data, int size) {
        static_cast<std::string*>(ctx)->append(static_cast<const char*>(data),
                                               static_cast<std::size_t>(size));
    };
    if (!stbi_write_png_to_func(append, &bytes, w, h, 4, px, stride)) {
        *error = "cannot write " + path + ": the PNG could not be encoded";
        return false;
    }
    *error = safe_write_file(path, bytes);
    return error->empty();
}

} // namespace

bool write_framebuffer_png(const std::string& path, int width, int height, std::string* error) {
    std::vector<unsigned char> px(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    const std::size_t stride = static_cast<std::size_t>(width) * 4;
    std::vector<unsigned char> row(stride);
    for (int y = 0; y < height / 2; ++y) {
        unsigned char* a = px.data() + static_cast<std::size_t>(y) * stride;
        unsigned char* b = px.data() + static_cast<std::size_t>(height - 1 - y) * stride;
        std::memcpy(row.data(), a, stride);
        std::memcpy(a, b, stride);
        std::memcpy(b, row.data(), stride);
    }
    for (std::size_t i = 3; i < px.size(); i += 4)
        px[i] = 255; // the window is opaque
    return save_png(path, width, height, px.data(), static_cast<int>(stride), error);
}

} // namespace attn::gfx

namespace attn::gfx {

bool write_framebuffer_png_region(const std::string& path, int fb_width, int fb_height, int x, int y, int w,
                                  int h, std::string* error) {
    const int x0 = std::max(0, x), y0 = std::max(0, y);
    const int x1 = std::min(fb_width, x + w), y1 = std::min(fb_height, y + h);
    if (x1 - x0 < 1 || y1 - y0 < 1) {
        *error = "the region to export is outside the window";
        return false;
    }
    const int rw = x1 - x0, rh = y1 - y0;
    std::vector<unsigned char> px(static_cast<std::size_t>(rw) * static_cast<std::size_t>(rh) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(x0, fb_height - y1, rw, rh, GL_RGBA, GL_UNSIGNED_BYTE,
                 px.data()); // GL rows start at the bottom
    const std::size_t stride = static_cast<std::size_t>(rw) * 4;
    std::vector<unsigned char> flipped(px.size());
    for (int r = 0; r < rh; ++r)
        std::memcpy(flipped.data() + static_cast<std::size_t>(r) * stride,
                    px.data() + static_cast<std::size_t>(rh - 1 - r) * stride, stride);
    for (std::size_t i = 3; i < flipped.size(); i += 4)
        flipped[i] = 255;
    return save_png(path, rw, rh, flipped.data(), static_cast<int>(stride), error);
}

void fulfil_png_request(UiState& ui, int fb_w, int fb_h, float sx, float sy) {
    PngRequest& png = ui.comfort.png;
    if (!png.pending || png.wait_frames > 0) return;
    png.pending = false;
    std::string err;
    const auto r = ui.regions.find(png.region);
    const bool ok = png.region.empty() || r == ui.regions.end()
                        ? write_framebuffer_png(png.path, fb_w, fb_h, &err)
                        : write_framebuffer_png_region(
                              png.path, fb_w, fb_h, static_cast<int>(r->second.x * sx),
                              static_cast<int>(r->second.y * sy), static_cast<int>(r->second.w * sx),
                              static_cast<int>(r->second.h * sy), &err);
    ui.status = ok ? "Wrote " + png.path : err;
}

} // namespace attn::gfx

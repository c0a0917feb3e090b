// Helpers for drawings kept as textures (HeatmapTextureSource::canvas): a content key built from the
// values a picture depends on, and the set-up of the standalone draw list the picture is drawn into.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace attn {

// FNV-1a over the bytes of the values added: equal inputs give equal keys.
class ContentKey {
  public:
    ContentKey& bytes(const void* p, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        for (std::size_t i = 0; i < n; ++i)
            h_ = (h_ ^ b[i]) * 1099511628211ull;
        return *this;
    }
    template <class T> ContentKey& add(const T& v) { return bytes(&v, sizeof(T)); }
    ContentKey& add(std::string_view s) { return add(s.size()).bytes(s.data(), s.size()); }
    std::uint64_t value() const { return h_; }

  private:
    std::uint64_t h_ = 1469598103934665603ull;
};

// Prepares `geo` (made with ImGui::GetDrawListSharedData()) for a picture of `size` in its own
// coordinates: antialiased like ImGui's windows, clipped to the picture, with the font atlas bound.
void begin_canvas(ImDrawList& geo, ImVec2 size);

// The framebuffer pixels per unit the canvas should be rendered at (sharp on high-DPI screens).
float canvas_pixel_scale();

// Draws a canvas texture at `min` (the render target's rows are bottom-up, so V is flipped).
void show_canvas(ImDrawList* dl, ImTextureID tex, ImVec2 min, ImVec2 size);

} // namespace attn

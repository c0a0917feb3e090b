// The GPU heatmap: values go into an R32F texture, a colormap shader renders them once into a colour
// texture, and ImGui draws that texture as one quad. Re-rendered only when the caller's content key changes.
// Canvases: ImGui geometry rendered once into a texture with ImGui's own OpenGL backend.
#pragma once

#include "app/widgets/heatmap.hpp"

#include <string>
#include <unordered_map>

namespace attn::gfx {

class HeatmapRenderer final : public HeatmapTextureSource {
  public:
    HeatmapRenderer() = default;
    HeatmapRenderer(const HeatmapRenderer&) = delete;
    HeatmapRenderer& operator=(const HeatmapRenderer&) = delete;
    ~HeatmapRenderer() override;

    bool init(std::string* error); // needs a current GL 3.3 context
    ImTextureID texture(std::string_view slot, std::uint64_t content_key, const HeatmapImage& img) override;
    bool is_current(std::string_view slot, std::uint64_t content_key, int rows, int cols,
                    int cell_px) const override;
    ImTextureID canvas(std::string_view slot, std::uint64_t content_key, ImVec2 size, float pixel_scale,
                       ImU32 background, const ImDrawList& geometry) override;
    bool canvas_current(std::string_view slot, std::uint64_t content_key, ImVec2 size,
                        float pixel_scale) const override;
    bool draw_exact(ImDrawList* dl, std::string_view slot, std::uint64_t content_key, const HeatmapImage& img,
                    ImVec2 p0, ImVec2 p1, float u0, float v0, float span) override;
    int renders() const { return renders_; } // how many times a texture was (re)rendered, for benchmarks

    // A map's screen rectangle rendered pixel for pixel, and where it goes (framebuffer pixels, y down).
    struct Exact {
        unsigned int tex = 0, fbo = 0;
        int w = 0, h = 0, x = 0, y = 0, frame = -1;
        std::uint64_t key = 0;
        bool valid = false;
    };

  private:
    struct SavedGl;
    struct ExactWindow {
        float u0, v0, span;
    };
    struct Slot {
        unsigned int value_tex = 0, color_tex = 0, fbo = 0;
        int rows = 0, cols = 0, cell_px = 0;
        std::uint64_t key = 0;
        bool valid = false;
    };
    struct Canvas {
        unsigned int tex = 0, fbo = 0;
        int w = 0, h = 0;
        std::uint64_t key = 0;
        bool valid = false;
    };
    void render(Slot& s, const HeatmapImage& img);
    void colormap_pass(const Slot& s, const HeatmapImage& img, int w, int h, const ExactWindow* exact);

    unsigned int program_ = 0, vao_ = 0;
    int renders_ = 0;
    std::unordered_map<std::string, Slot> slots_;
    std::unordered_map<std::string, Canvas> canvases_;
    std::unordered_map<std::string, Exact> exacts_;
};

} // namespace attn::gfx

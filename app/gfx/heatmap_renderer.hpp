// The GPU heatmap: values go into an R32F texture, a colormap shader renders them once into a colour
// texture, and ImGui draws that texture as one quad. Re-rendered only when the caller's content key changes.
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
    int renders() const { return renders_; } // how many times a texture was (re)rendered, for benchmarks

  private:
    struct Slot {
        unsigned int value_tex = 0, color_tex = 0, fbo = 0;
        int rows = 0, cols = 0, cell_px = 0;
        std::uint64_t key = 0;
        bool valid = false;
    };
    void render(Slot& s, const HeatmapImage& img);

    unsigned int program_ = 0, vao_ = 0;
    int renders_ = 0;
    std::unordered_map<std::string, Slot> slots_;
};

} // namespace attn::gfx

// Canvas helpers (see canvas.hpp).
#include "canvas.hpp"

namespace attn {

void begin_canvas(ImDrawList& geo, ImVec2 size) {
    geo._ResetForNewFrame();
    geo.Flags = ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedLinesUseTex |
                ImDrawListFlags_AntiAliasedFill | ImDrawListFlags_AllowVtxOffset;
    geo.PushClipRect(ImVec2(0, 0), size);
    geo.PushTextureID(ImGui::GetIO().Fonts->TexID); // text and antialiased lines sample the font atlas
}

float canvas_pixel_scale() {
    const float s = ImGui::GetIO().DisplayFramebufferScale.x;
    return s > 0 ? s : 1.0f;
}

void show_canvas(ImDrawList* dl, ImTextureID tex, ImVec2 min, ImVec2 size) {
    dl->AddImage(tex, min, ImVec2(min.x + size.x, min.y + size.y), ImVec2(0, 1), ImVec2(1, 0));
}

} // namespace attn

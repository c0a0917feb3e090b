// HeatmapRenderer: R32F values -> colormap pass into an FBO colour texture, cached per slot.
#include "heatmap_renderer.hpp"

#include "app/widgets/colormap.hpp"
#include "gl_program.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <glad/gl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace attn::shaders {
extern const std::string_view heatmap_vert;
extern const std::string_view heatmap_frag;
} // namespace attn::shaders

namespace attn::gfx {

namespace {

// (Re)allocates `tex` as a w × h RGBA8 texture and attaches it to `fbo` as its colour target (leaves both
// bound).
void make_render_target(unsigned int tex, unsigned int fbo, int w, int h, GLint min_filter) {
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, min_filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
}

} // namespace

HeatmapRenderer::~HeatmapRenderer() {
    for (auto& [name, s] : slots_) {
        glDeleteTextures(1, &s.value_tex);
        glDeleteTextures(1, &s.color_tex);
        glDeleteFramebuffers(1, &s.fbo);
    }
    for (auto& [name, c] : canvases_) {
        glDeleteTextures(1, &c.tex);
        glDeleteFramebuffers(1, &c.fbo);
    }
    if (vao_) glDeleteVertexArrays(1, &vao_);
    if (program_) glDeleteProgram(program_);
}

bool HeatmapRenderer::init(std::string* error) {
    program_ = build_program(shaders::heatmap_vert, shaders::heatmap_frag, error);
    if (!program_) return false;
    glGenVertexArrays(1, &vao_);
    return true;
}

ImTextureID HeatmapRenderer::texture(std::string_view slot, std::uint64_t content_key,
                                     const HeatmapImage& img) {
    Slot& s = slots_[std::string(slot)];
    if (!s.valid || s.key != content_key || s.rows != img.rows || s.cols != img.cols ||
        s.cell_px != img.cell_px) {
        render(s, img);
        s.key = content_key;
        s.valid = true;
    }
    return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(s.color_tex));
}

bool HeatmapRenderer::is_current(std::string_view slot, std::uint64_t content_key, int rows, int cols,
                                 int cell_px) const {
    const auto it = slots_.find(std::string(slot));
    if (it == slots_.end()) return false;
    const Slot& s = it->second;
    return s.valid && s.key == content_key && s.rows == rows && s.cols == cols && s.cell_px == cell_px;
}

void HeatmapRenderer::render(Slot& s, const HeatmapImage& img) {
    ++renders_;
    const int rows = std::max(1, img.rows), cols = std::max(1, img.cols);
    if (!s.value_tex) {
        glGenTextures(1, &s.value_tex);
        glGenTextures(1, &s.color_tex);
        glGenFramebuffers(1, &s.fbo);
    }
    GLint prev_fbo = 0, prev_viewport[4], prev_tex = 0, prev_prog = 0, prev_vao = 0;
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev_fbo);
    glGetIntegerv(GL_VIEWPORT, prev_viewport);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev_tex);
    glGetIntegerv(GL_CURRENT_PROGRAM, &prev_prog);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &prev_vao);

    glBindTexture(GL_TEXTURE_2D, s.value_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, cols, rows, 0, GL_RED, GL_FLOAT,
                 img.rows > 0 ? img.values : nullptr);

    const int w = cols * img.cell_px, h = rows * img.cell_px;
    if (s.rows != img.rows || s.cols != img.cols || s.cell_px != img.cell_px || !s.valid) {
        make_render_target(s.color_tex, s.fbo, w, h, GL_LINEAR);
    }
    s.rows = img.rows, s.cols = img.cols, s.cell_px = img.cell_px;

    glBindFramebuffer(GL_FRAMEBUFFER, s.fbo);
    glViewport(0, 0, w, h);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glUseProgram(program_);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, s.value_tex);
    glUniform1i(glGetUniformLocation(program_, "u_values"), 0);
    glUniform1i(glGetUniformLocation(program_, "u_rows"), rows);
    glUniform1i(glGetUniformLocation(program_, "u_cols"), cols);
    glUniform1i(glGetUniformLocation(program_, "u_cell_px"), img.cell_px);
    glUniform1f(glGetUniformLocation(program_, "u_vmin"), img.vmin);
    glUniform1f(glGetUniformLocation(program_, "u_vmax"), img.vmax);
    glUniform3fv(glGetUniformLocation(program_, "u_stops"), static_cast<GLsizei>(k_viridis.size()),
                 &k_viridis[0].r);
    glUniform3f(glGetUniformLocation(program_, "u_mask_fg"), 0.42f, 0.42f, 0.45f);
    glUniform3f(glGetUniformLocation(program_, "u_mask_bg"), 0.26f, 0.26f, 0.28f);
    glUniform3f(glGetUniformLocation(program_, "u_grid"), 0.08f, 0.08f, 0.10f);
    glBindVertexArray(vao_);
    glDrawArrays(GL_TRIANGLES, 0, 3);

    glBindVertexArray(static_cast<GLuint>(prev_vao));
    glUseProgram(static_cast<GLuint>(prev_prog));
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(prev_tex));
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(prev_fbo));
    glViewport(prev_viewport[0], prev_viewport[1], prev_viewport[2], prev_viewport[3]);
}

namespace {

int canvas_px(float units, float pixel_scale) {
    return std::clamp(static_cast<int>(std::lround(units * pixel_scale)), 1, 8192);
}

} // namespace

bool HeatmapRenderer::canvas_current(std::string_view slot, std::uint64_t content_key, ImVec2 size,
                                     float pixel_scale) const {
    const auto it = canvases_.find(std::string(slot));
    if (it == canvases_.end()) return false;
    const Canvas& c = it->second;
    return c.valid && c.key == content_key && c.w == canvas_px(size.x, pixel_scale) &&
           c.h == canvas_px(size.y, pixel_scale);
}

ImTextureID HeatmapRenderer::canvas(std::string_view slot, std::uint64_t content_key, ImVec2 size,
                                    float pixel_scale, ImU32 background, const ImDrawList& geometry) {
    Canvas& c = canvases_[std::string(slot)];
    const int w = canvas_px(size.x, pixel_scale), h = canvas_px(size.y, pixel_scale);
    const auto id = [&] { return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(c.tex)); };
    if (c.valid && c.key == content_key && c.w == w && c.h == h) return id();
    ++renders_;
    GLint prev_fbo = 0, prev_tex = 0;
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev_fbo);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev_tex);
    if (!c.tex) {
        glGenTextures(1, &c.tex);
        glGenFramebuffers(1, &c.fbo);
    }
    if (c.w != w || c.h != h) {
        make_render_target(c.tex, c.fbo, w, h, GL_NEAREST);
        c.w = w, c.h = h;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, c.fbo);
    const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(background);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    // ImGui's backend draws any ImDrawData into the bound framebuffer, sized by DisplaySize × scale; it
    // saves and restores the rest of the GL state itself.
    ImDrawList* lists[1] = {const_cast<ImDrawList*>(&geometry)};
    ImDrawData dd;
    dd.Valid = true;
    dd.CmdLists = lists;
    dd.CmdListsCount = 1;
    dd.TotalVtxCount = geometry.VtxBuffer.Size;
    dd.TotalIdxCount = geometry.IdxBuffer.Size;
    dd.DisplayPos = ImVec2(0, 0);
    dd.DisplaySize = ImVec2(static_cast<float>(w) / pixel_scale, static_cast<float>(h) / pixel_scale);
    dd.FramebufferScale = ImVec2(pixel_scale, pixel_scale);
    ImGui_ImplOpenGL3_RenderDrawData(&dd);
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(prev_fbo));
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(prev_tex));
    c.key = content_key;
    c.valid = true;
    return id();
}

} // namespace attn::gfx

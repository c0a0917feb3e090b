// HeatmapRenderer: R32F values -> colormap pass into an FBO colour texture, cached per slot.
#include "heatmap_renderer.hpp"

#include "app/widgets/colormap.hpp"
#include "core/rng.hpp"
#include "gl_program.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <glad/gl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
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
    for (auto& [name, e] : exacts_) {
        glDeleteTextures(1, &e.tex);
        glDeleteFramebuffers(1, &e.fbo);
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

// Saves the bindings a colormap pass changes and puts them back when it ends.
struct HeatmapRenderer::SavedGl {
    GLint fbo = 0, viewport[4] = {0, 0, 0, 0}, tex = 0, prog = 0, vao = 0;
    SavedGl() {
        glGetIntegerv(GL_FRAMEBUFFER_BINDING, &fbo);
        glGetIntegerv(GL_VIEWPORT, viewport);
        glGetIntegerv(GL_TEXTURE_BINDING_2D, &tex);
        glGetIntegerv(GL_CURRENT_PROGRAM, &prog);
        glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vao);
    }
    ~SavedGl() {
        glBindVertexArray(static_cast<GLuint>(vao));
        glUseProgram(static_cast<GLuint>(prog));
        glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(tex));
        glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(fbo));
        glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
    }
    SavedGl(const SavedGl&) = delete;
    SavedGl& operator=(const SavedGl&) = delete;
};

// One pass of the colormap shader over the bound w × h framebuffer, reading the slot's values.
void HeatmapRenderer::colormap_pass(const Slot& s, const HeatmapImage& img, int w, int h,
                                    const ExactWindow* exact) {
    const int rows = std::max(1, img.rows), cols = std::max(1, img.cols);
    glViewport(0, 0, w, h);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glUseProgram(program_);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, s.value_tex);
    const auto at = [&](const char* name) { return glGetUniformLocation(program_, name); };
    glUniform1i(at("u_values"), 0);
    glUniform1i(at("u_rows"), rows);
    glUniform1i(at("u_cols"), cols);
    glUniform1i(at("u_cell_px"), std::max(1, img.cell_px));
    glUniform1f(at("u_vmin"), img.vmin);
    glUniform1f(at("u_vmax"), img.vmax);
    glUniform3fv(at("u_stops"), static_cast<GLsizei>(k_viridis.size()), &k_viridis[0].r);
    glUniform3f(at("u_mask_fg"), 0.42f, 0.42f, 0.45f);
    glUniform3f(at("u_mask_bg"), 0.26f, 0.26f, 0.28f);
    glUniform3f(at("u_grid"), 0.08f, 0.08f, 0.10f);
    glUniform1i(at("u_exact"), exact ? 1 : 0);
    if (exact) {
        glUniform2f(at("u_first"), exact->u0 * static_cast<float>(cols),
                    exact->v0 * static_cast<float>(rows));
        glUniform2f(at("u_cells_per_px"), exact->span * static_cast<float>(cols) / static_cast<float>(w),
                    exact->span * static_cast<float>(rows) / static_cast<float>(h));
        glUniform1i(at("u_target_h"), h);
    }
    glBindVertexArray(vao_);
    glDrawArrays(GL_TRIANGLES, 0, 3);
}

void HeatmapRenderer::render(Slot& s, const HeatmapImage& img) {
    ++renders_;
    const int rows = std::max(1, img.rows), cols = std::max(1, img.cols);
    if (!s.value_tex) {
        glGenTextures(1, &s.value_tex);
        glGenTextures(1, &s.color_tex);
        glGenFramebuffers(1, &s.fbo);
    }
    const SavedGl saved;
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
    colormap_pass(s, img, w, h, nullptr);
}

namespace {

// The draw-list callback of draw_exact(): copies the exact texture onto the screen, inside the clip
// rectangle of its command. Runs while ImGui's backend renders, so it leaves the bindings as it found them.
void copy_exact_to_screen(const ImDrawList* /*list*/, const ImDrawCmd* cmd) {
    const auto* e = static_cast<const HeatmapRenderer::Exact*>(cmd->UserCallbackData);
    const ImDrawData* dd = ImGui::GetDrawData();
    if (!e || !dd || !e->valid) return;
    const float sx = dd->FramebufferScale.x, sy = dd->FramebufferScale.y;
    const float fb_h = dd->DisplaySize.y * sy;
    const auto px = [](float v) { return static_cast<int>(std::lround(v)); };
    const int clip_x0 = px((cmd->ClipRect.x - dd->DisplayPos.x) * sx);
    const int clip_x1 = px((cmd->ClipRect.z - dd->DisplayPos.x) * sx);
    const int clip_y0 = px(fb_h - (cmd->ClipRect.w - dd->DisplayPos.y) * sy); // GL counts rows upwards
    const int clip_y1 = px(fb_h - (cmd->ClipRect.y - dd->DisplayPos.y) * sy);
    if (clip_x1 <= clip_x0 || clip_y1 <= clip_y0) return;
    glEnable(GL_SCISSOR_TEST);
    glScissor(clip_x0, clip_y0, clip_x1 - clip_x0, clip_y1 - clip_y0);
    const int x0 = e->x - px(dd->DisplayPos.x * sx);
    const int y0 = px(fb_h) - (e->y - px(dd->DisplayPos.y * sy)) - e->h;
    GLint read_fbo = 0;
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_fbo);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, e->fbo);
    glBlitFramebuffer(0, 0, e->w, e->h, x0, y0, x0 + e->w, y0 + e->h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(read_fbo));
}

} // namespace

bool HeatmapRenderer::draw_exact(ImDrawList* dl, std::string_view slot, std::uint64_t content_key,
                                 const HeatmapImage& img, ImVec2 p0, ImVec2 p1, float u0, float v0,
                                 float span) {
    const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
    const auto px = [](float v) { return static_cast<int>(std::lround(v)); };
    const int x0 = px(p0.x * scale.x), y0 = px(p0.y * scale.y);
    const int w = px(p1.x * scale.x) - x0, h = px(p1.y * scale.y) - y0;
    if (w < 1 || h < 1 || w > 8192 || h > 8192 || img.rows < 1 || img.cols < 1 || !(span > 0.0f))
        return false;
    texture(slot, content_key, img); // the values, uploaded once per content
    const Slot& values = slots_[std::string(slot)];
    Exact& e = exacts_[std::string(slot)];
    // one placement per slot and frame: a second map under the same name is drawn as an image instead
    if (e.frame == ImGui::GetFrameCount()) return false;
    e.frame = ImGui::GetFrameCount();
    std::uint64_t key = content_key;
    for (const float f : {u0, v0, span}) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &f, sizeof bits);
        key = mix_seed(key, bits);
    }
    if (!e.valid || e.key != key || e.w != w || e.h != h) {
        ++renders_;
        const SavedGl saved;
        if (!e.tex) {
            glGenTextures(1, &e.tex);
            glGenFramebuffers(1, &e.fbo);
        }
        if (e.w != w || e.h != h) make_render_target(e.tex, e.fbo, w, h, GL_NEAREST);
        e.w = w, e.h = h;
        glBindFramebuffer(GL_FRAMEBUFFER, e.fbo);
        const ExactWindow window{u0, v0, span};
        colormap_pass(values, img, w, h, &window);
        e.key = key;
        e.valid = true;
    }
    e.x = x0, e.y = y0;
    dl->AddCallback(copy_exact_to_screen, &e);
    return true;
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

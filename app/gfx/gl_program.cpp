// build_program(): vertex + fragment shader into a linked program.
#include "gl_program.hpp"

#include <glad/gl.h>

namespace attn::gfx {

namespace {

GLuint compile(GLenum kind, std::string_view src, std::string* error) {
    const GLuint sh = glCreateShader(kind);
    const char* ptr = src.data();
    const GLint len = static_cast<GLint>(src.size());
    glShaderSource(sh, 1, &ptr, &len);
    glCompileShader(sh);
    GLint ok = 0;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[2048] = {};
        glGetShaderInfoLog(sh, sizeof log, nullptr, log);
        *error = std::string(kind == GL_VERTEX_SHADER ? "vertex" : "fragment") + " shader: " + log;
        glDeleteShader(sh);
        return 0;
    }
    return sh;
}

} // namespace

unsigned int build_program(std::string_view vertex_src, std::string_view fragment_src, std::string* error) {
    const GLuint vs = compile(GL_VERTEX_SHADER, vertex_src, error);
    if (!vs) return 0;
    const GLuint fs = compile(GL_FRAGMENT_SHADER, fragment_src, error);
    if (!fs) {
        glDeleteShader(vs);
        return 0;
    }
    const GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    glLinkProgram(prog);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[2048] = {};
        glGetProgramInfoLog(prog, sizeof log, nullptr, log);
        *error = std::string("link: ") + log;
        glDeleteProgram(prog);
        return 0;
    }
    return prog;
}

} // namespace attn::gfx

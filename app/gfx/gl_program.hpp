// Compiling and linking GLSL programs with readable errors.
#pragma once

#include <string>
#include <string_view>

namespace attn::gfx {

// Returns the program id, or 0 with *error set to the compiler/linker log.
unsigned int build_program(std::string_view vertex_src, std::string_view fragment_src, std::string* error);

} // namespace attn::gfx

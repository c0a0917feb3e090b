// Run-time choice of the vector kernels (kernel_table.hpp): the best instruction set this CPU supports,
// chosen once per process, or the one named by the environment variable ATTN_ISA=sse|avx2|avx512 (to
// exercise the slower paths in tests and benchmarks). A packaged build targets baseline x86-64 and still
// runs AVX-512 or AVX2+FMA code where the CPU has it.
#pragma once

#include "kernel_table.hpp"
#include "types.hpp"

#include <string>
#include <vector>

namespace attn::kernels {

// The table in use. The choice is made on first call and never changes afterwards.
const KernelTable& active();
bool supported(Isa isa);
const char* isa_name(Isa isa); // "sse", "avx2", "avx512"
// One line about the choice: the path, and why (best supported, or forced by ATTN_ISA, or the request
// that could not be honoured and what runs instead).
std::string choice_note();

// c = alpha · op(a) · op(b) + beta · c with op = transpose when the flag is set; c is resized to fit when
// beta is 0 (and must already fit otherwise). Uses a per-thread packing buffer.
void matmul(const Matrix& a, bool trans_a, const Matrix& b, bool trans_b, Matrix& c, float alpha = 1.0f,
            float beta = 0.0f);

// While on, matmul() and the forward pass's projections use Eigen's products instead of the dispatched
// GEMM: the baseline `train --compare-products` measures the kernels against. Off by default; process-wide.
void set_plain_products(bool on);
bool plain_products();

// The per-thread packing buffer matmul() uses, at least `floats` long.
float* thread_pack_buffer(long floats);

} // namespace attn::kernels

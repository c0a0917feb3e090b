// The vector kernels behind the fast paths (flash tiles, the matrix form, training's products), one table
// per instruction set. Each kernels_<isa>.cpp fills a table; kernels.cpp picks one at run time.
// Plain C-like declarations only: the per-ISA files are compiled with different -m flags and must not
// share inline code (an inline function compiled for AVX-512 could be picked by the linker for SSE).
#pragma once

namespace attn::kernels {

enum class Isa { Sse, Avx2, Avx512 };

// C = alpha · A · B + beta_i · C, for A (m, k), B (k, n), C (m, n), each addressed by row and column
// strides, so transposed operands need no copy: A(i, p) = a[i·a_rs + p·a_cs], B(p, j) = b[p·b_rs + j·b_cs],
// C(i, j) = c[i·ldc + j]. beta_i = row_beta[i] when row_beta is set, else beta; C is not read where
// beta_i = 0 (it may hold garbage).
struct GemmArgs {
    int m = 0, n = 0, k = 0;
    const float* a = nullptr;
    long a_rs = 0, a_cs = 1;
    const float* b = nullptr;
    long b_rs = 0, b_cs = 1;
    float* c = nullptr;
    long ldc = 0;
    float alpha = 1.0f, beta = 0.0f;
    const float* row_beta = nullptr; // (m) or null
    // B was packed by pack_b (b_rs and b_cs unused): for a B used against many A.
    bool b_packed = false;
    // The staircase of a causal tile, so the products skip what the mask hides (off by default):
    // C(i, j) is not needed where i > j + c_diag (whole register blocks there are left unwritten);
    // A(i, p) is zero where p > i + a_diag (those steps of k are skipped for the block of rows).
    long c_diag = k_no_diag, a_diag = k_no_diag;
    static constexpr long k_no_diag = 1L << 40;
    // When set, col_max[j] = max(col_max[j], max_i C(i, j)) for j < n, taken from the final C of each
    // register block while it is still in registers or L1 (the caller initialises it): the column maxima of
    // flash's transposed score tile, without another pass over the tile. Blocks skipped by c_diag are not
    // counted.
    float* col_max = nullptr;
};

struct KernelTable {
    Isa isa;
    const char* name;
    int lanes;  // floats per vector register
    int mr, nr; // register block of the GEMM micro-kernel: mr rows × nr columns of C
    int kc, nc; // cache blocks: kc of the shared dimension × nc columns of B packed at once
    // Floats of packing scratch gemm() needs for a product with n columns and shared dimension k.
    long (*gemm_pack_floats)(int n, int k);
    // Floats pack_b writes for B (k, n), and the packing itself (B addressed by its strides).
    long (*pack_b_floats)(int k, int n);
    void (*pack_b)(const float* b, long b_rs, long b_cs, int k, int n, float* out);
    void (*gemm)(const GemmArgs& g, float* pack);
    // One key tile of flash attention's online softmax over a transposed score tile st (keys × cols, row
    // stride ld, one query per column; cols a multiple of lanes), in base 2 (st holds scores times log2 e,
    // m is in the same units), in place: st becomes 2^(st - m_new) per query, m and l are updated and
    // scale[j] = 2^(m_old - m_new) is what the query's accumulator must be multiplied by (kernels_body.inc).
    // tile_max, when set, holds each column's maximum over the tile (cols entries, from gemm's col_max), so
    // the tile is read once instead of twice.
    void (*softmax_tile_t)(float* st, long ld, int keys, int cols, float* m, float* l, float* scale,
                           const float* tile_max);
    // w = softmax(s) over one row of n; all zeros when every entry is -inf
    void (*softmax_row)(const float* s, float* w, int n);
    // y[j] = exp(x[j]), the vectorised exp the kernels use (exposed for its error test)
    void (*exp)(const float* x, float* y, int n);
    // y[j] = 2^x[j] for x[j] < 128, the tile softmax's exponential (exposed for its error test)
    void (*exp2)(const float* x, float* y, int n);
    // dst = src (n floats) with stores that bypass the caches, fenced: for results larger than the caches
    void (*copy_stream)(const float* src, float* dst, long n);
    // Runs independent FMA chains for `iters` rounds; returns the floating-point operations done.
    double (*fma_chains)(long iters, float* sink);
};

const KernelTable& table_sse();
const KernelTable& table_avx2();
const KernelTable& table_avx512();

} // namespace attn::kernels

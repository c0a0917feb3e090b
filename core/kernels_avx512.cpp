// The AVX-512 kernel table: 16 floats per register, 6×64 GEMM register block (24 of 32 zmm accumulate).
// Compiled with -mavx512f whatever the build's target (core/CMakeLists.txt); used only where the CPU has it.
#include "kernel_table.hpp"

#include <immintrin.h>

namespace attn::kernels {
namespace {
using V = __m512;
constexpr Isa k_isa = Isa::Avx512;
constexpr const char* k_isa_name = "avx512";
constexpr int W = 16, MR = 6, NV = 4;
inline V vzero() {
    return _mm512_setzero_ps();
}
inline V vset1(float x) {
    return _mm512_set1_ps(x);
}
inline V vload(const float* p) {
    return _mm512_loadu_ps(p);
}
inline void vstore(float* p, V v) {
    _mm512_storeu_ps(p, v);
}
inline V vadd(V a, V b) {
    return _mm512_add_ps(a, b);
}
inline V vsub(V a, V b) {
    return _mm512_sub_ps(a, b);
}
inline V vmul(V a, V b) {
    return _mm512_mul_ps(a, b);
}
inline V vmax(V a, V b) {
    return _mm512_max_ps(a, b);
}
inline V vmin(V a, V b) {
    return _mm512_min_ps(a, b);
}
inline V vfma(V a, V b, V c) {
    return _mm512_fmadd_ps(a, b, c);
} // a·b + c
inline V vround(V x) {
    return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
inline V vpow2(V n) { // 2^n for integer n in [-126, 127]
    return _mm512_castsi512_ps(
        _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23));
}
inline V vzero_below(V x, float lo, V val) {
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, vset1(lo), _CMP_LT_OQ), val, vzero());
}
// Horizontal sum and max through memory: GCC 12's _mm512_reduce_* trip -Wuninitialized in its own header.
inline float vhsum(V v) {
    alignas(64) float t[16];
    _mm512_store_ps(t, v);
    for (int w = 8; w > 0; w /= 2)
        for (int i = 0; i < w; ++i)
            t[i] += t[i + w];
    return t[0];
}
inline float vhmax(V v) {
    alignas(64) float t[16];
    _mm512_store_ps(t, v);
    for (int w = 8; w > 0; w /= 2)
        for (int i = 0; i < w; ++i)
            t[i] = t[i] > t[i + w] ? t[i] : t[i + w];
    return t[0];
}
// r[t] lane u becomes r[u] lane t: 32-bit then 64-bit interleaves inside each 128-bit lane leave u[m] lane
// k holding column 4k + m of rows 0-3 (u[4 + m] rows 4-7, ...); two 128-bit lane shuffles gather them.
inline void vtranspose(V* r) {
    V t[16], u[16];
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        const __m512d a = _mm512_castps_pd(t[i]), b = _mm512_castps_pd(t[i + 1]);
        const __m512d c = _mm512_castps_pd(t[i + 2]), d = _mm512_castps_pd(t[i + 3]);
        u[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        u[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        u[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        u[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    for (int m = 0; m < 4; ++m) {
        const V v0 = _mm512_shuffle_f32x4(u[m], u[4 + m], 0x88),
                v1 = _mm512_shuffle_f32x4(u[m], u[4 + m], 0xdd);
        const V w0 = _mm512_shuffle_f32x4(u[8 + m], u[12 + m], 0x88);
        const V w1 = _mm512_shuffle_f32x4(u[8 + m], u[12 + m], 0xdd);
        r[m] = _mm512_shuffle_f32x4(v0, w0, 0x88);
        r[8 + m] = _mm512_shuffle_f32x4(v0, w0, 0xdd);
        r[4 + m] = _mm512_shuffle_f32x4(v1, w1, 0x88);
        r[12 + m] = _mm512_shuffle_f32x4(v1, w1, 0xdd);
    }
}

#include "kernels_body.inc"
} // namespace

const KernelTable& table_avx512() {
    return k_table;
}
} // namespace attn::kernels

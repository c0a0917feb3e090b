// The AVX-512 kernel table: 16 floats per register, 6×64 GEMM register block (24 of 32 zmm accumulate).
// Compiled with -mavx512f -mavx512dq whatever the build's target (core/CMakeLists.txt); used only where the
// CPU has both (every AVX-512 CPU but the Xeon Phi, which takes the AVX2 path).
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
// p aligned to a whole vector; the store bypasses the caches (no read of the line it overwrites)
inline void vstream(float* p, V v) {
    _mm512_stream_ps(p, v);
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
// The masked forms with every lane selected: GCC 12's plain _mm512_max_ps/_mm512_min_ps pass an
// "undefined" vector that trips -Wuninitialized once inlined into a fully unrolled loop.
inline V vmax(V a, V b) {
    return _mm512_mask_max_ps(a, 0xFFFF, a, b);
}
inline V vmin(V a, V b) {
    return _mm512_mask_min_ps(a, 0xFFFF, a, b);
}
inline V vfma(V a, V b, V c) {
    return _mm512_fmadd_ps(a, b, c);
} // a·b + c
// p · 2^n where x >= lo, 0 below and for NaN: one scalef under a zeroing mask does the exponent and the
// underflow (2^n from the float n directly, no integer conversion).
inline V vexp_finish(V x, float lo, V p, V n) {
    return _mm512_maskz_scalef_ps(_mm512_cmp_ps_mask(x, vset1(lo), _CMP_GE_OQ), p, n);
}
// r = t - floor(t) in [0, 1), exactly, in one instruction (AVX512DQ's reduce, rounding down); n = t, as
// scalef takes the exponent floor(t) from t itself.
inline V vsplit_floor(V t, V& n) {
    n = t;
    return _mm512_reduce_ps(t, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
}
// Horizontal sum and max in registers (halving the vector three times), not through memory: a vector
// store read back as floats stalls store forwarding, once per softmax row. GCC 12's _mm512_reduce_* are
// not used because they trip -Wuninitialized in its own header.
// The halves are taken with the compiler's own vector shuffle: the AVX-512 intrinsics that would do it
// fill an unused source with an "undefined" vector that trips the same warning when inlined here.
inline __m256 vlow_half(V v) {
    return __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7);
}
inline __m256 vhigh_half(V v) {
    return __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
}
inline __m256 vhalves_add(V v) {
    return _mm256_add_ps(vlow_half(v), vhigh_half(v));
}
inline __m256 vhalves_max(V v) {
    return _mm256_max_ps(vlow_half(v), vhigh_half(v));
}
// x where a == b, else y
inline V vblend_eq(V a, V b, V x, V y) {
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ), y, x);
}
inline float vhsum(V v) {
    const __m256 h = vhalves_add(v);
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}
inline float vhmax(V v) {
    const __m256 h = vhalves_max(v);
    const __m128 s = _mm_max_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    const __m128 t = _mm_max_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_max_ss(t, _mm_shuffle_ps(t, t, 1)));
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

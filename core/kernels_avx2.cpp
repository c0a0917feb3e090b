// The AVX2+FMA kernel table: 8 floats per register, 6×16 GEMM register block (12 of 16 ymm accumulate).
// Compiled with -mavx2 -mfma (and without AVX-512) whatever the build's target (core/CMakeLists.txt).
#include "kernel_table.hpp"

#include <immintrin.h>

namespace attn::kernels {
namespace {
using V = __m256;
constexpr Isa k_isa = Isa::Avx2;
constexpr const char* k_isa_name = "avx2";
constexpr int W = 8, MR = 6, NV = 2;
inline V vzero() {
    return _mm256_setzero_ps();
}
inline V vset1(float x) {
    return _mm256_set1_ps(x);
}
inline V vload(const float* p) {
    return _mm256_loadu_ps(p);
}
inline void vstore(float* p, V v) {
    _mm256_storeu_ps(p, v);
}
// p aligned to a whole vector; the store bypasses the caches (no read of the line it overwrites)
inline void vstream(float* p, V v) {
    _mm256_stream_ps(p, v);
}
inline V vadd(V a, V b) {
    return _mm256_add_ps(a, b);
}
inline V vsub(V a, V b) {
    return _mm256_sub_ps(a, b);
}
inline V vmul(V a, V b) {
    return _mm256_mul_ps(a, b);
}
inline V vmax(V a, V b) {
    return _mm256_max_ps(a, b);
}
inline V vmin(V a, V b) {
    return _mm256_min_ps(a, b);
}
inline V vfma(V a, V b, V c) {
    return _mm256_fmadd_ps(a, b, c);
} // a·b + c
inline V vpow2(V n) { // 2^n for integer n in [-126, 127]
    return _mm256_castsi256_ps(
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23));
}
inline V vzero_below(V x, float lo, V val) {
    return _mm256_blendv_ps(val, vzero(), _mm256_cmp_ps(x, vset1(lo), _CMP_NGE_UQ));
}
// p · 2^n where x >= lo, 0 below and for NaN (the tail of vexp).
inline V vexp_finish(V x, float lo, V p, V n) {
    return vzero_below(x, lo, vmul(p, vpow2(n)));
}
// r = t - floor(t) in [0, 1), exactly; n = floor(t)
inline V vsplit_floor(V t, V& n) {
    n = _mm256_floor_ps(t);
    return _mm256_sub_ps(t, n);
}
// x where a == b, else y
inline V vblend_eq(V a, V b, V x, V y) {
    return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_EQ_OQ));
}
inline float vhsum(V v) {
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}
inline float vhmax(V v) {
    const __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_max_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_max_ss(t, _mm_shuffle_ps(t, t, 1)));
}
// r[t] lane u becomes r[u] lane t: 32-bit then 64-bit interleaves inside each 128-bit half leave u[m] half
// k holding column 4k + m of rows 0-3 (u[4 + m]: rows 4-7); one cross-half permute joins them.
inline void vtranspose(V* r) {
    V t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        const __m256d a = _mm256_castps_pd(t[i]), b = _mm256_castps_pd(t[i + 1]);
        const __m256d c = _mm256_castps_pd(t[i + 2]), d = _mm256_castps_pd(t[i + 3]);
        u[i] = _mm256_castpd_ps(_mm256_unpacklo_pd(a, c));
        u[i + 1] = _mm256_castpd_ps(_mm256_unpackhi_pd(a, c));
        u[i + 2] = _mm256_castpd_ps(_mm256_unpacklo_pd(b, d));
        u[i + 3] = _mm256_castpd_ps(_mm256_unpackhi_pd(b, d));
    }
    for (int m = 0; m < 4; ++m) {
        r[m] = _mm256_permute2f128_ps(u[m], u[4 + m], 0x20);
        r[4 + m] = _mm256_permute2f128_ps(u[m], u[4 + m], 0x31);
    }
}

#include "kernels_body.inc"
} // namespace

const KernelTable& table_avx2() {
    return k_table;
}
} // namespace attn::kernels

// The SSE2 kernel table (every x86-64 CPU): 4 floats per register, 6×8 GEMM register block, multiply then
// add (no FMA unit assumed). Compiled without AVX whatever the build's target (core/CMakeLists.txt).
#include "kernel_table.hpp"

#include <emmintrin.h>

namespace attn::kernels {
namespace {
using V = __m128;
constexpr Isa k_isa = Isa::Sse;
constexpr const char* k_isa_name = "sse";
constexpr int W = 4, MR = 6, NV = 2;
inline V vzero() {
    return _mm_setzero_ps();
}
inline V vset1(float x) {
    return _mm_set1_ps(x);
}
inline V vload(const float* p) {
    return _mm_loadu_ps(p);
}
inline void vstore(float* p, V v) {
    _mm_storeu_ps(p, v);
}
// p aligned to a whole vector; the store bypasses the caches (no read of the line it overwrites)
inline void vstream(float* p, V v) {
    _mm_stream_ps(p, v);
}
inline V vadd(V a, V b) {
    return _mm_add_ps(a, b);
}
inline V vsub(V a, V b) {
    return _mm_sub_ps(a, b);
}
inline V vmul(V a, V b) {
    return _mm_mul_ps(a, b);
}
inline V vmax(V a, V b) {
    return _mm_max_ps(a, b);
}
inline V vmin(V a, V b) {
    return _mm_min_ps(a, b);
}
inline V vfma(V a, V b, V c) {
    return _mm_add_ps(_mm_mul_ps(a, b), c);
} // a·b + c, rounded twice
inline V vpow2(V n) { // 2^n for integer n in [-126, 127]
    return _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(_mm_cvtps_epi32(n), _mm_set1_epi32(127)), 23));
}
inline V vzero_below(V x, float lo, V val) {
    return _mm_andnot_ps(_mm_cmpnge_ps(x, vset1(lo)), val);
}
// p · 2^n where x >= lo, 0 below and for NaN (the tail of vexp).
inline V vexp_finish(V x, float lo, V p, V n) {
    return vzero_below(x, lo, vmul(p, vpow2(n)));
}
// r = t - floor(t) in [0, 1), exactly; n = floor(t), for |t| < 2^22: rounded to nearest by adding and
// subtracting 1.5·2^23, then one less where that rounded up (SSE2 has no floor instruction)
inline V vsplit_floor(V t, V& n) {
    const V magic = vset1(12582912.0f);
    const V nearest = vsub(vadd(t, magic), magic);
    n = vsub(nearest, _mm_and_ps(_mm_cmpgt_ps(nearest, t), vset1(1.0f)));
    return vsub(t, n);
}
// x where a == b, else y
inline V vblend_eq(V a, V b, V x, V y) {
    const V eq = _mm_cmpeq_ps(a, b);
    return _mm_or_ps(_mm_and_ps(eq, x), _mm_andnot_ps(eq, y));
}
inline float vhsum(V v) {
    const V t = _mm_add_ps(v, _mm_movehl_ps(v, v));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}
inline float vhmax(V v) {
    const V t = _mm_max_ps(v, _mm_movehl_ps(v, v));
    return _mm_cvtss_f32(_mm_max_ss(t, _mm_shuffle_ps(t, t, 1)));
}
// r[t] lane u becomes r[u] lane t: a 32-bit then a 64-bit interleave.
inline void vtranspose(V* r) {
    const V t0 = _mm_unpacklo_ps(r[0], r[1]), t1 = _mm_unpackhi_ps(r[0], r[1]);
    const V t2 = _mm_unpacklo_ps(r[2], r[3]), t3 = _mm_unpackhi_ps(r[2], r[3]);
    r[0] = _mm_castpd_ps(_mm_unpacklo_pd(_mm_castps_pd(t0), _mm_castps_pd(t2)));
    r[1] = _mm_castpd_ps(_mm_unpackhi_pd(_mm_castps_pd(t0), _mm_castps_pd(t2)));
    r[2] = _mm_castpd_ps(_mm_unpacklo_pd(_mm_castps_pd(t1), _mm_castps_pd(t3)));
    r[3] = _mm_castpd_ps(_mm_unpackhi_pd(_mm_castps_pd(t1), _mm_castps_pd(t3)));
}

#include "kernels_body.inc"
} // namespace

const KernelTable& table_sse() {
    return k_table;
}
} // namespace attn::kernels

// Picks the kernel table once per process (kernels.hpp) and wraps gemm() for Eigen matrices.
#include "kernels.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace attn::kernels {

namespace {

struct Choice {
    const KernelTable* table;
    std::string note;
};

const KernelTable& table_of(Isa isa) {
    switch (isa) {
    case Isa::Avx512:
        return table_avx512();
    case Isa::Avx2:
        return table_avx2();
    case Isa::Sse:
        break;
    }
    return table_sse();
}

Choice choose() {
    const Isa best = supported(Isa::Avx512) ? Isa::Avx512 : supported(Isa::Avx2) ? Isa::Avx2 : Isa::Sse;
    const char* env = std::getenv("ATTN_ISA");
    if (!env || !*env) return {&table_of(best), std::string(isa_name(best)) + " (best this CPU supports)"};
    for (Isa isa : {Isa::Sse, Isa::Avx2, Isa::Avx512}) {
        if (std::strcmp(env, isa_name(isa)) != 0) continue;
        if (supported(isa)) return {&table_of(isa), std::string(isa_name(isa)) + " (forced by ATTN_ISA)"};
        return {&table_of(best),
                std::string(isa_name(best)) + " (ATTN_ISA=" + env + " is not supported by this CPU)"};
    }
    return {&table_of(best),
            std::string(isa_name(best)) + " (ATTN_ISA=" + env + " is not one of sse, avx2, avx512; ignored)"};
}

const Choice& choice() {
    static const Choice c = choose();
    return c;
}

} // namespace

bool supported(Isa isa) {
    switch (isa) {
    case Isa::Avx512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
    case Isa::Avx2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::Sse:
        return true; // SSE2 is part of x86-64
    }
    return false;
}

const char* isa_name(Isa isa) {
    switch (isa) {
    case Isa::Avx512:
        return "avx512";
    case Isa::Avx2:
        return "avx2";
    case Isa::Sse:
        break;
    }
    return "sse";
}

const KernelTable& active() {
    return *choice().table;
}
std::string choice_note() {
    return choice().note;
}

namespace {
std::atomic<bool> g_plain_products{false};
}
void set_plain_products(bool on) {
    g_plain_products.store(on, std::memory_order_relaxed);
}
bool plain_products() {
    return g_plain_products.load(std::memory_order_relaxed);
}

float* thread_pack_buffer(long floats) {
    thread_local std::vector<float> buffer;
    if (static_cast<long>(buffer.size()) < floats) buffer.resize(static_cast<std::size_t>(floats));
    return buffer.data();
}

void matmul(const Matrix& a, bool trans_a, const Matrix& b, bool trans_b, Matrix& c, float alpha,
            float beta) {
    const Eigen::Index m = trans_a ? a.cols() : a.rows(), k = trans_a ? a.rows() : a.cols();
    const Eigen::Index kb = trans_b ? b.cols() : b.rows(), n = trans_b ? b.rows() : b.cols();
    ATTN_CHECK(k == kb);
    if (beta == 0.0f)
        c.resize(m, n);
    else
        ATTN_CHECK(c.rows() == m && c.cols() == n);
    if (m == 0 || n == 0) return;
    if (plain_products()) {
        const auto prod = [&](const auto& x, const auto& y) {
            if (beta == 0.0f) {
                c.noalias() = alpha * x * y;
            } else {
                c *= beta;
                c.noalias() += alpha * x * y;
            }
        };
        if (trans_a && trans_b)
            prod(a.transpose(), b.transpose());
        else if (trans_a)
            prod(a.transpose(), b);
        else if (trans_b)
            prod(a, b.transpose());
        else
            prod(a, b);
        return;
    }
    GemmArgs g;
    g.m = static_cast<int>(m), g.n = static_cast<int>(n), g.k = static_cast<int>(k);
    g.a = a.data(), g.a_rs = trans_a ? 1 : a.cols(), g.a_cs = trans_a ? a.cols() : 1;
    g.b = b.data(), g.b_rs = trans_b ? 1 : b.cols(), g.b_cs = trans_b ? b.cols() : 1;
    g.c = c.data(), g.ldc = c.cols();
    g.alpha = alpha, g.beta = beta;
    const KernelTable& t = active();
    t.gemm(g, thread_pack_buffer(t.gemm_pack_floats(g.n, g.k)));
}

} // namespace attn::kernels

// libFuzzer: imported attention from arbitrary bytes, read both as a .npz archive (ZIP directory, ZIP64
// fields, deflated members, checksums) and as a bare .npy of weights for three tokens.
#include "app/io/attention_file.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

// What an accepted import promises: its shape, and rows that are finite, non-negative and sum to 0 or 1.
void check(const attn::ImportParse& r) {
    if (!r.ok()) return;
    const attn::ImportedAttention& a = r.attention;
    if (!a.weights || a.n_matrices() < 1) __builtin_trap();
    if (a.heads.size() != static_cast<std::size_t>(a.n_matrices())) __builtin_trap();
    for (int m = 0; m < a.n_matrices(); ++m) {
        const attn::ConstMatrixMap w = a.head_at(m);
        if (w.rows() != a.n_tokens() || w.cols() != a.n_tokens()) __builtin_trap();
        for (Eigen::Index i = 0; i < w.rows(); ++i) {
            const double sum = w.row(i).cast<double>().sum();
            if (!std::isfinite(sum) ||
                (sum != 0 && std::fabs(sum - 1.0) > attn::k_import_row_tolerance * 1.01))
                __builtin_trap();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    check(attn::import_attention_npz(bytes, "fuzz"));
    check(attn::import_attention_npy(bytes, {"a", "b", "c"}, "fuzz"));
    return 0;
}

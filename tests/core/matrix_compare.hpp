// Comparing matrices in the core tests: the relative agreement the attention implementations promise.
#pragma once

#include "core/types.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace attn::test {

// max |a - b| / max |b| (0 for empty matrices); the shapes must match.
inline double rel_diff(const Matrix& a, const Matrix& b) {
    REQUIRE(a.rows() == b.rows());
    REQUIRE(a.cols() == b.cols());
    if (a.size() == 0) return 0.0;
    const double scale = std::max(1e-30, static_cast<double>(b.cwiseAbs().maxCoeff()));
    return static_cast<double>((a - b).cwiseAbs().maxCoeff()) / scale;
}

} // namespace attn::test

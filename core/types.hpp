// Shared numeric types of the core. Rows are tokens, columns are features (DESIGN.md §4).
#pragma once

// config.hpp first: its Implementation::Matrix must be declared before the Matrix type (-Wshadow).
#include "config.hpp"

#include <Eigen/Core>

#include <cstdio>
#include <cstdlib>

namespace attn {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;
// Read-only view of a Matrix held elsewhere (an import's one buffer of every head): no copy.
using ConstMatrixMap = Eigen::Map<const Matrix>;

// A broken internal invariant: stop with file, line and message. Never reachable from user input.
[[noreturn]] inline void invariant_failed(const char* file, int line, const char* what) {
    std::fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
    std::abort();
}

} // namespace attn

#define ATTN_CHECK(cond)                                                                                     \
    do {                                                                                                     \
        if (!(cond)) ::attn::invariant_failed(__FILE__, __LINE__, #cond);                                    \
    } while (0)

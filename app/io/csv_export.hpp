// Export of the attention weights of one head as CSV: a header row of key tokens, then one row per query
// token. Masked cells are written as "nan" (the query may not look there), so numpy/pandas read them as NaN.
#pragma once

#include "app/state/measure_worker.hpp"
#include "core/config.hpp" // before types.hpp, see test_session.cpp
#include "core/message.hpp"
#include "core/types.hpp"

#include <string>
#include <vector>

namespace attn {

// weights and scores (n_tokens, n_tokens); a cell is masked where the score is -inf.
std::string weights_csv(const std::vector<std::string>& tokens, const Eigen::Ref<const Matrix>& weights,
                        const Matrix& scores);
// Writes weights_csv to path; an empty message on success, otherwise why not (shown translated).
Message write_weights_csv(const std::string& path, const std::vector<std::string>& tokens,
                          const Eigen::Ref<const Matrix>& weights, const Matrix& scores);

// The Scaling panel's measurements: rows "n,naive_seconds,flash_seconds,naive_skipped,max_abs_diff" with a
// header line.
std::string measurements_csv(const std::vector<MeasurePoint>& points);
// Writes measurements_csv to path; an empty message on success, otherwise why not (shown translated).
Message save_measurements_csv(const std::string& path, const std::vector<MeasurePoint>& points);

} // namespace attn

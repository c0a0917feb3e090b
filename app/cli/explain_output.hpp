// What `attention-lab inspect --explain` and `--find-disagreements` print: one answer's attributions
// (core/train/explain.hpp) as a table or JSON, and the disagreement search's candidates with their figures.
#pragma once

#include "app/io/json_util.hpp"
#include "core/train/disagreements.hpp"
#include "core/train/explain.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace attn {

std::string json_number(float v); // %.6g, or null when not finite

// Token number `position` is shown 1-based, as inspect lists the tokens.
void print_explanation_text(const train::TinyModel& m, const std::vector<std::string>& tokens,
                            const train::Explanation& e);
// The "explain" member of inspect's JSON (format in the README), without a trailing newline.
std::string explanation_json(const train::TinyModel& m, const std::vector<std::string>& tokens,
                             const train::Explanation& e);

// Prints each candidate with its figures and the row to paste into disagreement_examples().
void print_disagreements(const train::TinyModel& m, const std::vector<train::DisagreementCandidate>& found);

} // namespace attn

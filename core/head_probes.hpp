// Labels attention heads by what they do, from probe statistics over many examples: where each row's
// argmax lands (previous token, first token, pronoun referent, verb subject, induction target) and how
// spread each row is (entropy normalised by the keys the row can see). Works on any model's weights.
#pragma once

#include "types.hpp"

#include <string_view>
#include <utility>
#include <vector>

namespace attn {

// What one example lets the probes check.
struct ProbeTargets {
    std::vector<int> ids;                       // (n_tokens) token ids, for the induction probe; may be empty
    std::vector<std::pair<int, int>> referent;  // (pronoun row, referent column)
    std::vector<std::pair<int, int>> agreement; // (verb row, subject column)
    bool causal = false;                        // row i sees keys 0..i only
};

struct ProbeScore {
    double hit = 0;  // fraction of checked rows whose unique argmax is the target column
    double mass = 0; // mean attention weight on the target column
    long n = 0;      // rows checked
};

enum class HeadLabel { PreviousToken, FirstToken, Referent, Agreement, Induction, Broad, Mixed };

struct HeadReport {
    int layer = 0, head = 0;
    ProbeScore previous_token; // rows i >= 1, target i - 1
    ProbeScore first_token;    // rows i >= 2, target 0
    ProbeScore referent;       // pronoun rows whose referent is not the previous token
    ProbeScore agreement;      // verb rows whose subject is not the previous token
    ProbeScore induction;      // row i whose token last occurred at j < i - 1: target j + 1
    double entropy = 0;        // mean over rows of H(row) / ln(keys visible), in [0, 1]; 1 = uniform
    long n_rows = 0;           // rows in the entropy mean (rows that see at least two keys)
    HeadLabel label = HeadLabel::Mixed;
};

// The label rule, in order:
//   1. the specific probe with the highest hit rate, if that rate is >= k_label_hit (ties go to the
//      earlier of referent, agreement, induction, previous token, first token);
//   2. Broad if the mean normalised entropy is >= k_probe_broad_entropy;
//   3. Mixed.
// Rows in an exact tie for the maximum count as no hit, so a uniform row points nowhere. Pairs whose target
// is the previous token are left out of the referent, agreement and induction probes: a previous-token
// head must not pass for one of them. On the english task's balanced pronoun sentences (half mean the
// animal, half the thing) a head locked on one kind of noun scores about 0.5 on referent, below the bar.
inline constexpr double k_label_hit = 0.6;
inline constexpr double k_probe_broad_entropy = 0.75;

HeadLabel choose_label(const HeadReport& r);
std::string_view label_name(HeadLabel l);    // "previous-token", "referent", ...
std::string_view label_meaning(HeadLabel l); // one plain sentence for a learner

// Accumulates statistics over examples, then reports every (layer, head).
class HeadProbes {
  public:
    HeadProbes(int n_layers, int n_heads);

    // weights: (n_tokens, n_tokens) attention probabilities of one head on one example; rows sum to 1.
    // Calls for different (layer, head) pairs touch different sums and may run on different threads.
    // row_entropy, when given, holds each row's -Σ w ln w over all its keys (HeadStats::row_entropy of the
    // same weights; keys hidden by a causal mask have weight 0 and add nothing), so the logarithms are not
    // taken a second time.
    void add(int layer, int head, const Eigen::Ref<const Matrix>& weights, const ProbeTargets& t,
             const std::vector<float>* row_entropy = nullptr);

    // weights[layer][head]: every head of one example at once.
    void add(const std::vector<std::vector<Matrix>>& weights, const ProbeTargets& t);

    // Layer-major: entry layer * n_heads + head, each with its label chosen.
    std::vector<HeadReport> report() const;

  private:
    struct Sums {
        long hits[5] = {0, 0, 0, 0, 0};
        double mass[5] = {0, 0, 0, 0, 0};
        long n[5] = {0, 0, 0, 0, 0};
        double entropy = 0;
        long n_rows = 0;
    };
    int n_layers_, n_heads_;
    std::vector<Sums> sums_; // (n_layers * n_heads)
};

} // namespace attn

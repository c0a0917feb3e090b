// Head labelling from probe statistics (see head_probes.hpp): argmax hit rates against known targets and
// the normalised row entropy H(row) / ln(keys visible), H = -Σ_j w_j ln w_j.
#include "head_probes.hpp"

#include <cmath>
#include <unordered_map>

namespace attn {

namespace {

enum Probe { k_prev = 0, k_first, k_referent, k_agreement, k_induction };

// True when column `col` holds the row's maximum and no other visible column equals it.
bool unique_argmax(const Eigen::Ref<const Matrix>& w, int row, int col, int n_visible) {
    const float target = w(row, col);
    for (int j = 0; j < n_visible; ++j)
        if (j != col && w(row, j) >= target) return false;
    return true;
}

ProbeScore score_of(long hits, double mass, long n) {
    ProbeScore s;
    s.n = n;
    if (n > 0) {
        s.hit = static_cast<double>(hits) / static_cast<double>(n);
        s.mass = mass / static_cast<double>(n);
    }
    return s;
}

} // namespace

HeadProbes::HeadProbes(int n_layers, int n_heads)
    : n_layers_(n_layers), n_heads_(n_heads), sums_(static_cast<std::size_t>(n_layers * n_heads)) {
    ATTN_CHECK(n_layers >= 1 && n_heads >= 1);
}

void HeadProbes::add(int layer, int head, const Eigen::Ref<const Matrix>& weights, const ProbeTargets& t,
                     const std::vector<float>* row_entropy) {
    ATTN_CHECK(layer >= 0 && layer < n_layers_ && head >= 0 && head < n_heads_);
    ATTN_CHECK(weights.rows() == weights.cols());
    const int n = static_cast<int>(weights.rows());
    ATTN_CHECK(t.ids.empty() || static_cast<int>(t.ids.size()) == n);
    ATTN_CHECK(!row_entropy || static_cast<int>(row_entropy->size()) == n);
    Sums& s = sums_[static_cast<std::size_t>(layer * n_heads_ + head)];
    auto visible = [&](int row) { return t.causal ? row + 1 : n; };
    auto check = [&](Probe p, int row, int col) {
        if (row < 0 || row >= n || col < 0 || col >= visible(row)) return;
        ++s.n[p];
        s.mass[p] += weights(row, col);
        if (unique_argmax(weights, row, col, visible(row))) ++s.hits[p];
    };

    for (int i = 0; i < n; ++i) {
        if (i >= 1) check(k_prev, i, i - 1);
        if (i >= 2) check(k_first, i, 0);
        const int v = visible(i);
        if (v >= 2) { // -Σ w ln w over the visible keys, vectorised (0 · ln 0 counts as 0)
            const auto w = weights.row(i).head(v).array();
            const double h =
                row_entropy ? static_cast<double>((*row_entropy)[static_cast<std::size_t>(i)])
                            : -static_cast<double>((w > 0.0f).select(w * w.max(1e-30f).log(), 0.0f).sum());
            s.entropy += h / std::log(static_cast<double>(v));
            ++s.n_rows;
        }
    }
    for (const auto& [q, k] : t.referent)
        if (k != q - 1) check(k_referent, q, k);
    for (const auto& [q, k] : t.agreement)
        if (k != q - 1) check(k_agreement, q, k);
    // Induction: the current token last occurred at j; the head should look at what followed it, j + 1.
    std::unordered_map<int, int> last; // id -> its latest position so far
    for (int i = 0; i < static_cast<int>(t.ids.size()); ++i) {
        const auto [it, first_time] = last.try_emplace(t.ids[static_cast<std::size_t>(i)], i);
        const int j = first_time ? -1 : it->second;
        it->second = i;
        if (j >= 0 && j + 1 < i - 1) check(k_induction, i, j + 1);
    }
}

void HeadProbes::add(const std::vector<std::vector<Matrix>>& weights, const ProbeTargets& t) {
    ATTN_CHECK(static_cast<int>(weights.size()) == n_layers_);
    for (int l = 0; l < n_layers_; ++l) {
        ATTN_CHECK(static_cast<int>(weights[static_cast<std::size_t>(l)].size()) == n_heads_);
        for (int h = 0; h < n_heads_; ++h)
            add(l, h, weights[static_cast<std::size_t>(l)][static_cast<std::size_t>(h)], t);
    }
}

std::vector<HeadReport> HeadProbes::report() const {
    std::vector<HeadReport> out;
    for (int l = 0; l < n_layers_; ++l)
        for (int h = 0; h < n_heads_; ++h) {
            const Sums& s = sums_[static_cast<std::size_t>(l * n_heads_ + h)];
            HeadReport r;
            r.layer = l;
            r.head = h;
            r.previous_token = score_of(s.hits[k_prev], s.mass[k_prev], s.n[k_prev]);
            r.first_token = score_of(s.hits[k_first], s.mass[k_first], s.n[k_first]);
            r.referent = score_of(s.hits[k_referent], s.mass[k_referent], s.n[k_referent]);
            r.agreement = score_of(s.hits[k_agreement], s.mass[k_agreement], s.n[k_agreement]);
            r.induction = score_of(s.hits[k_induction], s.mass[k_induction], s.n[k_induction]);
            r.n_rows = s.n_rows;
            r.entropy = s.n_rows > 0 ? s.entropy / static_cast<double>(s.n_rows) : 0.0;
            r.label = choose_label(r);
            out.push_back(r);
        }
    return out;
}

HeadLabel choose_label(const HeadReport& r) {
    const std::pair<const ProbeScore*, HeadLabel> order[] = {
        {&r.referent, HeadLabel::Referent},      {&r.agreement, HeadLabel::Agreement},
        {&r.induction, HeadLabel::Induction},    {&r.previous_token, HeadLabel::PreviousToken},
        {&r.first_token, HeadLabel::FirstToken},
    };
    const ProbeScore* best = nullptr;
    HeadLabel label = HeadLabel::Mixed;
    for (const auto& [score, l] : order)
        if (score->n > 0 && (!best || score->hit > best->hit)) {
            best = score;
            label = l;
        }
    if (best && best->hit >= k_label_hit) return label;
    if (r.n_rows > 0 && r.entropy >= k_probe_broad_entropy) return HeadLabel::Broad;
    return HeadLabel::Mixed;
}

std::string_view label_name(HeadLabel l) {
    switch (l) {
    case HeadLabel::PreviousToken:
        return "previous-token";
    case HeadLabel::FirstToken:
        return "first-token";
    case HeadLabel::Referent:
        return "referent";
    case HeadLabel::Agreement:
        return "agreement";
    case HeadLabel::Induction:
        return "induction";
    case HeadLabel::Broad:
        return "broad";
    case HeadLabel::Mixed:
        return "mixed";
    }
    return "?";
}

std::string_view label_meaning(HeadLabel l) {
    switch (l) {
    case HeadLabel::PreviousToken:
        return "Each word mostly looks at the word just before it: a positional head.";
    case HeadLabel::FirstToken:
        return "Most words look at the first token, a resting place when nothing else is useful.";
    case HeadLabel::Referent:
        return "At \"it\" this head looks at the noun \"it\" means: a semantic head.";
    case HeadLabel::Agreement:
        return "At a verb this head looks at its subject, which decides is or are: a syntactic head.";
    case HeadLabel::Induction:
        return "At a repeated token this head looks at what followed it last time, to copy it.";
    case HeadLabel::Broad:
        return "Attention is spread over many words: this head averages rather than picks.";
    case HeadLabel::Mixed:
        return "No single pattern dominates: this head does several things, or nothing we probe for.";
    }
    return "";
}

} // namespace attn

// Attributions of a trained model's answer (explain.hpp): attention per head, rollout, leave-one-out,
// gradient × input through backward(), rank correlations and single-head ablation.
#include "explain.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace attn::train {

namespace {

constexpr float k_nan = std::numeric_limits<float>::quiet_NaN();

// Ranks 0..n-1 by value; tied values share the mean of their ranks.
std::vector<double> ranks(const RowVector& v) {
    const std::size_t n = static_cast<std::size_t>(v.size());
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return v(static_cast<Eigen::Index>(a)) < v(static_cast<Eigen::Index>(b));
    });
    std::vector<double> r(n);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j + 1 < n &&
               v(static_cast<Eigen::Index>(order[j + 1])) == v(static_cast<Eigen::Index>(order[i])))
            ++j;
        const double mean_rank = 0.5 * static_cast<double>(i + j);
        for (std::size_t k = i; k <= j; ++k)
            r[order[k]] = mean_rank;
        i = j + 1;
    }
    return r;
}

// log softmax(logits[position])[answer], in double.
double answer_log_prob(const Matrix& logits, int position, int answer) {
    const auto row = logits.row(position).cast<double>();
    const double top = row.maxCoeff();
    const double log_sum = top + std::log((row.array() - top).exp().sum());
    return row(answer) - log_sum;
}

int argmax(const Matrix& logits, int position) {
    Eigen::Index arg = 0;
    logits.row(position).maxCoeff(&arg);
    return static_cast<int>(arg);
}

RowVector magnitude(const RowVector& v) {
    return v.cwiseAbs();
}

std::vector<Explanation> explain_positions(const TinyModel& m, const std::vector<int>& ids,
                                           const std::vector<int>& positions) {
    const ModelConfig& c = m.config;
    const int n = static_cast<int>(ids.size());
    ATTN_CHECK(n > 0 && c.vocab_size > 0);
    const ForwardResult base = forward(m, ids);
    const Matrix rollout = attention_rollout(base);
    const int n_switches = c.n_layers * c.n_heads;

    std::vector<Explanation> out;
    out.reserve(positions.size());
    for (const int pos : positions) {
        ATTN_CHECK(pos >= 0 && pos < n);
        Explanation e;
        e.position = pos;
        e.answer = argmax(base.logits, pos);
        e.answer_prob = static_cast<float>(std::exp(answer_log_prob(base.logits, pos, e.answer)));
        e.mean_attention = Matrix::Zero(c.n_layers, n);
        for (int l = 0; l < c.n_layers; ++l) {
            Matrix a(c.n_heads, n); // (n_heads, n_tokens)
            for (int h = 0; h < c.n_heads; ++h)
                a.row(h) =
                    base.layers[static_cast<std::size_t>(l)].heads[static_cast<std::size_t>(h)].weights.row(
                        pos);
            e.mean_attention.row(l) = a.colwise().mean();
            e.attention.push_back(std::move(a));
        }
        e.rollout = rollout.row(pos);
        e.leave_one_out = RowVector::Zero(n);
        e.loo_answer.assign(static_cast<std::size_t>(n), e.answer);
        e.head_off_prob.assign(static_cast<std::size_t>(n_switches), 0.0f);
        e.head_drop.assign(static_cast<std::size_t>(n_switches), 0.0f);

        // gradient × input: backward() of NLL = −log p(answer) gives −∂log p/∂x0; x0_j = e_j (+ positions)
        ModelWeights grad = zeros_like(m.weights);
        Matrix d_x0;
        backward(c, m.weights, base, {Target{pos, e.answer}}, 1.0f, {}, grad, &d_x0);
        e.grad_x_input = RowVector::Zero(n);
        for (int j = 0; j < n; ++j)
            e.grad_x_input(j) =
                -m.weights.token_embedding.row(ids[static_cast<std::size_t>(j)]).dot(d_x0.row(j));
        out.push_back(std::move(e));
    }

    // leave-one-out: one pass per token serves every position
    for (int j = 0; j < n; ++j) {
        if (ids[static_cast<std::size_t>(j)] == 0) continue; // already <unk>: nothing is removed
        std::vector<int> without = ids;
        without[static_cast<std::size_t>(j)] = 0;
        ForwardOptions opt;
        opt.head_stats = false;
        const ForwardResult f = forward(m, without, opt);
        for (Explanation& e : out) {
            const double before = answer_log_prob(base.logits, e.position, e.answer);
            e.leave_one_out(j) = static_cast<float>(answer_log_prob(f.logits, e.position, e.answer) - before);
            e.loo_answer[static_cast<std::size_t>(j)] = argmax(f.logits, e.position);
        }
    }
    // each head off alone
    for (int s = 0; s < n_switches; ++s) {
        ForwardOptions opt;
        opt.head_enabled.assign(static_cast<std::size_t>(n_switches), 1);
        opt.head_enabled[static_cast<std::size_t>(s)] = 0;
        opt.head_stats = false;
        const ForwardResult f = forward(m, ids, opt);
        for (Explanation& e : out) {
            const auto p = static_cast<float>(std::exp(answer_log_prob(f.logits, e.position, e.answer)));
            e.head_off_prob[static_cast<std::size_t>(s)] = p;
            e.head_drop[static_cast<std::size_t>(s)] = e.answer_prob - p;
        }
    }
    for (Explanation& e : out) {
        const RowVector last = e.mean_attention.row(c.n_layers - 1);
        const RowVector loo = magnitude(e.leave_one_out), gxi = magnitude(e.grad_x_input);
        e.rank = {spearman(last, loo), spearman(last, gxi), spearman(e.rollout, loo),
                  spearman(e.rollout, gxi)};
    }
    return out;
}

} // namespace

Matrix attention_rollout(const ForwardResult& f) {
    ATTN_CHECK(!f.layers.empty());
    const Eigen::Index n = f.x0.rows();
    Matrix r = Matrix::Identity(n, n); // (n_tokens, n_tokens)
    for (const LayerResult& layer : f.layers) {
        Matrix a = Matrix::Zero(n, n);
        for (const HeadResult& h : layer.heads)
            a += h.weights;
        a = 0.5f * a / static_cast<float>(layer.heads.size()) + 0.5f * Matrix::Identity(n, n);
        for (Eigen::Index i = 0; i < n; ++i)
            if (const float sum = a.row(i).sum(); sum > 0.0f) a.row(i) /= sum;
        Matrix next(n, n);
        next.noalias() = a * r; // R_l = Ã_l R_{l-1}
        r = std::move(next);
    }
    return r;
}

float spearman(const RowVector& a, const RowVector& b) {
    if (a.size() != b.size() || a.size() < 2) return k_nan;
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    const double n = static_cast<double>(ra.size());
    const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n,
                 mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    if (!(saa > 0.0) || !(sbb > 0.0)) return k_nan;
    return static_cast<float>(sab / std::sqrt(saa * sbb));
}

Explanation explain(const TinyModel& m, const std::vector<int>& ids, int position) {
    return std::move(explain_positions(m, ids, {position}).front());
}

std::vector<Explanation> explain_all(const TinyModel& m, const std::vector<int>& ids) {
    std::vector<int> positions(ids.size());
    std::iota(positions.begin(), positions.end(), 0);
    return explain_positions(m, ids, positions);
}

} // namespace attn::train

// Display data for the visual panels (see views.hpp): every function reads Derived results and returns
// plain values, so the panels only draw and the arithmetic is tested without a window.
#include "views.hpp"

#include "app/i18n/i18n.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

namespace {
constexpr float k_nan = std::numeric_limits<float>::quiet_NaN();
constexpr float k_neg_inf = -std::numeric_limits<float>::infinity();
} // namespace

std::vector<float> masked_weights(const Matrix& scores, const Eigen::Ref<const Matrix>& weights) {
    const bool known = scores.size() != 0; // imported weights come without scores: nothing is masked
    ATTN_CHECK(!known || (scores.rows() == weights.rows() && scores.cols() == weights.cols()));
    std::vector<float> out(static_cast<std::size_t>(weights.size()));
    for (Eigen::Index i = 0; i < weights.size(); ++i) {
        const float s = known ? scores.data()[i] : 0.0f, w = weights.data()[i];
        out[static_cast<std::size_t>(i)] = cell_overflowed(s, w) ? k_overflow_cell
                                           : std::isinf(s)       ? k_nan
                                                                 : w;
    }
    return out;
}

bool cell_overflowed(float score, float weight) {
    return !std::isfinite(weight) || std::isnan(score) || score == std::numeric_limits<float>::infinity();
}

float apply_contrast(std::vector<float>& v, int rows, int cols, Contrast mode) {
    ATTN_CHECK(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols) == v.size());
    auto max_of = [&](std::size_t begin, std::size_t end) {
        float m = 0.0f;
        for (std::size_t k = begin; k < end; ++k)
            if (std::isfinite(v[k])) m = std::max(m, v[k]);
        return m;
    };
    auto divide = [&](std::size_t begin, std::size_t end, float m) {
        if (m <= 0.0f) return; // an all-zero (or all-masked) block stays as it is
        for (std::size_t k = begin; k < end; ++k)
            v[k] /= m;
    };
    const auto c = static_cast<std::size_t>(cols);
    if (mode == Contrast::Row) {
        for (std::size_t r = 0; r < static_cast<std::size_t>(rows); ++r)
            divide(r * c, (r + 1) * c, max_of(r * c, (r + 1) * c));
        return 1.0f;
    }
    if (mode == Contrast::Whole) {
        const float m = max_of(0, v.size());
        divide(0, v.size(), m);
        return m > 0.0f ? m : 1.0f;
    }
    return 1.0f;
}

HeadMean mean_over_heads(const LayerResult& layer) {
    ATTN_CHECK(!layer.heads.empty());
    const ConstMatrixMap first = weights_of(layer.heads.front());
    HeadMean m;
    m.weights = Matrix::Zero(first.rows(), first.cols());
    m.scores = Matrix::Constant(first.rows(), first.cols(), k_neg_inf);
    for (const HeadResult& h : layer.heads) {
        m.weights += weights_of(h);
        // a cell is visible when any head sees it (with shared masks: when every head does); a head without
        // scores (imported weights) hides nothing
        if (h.scores.size() == 0)
            m.scores.setZero();
        else
            m.scores = (h.scores.array().isInf()).select(m.scores, Matrix::Zero(first.rows(), first.cols()));
    }
    m.weights /= static_cast<float>(layer.heads.size());
    return m;
}

DotTerms dot_terms(const ModelConfig& c, const HeadResult& h, int head_index, int i, int j) {
    ATTN_CHECK(i >= 0 && i < h.q.rows() && j >= 0 && j < h.k.rows());
    DotTerms t;
    const auto d_head = h.q.cols();
    t.products.resize(static_cast<std::size_t>(d_head));
    double sum = 0;
    for (Eigen::Index d = 0; d < d_head; ++d) {
        const float p = h.q(i, d) * h.k(j, d);
        t.products[static_cast<std::size_t>(d)] = p;
        sum += p;
    }
    t.dot = static_cast<float>(sum);
    t.scale = score_scale(c);
    t.bias = c.positions == PositionKind::Alibi ? alibi_bias(alibi_slope(head_index, c.n_heads), i, j) : 0.0f;
    t.masked = h.scores.size() != 0 && std::isinf(h.scores(i, j));
    t.score = t.masked ? k_neg_inf : t.scale * t.dot + t.bias;
    t.weight = weights_of(h)(i, j);
    return t;
}

namespace {
bool head_shown(const std::vector<std::uint8_t>& head_visible, int h) {
    return head_visible.empty() ||
           (h < static_cast<int>(head_visible.size()) && head_visible[static_cast<std::size_t>(h)]);
}
} // namespace

std::vector<ArcLine> arc_lines(const LayerResult& layer, const std::vector<std::uint8_t>& head_visible,
                               float min_weight, int focus_query, int focus_key) {
    std::vector<ArcLine> lines;
    for (int h = 0; h < static_cast<int>(layer.heads.size()); ++h) {
        if (!head_shown(head_visible, h)) continue;
        const ConstMatrixMap w = weights_of(layer.heads[static_cast<std::size_t>(h)]); // (n, n)
        const int n_rows = static_cast<int>(w.rows()), n_cols = static_cast<int>(w.cols());
        // a focused token visits one row or one column, not the whole matrix
        const int i0 = focus_query >= 0 ? focus_query : 0, i1 = focus_query >= 0 ? focus_query + 1 : n_rows;
        const int j0 = focus_key >= 0 ? focus_key : 0, j1 = focus_key >= 0 ? focus_key + 1 : n_cols;
        for (int i = i0; i < std::min(i1, n_rows); ++i)
            for (int j = j0; j < std::min(j1, n_cols); ++j)
                if (w(i, j) >= min_weight && w(i, j) > 0.0f) lines.push_back({h, i, j, w(i, j)});
    }
    return lines;
}

ArcTopK arc_top_k(const LayerResult& layer, const std::vector<std::uint8_t>& head_visible, float min_weight,
                  int k) {
    ArcTopK out;
    k = std::max(k, 1);
    std::vector<std::pair<float, int>> best; // (weight, key), strongest first, at most k
    const int n_heads = static_cast<int>(layer.heads.size());
    const int n_rows = n_heads > 0 ? static_cast<int>(weights_of(layer.heads[0]).rows()) : 0;
    for (int i = 0; i < n_rows; ++i) {
        for (int h = 0; h < n_heads; ++h) {
            if (!head_shown(head_visible, h)) continue;
            const ConstMatrixMap w = weights_of(layer.heads[static_cast<std::size_t>(h)]); // (n, n)
            best.clear();
            std::size_t over = 0;
            for (int j = 0; j < w.cols(); ++j) {
                const float x = w(i, j);
                if (!(x >= min_weight && x > 0.0f)) continue;
                ++over;
                if (static_cast<int>(best.size()) == k && x <= best.back().first) continue;
                auto at = best.begin();
                while (at != best.end() && at->first >= x)
                    ++at;
                best.insert(at, {x, j});
                if (static_cast<int>(best.size()) > k) best.pop_back();
            }
            out.left_out += over - best.size();
            for (const auto& [x, j] : best)
                out.lines.push_back({h, i, j, x, true, x / best.front().first});
        }
    }
    return out;
}

float arc_row_y(int index, int n, float top, float bottom) {
    if (n <= 0) return top;
    return top + (bottom - top) * (static_cast<float>(index) + 0.5f) / static_cast<float>(n);
}

int arc_curve_segments(float height, int most) {
    const float h = std::abs(height);
    if (h < 0.5f) return 1;
    return std::clamp(static_cast<int>(std::ceil(std::sqrt(1.44f * h))), std::min(2, most), most);
}

int arc_row_at(float y, int n, float top, float bottom) {
    if (n <= 0 || bottom <= top || y < top || y >= bottom) return -1;
    return std::min(n - 1, static_cast<int>((y - top) / (bottom - top) * static_cast<float>(n)));
}

const char* stage_title(Stage s) {
    switch (s) {
    case Stage::Input:
        return "X";
    case Stage::Project:
        return "Q, K, V";
    case Stage::Dot:
        return "q·k";
    case Stage::Scale:
        return "÷√d_head";
    case Stage::Mask:
        return N_("mask");
    case Stage::Softmax:
        return N_("softmax");
    case Stage::WeightedSum:
        return N_("Σ weight·v");
    case Stage::Concat:
        return N_("concat heads");
    case Stage::OutputProj:
        return "W_O";
    }
    return "?";
}

const char* stage_formula(Stage s) {
    switch (s) {
    case Stage::Input:
        return "x_i = LayerNorm(embedding_i + position_i)";
    case Stage::Project:
        return "q_i = x_i W_Q,   k_j = x_j W_K,   v_j = x_j W_V";
    case Stage::Dot:
        return "s_ij = q_i · k_j = Σ_d q_i,d k_j,d";
    case Stage::Scale:
        return N_("s_ij ← s_ij / √d_head  (÷ temperature)");
    case Stage::Mask:
        return N_("s_ij ← s_ij + bias_ij, or -∞ where key j is hidden");
    case Stage::Softmax:
        return "w_ij = exp(s_ij - max) / Σ_j exp(s_ij - max)";
    case Stage::WeightedSum:
        return "o_i = Σ_j w_ij v_j";
    case Stage::Concat:
        return N_("[o_i(head 1), ..., o_i(head H)]");
    case Stage::OutputProj:
        return "y_i = concat_i W_O,   x_i ← x_i + y_i";
    }
    return "?";
}

QueryTrace trace_query(const ModelConfig& c, const LayerResult& layer, int head, int i) {
    ATTN_CHECK(head >= 0 && head < static_cast<int>(layer.heads.size()));
    const HeadResult& h = layer.heads[static_cast<std::size_t>(head)];
    ATTN_CHECK(i >= 0 && i < h.q.rows());
    QueryTrace t;
    t.scale = score_scale(c);
    t.x = layer.x_norm.row(i);
    t.q = h.q.row(i);
    t.dots.resize(h.k.rows());
    t.dots.noalias() = t.q * h.k.transpose(); // (1, d_head) (d_head, n)
    t.scaled = t.dots * t.scale;
    t.scores = h.scores.row(i);
    t.weights = weights_of(h).row(i);
    t.head_out.resize(h.v.cols());
    t.head_out.noalias() = t.weights * h.v; // (1, n) (n, d_head)
    t.concat = layer.concat.row(i);
    t.attn_out = layer.attn_out.row(i);
    return t;
}

float plane_extent(const std::vector<RowVector>& vectors, float minimum) {
    float m = minimum;
    for (const RowVector& v : vectors)
        for (Eigen::Index d = 0; d < v.size(); ++d)
            if (std::isfinite(v(d))) m = std::max(m, std::abs(v(d)));
    return std::ceil(m * 1.15f * 2.0f) / 2.0f;
}

} // namespace attn

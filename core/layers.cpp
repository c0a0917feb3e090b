// Forward/backward pairs of the transformer's layers (see layers.hpp). Each backward is checked against
// finite differences of its forward in tests/core/test_layers_grad.cpp.
#include "layers.hpp"
#include "kernels.hpp"

#include "rng.hpp"
#include "tokenizer.hpp"

#include <cmath>
#include <limits>

namespace attn {

namespace {
constexpr float k_neg_inf = -std::numeric_limits<float>::infinity();
}

// ---- embeddings ---------------------------------------------------------------------------------------
RowVector word_embedding(std::string_view word, int d_model, std::uint64_t seed) {
    Rng rng(mix_seed(seed, hash_string(normalize_word(word))));
    RowVector e(d_model);
    for (int d = 0; d < d_model; ++d)
        e(d) = static_cast<float>(rng.normal());
    return e;
}

Matrix embedding_forward(const Matrix& table, const std::vector<int>& ids) {
    Matrix x(static_cast<Eigen::Index>(ids.size()), table.cols()); // (n_tokens, d_model)
    for (std::size_t i = 0; i < ids.size(); ++i) {
        ATTN_CHECK(ids[i] >= 0 && ids[i] < table.rows());
        x.row(static_cast<Eigen::Index>(i)) = table.row(ids[i]);
    }
    return x;
}

void embedding_backward(const Matrix& dx, const std::vector<int>& ids, Matrix& d_table) {
    for (std::size_t i = 0; i < ids.size(); ++i)
        d_table.row(ids[i]) += dx.row(static_cast<Eigen::Index>(i));
}

// ---- positions ----------------------------------------------------------------------------------------
Matrix sinusoidal_positions(int n_tokens, int d_model) {
    Matrix pe(n_tokens, d_model);
    for (int pos = 0; pos < n_tokens; ++pos)
        for (int d = 0; d < d_model; ++d) {
            const double freq = std::pow(10000.0, -static_cast<double>(d - d % 2) / d_model);
            pe(pos, d) = static_cast<float>(d % 2 == 0 ? std::sin(pos * freq) : std::cos(pos * freq));
        }
    return pe;
}

void learned_positions_forward(Matrix& x, const Matrix& table) {
    ATTN_CHECK(table.rows() > 0 && table.cols() == x.cols());
    for (Eigen::Index i = 0; i < x.rows(); ++i)
        x.row(i) += table.row(i % table.rows());
}

void learned_positions_backward(const Matrix& dx, Matrix& d_table) {
    for (Eigen::Index i = 0; i < dx.rows(); ++i)
        d_table.row(i % d_table.rows()) += dx.row(i);
}

RopeTable rope_table(int n_tokens, int d_head) {
    const int half = d_head / 2;
    RopeTable t{Matrix(n_tokens, half), Matrix(n_tokens, half)};
    for (int d = 0; d < half; ++d) {
        const double inv_freq = std::pow(10000.0, -2.0 * d / static_cast<double>(2 * half)); // θ_d
        for (int pos = 0; pos < n_tokens; ++pos) {
            t.cos(pos, d) = static_cast<float>(std::cos(pos * inv_freq));
            t.sin(pos, d) = static_cast<float>(std::sin(pos * inv_freq));
        }
    }
    return t;
}

namespace {
// (a, b) -> (a cos - sign·b sin, b cos + sign·a sin), a = x[:half], b = x[half:2·half]; sign -1 rotates back
void rotate_half(Matrix& x, const RopeTable& t, float sign) {
    const Eigen::Index half = t.cos.cols();
    ATTN_CHECK(t.cos.rows() >= x.rows() && 2 * half <= x.cols());
    if (half == 0) return; // d_head = 1 has no pair to rotate
    for (Eigen::Index pos = 0; pos < x.rows(); ++pos) {
        const RowVector a = x.row(pos).head(half), b = x.row(pos).segment(half, half);
        const RowVector s = sign * t.sin.row(pos);
        x.row(pos).head(half) = a.cwiseProduct(t.cos.row(pos)) - b.cwiseProduct(s);
        x.row(pos).segment(half, half) = b.cwiseProduct(t.cos.row(pos)) + a.cwiseProduct(s);
    }
}
} // namespace

void apply_rope(Matrix& x, const RopeTable& t) {
    rotate_half(x, t, 1.0f);
}
void apply_rope(Matrix& x) {
    apply_rope(x, rope_table(static_cast<int>(x.rows()), static_cast<int>(x.cols())));
}
void rope_backward(Matrix& dy, const RopeTable& t) {
    rotate_half(dy, t, -1.0f);
}

float alibi_slope(int h, int n_heads) {
    return static_cast<float>(std::pow(2.0, -8.0 * (h + 1) / static_cast<double>(n_heads)));
}

// ---- LayerNorm ----------------------------------------------------------------------------------------
Matrix layer_norm_forward(const Matrix& x, const RowVector& gain, const RowVector& bias,
                          LayerNormCache* cache) {
    const Eigen::Index n = x.rows(), d = x.cols();
    Matrix y(n, d);
    if (cache) {
        cache->xhat.resize(n, d);
        cache->rstd.resize(n);
    }
    for (Eigen::Index i = 0; i < n; ++i) {
        const float mean = x.row(i).mean();
        const float var = (x.row(i).array() - mean).square().mean();
        const float rstd = 1.0f / std::sqrt(var + k_layer_norm_eps);
        const RowVector xhat = (x.row(i).array() - mean) * rstd;
        y.row(i) = xhat.array() * gain.array() + bias.array();
        if (cache) {
            cache->xhat.row(i) = xhat;
            cache->rstd(i) = rstd;
        }
    }
    return y;
}

void layer_norm_backward(const Matrix& dy, const LayerNormCache& c, const RowVector& gain, RowVector& d_gain,
                         RowVector& d_bias, Matrix& dx) {
    for (Eigen::Index i = 0; i < dy.rows(); ++i) {
        const RowVector dxhat = dy.row(i).cwiseProduct(gain);
        d_gain += dy.row(i).cwiseProduct(c.xhat.row(i));
        d_bias += dy.row(i);
        const float m1 = dxhat.mean();
        const float m2 = dxhat.cwiseProduct(c.xhat.row(i)).mean();
        dx.row(i).array() += c.rstd(i) * (dxhat.array() - m1 - c.xhat.row(i).array() * m2);
    }
}

// ---- softmax ------------------------------------------------------------------------------------------
void softmax_rows(Matrix& m) {
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        auto row = m.row(i);
        const float mx = row.maxCoeff();
        if (mx == k_neg_inf) { // every key masked
            row.setZero();
            continue;
        }
        // w_j = exp(s_j - max) / Σ_k exp(s_k - max); exp(-inf) = 0 keeps masked entries at 0
        row = (row.array() - mx).exp();
        row /= row.sum();
    }
}

Matrix softmax_rows_backward(const Matrix& p, const Matrix& dp) {
    const Vector rs = p.cwiseProduct(dp).rowwise().sum(); // (n_q)
    return p.cwiseProduct(dp - rs.replicate(1, p.cols()));
}

// ---- attention of one head ----------------------------------------------------------------------------
void attention_head_backward(const Matrix& q, const Matrix& k, const Matrix& v, const Matrix& weights,
                             float scale, const Matrix& d_out, Matrix& dq, Matrix& dk, Matrix& dv) {
    Matrix dp(weights.rows(), weights.cols()); // (n_q, n_k)
    kernels::matmul(d_out, false, v, true, dp);
    kernels::matmul(weights, true, d_out, false, dv, 1.0f, 1.0f);
    Matrix ds = softmax_rows_backward(weights, dp); // (n_q, n_k); the ALiBi bias is constant
    ds *= scale;
    kernels::matmul(ds, false, k, false, dq, 1.0f, 1.0f);
    kernels::matmul(ds, true, q, false, dk, 1.0f, 1.0f);
}

// ---- MLP ----------------------------------------------------------------------------------------------
Matrix mlp_forward(const Matrix& x, const Matrix& w1, const RowVector& b1, const Matrix& w2,
                   const RowVector& b2, MlpCache* cache) {
    MlpCache local;
    MlpCache& c = cache ? *cache : local;
    c.pre.resize(x.rows(), w1.cols());
    kernels::matmul(x, false, w1, false, c.pre);
    c.pre.rowwise() += b1;
    c.act = c.pre.cwiseMax(0.0f);
    Matrix y(x.rows(), w2.cols());
    kernels::matmul(c.act, false, w2, false, y);
    y.rowwise() += b2;
    return y;
}

void mlp_backward(const Matrix& dy, const Matrix& x, const MlpCache& c, const Matrix& w1, const Matrix& w2,
                  Matrix& d_w1, RowVector& d_b1, Matrix& d_w2, RowVector& d_b2, Matrix& dx) {
    kernels::matmul(c.act, true, dy, false, d_w2, 1.0f, 1.0f);
    d_b2 += dy.colwise().sum();
    Matrix d_pre(dy.rows(), w2.rows()); // (n, d_ff)
    kernels::matmul(dy, false, w2, true, d_pre);
    d_pre = d_pre.cwiseProduct((c.pre.array() > 0.0f).cast<float>().matrix()); // relu'
    kernels::matmul(x, true, d_pre, false, d_w1, 1.0f, 1.0f);
    d_b1 += d_pre.colwise().sum();
    kernels::matmul(d_pre, false, w1, true, dx, 1.0f, 1.0f);
}

// ---- output head and cross-entropy --------------------------------------------------------------------
Matrix linear_forward(const Matrix& x, const Matrix& w, const RowVector& b) {
    Matrix y(x.rows(), w.cols());
    kernels::matmul(x, false, w, false, y);
    y.rowwise() += b;
    return y;
}

void linear_backward(const Matrix& dy, const Matrix& x, const Matrix& w, Matrix& d_w, RowVector& d_b,
                     Matrix& dx) {
    kernels::matmul(x, true, dy, false, d_w, 1.0f, 1.0f);
    d_b += dy.colwise().sum();
    kernels::matmul(dy, false, w, true, dx, 1.0f, 1.0f);
}

double cross_entropy(const Matrix& logits, const std::vector<Target>& targets) {
    double sum = 0;
    for (const Target& t : targets) {
        const Eigen::RowVectorXd row = logits.row(t.pos).cast<double>();
        const double mx = row.maxCoeff();
        sum += mx + std::log((row.array() - mx).exp().sum()) - row(t.token);
    }
    return sum;
}

double cross_entropy_backward(const Matrix& logits, const std::vector<Target>& targets, float weight,
                              Matrix& d_logits) {
    double nll = 0;
    for (const Target& t : targets) {
        const RowVector row = logits.row(t.pos); // (vocab)
        const float mx = row.maxCoeff();
        const RowVector e = (row.array() - mx).exp().matrix();
        const float sum = e.sum();
        nll += static_cast<double>(std::log(sum) + mx - row(t.token)); // −log softmax, without underflow
        d_logits.row(t.pos) += (weight / sum) * e;
        d_logits(t.pos, t.token) -= weight;
    }
    return nll;
}

} // namespace attn

// Embeddings, positions, weights and the forward pass of the attention stack (see model.hpp).
#include "model.hpp"

#include "rng.hpp"
#include "tokenizer.hpp"

#include <chrono>
#include <cmath>

namespace attn {

namespace {

Matrix random_matrix(Rng& rng, int rows, int cols, double stddev) {
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(rng.normal() * stddev);
    return m;
}

} // namespace

ModelWeights make_weights(const ModelConfig& c) {
    const int d_head = head_dim(c);
    ModelWeights w;
    Rng rng(mix_seed(c.seed, 0xA77E57ull));
    const double proj_std = 1.0 / std::sqrt(static_cast<double>(c.d_model));
    const double out_std = 1.0 / std::sqrt(static_cast<double>(c.n_heads * d_head));
    for (int l = 0; l < c.n_layers; ++l) {
        LayerWeights lw;
        lw.w_q = random_matrix(rng, c.d_model, c.n_heads * d_head, proj_std);
        lw.w_k = random_matrix(rng, c.d_model, c.n_kv_heads * d_head, proj_std);
        lw.w_v = random_matrix(rng, c.d_model, c.n_kv_heads * d_head, proj_std);
        lw.w_o = random_matrix(rng, c.n_heads * d_head, c.d_model, out_std);
        lw.ln_gain = RowVector::Ones(c.d_model);
        lw.ln_bias = RowVector::Zero(c.d_model);
        w.layers.push_back(std::move(lw));
    }
    if (c.positions == PositionKind::Learned)
        w.learned_positions = random_matrix(rng, c.max_positions, c.d_model, 1.0);
    return w;
}

RowVector word_embedding(std::string_view word, int d_model, std::uint64_t seed) {
    Rng rng(mix_seed(seed, hash_string(normalize_word(word))));
    RowVector e(d_model);
    for (int d = 0; d < d_model; ++d) e(d) = static_cast<float>(rng.normal());
    return e;
}

Matrix sinusoidal_positions(int n_tokens, int d_model) {
    Matrix pe(n_tokens, d_model);
    for (int pos = 0; pos < n_tokens; ++pos)
        for (int d = 0; d < d_model; ++d) {
            const double freq = std::pow(10000.0, -static_cast<double>(d - d % 2) / d_model);
            pe(pos, d) = static_cast<float>(d % 2 == 0 ? std::sin(pos * freq) : std::cos(pos * freq));
        }
    return pe;
}

Matrix embed_tokens(const std::vector<std::string>& tokens, const ModelConfig& c, const ModelWeights& w) {
    const int n = static_cast<int>(tokens.size());
    Matrix x(n, c.d_model); // (n_tokens, d_model)
    for (int i = 0; i < n; ++i) x.row(i) = word_embedding(tokens[static_cast<std::size_t>(i)], c.d_model, c.seed);
    if (c.positions == PositionKind::Sinusoidal) {
        x += sinusoidal_positions(n, c.d_model);
    } else if (c.positions == PositionKind::Learned) {
        for (int i = 0; i < n; ++i) x.row(i) += w.learned_positions.row(i % w.learned_positions.rows());
    }
    return x;
}

void apply_rope(Matrix& x) {
    const int half = static_cast<int>(x.cols()) / 2;
    if (half == 0) return; // d_head = 1 has no pair to rotate
    for (int pos = 0; pos < x.rows(); ++pos)
        for (int d = 0; d < half; ++d) {
            const double theta = pos * std::pow(10000.0, -2.0 * d / static_cast<double>(2 * half));
            const float cs = static_cast<float>(std::cos(theta)), sn = static_cast<float>(std::sin(theta));
            const float a = x(pos, d), b = x(pos, d + half);
            // rotate_half: (a, b) -> (a cos - b sin, b cos + a sin)
            x(pos, d) = a * cs - b * sn;
            x(pos, d + half) = b * cs + a * sn;
        }
}

float alibi_slope(int h, int n_heads) {
    return static_cast<float>(std::pow(2.0, -8.0 * (h + 1) / static_cast<double>(n_heads)));
}

Matrix layer_norm(const Matrix& x, const RowVector& gain, const RowVector& bias) {
    Matrix y(x.rows(), x.cols());
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const float mean = x.row(i).mean();
        const float var = (x.row(i).array() - mean).square().mean();
        y.row(i) = ((x.row(i).array() - mean) / std::sqrt(var + 1e-5f)) * gain.array() + bias.array();
    }
    return y;
}

ForwardResult forward(const ModelConfig& c, const ModelWeights& w, const Matrix& x0, const ForwardOptions& opt) {
    ATTN_CHECK(validate(c).empty());
    ATTN_CHECK(static_cast<int>(w.layers.size()) == c.n_layers);
    const int n = static_cast<int>(x0.rows());
    const int d_head = head_dim(c);
    ForwardResult r;
    r.x0 = x0;
    Matrix x = x0; // (n_tokens, d_model) residual stream
    AttentionParams params;
    params.scale = score_scale(c);
    params.mask.kind = c.mask;
    params.mask.window = c.window;
    params.mask.key_valid = opt.key_valid;
    FlashOptions flash{c.flash_block_q, c.flash_block_k, 0};
    for (int l = 0; l < c.n_layers; ++l) {
        const LayerWeights& lw = w.layers[static_cast<std::size_t>(l)];
        LayerResult lr;
        lr.x_in = x;
        lr.x_norm = layer_norm(x, lw.ln_gain, lw.ln_bias);
        Matrix q_all(n, c.n_heads * d_head), k_all(n, c.n_kv_heads * d_head), v_all(n, c.n_kv_heads * d_head);
        q_all.noalias() = lr.x_norm * lw.w_q;
        k_all.noalias() = lr.x_norm * lw.w_k;
        v_all.noalias() = lr.x_norm * lw.w_v;
        lr.concat = Matrix::Zero(n, c.n_heads * d_head);
        for (int h = 0; h < c.n_heads; ++h) {
            HeadResult hr;
            hr.kv_head = kv_head_of(c, h);
            const std::size_t flat = static_cast<std::size_t>(l * c.n_heads + h);
            hr.enabled = opt.head_enabled.empty() || opt.head_enabled.at(flat) != 0;
            hr.q = q_all.middleCols(h * d_head, d_head);
            hr.k = k_all.middleCols(hr.kv_head * d_head, d_head);
            hr.v = v_all.middleCols(hr.kv_head * d_head, d_head);
            if (c.positions == PositionKind::Rope) {
                apply_rope(hr.q);
                apply_rope(hr.k);
            }
            for (const VectorOverride& o : opt.overrides) {
                if (o.layer != l || o.token < 0 || o.token >= n || o.value.size() != d_head) continue;
                if (o.kind == 'q' && o.head == h) hr.q.row(o.token) = o.value;
                if (o.kind == 'k' && o.head == hr.kv_head) hr.k.row(o.token) = o.value;
                if (o.kind == 'v' && o.head == hr.kv_head) hr.v.row(o.token) = o.value;
            }
            params.alibi_slope = c.positions == PositionKind::Alibi ? alibi_slope(h, c.n_heads) : 0.0f;
            const auto t0 = std::chrono::steady_clock::now();
            AttentionResult ar = c.implementation == Implementation::Reference
                                     ? attention_reference(hr.q, hr.k, hr.v, params)
                                     : attention_matrix(hr.q, hr.k, hr.v, params);
            if (c.implementation == Implementation::Flash) ar.output = attention_flash(hr.q, hr.k, hr.v, params, flash);
            r.attention_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            hr.scores = std::move(ar.scores);
            hr.weights = std::move(ar.weights);
            hr.output = std::move(ar.output);
            hr.stats = head_stats(hr.weights);
            if (hr.enabled) lr.concat.middleCols(h * d_head, d_head) = hr.output;
            lr.heads.push_back(std::move(hr));
        }
        lr.attn_out.resize(n, c.d_model);
        lr.attn_out.noalias() = lr.concat * lw.w_o;
        lr.x_out = lr.x_in + lr.attn_out;
        x = lr.x_out;
        r.layers.push_back(std::move(lr));
    }
    r.output = std::move(x);
    return r;
}

} // namespace attn

// Embeddings, positions, weights and the forward pass of the attention stack (see model.hpp).
#include "model.hpp"

#include "rng.hpp"
#include "tokenizer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

namespace attn {

namespace {

Matrix random_matrix(Rng& rng, int rows, int cols, double stddev) {
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(rng.normal() * stddev);
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
    for (int d = 0; d < d_model; ++d)
        e(d) = static_cast<float>(rng.normal());
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
    for (int i = 0; i < n; ++i)
        x.row(i) = word_embedding(tokens[static_cast<std::size_t>(i)], c.d_model, c.seed);
    if (c.positions == PositionKind::Sinusoidal) {
        x += sinusoidal_positions(n, c.d_model);
    } else if (c.positions == PositionKind::Learned) {
        for (int i = 0; i < n; ++i)
            x.row(i) += w.learned_positions.row(i % w.learned_positions.rows());
    }
    return x;
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

void apply_rope(Matrix& x, const RopeTable& t) {
    const Eigen::Index half = t.cos.cols();
    ATTN_CHECK(t.cos.rows() >= x.rows() && 2 * half <= x.cols());
    if (half == 0) return; // d_head = 1 has no pair to rotate
    for (Eigen::Index pos = 0; pos < x.rows(); ++pos) {
        // rotate_half: (a, b) -> (a cos - b sin, b cos + a sin), a = x[:half], b = x[half:2·half]
        const RowVector a = x.row(pos).head(half), b = x.row(pos).segment(half, half);
        x.row(pos).head(half) = a.cwiseProduct(t.cos.row(pos)) - b.cwiseProduct(t.sin.row(pos));
        x.row(pos).segment(half, half) = b.cwiseProduct(t.cos.row(pos)) + a.cwiseProduct(t.sin.row(pos));
    }
}

void apply_rope(Matrix& x) {
    apply_rope(x, rope_table(static_cast<int>(x.rows()), static_cast<int>(x.cols())));
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

namespace {

// One product out = a · b of the forward pass, split over column chunks so every thread gets a share.
struct Product {
    const Matrix* a; // (n_tokens, d_in)
    const Matrix* b; // (d_in, d_out)
    Matrix* out;     // (n_tokens, d_out), sized by the caller
};

// The reference form of out[:, c0:c1] = a · b[:, c0:c1]: out_ic = Σ_k a_ik b_kc, one multiply-add at a time.
void product_reference(const Product& p, Eigen::Index c0, Eigen::Index c1) {
    for (Eigen::Index i = 0; i < p.a->rows(); ++i) {
        for (Eigen::Index c = c0; c < c1; ++c)
            (*p.out)(i, c) = 0.0f;
        for (Eigen::Index k = 0; k < p.a->cols(); ++k) {
            const float a_ik = (*p.a)(i, k);
            for (Eigen::Index c = c0; c < c1; ++c)
                (*p.out)(i, c) += a_ik * (*p.b)(k, c);
        }
    }
}

void run_products(WorkerTeam& team, const std::vector<Product>& products, bool reference) {
    const int chunks = team.size();
    team.run(static_cast<int>(products.size()) * chunks, [&](int task, int) {
        const Product& p = products[static_cast<std::size_t>(task / chunks)];
        const Eigen::Index cols = p.b->cols(), chunk = task % chunks;
        // chunk boundaries on multiples of 16 columns keep Eigen's vector kernels on aligned panels
        const auto edge = [&](Eigen::Index c) { return std::min(cols, (cols * c / chunks + 15) / 16 * 16); };
        const Eigen::Index c0 = chunk == 0 ? 0 : edge(chunk),
                           c1 = chunk == chunks - 1 ? cols : edge(chunk + 1);
        if (c1 <= c0) return;
        if (reference)
            product_reference(p, c0, c1);
        else
            p.out->middleCols(c0, c1 - c0).noalias() = (*p.a) * p.b->middleCols(c0, c1 - c0);
    });
}

// Multiply-adds of one pass, to decide whether starting threads pays off.
double forward_flops(const ModelConfig& c, int n) {
    const double d_head = head_dim(c), width = c.n_heads * d_head, kv_width = c.n_kv_heads * d_head;
    return c.n_layers * (2.0 * n * c.d_model * (2.0 * width + 2.0 * kv_width) + 4.0 * n * n * width);
}
// Starting a thread costs 0.1-0.2 ms on the development VM and a 64-token pass takes about 1 ms on one
// core, so forward() starts threads of its own only for passes of more than 1e8 FLOPs per extra thread.
constexpr double k_flops_per_thread_start = 1e8;

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

} // namespace

ForwardResult forward(const ModelConfig& c, const ModelWeights& w, const Matrix& x0,
                      const ForwardOptions& opt) {
    ATTN_CHECK(validate(c).empty());
    ATTN_CHECK(static_cast<int>(w.layers.size()) == c.n_layers);
    ATTN_CHECK(x0.cols() == c.d_model);
    const int n = static_cast<int>(x0.rows());
    const int d_head = head_dim(c), n_heads = c.n_heads, n_kv = c.n_kv_heads;
    const bool reference = c.implementation == Implementation::Reference;

    std::optional<WorkerTeam> own_team;
    WorkerTeam* team = opt.team;
    if (!team) {
        const int wanted = opt.n_threads > 0 ? opt.n_threads : hardware_threads();
        const bool worth_it = forward_flops(c, n) > k_flops_per_thread_start * (wanted - 1);
        team = &own_team.emplace(worth_it ? wanted : 1);
    }

    AttentionParams params;
    params.scale = score_scale(c);
    params.mask.kind = c.mask;
    params.mask.window = c.window;
    if (!opt.key_valid.empty()) { // a mask of the wrong length is completed with real tokens
        params.mask.key_valid = opt.key_valid;
        params.mask.key_valid.resize(static_cast<std::size_t>(n), 1);
    }
    std::vector<float> slopes(static_cast<std::size_t>(n_heads), 0.0f);
    if (c.positions == PositionKind::Alibi)
        for (int h = 0; h < n_heads; ++h)
            slopes[static_cast<std::size_t>(h)] = alibi_slope(h, n_heads);
    const RopeTable rope = c.positions == PositionKind::Rope ? rope_table(n, d_head) : RopeTable{};
    FlashOptions flash{c.flash_block_q, c.flash_block_k, 0, team};

    ForwardResult r;
    r.x0 = x0;
    Matrix x = x0; // (n_tokens, d_model) residual stream
    std::vector<Matrix> q_h(static_cast<std::size_t>(n_heads)), k_h(static_cast<std::size_t>(n_kv)),
        v_h(static_cast<std::size_t>(n_kv)); // (n_tokens, d_head) per head after RoPE and overrides
    for (int l = 0; l < c.n_layers; ++l) {
        const LayerWeights& lw = w.layers[static_cast<std::size_t>(l)];
        LayerResult lr;
        lr.x_in = x;
        lr.x_norm = layer_norm(x, lw.ln_gain, lw.ln_bias);
        // q = x_norm W_Q (n, H·d_head); k = x_norm W_K, v = x_norm W_V (n, H_kv·d_head)
        Matrix q_all(n, n_heads * d_head), k_all(n, n_kv * d_head), v_all(n, n_kv * d_head);
        run_products(
            *team,
            {{&lr.x_norm, &lw.w_q, &q_all}, {&lr.x_norm, &lw.w_k, &k_all}, {&lr.x_norm, &lw.w_v, &v_all}},
            reference);

        // Split into heads; RoPE rotates q and k; dragged vectors replace the computed ones.
        team->run(n_heads + n_kv, [&](int task, int) {
            const bool is_q = task < n_heads;
            const int head = is_q ? task : task - n_heads;
            const auto pick = [&](Matrix& dst, const Matrix& all, char kind, bool rotate) {
                dst = all.middleCols(head * d_head, d_head);
                if (rotate) apply_rope(dst, rope);
                for (const VectorOverride& o : opt.overrides)
                    if (o.layer == l && o.kind == kind && o.head == head && o.token >= 0 && o.token < n &&
                        o.value.size() == d_head)
                        dst.row(o.token) = o.value;
            };
            const bool rotate = c.positions == PositionKind::Rope;
            if (is_q) {
                pick(q_h[static_cast<std::size_t>(head)], q_all, 'q', rotate);
            } else {
                pick(k_h[static_cast<std::size_t>(head)], k_all, 'k', rotate);
                pick(v_h[static_cast<std::size_t>(head)], v_all, 'v', false);
            }
        });

        lr.heads.resize(static_cast<std::size_t>(n_heads));
        std::vector<AttentionResult> att(static_cast<std::size_t>(n_heads));
        const auto run_matrix_or_reference = [&](bool use_reference) {
            team->run(n_heads, [&](int h, int) {
                const std::size_t hs = static_cast<std::size_t>(h),
                                  g = static_cast<std::size_t>(kv_head_of(c, h));
                AttentionParams ph = params;
                ph.alibi_slope = slopes[hs];
                att[hs] = use_reference ? attention_reference(q_h[hs], k_h[g], v_h[g], ph)
                                        : attention_matrix(q_h[hs], k_h[g], v_h[g], ph);
            });
        };
        // Only the selected implementation's attention is timed.
        const auto t0 = Clock::now();
        std::vector<Matrix> flash_out;
        if (c.implementation == Implementation::Flash)
            flash_out = attention_flash_heads(q_h, k_h, v_h, params, flash, slopes);
        else
            run_matrix_or_reference(reference);
        r.attention_ms += ms_since(t0);
        if (c.implementation == Implementation::Flash) run_matrix_or_reference(false); // display weights

        lr.concat = Matrix::Zero(n, n_heads * d_head);
        team->run(n_heads, [&](int h, int) {
            const std::size_t hs = static_cast<std::size_t>(h);
            HeadResult& hr = lr.heads[hs];
            hr.kv_head = kv_head_of(c, h);
            hr.enabled = opt.head_enabled.size() <= static_cast<std::size_t>(l * n_heads + h) ||
                         opt.head_enabled[static_cast<std::size_t>(l * n_heads + h)] != 0;
            hr.q = q_h[hs];
            hr.k = k_h[static_cast<std::size_t>(hr.kv_head)];
            hr.v = v_h[static_cast<std::size_t>(hr.kv_head)];
            hr.scores = std::move(att[hs].scores);
            hr.weights = std::move(att[hs].weights);
            hr.output = c.implementation == Implementation::Flash ? std::move(flash_out[hs])
                                                                  : std::move(att[hs].output);
            hr.stats = head_stats(hr.weights);
            if (hr.enabled)
                lr.concat.middleCols(h * d_head, d_head) = hr.output; // ablation: disabled heads stay 0
        });
        lr.attn_out.resize(n, c.d_model);
        run_products(*team, {{&lr.concat, &lw.w_o, &lr.attn_out}}, reference); // (n, d_model)
        lr.x_out = lr.x_in + lr.attn_out;
        x = lr.x_out;
        r.layers.push_back(std::move(lr));
    }
    r.output = std::move(x);
    return r;
}

} // namespace attn

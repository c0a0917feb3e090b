// The transformer (see model.hpp): weights, embedding, forward() top to bottom and backward() bottom up.
// Each step calls the layer functions of layers.hpp; the per-head loop maps query head h to key/value head
// kv_head_of(c, h) in attention_heads() and in backward(), nowhere else.
#include "model.hpp"
#include "kernels.hpp"

#include "rng.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

namespace attn {

namespace {

Matrix random_matrix(Rng& rng, Eigen::Index rows, Eigen::Index cols, double stddev) {
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(rng.normal() * stddev);
    return m;
}

template <class W> void collect(W& w, std::vector<TensorRef>& out) {
    const auto add = [&](const char* name, auto& m, bool decay) {
        if (m.size() > 0) out.push_back({name, const_cast<float*>(m.data()), m.rows(), m.cols(), decay});
    };
    add("token_embedding", w.token_embedding, false);
    add("learned_positions", w.learned_positions, false);
    for (auto& l : w.layers) {
        add("ln1.gain", l.ln_gain, false);
        add("ln1.bias", l.ln_bias, false);
        add("w_q", l.w_q, true);
        add("w_k", l.w_k, true);
        add("w_v", l.w_v, true);
        add("w_o", l.w_o, true);
        add("ln2.gain", l.ln2_gain, false);
        add("ln2.bias", l.ln2_bias, false);
        add("w1", l.w1, true);
        add("b1", l.b1, false);
        add("w2", l.w2, true);
        add("b2", l.b2, false);
    }
    add("lnf.gain", w.lnf_gain, false);
    add("lnf.bias", w.lnf_bias, false);
    add("w_out", w.w_out, true);
    add("b_out", w.b_out, false);
}

} // namespace

std::vector<TensorRef> tensors(ModelWeights& w) {
    std::vector<TensorRef> out;
    collect(w, out);
    return out;
}

std::size_t parameter_count(const ModelWeights& w) {
    std::vector<TensorRef> out;
    collect(w, out);
    std::size_t n = 0;
    for (const TensorRef& t : out)
        n += t.size();
    return n;
}

ModelWeights zeros_like(const ModelWeights& w) {
    ModelWeights z = w;
    for (TensorRef& t : tensors(z))
        std::fill(t.data, t.data + t.size(), 0.0f);
    return z;
}

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
    // Parts the untrained live model does not have; drawn after the above so its numbers never change.
    if (c.d_ff > 0)
        for (LayerWeights& lw : w.layers) {
            lw.ln2_gain = RowVector::Ones(c.d_model);
            lw.ln2_bias = RowVector::Zero(c.d_model);
            lw.w1 = random_matrix(rng, c.d_model, c.d_ff, proj_std);
            lw.b1 = RowVector::Zero(c.d_ff);
            lw.w2 = random_matrix(rng, c.d_ff, c.d_model, 1.0 / std::sqrt(static_cast<double>(c.d_ff)));
            lw.b2 = RowVector::Zero(c.d_model);
        }
    if (c.vocab_size > 0) {
        w.token_embedding = random_matrix(rng, c.vocab_size, c.d_model, 1.0);
        w.lnf_gain = RowVector::Ones(c.d_model);
        w.lnf_bias = RowVector::Zero(c.d_model);
        w.w_out = random_matrix(rng, c.d_model, c.vocab_size, proj_std);
        w.b_out = RowVector::Zero(c.vocab_size);
    }
    return w;
}

namespace {
void add_positions(Matrix& x, const ModelConfig& c, const ModelWeights& w) {
    if (c.positions == PositionKind::Sinusoidal)
        x += sinusoidal_positions(static_cast<int>(x.rows()), c.d_model);
    else if (c.positions == PositionKind::Learned)
        learned_positions_forward(x, w.learned_positions);
}
} // namespace

Matrix embed_tokens(const std::vector<std::string>& tokens, const ModelConfig& c, const ModelWeights& w) {
    const int n = static_cast<int>(tokens.size());
    Matrix x(n, c.d_model); // (n_tokens, d_model)
    for (int i = 0; i < n; ++i)
        x.row(i) = word_embedding(tokens[static_cast<std::size_t>(i)], c.d_model, c.seed);
    add_positions(x, c, w);
    return x;
}

Matrix embed_ids(const std::vector<int>& ids, const ModelConfig& c, const ModelWeights& w) {
    Matrix x = embedding_forward(w.token_embedding, ids); // (n_tokens, d_model)
    add_positions(x, c, w);
    return x;
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
        // chunk boundaries on multiples of 16 columns keep the vector kernels on whole vectors
        const auto edge = [&](Eigen::Index c) { return std::min(cols, (cols * c / chunks + 15) / 16 * 16); };
        const Eigen::Index c0 = chunk == 0 ? 0 : edge(chunk),
                           c1 = chunk == chunks - 1 ? cols : edge(chunk + 1);
        if (c1 <= c0) return;
        if (reference) {
            product_reference(p, c0, c1);
        } else if (kernels::plain_products()) {
            p.out->middleCols(c0, c1 - c0).noalias() = (*p.a) * p.b->middleCols(c0, c1 - c0);
        } else {
            const kernels::KernelTable& kt = kernels::active();
            kernels::GemmArgs g;
            g.m = static_cast<int>(p.a->rows()), g.n = static_cast<int>(c1 - c0),
            g.k = static_cast<int>(p.a->cols());
            g.a = p.a->data(), g.a_rs = p.a->cols(), g.a_cs = 1;
            g.b = p.b->data() + c0, g.b_rs = p.b->cols(), g.b_cs = 1;
            g.c = p.out->data() + c0, g.ldc = p.out->cols();
            kt.gemm(g, kernels::thread_pack_buffer(kt.gemm_pack_floats(g.n, g.k)));
        }
    });
}

// Multiply-adds of one pass, to decide whether starting threads pays off.
double forward_flops(const ModelConfig& c, int n) {
    const double d_head = head_dim(c), width = c.n_heads * d_head, kv_width = c.n_kv_heads * d_head;
    return c.n_layers * (2.0 * n * c.d_model * (2.0 * width + 2.0 * kv_width) + 4.0 * n * n * width +
                         4.0 * n * c.d_model * c.d_ff);
}
// Starting a thread costs 0.1-0.2 ms on the development VM and a 64-token pass takes about 1 ms on one
// core, so forward() starts threads of its own only for passes of more than 1e8 FLOPs per extra thread.
constexpr double k_flops_per_thread_start = 1e8;

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::vector<float> alibi_slopes(const ModelConfig& c) {
    std::vector<float> slopes(static_cast<std::size_t>(c.n_heads), 0.0f);
    if (c.positions == PositionKind::Alibi)
        for (int h = 0; h < c.n_heads; ++h)
            slopes[static_cast<std::size_t>(h)] = alibi_slope(h, c.n_heads);
    return slopes;
}

bool head_is_on(const ForwardOptions& opt, int index) {
    return opt.head_enabled.size() <= static_cast<std::size_t>(index) ||
           opt.head_enabled[static_cast<std::size_t>(index)] != 0;
}

} // namespace

std::vector<AttentionResult> attention_heads(const ModelConfig& c, const std::vector<Matrix>& q,
                                             const std::vector<Matrix>& k, const std::vector<Matrix>& v,
                                             const MaskSpec& mask, WorkerTeam& team, double* attention_ms) {
    const int n_heads = c.n_heads;
    ATTN_CHECK(static_cast<int>(q.size()) == n_heads && static_cast<int>(k.size()) == c.n_kv_heads &&
               v.size() == k.size());
    AttentionParams params;
    params.scale = score_scale(c);
    params.mask = mask;
    const std::vector<float> slopes = alibi_slopes(c);
    std::vector<AttentionResult> att(static_cast<std::size_t>(n_heads));
    const auto run_matrix_or_reference = [&](bool use_reference) {
        team.run(n_heads, [&](int h, int) {
            const std::size_t hs = static_cast<std::size_t>(h),
                              g = static_cast<std::size_t>(kv_head_of(c, h));
            AttentionParams ph = params;
            ph.alibi_slope = slopes[hs];
            att[hs] = use_reference ? attention_reference(q[hs], k[g], v[g], ph)
                                    : attention_matrix(q[hs], k[g], v[g], ph);
        });
    };
    // Only the selected implementation's attention is timed.
    const auto t0 = Clock::now();
    std::vector<Matrix> flash_out;
    if (c.implementation == Implementation::Flash) {
        const FlashOptions flash{c.flash_block_q, c.flash_block_k, 0, &team};
        flash_out = attention_flash_heads(q, k, v, params, flash, slopes);
    } else {
        run_matrix_or_reference(c.implementation == Implementation::Reference);
    }
    if (attention_ms) *attention_ms += ms_since(t0);
    if (c.implementation == Implementation::Flash) {
        run_matrix_or_reference(false); // scores and weights for display
        for (std::size_t h = 0; h < att.size(); ++h)
            att[h].output = std::move(flash_out[h]);
    }
    return att;
}

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

    MaskSpec mask;
    mask.kind = c.mask;
    mask.window = c.window;
    if (!opt.key_valid.empty()) { // a mask of the wrong length is completed with real tokens
        mask.key_valid = opt.key_valid;
        mask.key_valid.resize(static_cast<std::size_t>(n), 1);
    }
    const bool rope = c.positions == PositionKind::Rope;
    const RopeTable rope_t = rope ? rope_table(n, d_head) : RopeTable{};

    ForwardResult r;
    r.x0 = x0;
    Matrix x = x0; // (n_tokens, d_model) residual stream
    std::vector<Matrix> q_h(static_cast<std::size_t>(n_heads)), k_h(static_cast<std::size_t>(n_kv)),
        v_h(static_cast<std::size_t>(n_kv)); // (n_tokens, d_head) per head after RoPE and overrides
    for (int l = 0; l < c.n_layers; ++l) {
        const LayerWeights& lw = w.layers[static_cast<std::size_t>(l)];
        LayerResult lr;
        lr.x_in = x;
        lr.x_norm = layer_norm_forward(x, lw.ln_gain, lw.ln_bias, &lr.ln1);
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
                if (rotate) apply_rope(dst, rope_t);
                for (const VectorOverride& o : opt.overrides)
                    if (o.layer == l && o.kind == kind && o.head == head && o.token >= 0 && o.token < n &&
                        o.value.size() == d_head)
                        dst.row(o.token) = o.value;
            };
            if (is_q) {
                pick(q_h[static_cast<std::size_t>(head)], q_all, 'q', rope);
            } else {
                pick(k_h[static_cast<std::size_t>(head)], k_all, 'k', rope);
                pick(v_h[static_cast<std::size_t>(head)], v_all, 'v', false);
            }
        });

        std::vector<AttentionResult> att = attention_heads(c, q_h, k_h, v_h, mask, *team, &r.attention_ms);

        lr.heads.resize(static_cast<std::size_t>(n_heads));
        lr.concat = Matrix::Zero(n, n_heads * d_head);
        team->run(n_heads, [&](int h, int) {
            const std::size_t hs = static_cast<std::size_t>(h);
            HeadResult& hr = lr.heads[hs];
            hr.kv_head = kv_head_of(c, h);
            hr.enabled = head_is_on(opt, l * n_heads + h);
            hr.q = q_h[hs];
            hr.k = k_h[static_cast<std::size_t>(hr.kv_head)];
            hr.v = v_h[static_cast<std::size_t>(hr.kv_head)];
            hr.scores = std::move(att[hs].scores);
            hr.weights = std::move(att[hs].weights);
            hr.output = std::move(att[hs].output);
            if (opt.head_stats) hr.stats = head_stats(hr.weights);
            if (hr.enabled)
                lr.concat.middleCols(h * d_head, d_head) = hr.output; // ablation: disabled heads stay 0
        });
        lr.attn_out.resize(n, c.d_model);
        run_products(*team, {{&lr.concat, &lw.w_o, &lr.attn_out}}, reference); // (n, d_model)
        lr.x_mid = lr.x_in + lr.attn_out;
        if (c.d_ff > 0) {
            lr.h2 = layer_norm_forward(lr.x_mid, lw.ln2_gain, lw.ln2_bias, &lr.ln2);
            lr.x_out = lr.x_mid + mlp_forward(lr.h2, lw.w1, lw.b1, lw.w2, lw.b2, &lr.mlp);
        } else {
            lr.x_out = lr.x_mid;
        }
        x = lr.x_out;
        r.layers.push_back(std::move(lr));
    }
    r.output = std::move(x);
    if (c.vocab_size > 0) {
        r.xf = layer_norm_forward(r.output, w.lnf_gain, w.lnf_bias, &r.lnf);
        r.logits = linear_forward(r.xf, w.w_out, w.b_out); // (n_tokens, vocab_size)
    }
    return r;
}

double backward(const ModelConfig& c, const ModelWeights& w, const ForwardResult& f,
                const std::vector<Target>& targets, float weight, const std::vector<int>& ids,
                ModelWeights& grad, Matrix* d_x0, const ResidualGradient& extra) {
    ATTN_CHECK(c.vocab_size > 0 && f.logits.rows() == f.x0.rows());
    const Eigen::Index n = f.x0.rows();
    const int d_head = head_dim(c);
    const float scale = score_scale(c);
    const RopeTable rope_t =
        c.positions == PositionKind::Rope ? rope_table(static_cast<int>(n), d_head) : RopeTable{};

    // logits = LNf(x) W_out + b_out, loss = Σ cross-entropy
    Matrix d_logits = Matrix::Zero(n, c.vocab_size);
    const double nll = cross_entropy_backward(f.logits, targets, weight, d_logits);
    Matrix d_xf = Matrix::Zero(n, c.d_model);
    linear_backward(d_logits, f.xf, w.w_out, grad.w_out, grad.b_out, d_xf);
    Matrix dx = Matrix::Zero(n, c.d_model); // ∂loss/∂(residual stream), walked from the top down
    layer_norm_backward(d_xf, f.lnf, w.lnf_gain, grad.lnf_gain, grad.lnf_bias, dx);

    for (int l = c.n_layers - 1; l >= 0; --l) {
        const LayerWeights& lw = w.layers[static_cast<std::size_t>(l)];
        LayerWeights& lg = grad.layers[static_cast<std::size_t>(l)];
        const LayerResult& lr = f.layers[static_cast<std::size_t>(l)];
        if (extra.d && extra.layer == l) { // dx is ∂loss/∂x_out of this layer here
            ATTN_CHECK(extra.d->rows() == n && extra.d->cols() == c.d_model);
            dx += *extra.d;
        }
        // x_out = x_mid + MLP(LN2(x_mid)): the residual passes dx through, the MLP adds its share
        if (c.d_ff > 0) {
            Matrix d_h2 = Matrix::Zero(n, c.d_model);
            mlp_backward(dx, lr.h2, lr.mlp, lw.w1, lw.w2, lg.w1, lg.b1, lg.w2, lg.b2, d_h2);
            layer_norm_backward(d_h2, lr.ln2, lw.ln2_gain, lg.ln2_gain, lg.ln2_bias, dx);
        }
        // x_mid = x_in + concat W_O
        Matrix d_concat(n, c.n_heads * d_head);
        kernels::matmul(dx, false, lw.w_o, true, d_concat);
        kernels::matmul(lr.concat, true, dx, false, lg.w_o, 1.0f, 1.0f);
        // every head: O_h = softmax(scale · Q_h K_gᵀ + bias) V_g, then RoPE's rotation undone on dQ, dK
        std::vector<Matrix> dq(static_cast<std::size_t>(c.n_heads)),
            dk(static_cast<std::size_t>(c.n_kv_heads)), dv(static_cast<std::size_t>(c.n_kv_heads));
        for (auto* list : {&dq, &dk, &dv})
            for (Matrix& m : *list)
                m = Matrix::Zero(n, d_head);
        for (int h = 0; h < c.n_heads; ++h) {
            const HeadResult& hr = lr.heads[static_cast<std::size_t>(h)];
            if (!hr.enabled) continue; // a switched-off head contributed nothing
            const auto g = static_cast<std::size_t>(kv_head_of(c, h));
            attention_head_backward(hr.q, hr.k, hr.v, hr.weights, scale,
                                    d_concat.middleCols(h * d_head, d_head), dq[static_cast<std::size_t>(h)],
                                    dk[g], dv[g]);
        }
        Matrix dq_all(n, c.n_heads * d_head), dk_all(n, c.n_kv_heads * d_head),
            dv_all(n, c.n_kv_heads * d_head);
        for (int h = 0; h < c.n_heads; ++h) {
            Matrix& m = dq[static_cast<std::size_t>(h)];
            if (c.positions == PositionKind::Rope) rope_backward(m, rope_t);
            dq_all.middleCols(h * d_head, d_head) = m;
        }
        for (int g = 0; g < c.n_kv_heads; ++g) {
            Matrix& m = dk[static_cast<std::size_t>(g)];
            if (c.positions == PositionKind::Rope) rope_backward(m, rope_t);
            dk_all.middleCols(g * d_head, d_head) = m;
            dv_all.middleCols(g * d_head, d_head) = dv[static_cast<std::size_t>(g)];
        }
        // q = x_norm W_Q, k = x_norm W_K, v = x_norm W_V
        kernels::matmul(lr.x_norm, true, dq_all, false, lg.w_q, 1.0f, 1.0f);
        kernels::matmul(lr.x_norm, true, dk_all, false, lg.w_k, 1.0f, 1.0f);
        kernels::matmul(lr.x_norm, true, dv_all, false, lg.w_v, 1.0f, 1.0f);
        Matrix d_xnorm(n, c.d_model);
        kernels::matmul(dq_all, false, lw.w_q, true, d_xnorm);
        kernels::matmul(dk_all, false, lw.w_k, true, d_xnorm, 1.0f, 1.0f);
        kernels::matmul(dv_all, false, lw.w_v, true, d_xnorm, 1.0f, 1.0f);
        layer_norm_backward(d_xnorm, lr.ln1, lw.ln_gain, lg.ln_gain, lg.ln_bias, dx); // dx: residual + LN1
    }
    // x0 = token_embedding[ids] + positions (sinusoidal positions are constants)
    if (c.positions == PositionKind::Learned) learned_positions_backward(dx, grad.learned_positions);
    if (!ids.empty()) embedding_backward(dx, ids, grad.token_embedding);
    if (d_x0) *d_x0 = dx;
    return nll;
}

} // namespace attn

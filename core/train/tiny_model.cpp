// Forward and backward of the tiny transformer (see tiny_model.hpp). Each backward step sits under the
// forward step it inverts; shapes are noted as (rows, cols) with n = n_tokens.
#include "tiny_model.hpp"

#include "core/rng.hpp"

#include <cmath>
#include <limits>

namespace attn::train {

namespace {

using CMap = Eigen::Map<const Matrix>;
using MMap = Eigen::Map<Matrix>;

CMap view(const std::vector<float>& p, const Block& b) {
    return CMap(p.data() + b.offset, b.rows, b.cols);
}
MMap view(float* g, const Block& b) {
    return MMap(g + b.offset, b.rows, b.cols);
}

constexpr float k_ln_eps = 1e-5f;

// y = (x - mean) · rstd ∘ g + b per row, rstd = 1 / sqrt(var + eps)
void ln_forward(const Matrix& x, const CMap& g, const CMap& b, LnCache& c, Matrix& y) {
    const Eigen::Index n = x.rows(), d = x.cols();
    c.xhat.resize(n, d);
    c.rstd.resize(n);
    y.resize(n, d);
    for (Eigen::Index i = 0; i < n; ++i) {
        const float mean = x.row(i).mean();
        const float var = (x.row(i).array() - mean).square().mean();
        const float r = 1.0f / std::sqrt(var + k_ln_eps);
        c.rstd(i) = r;
        c.xhat.row(i) = (x.row(i).array() - mean) * r;
        y.row(i) = c.xhat.row(i).array() * g.row(0).array() + b.row(0).array();
    }
}

// dxhat = dy ∘ g;  dx += rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat ∘ xhat));  dg += Σ dy ∘ xhat;  db +=
// Σ dy
void ln_backward(const Matrix& dy, const LnCache& c, const CMap& g, MMap dg, MMap db, Matrix& dx) {
    for (Eigen::Index i = 0; i < dy.rows(); ++i) {
        const RowVector dxhat = dy.row(i).cwiseProduct(g.row(0));
        dg.row(0) += dy.row(i).cwiseProduct(c.xhat.row(i));
        db.row(0) += dy.row(i);
        const float m1 = dxhat.mean();
        const float m2 = dxhat.cwiseProduct(c.xhat.row(i)).mean();
        dx.row(i).array() += c.rstd(i) * (dxhat.array() - m1 - c.xhat.row(i).array() * m2);
    }
}

// Row softmax of scale · scores; with causal, entries j > i are exactly 0.
void masked_softmax(Matrix& s, bool causal) {
    for (Eigen::Index i = 0; i < s.rows(); ++i) {
        const Eigen::Index visible = causal ? i + 1 : s.cols();
        auto row = s.row(i).head(visible);
        const float mx = row.maxCoeff();
        row = (row.array() - mx).exp();
        row /= row.sum();
        if (visible < s.cols()) s.row(i).tail(s.cols() - visible).setZero();
    }
}

void fill_normal(std::vector<float>& p, const Block& b, Rng& rng, double stddev) {
    for (std::size_t i = 0; i < b.size(); ++i)
        p[b.offset + i] = static_cast<float>(rng.normal() * stddev);
}
void fill_value(std::vector<float>& p, const Block& b, float v) {
    for (std::size_t i = 0; i < b.size(); ++i)
        p[b.offset + i] = v;
}

} // namespace

std::string validate(const TinyConfig& c) {
    if (c.vocab_size < 2 || c.vocab_size > 4096) return "The vocabulary must hold 2 to 4096 words.";
    if (c.n_ctx < 1 || c.n_ctx > 512) return "The context length must be 1 to 512 tokens.";
    if (c.d_model < 2 || c.d_model > 512) return "d_model must be 2 to 512.";
    if (c.n_layers < 1 || c.n_layers > 8) return "A trained model has 1 to 8 layers.";
    if (c.n_heads < 1 || c.n_heads > 32) return "A layer has 1 to 32 heads.";
    if (c.n_kv_heads < 1 || c.n_heads % c.n_kv_heads != 0)
        return "n_kv_heads must divide n_heads (MHA: equal, GQA: a divisor, MQA: 1).";
    if (c.d_head < 1 || c.d_head > 256) return "d_head must be 1 to 256.";
    if (c.d_ff < 0 || c.d_ff > 2048) return "The MLP width must be 0 (no MLP) to 2048.";
    return {};
}

ParamLayout make_layout(const TinyConfig& c) {
    ParamLayout L;
    std::size_t at = 0;
    auto take = [&](int rows, int cols, bool decay) {
        Block b{at, rows, cols};
        at += b.size();
        L.decay.resize(at, decay ? 1 : 0);
        return b;
    };
    const int hd = c.n_heads * c.d_head, kvd = c.n_kv_heads * c.d_head;
    L.tok_emb = take(c.vocab_size, c.d_model, false);
    L.pos_emb = take(c.n_ctx, c.d_model, false);
    for (int l = 0; l < c.n_layers; ++l) {
        LayerBlocks B;
        B.ln1_g = take(1, c.d_model, false);
        B.ln1_b = take(1, c.d_model, false);
        B.wq = take(c.d_model, hd, true);
        B.wk = take(c.d_model, kvd, true);
        B.wv = take(c.d_model, kvd, true);
        B.wo = take(hd, c.d_model, true);
        if (c.d_ff > 0) {
            B.ln2_g = take(1, c.d_model, false);
            B.ln2_b = take(1, c.d_model, false);
            B.w1 = take(c.d_model, c.d_ff, true);
            B.b1 = take(1, c.d_ff, false);
            B.w2 = take(c.d_ff, c.d_model, true);
            B.b2 = take(1, c.d_model, false);
        }
        L.layers.push_back(B);
    }
    L.lnf_g = take(1, c.d_model, false);
    L.lnf_b = take(1, c.d_model, false);
    L.w_out = take(c.d_model, c.vocab_size, true);
    L.b_out = take(1, c.vocab_size, false);
    L.size = at;
    return L;
}

TinyModel init_model(const TinyConfig& c, std::vector<std::string> vocab, std::uint64_t seed) {
    ATTN_CHECK(validate(c).empty());
    ATTN_CHECK(static_cast<int>(vocab.size()) == c.vocab_size);
    TinyModel m;
    m.config = c;
    m.vocab = std::move(vocab);
    m.layout = make_layout(c);
    m.params.assign(m.layout.size, 0.0f);
    Rng rng(mix_seed(seed, 0x7121ull));
    auto inv_sqrt = [](int fan_in) { return 1.0 / std::sqrt(static_cast<double>(fan_in)); };
    const ParamLayout& L = m.layout;
    fill_normal(m.params, L.tok_emb, rng, 0.5);
    fill_normal(m.params, L.pos_emb, rng, 0.5);
    for (const LayerBlocks& B : L.layers) {
        fill_value(m.params, B.ln1_g, 1.0f);
        fill_normal(m.params, B.wq, rng, inv_sqrt(c.d_model));
        fill_normal(m.params, B.wk, rng, inv_sqrt(c.d_model));
        fill_normal(m.params, B.wv, rng, inv_sqrt(c.d_model));
        fill_normal(m.params, B.wo, rng, inv_sqrt(c.n_heads * c.d_head));
        if (c.d_ff > 0) {
            fill_value(m.params, B.ln2_g, 1.0f);
            fill_normal(m.params, B.w1, rng, inv_sqrt(c.d_model));
            fill_normal(m.params, B.w2, rng, inv_sqrt(c.d_ff));
        }
    }
    fill_value(m.params, L.lnf_g, 1.0f);
    fill_normal(m.params, L.w_out, rng, inv_sqrt(c.d_model));
    return m;
}

ForwardCache forward(const TinyModel& m, const std::vector<int>& ids) {
    const TinyConfig& c = m.config;
    const ParamLayout& L = m.layout;
    const std::vector<float>& p = m.params;
    const int n = static_cast<int>(ids.size());
    ATTN_CHECK(n >= 1);
    const int dh = c.d_head, group = c.n_heads / c.n_kv_heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
    ForwardCache f;
    f.ids = ids;
    f.x0.resize(n, c.d_model);
    const CMap tok = view(p, L.tok_emb), pos = view(p, L.pos_emb);
    for (int i = 0; i < n; ++i) {
        const int id = ids[static_cast<std::size_t>(i)];
        ATTN_CHECK(id >= 0 && id < c.vocab_size);
        f.x0.row(i) = tok.row(id) + pos.row(i % c.n_ctx);
    }
    Matrix x = f.x0; // (n, d_model) residual stream
    f.layers.resize(static_cast<std::size_t>(c.n_layers));
    for (int l = 0; l < c.n_layers; ++l) {
        const LayerBlocks& B = L.layers[static_cast<std::size_t>(l)];
        LayerCache& lc = f.layers[static_cast<std::size_t>(l)];
        lc.x_in = x;
        ln_forward(x, view(p, B.ln1_g), view(p, B.ln1_b), lc.ln1, lc.x_norm);
        lc.q.noalias() = lc.x_norm * view(p, B.wq); // (n, H·dh)
        lc.k.noalias() = lc.x_norm * view(p, B.wk); // (n, Hkv·dh)
        lc.v.noalias() = lc.x_norm * view(p, B.wv); // (n, Hkv·dh)
        lc.concat.resize(n, c.n_heads * dh);
        lc.probs.resize(static_cast<std::size_t>(c.n_heads));
        for (int h = 0; h < c.n_heads; ++h) {
            const int g = h / group;
            Matrix& P = lc.probs[static_cast<std::size_t>(h)]; // (n, n)
            P.noalias() = lc.q.middleCols(h * dh, dh) * lc.k.middleCols(g * dh, dh).transpose();
            P *= scale;                  // S = Q Kᵀ / sqrt(dh)
            masked_softmax(P, c.causal); // P = softmax(S)
            lc.concat.middleCols(h * dh, dh).noalias() = P * lc.v.middleCols(g * dh, dh); // O = P V
        }
        lc.x_mid = x;
        lc.x_mid.noalias() += lc.concat * view(p, B.wo);
        x = lc.x_mid;
        if (c.d_ff > 0) {
            ln_forward(lc.x_mid, view(p, B.ln2_g), view(p, B.ln2_b), lc.ln2, lc.h2);
            lc.a1.noalias() = lc.h2 * view(p, B.w1);
            lc.a1.rowwise() += view(p, B.b1).row(0);
            lc.act = lc.a1.cwiseMax(0.0f);
            x.noalias() += lc.act * view(p, B.w2);
            x.rowwise() += view(p, B.b2).row(0);
        }
    }
    f.x_final = x;
    ln_forward(x, view(p, L.lnf_g), view(p, L.lnf_b), f.lnf, f.xf);
    f.logits.noalias() = f.xf * view(p, L.w_out);
    f.logits.rowwise() += view(p, L.b_out).row(0);
    return f;
}

double loss(const TinyModel& m, const ForwardCache& f, const std::vector<Target>& targets) {
    (void)m;
    double sum = 0;
    for (const Target& t : targets) {
        const auto row = f.logits.row(t.pos).cast<double>();
        const double mx = row.maxCoeff();
        const double lse = mx + std::log((row.array() - mx).exp().sum());
        sum += lse - row(t.token);
    }
    return sum;
}

double backward(const TinyModel& m, const ForwardCache& f, const std::vector<Target>& targets, float weight,
                float* grad) {
    const TinyConfig& c = m.config;
    const ParamLayout& L = m.layout;
    const std::vector<float>& p = m.params;
    const Eigen::Index n = f.x0.rows();
    const int dh = c.d_head, group = c.n_heads / c.n_kv_heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(dh));

    // dlogits = weight · (softmax(logits) − onehot(target)) on supervised rows, 0 elsewhere
    double nll = 0;
    Matrix dlogits = Matrix::Zero(n, c.vocab_size);
    for (const Target& t : targets) {
        const RowVector row = f.logits.row(t.pos);
        const float mx = row.maxCoeff();
        const RowVector e = (row.array() - mx).exp().matrix();
        const float sum = e.sum();
        nll += static_cast<double>(std::log(sum) + mx - row(t.token));
        dlogits.row(t.pos) += (weight / sum) * e;
        dlogits(t.pos, t.token) -= weight;
    }
    // logits = xf W_out + b_out
    view(grad, L.w_out).noalias() += f.xf.transpose() * dlogits;
    view(grad, L.b_out).row(0) += dlogits.colwise().sum();
    Matrix dxf(n, c.d_model);
    dxf.noalias() = dlogits * view(p, L.w_out).transpose();
    Matrix dx = Matrix::Zero(n, c.d_model); // ∂/∂(residual stream), walked backwards
    ln_backward(dxf, f.lnf, view(p, L.lnf_g), view(grad, L.lnf_g), view(grad, L.lnf_b), dx);

    for (int l = c.n_layers - 1; l >= 0; --l) {
        const LayerBlocks& B = L.layers[static_cast<std::size_t>(l)];
        const LayerCache& lc = f.layers[static_cast<std::size_t>(l)];
        if (c.d_ff > 0) {
            // x_out = x_mid + relu(LN2(x_mid) W1 + b1) W2 + b2
            view(grad, B.w2).noalias() += lc.act.transpose() * dx;
            view(grad, B.b2).row(0) += dx.colwise().sum();
            Matrix da1(n, c.d_ff);
            da1.noalias() = dx * view(p, B.w2).transpose();
            da1 = da1.cwiseProduct((lc.a1.array() > 0.0f).cast<float>().matrix()); // relu'
            view(grad, B.w1).noalias() += lc.h2.transpose() * da1;
            view(grad, B.b1).row(0) += da1.colwise().sum();
            Matrix dh2(n, c.d_model);
            dh2.noalias() = da1 * view(p, B.w1).transpose();
            ln_backward(dh2, lc.ln2, view(p, B.ln2_g), view(grad, B.ln2_g), view(grad, B.ln2_b), dx);
        }
        // x_mid = x_in + concat W_O
        view(grad, B.wo).noalias() += lc.concat.transpose() * dx;
        Matrix dconcat(n, c.n_heads * dh);
        dconcat.noalias() = dx * view(p, B.wo).transpose();
        Matrix dq = Matrix::Zero(n, c.n_heads * dh), dk = Matrix::Zero(n, c.n_kv_heads * dh),
               dv = Matrix::Zero(n, c.n_kv_heads * dh);
        for (int h = 0; h < c.n_heads; ++h) {
            const int g = h / group;
            const Matrix& P = lc.probs[static_cast<std::size_t>(h)];
            const auto dO = dconcat.middleCols(h * dh, dh);
            // O = P V:  dP = dO Vᵀ,  dV += Pᵀ dO
            Matrix dP(n, n);
            dP.noalias() = dO * lc.v.middleCols(g * dh, dh).transpose();
            dv.middleCols(g * dh, dh).noalias() += P.transpose() * dO;
            // P = softmax(S):  dS = P ∘ (dP − rowsum(P ∘ dP)); masked entries have P = 0, so dS = 0 there
            const Vector rs = P.cwiseProduct(dP).rowwise().sum();
            Matrix dS = P.cwiseProduct(dP - rs.replicate(1, n));
            dS *= scale;
            // S = Q Kᵀ · scale:  dQ = dS K,  dK += dSᵀ Q
            dq.middleCols(h * dh, dh).noalias() += dS * lc.k.middleCols(g * dh, dh);
            dk.middleCols(g * dh, dh).noalias() += dS.transpose() * lc.q.middleCols(h * dh, dh);
        }
        // q = x_norm W_Q, k = x_norm W_K, v = x_norm W_V
        view(grad, B.wq).noalias() += lc.x_norm.transpose() * dq;
        view(grad, B.wk).noalias() += lc.x_norm.transpose() * dk;
        view(grad, B.wv).noalias() += lc.x_norm.transpose() * dv;
        Matrix dxn(n, c.d_model);
        dxn.noalias() = dq * view(p, B.wq).transpose();
        dxn.noalias() += dk * view(p, B.wk).transpose();
        dxn.noalias() += dv * view(p, B.wv).transpose();
        ln_backward(dxn, lc.ln1, view(p, B.ln1_g), view(grad, B.ln1_g), view(grad, B.ln1_b), dx);
    }
    // x0 = tok_emb[id] + pos_emb[i mod n_ctx]
    MMap gtok = view(grad, L.tok_emb), gpos = view(grad, L.pos_emb);
    for (Eigen::Index i = 0; i < n; ++i) {
        gtok.row(f.ids[static_cast<std::size_t>(i)]) += dx.row(i);
        gpos.row(i % c.n_ctx) += dx.row(i);
    }
    return nll;
}

} // namespace attn::train

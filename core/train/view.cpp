// to_forward_result(): copies the trained model's activations into the core's ForwardResult.
#include "view.hpp"

#include <cmath>
#include <limits>

namespace attn::train {

ModelConfig display_config(const TinyModel& m) {
    const TinyConfig& t = m.config;
    ModelConfig c;
    c.d_model = t.d_model;
    c.n_layers = t.n_layers;
    c.n_heads = t.n_heads;
    c.n_kv_heads = t.n_kv_heads;
    c.d_head = t.d_head;
    c.mask = t.causal ? MaskKind::Causal : MaskKind::Bidirectional;
    c.positions = PositionKind::Learned;
    c.max_positions = t.n_ctx;
    c.implementation = Implementation::Matrix;
    return c;
}

ModelWeights display_weights(const TinyModel& m) {
    auto copy = [&](const Block& b) {
        return Matrix(Eigen::Map<const Matrix>(m.params.data() + b.offset, b.rows, b.cols));
    };
    ModelWeights w;
    for (const LayerBlocks& B : m.layout.layers) {
        LayerWeights lw;
        lw.w_q = copy(B.wq);
        lw.w_k = copy(B.wk);
        lw.w_v = copy(B.wv);
        lw.w_o = copy(B.wo);
        lw.ln_gain = copy(B.ln1_g);
        lw.ln_bias = copy(B.ln1_b);
        w.layers.push_back(std::move(lw));
    }
    w.learned_positions = copy(m.layout.pos_emb);
    return w;
}

ForwardResult to_forward_result(const TinyModel& m, const std::vector<int>& ids) {
    return to_forward_result(m, forward(m, ids));
}

ForwardResult to_forward_result(const TinyModel& m, const ForwardCache& f) {
    const TinyConfig& c = m.config;
    const Eigen::Index n = f.x0.rows();
    const int dh = c.d_head, group = c.n_heads / c.n_kv_heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
    ForwardResult r;
    r.x0 = f.x0;
    for (int l = 0; l < c.n_layers; ++l) {
        const LayerCache& lc = f.layers[static_cast<std::size_t>(l)];
        LayerResult lr;
        lr.x_in = lc.x_in;
        lr.x_norm = lc.x_norm;
        lr.concat = lc.concat;
        lr.attn_out = lc.x_mid - lc.x_in; // concat W_O
        lr.x_out = lc.x_mid;
        for (int h = 0; h < c.n_heads; ++h) {
            const int g = h / group;
            HeadResult hr;
            hr.kv_head = g;
            hr.q = lc.q.middleCols(h * dh, dh);
            hr.k = lc.k.middleCols(g * dh, dh);
            hr.v = lc.v.middleCols(g * dh, dh);
            hr.scores.noalias() = hr.q * hr.k.transpose();
            hr.scores *= scale;
            if (c.causal)
                for (Eigen::Index i = 0; i < n; ++i)
                    for (Eigen::Index j = i + 1; j < n; ++j)
                        hr.scores(i, j) = -std::numeric_limits<float>::infinity();
            hr.weights = lc.probs[static_cast<std::size_t>(h)];
            hr.output = lc.concat.middleCols(h * dh, dh);
            hr.stats = head_stats(hr.weights);
            lr.heads.push_back(std::move(hr));
        }
        r.layers.push_back(std::move(lr));
    }
    r.output = f.x_final;
    return r;
}

} // namespace attn::train

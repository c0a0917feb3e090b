// A trained model's initial weights and its forward pass on ids (see tiny_model.hpp).
#include "tiny_model.hpp"

#include "core/rng.hpp"

#include <cmath>

namespace attn::train {

namespace {
void fill_normal(Matrix& m, Eigen::Index rows, Eigen::Index cols, Rng& rng, double stddev) {
    m.resize(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(rng.normal() * stddev);
}
template <class V> void fill_value(V& v, Eigen::Index size, float x) {
    v.setConstant(size, x);
}
} // namespace

Message validate_trainable(const ModelConfig& c) {
    if (auto why = validate(c); !why.empty()) return why;
    if (c.vocab_size < 2) return message(N_("A trained model needs a vocabulary of at least two words."));
    if (c.d_head <= 0) return message(N_("A trained model sets d_head explicitly."));
    return {};
}

TinyModel init_model(const ModelConfig& c, std::vector<std::string> vocab, std::uint64_t seed) {
    ATTN_CHECK(validate_trainable(c).empty());
    ATTN_CHECK(static_cast<int>(vocab.size()) == c.vocab_size);
    TinyModel m;
    m.config = c;
    m.vocab = std::move(vocab);
    Rng rng(mix_seed(seed, 0x7121ull));
    const auto inv_sqrt = [](int fan_in) { return 1.0 / std::sqrt(static_cast<double>(fan_in)); };
    const int d = c.d_model, hd = c.n_heads * c.d_head, kvd = c.n_kv_heads * c.d_head;
    ModelWeights& w = m.weights;
    // The draw order (embeddings, positions, per layer Q K V O and the MLP, output) fixes the numbers of a
    // seed; it is the order of the shipped models' recipes.
    fill_normal(w.token_embedding, c.vocab_size, d, rng, 0.5);
    Matrix positions;
    fill_normal(positions, c.max_positions, d, rng, 0.5);
    if (c.positions == PositionKind::Learned) w.learned_positions = std::move(positions);
    for (int l = 0; l < c.n_layers; ++l) {
        LayerWeights lw;
        fill_value(lw.ln_gain, d, 1.0f);
        fill_value(lw.ln_bias, d, 0.0f);
        fill_normal(lw.w_q, d, hd, rng, inv_sqrt(d));
        fill_normal(lw.w_k, d, kvd, rng, inv_sqrt(d));
        fill_normal(lw.w_v, d, kvd, rng, inv_sqrt(d));
        fill_normal(lw.w_o, hd, d, rng, inv_sqrt(hd));
        if (c.d_ff > 0) {
            fill_value(lw.ln2_gain, d, 1.0f);
            fill_value(lw.ln2_bias, d, 0.0f);
            fill_normal(lw.w1, d, c.d_ff, rng, inv_sqrt(d));
            fill_value(lw.b1, c.d_ff, 0.0f);
            fill_normal(lw.w2, c.d_ff, d, rng, inv_sqrt(c.d_ff));
            fill_value(lw.b2, d, 0.0f);
        }
        w.layers.push_back(std::move(lw));
    }
    fill_value(w.lnf_gain, d, 1.0f);
    fill_value(w.lnf_bias, d, 0.0f);
    fill_normal(w.w_out, d, c.vocab_size, rng, inv_sqrt(d));
    fill_value(w.b_out, c.vocab_size, 0.0f);
    return m;
}

ForwardResult forward(const TinyModel& m, const std::vector<int>& ids, const ForwardOptions& opt) {
    ATTN_CHECK(!ids.empty());
    ForwardOptions o = opt;
    if (!o.team && o.n_threads == 0) o.n_threads = 1; // a tiny model: threads cost more than they save
    return forward(m.config, m.weights, embed_ids(ids, m.config, m.weights), o);
}

} // namespace attn::train

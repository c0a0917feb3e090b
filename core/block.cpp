// attention_block(): projections, positions, per-head attention through the chosen implementation, and the
// output projection, for inputs given from outside (the compute command).
#include "block.hpp"

#include "model.hpp"

#include <cmath>

namespace attn {

BlockResult attention_block(const BlockInputs& in, const BlockOptions& opt) {
    ATTN_CHECK(opt.n_heads >= 1 && opt.n_kv_heads >= 1 && opt.n_heads % opt.n_kv_heads == 0);
    ATTN_CHECK(opt.positions != PositionKind::Learned);
    std::vector<Matrix> q, k, v; // per head (n_tokens, d_head)
    if (in.x.size() > 0) {
        ATTN_CHECK(in.w_q.rows() == in.x.cols() && in.w_q.cols() % opt.n_heads == 0);
        const int d_head = static_cast<int>(in.w_q.cols()) / opt.n_heads;
        ATTN_CHECK(in.w_k.rows() == in.x.cols() && in.w_k.cols() == opt.n_kv_heads * d_head);
        ATTN_CHECK(in.w_v.rows() == in.x.cols() && in.w_v.cols() == opt.n_kv_heads * d_head);
        Matrix x = in.x; // (n_tokens, d_model)
        if (opt.positions == PositionKind::Sinusoidal)
            x += sinusoidal_positions(static_cast<int>(x.rows()), static_cast<int>(x.cols()));
        Matrix q_all(x.rows(), in.w_q.cols()), k_all(x.rows(), in.w_k.cols()), v_all(x.rows(), in.w_v.cols());
        q_all.noalias() = x * in.w_q; // (n, H·d_head)
        k_all.noalias() = x * in.w_k; // (n, H_kv·d_head)
        v_all.noalias() = x * in.w_v; // (n, H_kv·d_head)
        for (int h = 0; h < opt.n_heads; ++h)
            q.emplace_back(q_all.middleCols(h * d_head, d_head));
        for (int g = 0; g < opt.n_kv_heads; ++g) {
            k.emplace_back(k_all.middleCols(g * d_head, d_head));
            v.emplace_back(v_all.middleCols(g * d_head, d_head));
        }
    } else {
        ATTN_CHECK(opt.positions != PositionKind::Sinusoidal);
        q = in.q, k = in.k, v = in.v;
    }
    ATTN_CHECK(static_cast<int>(q.size()) == opt.n_heads && static_cast<int>(k.size()) == opt.n_kv_heads &&
               v.size() == k.size());
    const int n = static_cast<int>(q[0].rows()), d_head = static_cast<int>(q[0].cols());
    for (std::size_t i = 0; i < q.size(); ++i)
        ATTN_CHECK(q[i].rows() == n && q[i].cols() == d_head);
    for (std::size_t i = 0; i < k.size(); ++i)
        ATTN_CHECK(k[i].rows() == n && v[i].rows() == n && k[i].cols() == d_head && v[i].cols() == d_head);
    if (opt.positions == PositionKind::Rope) {
        for (auto& m : q)
            apply_rope(m);
        for (auto& m : k)
            apply_rope(m);
    }

    BlockResult r;
    r.d_head = d_head;
    r.concat.resize(n, opt.n_heads * d_head);
    ModelConfig c; // the block's attention as the model's: same scale, positions, implementation
    c.n_heads = opt.n_heads;
    c.n_kv_heads = opt.n_kv_heads;
    c.d_head = d_head;
    c.positions = opt.positions;
    c.scale = opt.scale > 0.0f ? opt.scale : 1.0f / std::sqrt(static_cast<float>(d_head));
    c.implementation = opt.implementation;
    c.flash_block_q = opt.flash.block_q;
    c.flash_block_k = opt.flash.block_k;
    WorkerTeam own_team(opt.flash.team ? 1 : opt.flash.n_threads);
    r.heads = attention_heads(c, q, k, v, opt.mask, opt.flash.team ? *opt.flash.team : own_team);
    for (int h = 0; h < opt.n_heads; ++h)
        r.concat.middleCols(h * d_head, d_head) = r.heads[static_cast<std::size_t>(h)].output;
    if (in.w_o.size() > 0) {
        ATTN_CHECK(in.w_o.rows() == r.concat.cols());
        r.output.resize(n, in.w_o.cols());
        r.output.noalias() = r.concat * in.w_o; // (n, d_model)
    } else {
        r.output = r.concat;
    }
    return r;
}

} // namespace attn

// The Flash panel's data and its step / play state machine (see flash_view.hpp). Replaying the trace uses
// only what each tile recorded: after the last tile of a query block, output row = acc / l.
#include "flash_view.hpp"

#include "core/cost.hpp"
#include "core/model.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <utility>

namespace attn {

AttentionParams head_attention_params(const ModelConfig& c, int head,
                                      const std::vector<std::uint8_t>& key_valid) {
    AttentionParams p;
    p.scale = score_scale(c);
    p.mask.kind = c.mask;
    p.mask.window = c.window;
    if (std::any_of(key_valid.begin(), key_valid.end(), [](std::uint8_t v) { return v == 0; }))
        p.mask.key_valid = key_valid;
    p.alibi_slope = c.positions == PositionKind::Alibi ? alibi_slope(head, c.n_heads) : 0.0f;
    return p;
}

namespace {

// Mean wall time of one call of f, repeating until about 3 ms have passed (at most 200 calls).
template <typename F> double time_ms(F&& f) {
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    int calls = 0;
    double elapsed = 0;
    do {
        f();
        ++calls;
        elapsed = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
    } while (elapsed < 3.0 && calls < 200);
    return elapsed / calls;
}

} // namespace

FlashViewData compute_flash_view(const FlashViewKey& key, const Matrix& q, const Matrix& k, const Matrix& v,
                                 const AttentionParams& p, bool measure_time) {
    FlashViewData d;
    d.key = key;
    d.n_tokens = static_cast<int>(q.rows());
    d.d_head = static_cast<int>(q.cols());
    FlashOptions opt;
    opt.block_q = std::max(1, key.block_q);
    opt.block_k = std::max(1, key.block_k);
    opt.n_threads = 1; // one head on one core, like the reference and matrix forms it is timed against
    d.flash_output = attention_flash(q, k, v, p, opt, &d.trace);
    AttentionResult naive = attention_matrix(q, k, v, p);
    d.naive_output = std::move(naive.output);
    d.scores = std::move(naive.scores);
    d.max_abs_diff = d.n_tokens > 0 ? (d.flash_output - d.naive_output).cwiseAbs().maxCoeff() : 0.0f;
    d.skipped_tiles = static_cast<int>(std::count_if(d.trace.steps.begin(), d.trace.steps.end(),
                                                     [](const FlashTileStep& s) { return s.skipped; }));
    if (measure_time) apply_flash_timings(d, time_flash_view(key, q, k, v, p));
    return d;
}

FlashTimings time_flash_view(const FlashViewKey& key, const Matrix& q, const Matrix& k, const Matrix& v,
                             const AttentionParams& p) {
    FlashTimings t;
    t.key = key;
    if (q.rows() == 0) return t;
    FlashOptions opt;
    opt.block_q = std::max(1, key.block_q);
    opt.block_k = std::max(1, key.block_k);
    opt.n_threads = 1;
    Matrix sink;
    t.ms_reference = time_ms([&] { sink = attention_reference(q, k, v, p).output; });
    t.ms_matrix = time_ms([&] { sink = attention_matrix(q, k, v, p).output; });
    t.ms_flash = time_ms([&] { sink = attention_flash(q, k, v, p, opt); });
    return t;
}

void apply_flash_timings(FlashViewData& d, const FlashTimings& t) {
    if (!(t.key == d.key)) return;
    d.ms_reference = t.ms_reference;
    d.ms_matrix = t.ms_matrix;
    d.ms_flash = t.ms_flash;
    d.timed = true;
}

FlashRowState flash_row_state(const FlashTrace& t, int steps_done, int row, int d_head) {
    FlashRowState r;
    r.partial = RowVector::Zero(d_head);
    const int last = std::min(steps_done, static_cast<int>(t.steps.size())) - 1;
    int at = -1; // the latest processed tile whose query rows include `row`
    for (int i = last; i >= 0; --i) {
        const FlashTileStep& s = t.steps[static_cast<std::size_t>(i)];
        if (row >= s.q_begin && row < s.q_end) {
            at = i;
            break;
        }
    }
    if (at < 0) return r;
    const FlashTileStep& s = t.steps[static_cast<std::size_t>(at)];
    const auto i = static_cast<std::size_t>(row - s.q_begin);
    r.started = true;
    r.finished = at + 1 == static_cast<int>(t.steps.size()) ||
                 t.steps[static_cast<std::size_t>(at + 1)].q_block != s.q_block;
    r.m = s.m_after[i];
    r.l = s.l_after[i];
    const float m_old = s.m_before[i];
    if (!s.skipped && std::isfinite(m_old) && r.m > m_old) {
        r.rescale = std::exp(m_old - r.m); // the factor acc and l were multiplied by at this tile
        r.rescaled = true;
    }
    if (r.l > 0.0f) r.partial = s.acc_after.row(static_cast<Eigen::Index>(i)) / r.l;
    return r;
}

Matrix replay_flash_output(const FlashTrace& t, int n_tokens, int d_head) {
    Matrix out = Matrix::Zero(n_tokens, d_head);
    for (std::size_t i = 0; i < t.steps.size(); ++i) {
        const FlashTileStep& s = t.steps[i];
        const bool block_end = i + 1 == t.steps.size() || t.steps[i + 1].q_block != s.q_block;
        if (!block_end) continue;
        for (int r = s.q_begin; r < s.q_end; ++r) {
            const auto li = static_cast<std::size_t>(r - s.q_begin);
            if (s.l_after[li] > 0.0f)
                out.row(r) = s.acc_after.row(static_cast<Eigen::Index>(li)) / s.l_after[li];
        }
    }
    return out;
}

std::size_t naive_score_bytes(int n_tokens) {
    return static_cast<std::size_t>(cost::naive_head_score_bytes(n_tokens));
}

std::size_t flash_tile_bytes(const FlashTileStep& s, int d_head) {
    if (s.skipped) return 0;
    return static_cast<std::size_t>(cost::flash_tile_bytes(s.q_end - s.q_begin, s.k_end - s.k_begin, d_head));
}

// ---- the state machine ------------------------------------------------------------------------------
void flash_restart(FlashPlayer& p) {
    p.steps_done = 0;
    p.playing = false;
    p.carry = 0;
}

void flash_step_forward(FlashPlayer& p, int n_steps) {
    p.playing = false;
    p.steps_done = p.steps_done >= n_steps ? 0 : p.steps_done + 1;
}

void flash_step_back(FlashPlayer& p, int n_steps) {
    p.playing = false;
    p.steps_done = p.steps_done <= 0 ? n_steps : std::min(n_steps, p.steps_done - 1);
}

void flash_go_last(FlashPlayer& p, int n_steps) {
    p.playing = false;
    p.steps_done = n_steps;
}

void flash_toggle_play(FlashPlayer& p, int n_steps) {
    if (p.playing) {
        p.playing = false;
        return;
    }
    if (p.steps_done >= n_steps) p.steps_done = 0;
    p.playing = n_steps > 0;
    p.carry = 0;
}

void flash_set_step(FlashPlayer& p, int step, int n_steps) {
    p.steps_done = std::clamp(step, 0, std::max(0, n_steps));
}

void flash_tick(FlashPlayer& p, double dt_seconds, int n_steps) {
    if (!p.playing) return;
    const double period = 1.0 / std::clamp(static_cast<double>(p.tiles_per_second), 0.1, 1000.0);
    p.carry += std::max(0.0, dt_seconds);
    while (p.carry >= period && p.steps_done < n_steps) {
        p.carry -= period;
        ++p.steps_done;
    }
    if (p.steps_done >= n_steps) {
        p.steps_done = n_steps;
        p.playing = false;
        p.carry = 0;
    }
}

bool install_flash_view(FlashView& view, FlashViewData data) {
    const bool changed = !view.has_data || !(view.data.key == data.key);
    view.data = std::move(data);
    view.has_data = true;
    if (changed) flash_restart(view.player);
    if (view.requested_step >= 0) {
        flash_set_step(view.player, view.requested_step, static_cast<int>(view.data.trace.steps.size()));
        view.requested_step = -1;
    }
    return changed;
}

bool refresh_flash_view(FlashView& view, const FlashViewKey& key, const Matrix& q, const Matrix& k,
                        const Matrix& v, const AttentionParams& p) {
    if (view.has_data && view.data.key == key) { // keeps the place; applies a requested step
        if (view.requested_step >= 0)
            flash_set_step(view.player, view.requested_step, static_cast<int>(view.data.trace.steps.size()));
        view.requested_step = -1;
        return false;
    }
    install_flash_view(view, compute_flash_view(key, q, k, v, p));
    return true;
}

} // namespace attn

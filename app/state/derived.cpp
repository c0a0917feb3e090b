// compute_derived(): embeddings, weights and the forward pass for the current AppState — the live model
// and a trained model go through the same forward() — plus the ablation measures (an extra pass with every
// head on, and one per head when it is cheap).
#include "derived.hpp"

#include "core/cost.hpp"
#include "core/parallel.hpp"
#include "core/stats.hpp"
#include "core/train/tasks.hpp"
#include "trained_model.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace attn {

float relative_change(const Matrix& y, const Matrix& y_ref, const Matrix& x0) {
    if (y.rows() != y_ref.rows() || y.cols() != y_ref.cols() || y.size() == 0) return 0.0f;
    const double added = (y_ref - x0).norm();
    if (!(added > 0.0)) return 0.0f;
    return static_cast<float>((y - y_ref).norm() / added);
}

namespace {

// Row softmax of the logits: (n_tokens, vocab) probabilities.
Matrix probabilities(const Matrix& logits) {
    Matrix p = logits;
    softmax_rows(p);
    return p;
}

// The trained model's answers: with the current switches, with every head on, and per flipped head.
void trained_answers(const AppState& s, const Matrix& x0, const ForwardOptions& opt, Derived& d) {
    const train::TinyModel& m = *s.trained;
    const int n = s.n_tokens(), n_switches = s.config.n_layers * s.config.n_heads;
    const Matrix p_now = probabilities(d.forward.logits); // (n_tokens, vocab)
    ForwardOptions all_on = opt;
    all_on.head_enabled.clear();
    all_on.head_stats = false;
    const bool any_off = s.heads_off() > 0;
    const Matrix p_all = any_off ? probabilities(forward(s.config, d.weights, x0, all_on).logits) : p_now;
    std::vector<Eigen::Index> answer(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        Eigen::Index now = 0, all = 0;
        d.confidence.push_back(p_now.row(i).maxCoeff(&now));
        d.prediction.push_back(m.vocab[static_cast<std::size_t>(now)]);
        d.answer_prob_all_on.push_back(p_all.row(i).maxCoeff(&all));
        d.answer_all_on.push_back(m.vocab[static_cast<std::size_t>(all)]);
        d.answer_prob_now.push_back(p_now(i, all));
        answer[static_cast<std::size_t>(i)] = all;
    }
    if (n_switches * n > k_head_effect_budget) return;
    d.answer_prob_flip.assign(static_cast<std::size_t>(n_switches * n), 0.0f);
    d.head_effect.assign(static_cast<std::size_t>(n_switches), 0.0f);
    for (int h = 0; h < n_switches; ++h) {
        ForwardOptions flip = all_on;
        flip.head_enabled = s.head_enabled;
        flip.head_enabled.resize(static_cast<std::size_t>(n_switches), 1);
        auto& e = flip.head_enabled[static_cast<std::size_t>(h)];
        e = e ? 0 : 1;
        const Matrix p = probabilities(forward(s.config, d.weights, x0, flip).logits);
        float change = 0;
        for (int i = 0; i < n; ++i) {
            const float q = p(i, answer[static_cast<std::size_t>(i)]);
            d.answer_prob_flip[static_cast<std::size_t>(h * n + i)] = q;
            change += std::abs(q - d.answer_prob_now[static_cast<std::size_t>(i)]);
        }
        d.head_effect[static_cast<std::size_t>(h)] = change / static_cast<float>(std::max(1, n));
    }
}

// Shown in the window's language when drawn (the worker that computes it does not know the language then).
Message trained_note(const train::TinyModel& m, const std::vector<std::string>& unknown, int n_tokens) {
    Message note;
    if (!unknown.empty()) {
        std::string words;
        for (std::size_t i = 0; i < unknown.size() && i < 5; ++i)
            words += (i ? ", \"" : "\"") + unknown[i] + "\"";
        Message listed = unknown.size() > 5 ? message(N_("%s and more"), words) : verbatim(words);
        note = unknown.size() == 1
                   ? message(N_("1 word unknown to this model is read as <unk>: %s."), std::move(listed))
                   : message(N_("%s words unknown to this model are read as <unk>: %s."), unknown.size(),
                             std::move(listed));
    }
    if (n_tokens > m.config.max_positions) {
        Message later = message(N_("The model was trained on at most %s tokens; later positions reuse its "
                                   "position table from the start."),
                                m.config.max_positions);
        note = note.empty() ? std::move(later) : message(N_("%s\n%s"), std::move(note), std::move(later));
    }
    return note;
}

} // namespace

double live_matrix_bytes(const ModelConfig& c, int n_tokens) {
    const double n = static_cast<double>(n_tokens);
    return 8.0 * static_cast<double>(c.n_layers) * static_cast<double>(c.n_heads) * n * n;
}

namespace {

// Imported attention: the weights of every layer and head as they came, their statistics, nothing else.
// Scores are unknown; they are zero matrices so that no cell reads as masked (-inf).
Derived imported_derived(const AppState& s) {
    const auto t0 = std::chrono::steady_clock::now();
    Derived d;
    d.revision = s.revision;
    const ImportedAttention& a = *s.imported;
    d.token_labels = s.tokens;
    d.token_unknown.assign(s.tokens.size(), 0);
    d.forward.layers.resize(static_cast<std::size_t>(a.n_layers));
    for (auto& layer : d.forward.layers)
        layer.heads.resize(static_cast<std::size_t>(a.n_heads));
    // One task per head, on both cores. The weights are not copied: every head points into the import's
    // buffer, and its statistics were taken when the file was read.
    WorkerTeam team;
    team.run(a.n_matrices(), [&](int m, int) {
        const int l = m / a.n_heads, h = m % a.n_heads;
        HeadResult& r = d.forward.layers[static_cast<std::size_t>(l)].heads[static_cast<std::size_t>(h)];
        r.kv_head = h;
        r.shared_weights = a.weights;
        r.shared_at = a.data_of(m);
        r.shared_n = a.n_tokens();
        // taken when the file was read; an import built some other way without them is summarised here
        r.stats = a.stats.size() == static_cast<std::size_t>(a.n_matrices())
                      ? a.stats[static_cast<std::size_t>(m)]
                      : head_stats(a.head_at(m));
    });
    d.compute_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return d;
}

} // namespace

Derived compute_derived(const AppState& s, WorkerTeam* team) {
    if (s.imported) return imported_derived(s);
    const auto t0 = std::chrono::steady_clock::now();
    Derived d;
    d.revision = s.revision;
    if (auto why = validate(s.config); !why.empty()) {
        d.error = why;
        return d;
    }
    // The core's formula, 2 · L · H_kv · d_head · tokens · 4 bytes (fp32), capped by a sliding window.
    const cost::Dims dims = cost::dims_of(s.config);
    const std::int64_t window = s.config.mask == MaskKind::SlidingWindow ? s.config.window : 0;
    d.kv_cache_bytes =
        static_cast<double>(cost::kv_cache_bytes(dims, s.n_tokens(), 1, cost::Precision::Fp32, window));
    d.kv_cache_bytes_mha = static_cast<double>(cost::kv_cache_bytes(
        cost::with_kv_heads(dims, s.config.n_heads), s.n_tokens(), 1, cost::Precision::Fp32, window));

    if (live_matrix_bytes(s.config, s.n_tokens()) > k_live_matrix_budget) {
        const auto mib = [](double bytes) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.0f", bytes / (1024.0 * 1024.0));
            return std::string(buf);
        };
        d.error =
            message(N_("%s tokens × %s heads × %s layers would keep %s MiB of attention matrices; the live "
                       "view keeps at most %s MiB. Shorten the text or use fewer heads or layers."),
                    s.n_tokens(), s.config.n_heads, s.config.n_layers,
                    mib(live_matrix_bytes(s.config, s.n_tokens())), mib(k_live_matrix_budget));
        return d;
    }
    const bool trained = s.trained != nullptr;
    d.weights = trained ? s.trained->weights : make_weights(s.config);
    const int n_switches = s.config.n_layers * s.config.n_heads;
    d.token_labels = s.tokens;
    d.token_unknown.assign(s.tokens.size(), 0);
    if (trained) {
        d.unknown_words = unknown_words(*s.trained, s.tokens);
        d.trained_note = trained_note(*s.trained, d.unknown_words, s.n_tokens());
        const std::vector<int> ids = train::encode(s.trained->vocab, s.tokens);
        for (std::size_t i = 0; i < ids.size(); ++i)
            if (ids[i] == 0 && s.tokens[i] != "<unk>") {
                d.token_unknown[i] = 1;
                d.token_labels[i] += "*";
            }
    }
    if (!s.tokens.empty()) {
        const Matrix x0 = trained ? embed_ids(train::encode(s.trained->vocab, s.tokens), s.config, d.weights)
                                  : embed_tokens(s.tokens, s.config, d.weights); // (n_tokens, d_model)
        ForwardOptions opt;
        opt.team = team; // the ablation passes below copy opt, and share the team too
        if (static_cast<int>(s.head_enabled.size()) == n_switches) opt.head_enabled = s.head_enabled;
        if (s.key_valid.size() == s.tokens.size() &&
            std::any_of(s.key_valid.begin(), s.key_valid.end(), [](std::uint8_t v) { return v == 0; }))
            opt.key_valid = s.key_valid;
        opt.overrides = s.overrides;
        d.forward = forward(s.config, d.weights, x0, opt);

        if (trained) {
            trained_answers(s, x0, opt, d);
            if (s.n_tokens() <= k_explain_max_tokens)
                d.explanations = train::explain_all(*s.trained, train::encode(s.trained->vocab, s.tokens));
        } else {
            // The reference for ablation: the same input with every head on.
            ForwardOptions all_on = opt;
            all_on.head_enabled.clear();
            all_on.head_stats = false;
            const bool any_off = s.heads_off() > 0;
            const Matrix y_all = any_off ? forward(s.config, d.weights, x0, all_on).output : d.forward.output;
            d.ablation_change = any_off ? relative_change(d.forward.output, y_all, x0) : 0.0f;

            if (n_switches * s.n_tokens() <= k_head_effect_budget) {
                d.head_effect.assign(static_cast<std::size_t>(n_switches), 0.0f);
                for (int i = 0; i < n_switches; ++i) {
                    ForwardOptions flip = all_on;
                    flip.head_enabled = opt.head_enabled;
                    if (flip.head_enabled.empty())
                        flip.head_enabled.assign(static_cast<std::size_t>(n_switches), 1);
                    auto& e = flip.head_enabled[static_cast<std::size_t>(i)];
                    e = e ? 0 : 1;
                    d.head_effect[static_cast<std::size_t>(i)] =
                        relative_change(forward(s.config, d.weights, x0, flip).output, d.forward.output, x0);
                }
            }
        }
    }
    d.compute_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return d;
}

} // namespace attn

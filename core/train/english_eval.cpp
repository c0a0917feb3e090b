// score_english (see english_eval.hpp): answers compared with their rival, heads probed with HeadProbes.
#include "english_eval.hpp"

#include "english.hpp"

#include <algorithm>

namespace attn::train {

EnglishScores score_english(const TinyModel& m, const std::vector<Example>& examples) {
    EnglishScores s;
    HeadProbes probes(m.config.n_layers, m.config.n_heads);
    long ref_ok = 0, agr_ok = 0, dis_ok = 0, word_ok = 0;
    ForwardOptions opt;
    opt.head_stats = false;
    std::vector<std::vector<Matrix>> weights;
    for (const Example& e : examples) {
        const ForwardResult f = forward(m, e.ids, opt);
        for (const Probe& p : e.probes) {
            const bool right = p.contrast < 0 || f.logits(p.query, p.answer) > f.logits(p.query, p.contrast);
            if (p.kind == Probe::Kind::Referent) {
                ref_ok += right, ++s.n_referent;
            } else {
                agr_ok += right, ++s.n_agreement;
                if (p.distractor) dis_ok += right, ++s.n_distractor;
            }
        }
        for (const Target& t : e.targets) {
            bool is_probe = false;
            for (const Probe& p : e.probes)
                is_probe = is_probe || p.query == t.pos;
            if (is_probe) continue;
            Eigen::Index arg = 0;
            f.logits.row(t.pos).maxCoeff(&arg);
            word_ok += arg == t.token, ++s.n_words;
        }
        weights.assign(f.layers.size(), {});
        for (std::size_t l = 0; l < f.layers.size(); ++l)
            for (const HeadResult& h : f.layers[l].heads)
                weights[l].push_back(h.weights);
        probes.add(weights, probe_targets(e));
    }
    const auto rate = [](long ok, long n) {
        return n ? static_cast<double>(ok) / static_cast<double>(n) : 0.0;
    };
    s.referent = rate(ref_ok, s.n_referent);
    s.agreement = rate(agr_ok, s.n_agreement);
    s.agreement_distractor = rate(dis_ok, s.n_distractor);
    s.words = rate(word_ok, s.n_words);
    s.heads = probes.report();
    for (const HeadReport& r : s.heads) {
        if (r.referent.hit > s.referent_head.referent.hit) s.referent_head = r;
        if (r.agreement.hit > s.agreement_head.agreement.hit) s.agreement_head = r;
        if (r.previous_token.hit > s.previous_head.previous_token.hit) s.previous_head = r;
    }
    return s;
}

bool meets(const EnglishScores& s, const EnglishGoals& g) {
    return s.referent >= g.referent && s.referent_head.referent.hit >= g.referent_head &&
           s.agreement_distractor >= g.agreement && s.agreement_head.agreement.hit >= g.agreement_head &&
           s.previous_head.previous_token.hit >= g.previous_head;
}

} // namespace attn::train

namespace attn::train {

std::vector<HeadReport> probe_model_heads(const TinyModel& m, std::size_t max_examples) {
    // The held-out split only: for english, without building its 60,000 training examples.
    TaskData d;
    if (m.task == "english") {
        d.name = "english";
        d.vocab = english_vocab();
        EnglishEval e = make_english_eval(m.data_seed);
        d.held_out = std::move(e.combos);
        d.held_out.insert(d.held_out.end(), e.structures.begin(), e.structures.end());
    } else {
        d = make_task(m.task, m.data_seed);
    }
    if (d.name.empty() || d.vocab != m.vocab) return {};
    HeadProbes probes(m.config.n_layers, m.config.n_heads);
    ForwardOptions opt;
    opt.head_stats = false;
    std::vector<std::vector<Matrix>> weights;
    // the english task's held-out split starts with its combinations; take structures too, evenly
    const std::size_t n = d.held_out.size(), take = std::min(max_examples, n);
    for (std::size_t k = 0; k < take; ++k) {
        const Example& e = d.held_out[k * n / take];
        ProbeTargets t = d.name == "english" ? probe_targets(e) : ProbeTargets{};
        if (d.name != "english") {
            t.ids = e.ids;
            if (d.name == "pronoun") t.referent = e.attend;
        }
        t.causal = m.config.mask != MaskKind::Bidirectional;
        const ForwardResult f = forward(m, e.ids, opt);
        weights.assign(f.layers.size(), {});
        for (std::size_t l = 0; l < f.layers.size(); ++l)
            for (const HeadResult& h : f.layers[l].heads)
                weights[l].push_back(h.weights);
        probes.add(weights, t);
    }
    return probes.report();
}

} // namespace attn::train

// The search for disagreements between attention and attribution, and the preset table (disagreements.hpp).
#include "disagreements.hpp"

#include "core/tokenizer.hpp"
#include "english.hpp"
#include "tasks.hpp"

#include <algorithm>
#include <cmath>

namespace attn::train {

const char* to_string(DisagreementKind k) {
    switch (k) {
    case DisagreementKind::IgnoredLook:
        return "looked at, changes nothing";
    case DisagreementKind::HiddenCause:
        return "not looked at, changes the answer";
    case DisagreementKind::WrongButSure:
        return "looks right, answers wrong";
    }
    return "";
}

const std::vector<DisagreementExample>& disagreement_examples() {
    static const std::vector<DisagreementExample> list = {
        // rows printed by `attention-lab inspect --model english --find-disagreements`
        {"looked-at", DisagreementKind::IgnoredLook,
         "The horses couldn't climb the ponds because they were too polluted", 7, 1},
        {"not-looked-at", DisagreementKind::HiddenCause,
         "The mountains were avoided by the mice because they were so overgrown", 8, 0},
        {"unknown-word", DisagreementKind::WrongButSure,
         "The cow couldn't enter the boulevard since it was so muddy.", 7, 5},
    };
    return list;
}

namespace {

DisagreementFigures figures_of(const TinyModel& m, const std::vector<int>& ids, const Explanation& e,
                               int token) {
    DisagreementFigures f;
    f.answer = m.vocab[static_cast<std::size_t>(e.answer)];
    f.answer_prob = e.answer_prob;
    const int n_heads = m.config.n_heads;
    f.max_head_weight = -1;
    for (std::size_t l = 0; l < e.attention.size(); ++l)
        for (int h = 0; h < n_heads; ++h)
            if (const float w = e.attention[l](h, token); w > f.max_head_weight) {
                f.max_head_weight = w;
                f.max_head = static_cast<int>(l) * n_heads + h;
            }
    f.mean_last = e.mean_attention(e.mean_attention.rows() - 1, token);
    f.rollout = e.rollout(token);
    f.leave_one_out = e.leave_one_out(token);
    f.answer_without = m.vocab[static_cast<std::size_t>(e.loo_answer[static_cast<std::size_t>(token)])];
    f.grad_x_input = e.grad_x_input(token);
    f.token_known = ids[static_cast<std::size_t>(token)] != 0;
    return f;
}

float max_head_weight(const Explanation& e, int token) {
    float best = 0;
    for (const Matrix& a : e.attention)
        best = std::max(best, a.col(token).maxCoeff());
    return best;
}

// A word of the same kind as `noun` that the model does not know, or empty.
std::string unknown_like(const TinyModel& m, const std::string& noun, std::size_t pick) {
    static const std::vector<std::string> animals = {"giraffe", "kangaroo", "penguin", "moose", "walrus"},
                                          places = {"avenue", "canyon", "boulevard", "glacier", "harbor"},
                                          things = {"sofa", "kettle", "wagon", "suitcase", "umbrella"};
    const WordClass wc = english_word(noun).word_class;
    const std::vector<std::string>* list = wc == WordClass::Animal  ? &animals
                                           : wc == WordClass::Place ? &places
                                           : wc == WordClass::Thing ? &things
                                                                    : nullptr;
    if (!list) return {};
    for (std::size_t k = 0; k < list->size(); ++k) {
        const std::string& w = (*list)[(pick + k) % list->size()];
        if (encode(m.vocab, {w}).front() == 0) return w;
    }
    return {};
}

} // namespace

DisagreementFigures disagreement_figures(const TinyModel& m, const std::vector<std::string>& tokens,
                                         int position, int token) {
    ATTN_CHECK(position >= 0 && token >= 0 && position < static_cast<int>(tokens.size()) &&
               token < static_cast<int>(tokens.size()));
    const std::vector<int> ids = encode(m.vocab, tokens);
    return figures_of(m, ids, explain(m, ids, position), token);
}

bool shows_disagreement(DisagreementKind kind, const DisagreementFigures& f, const std::string& expected) {
    switch (kind) {
    case DisagreementKind::IgnoredLook:
        return f.max_head_weight >= k_look_hard && std::abs(f.leave_one_out) <= k_changes_nothing;
    case DisagreementKind::HiddenCause:
        return f.max_head_weight <= k_no_look && f.answer_without != f.answer;
    case DisagreementKind::WrongButSure:
        return f.max_head_weight >= k_look_hard && f.answer_prob >= k_sure &&
               normalize_word(f.answer) != normalize_word(expected) && f.answer != "<unk>";
    }
    return false;
}

std::vector<DisagreementCandidate> find_disagreements(const TinyModel& m, int per_kind, int max_sentences) {
    if (m.task != "english") return {};
    const EnglishCorpus corpus = make_english_corpus(m.data_seed);
    std::vector<const Sentence*> sentences;
    for (const auto* set : {&corpus.held_out_combos, &corpus.held_out_structures})
        for (const Sentence& s : *set)
            if (s.pronoun >= 0 && s.referent >= 0 && static_cast<int>(sentences.size()) < max_sentences)
                sentences.push_back(&s);

    std::vector<DisagreementCandidate> found[3];
    const auto keep = [&](DisagreementCandidate c) {
        found[static_cast<int>(c.kind)].push_back(std::move(c));
    };
    for (std::size_t si = 0; si < sentences.size(); ++si) {
        const Sentence& s = *sentences[si];
        const bool unseen = english_structures()[static_cast<std::size_t>(s.structure)].held_out;
        const std::vector<int> ids = encode(m.vocab, s.tokens);
        const Explanation e = explain(m, ids, s.pronoun);
        const int n = static_cast<int>(ids.size());
        // the clearest token of each of the first two kinds in this sentence
        // HiddenCause is searched where the model is right, so the change is a right answer lost
        const bool right = e.answer == ids[static_cast<std::size_t>(s.referent)];
        int look = -1, hidden = -1;
        for (int j = 0; j < n; ++j) {
            if (j == s.pronoun) continue;
            const float w = max_head_weight(e, j), loo = std::abs(e.leave_one_out(j));
            const bool answer_moves = e.loo_answer[static_cast<std::size_t>(j)] != e.answer;
            if (w >= k_look_hard && loo <= k_changes_nothing && (look < 0 || w > max_head_weight(e, look)))
                look = j;
            if (right && w <= k_no_look && answer_moves &&
                (hidden < 0 || loo > std::abs(e.leave_one_out(hidden))))
                hidden = j;
        }
        if (look >= 0) {
            DisagreementFigures f = figures_of(m, ids, e, look);
            const float score = f.max_head_weight - std::abs(f.leave_one_out);
            keep({DisagreementKind::IgnoredLook, s.tokens, s.pronoun, look, std::move(f), unseen, false,
                  score});
        }
        if (hidden >= 0) {
            DisagreementFigures f = figures_of(m, ids, e, hidden);
            const float score = std::abs(f.leave_one_out) * f.answer_prob;
            keep({DisagreementKind::HiddenCause, s.tokens, s.pronoun, hidden, std::move(f), unseen, false,
                  score});
        }
        // a wrong answer with the right look: as it is, and with the noun made unknown
        const std::string& noun = s.tokens[static_cast<std::size_t>(s.referent)];
        const auto try_wrong = [&](const std::vector<std::string>& tokens, const std::vector<int>& tids,
                                   const Explanation& ex, bool replaced) {
            DisagreementFigures f = figures_of(m, tids, ex, s.referent);
            if (!shows_disagreement(DisagreementKind::WrongButSure, f,
                                    tokens[static_cast<std::size_t>(s.referent)]))
                return;
            const float score = f.max_head_weight * f.answer_prob;
            keep({DisagreementKind::WrongButSure, tokens, s.pronoun, s.referent, std::move(f), unseen,
                  replaced, score});
        };
        try_wrong(s.tokens, ids, e, false);
        if (const std::string w = unknown_like(m, noun, si); !w.empty()) {
            std::vector<std::string> tokens = s.tokens;
            tokens[static_cast<std::size_t>(s.referent)] = w;
            const std::vector<int> tids = encode(m.vocab, tokens);
            try_wrong(tokens, tids, explain(m, tids, s.pronoun), true);
        }
    }
    std::vector<DisagreementCandidate> out;
    for (auto& list : found) {
        std::stable_sort(
            list.begin(), list.end(),
            [](const DisagreementCandidate& a, const DisagreementCandidate& b) { return a.score > b.score; });
        for (int i = 0; i < static_cast<int>(list.size()) && i < per_kind; ++i)
            out.push_back(std::move(list[static_cast<std::size_t>(i)]));
    }
    return out;
}

} // namespace attn::train

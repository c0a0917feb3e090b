// How well a model does what the "english" task teaches, on a set of its examples: the answer at "it"
// (the referent rather than the other noun), the verb's number (especially across a noun of the other
// number), and whether some head does each job in its attention: referent, agreement, previous token.
#pragma once

#include "core/head_probes.hpp"
#include "tasks.hpp"
#include "tiny_model.hpp"

#include <vector>

namespace attn::train {

struct EnglishScores {
    double referent = 0;             // pronoun probes: logit(referent) > logit(other noun)
    double agreement = 0;            // verb probes: logit(right number) > logit(other number)
    double agreement_distractor = 0; // the same, only verbs with a noun of the other number in between
    double words = 0;                // masked words predicted exactly
    long n_referent = 0, n_agreement = 0, n_distractor = 0, n_words = 0;
    HeadReport referent_head;      // the head with the best referent hit rate, and its figures
    HeadReport agreement_head;     // the best agreement head
    HeadReport previous_head;      // the best previous-token head
    std::vector<HeadReport> heads; // every (layer, head), labelled (head_probes.hpp)
};

EnglishScores score_english(const TinyModel& m, const std::vector<Example>& examples);

// The criteria of the shipped language model, on held-out structures (README, "Trained models"):
// referent ≥ 0.90 with a referent head ≥ 0.85; agreement across a distractor ≥ 0.90 with an agreement
// head ≥ 0.80; a previous-token head ≥ 0.95.
struct EnglishGoals {
    double referent = 0.90, referent_head = 0.85;
    double agreement = 0.90, agreement_head = 0.80;
    double previous_head = 0.95;
};
bool meets(const EnglishScores& s, const EnglishGoals& g = {});

} // namespace attn::train

namespace attn::train {

// What each head of a trained model does, probed on (at most max_examples of) the held-out split of the
// task it was trained on (m.task, m.data_seed): referent and agreement pairs of the english task, the
// pronoun task's (it, noun) pairs, induction targets from the tokens, previous and first token everywhere.
// Empty when the task is unknown. Labels and thresholds: head_probes.hpp.
std::vector<HeadReport> probe_model_heads(const TinyModel& m, std::size_t max_examples = 300);

} // namespace attn::train

// Where attention and attribution disagree on the shipped English model, found by search over its held-out
// sentences at "it"/"they" (explain.hpp supplies the figures), and the examples the app keeps as presets.
//   IgnoredLook:  a head looks hard at a token, yet reading that token as <unk> changes nothing
//   HiddenCause:  no head looks at a token, yet reading it as <unk> changes the answer
//   WrongButSure: a head looks straight at the right noun, yet the answer is wrong with confidence
//                 (the noun is a word the model never saw, or the sentence has a structure it never saw)
#pragma once

#include "explain.hpp"
#include "tiny_model.hpp"

#include <string>
#include <vector>

namespace attn::train {

enum class DisagreementKind { IgnoredLook, HiddenCause, WrongButSure };
const char* to_string(DisagreementKind k); // "ignored look", ...

// The thresholds a case must pass, in one place: the search, the presets' test and the README use them.
inline constexpr float k_look_hard = 0.5f; // IgnoredLook, WrongButSure: some head's weight on the token
inline constexpr float k_changes_nothing = 0.05f; // IgnoredLook: |Δ log p(answer)| at most this
inline constexpr float k_no_look = 0.1f; // HiddenCause: every head's weight on the token at most this
inline constexpr float k_sure = 0.5f;    // WrongButSure: the wrong answer's probability at least this

// What one (sentence, position, token) shows. `token` is the token in question: looked at or not (the
// first two kinds), the noun "it" means (WrongButSure).
struct DisagreementFigures {
    std::string answer;         // the model's answer at position
    float answer_prob = 0;      // its probability
    float max_head_weight = 0;  // the largest weight any head of any layer puts from position on token
    int max_head = 0;           // which head that is: layer · n_heads + head
    float mean_last = 0;        // the last layer's mean over heads on token
    float rollout = 0;          // attention rollout on token
    float leave_one_out = 0;    // Δ log p(answer) when token is read as <unk>
    std::string answer_without; // the answer when token is read as <unk>
    float grad_x_input = 0;     // gradient × input of token
    bool token_known = true;    // the model knows the word at token
};
// Figures from explain(); tokens are words as the tokenizer gives them. Requires position and token to
// be inside tokens.
DisagreementFigures disagreement_figures(const TinyModel& m, const std::vector<std::string>& tokens,
                                         int position, int token);
// True when the figures show that kind of disagreement, by the thresholds above. For WrongButSure the
// right answer is the word at token (`expected`).
bool shows_disagreement(DisagreementKind kind, const DisagreementFigures& f, const std::string& expected);

struct DisagreementCandidate {
    DisagreementKind kind = DisagreementKind::IgnoredLook;
    std::vector<std::string> tokens;
    int position = 0, token = 0;
    DisagreementFigures figures;
    bool held_out_structure = false; // the sentence's structure was never trained
    bool replaced_noun = false;      // WrongButSure: the noun was swapped for a word the model never saw
    float score = 0;                 // how clearly it shows the disagreement (larger first)
};

// Searches the held-out sentences of the model's English corpus (data_seed) that have "it"/"they":
// per kind the `per_kind` clearest cases, at most one per sentence. For WrongButSure it also reads each
// sentence with the noun "it" means replaced by a word of the same kind the model does not know.
// Empty for a model not trained on the english task.
std::vector<DisagreementCandidate> find_disagreements(const TinyModel& m, int per_kind = 5,
                                                      int max_sentences = 2000);

// ---- the presets -------------------------------------------------------------------------------------
// Each example opens the Explanations view on `position`. After the shipped model is retrained, run
// `attention-lab inspect --model english --find-disagreements` and copy its suggested rows here.
struct DisagreementExample {
    const char* name; // preset id ("not-attention-1", ...)
    DisagreementKind kind;
    const char* text; // the sentence, as typed
    int position;     // 0-based token whose answer is explained ("it")
    int token;        // 0-based token in question
};
const std::vector<DisagreementExample>& disagreement_examples();

} // namespace attn::train

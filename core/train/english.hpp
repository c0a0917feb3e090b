// A generated corpus of simple English for a small bidirectional language model, annotated with what its
// heads could learn: which noun "it"/"they" means (the adjective decides) and which subject every
// number-marked verb agrees with. Whole sentence structures and some word combinations are held out.
#pragma once

#include "core/head_probes.hpp"
#include "core/rng.hpp"
#include "tasks.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attn::train {

// ---- the structures ----------------------------------------------------------------------------------
enum class StructureKind {
    Pronoun,   // "it"/"they" refers to one of two nouns of different kinds; the adjective decides which
    Agreement, // number-marked verbs agree with a subject, often across a noun of the other number
};

struct Structure {
    std::string_view pattern; // slots: A B animals, H K people, T U places, O Q things; see english.cpp
    StructureKind kind = StructureKind::Agreement;
    bool held_out = false; // never generated for training
};

// Every structure, indexed by structure id. Structure 0 is the showcase "the A didn't cross the T because
// it was too J" and is a training structure.
const std::vector<Structure>& english_structures();

// ---- annotated sentences -----------------------------------------------------------------------------
struct AgreementLabel {
    int verb = 0;            // position of the number-marked verb (is/are, was/were, has/have, -s forms)
    int subject = 0;         // position of its subject's head noun (or of "it"/"they")
    bool plural = false;     // the subject, hence the verb, is plural
    bool distractor = false; // a noun of the other number stands between subject and verb
    int distractor_pos = -1; // the nearest such noun to the verb, or -1
};

struct Sentence {
    std::vector<std::string> tokens; // lower-case words, as tokenize + normalize_word give them
    int structure = 0;               // index into english_structures()
    bool held_out = false;           // held-out structure or held-out word combination
    int pronoun = -1;                // position of "it"/"they", or -1
    int referent = -1;               // position of the noun the pronoun means, or -1
    int competitor = -1;             // position of the other candidate noun, or -1
    bool referent_plural = false;    // "they" rather than "it"
    std::vector<AgreementLabel> agreements;
};

struct EnglishCorpus {
    std::vector<Sentence> train;               // training structures, training word combinations
    std::vector<Sentence> held_out_combos;     // training structures, held-out combinations; the two seed
                                               // sentences ("... too tired", "... too wide") come first
    std::vector<Sentence> held_out_structures; // structures never trained
};

inline constexpr int k_english_train = 30000;
inline constexpr int k_english_held_combos = 1000;
inline constexpr int k_english_held_structures = 1000;

// Deterministic for a seed. Sentence counts default to the constants above.
EnglishCorpus make_english_corpus(std::uint64_t seed, int n_train = k_english_train,
                                  int n_held_combos = k_english_held_combos,
                                  int n_held_structures = k_english_held_structures);

// "<unk>", "<mask>", then every corpus word in sorted order.
const std::vector<std::string>& english_vocab();
inline constexpr int k_mask_id = 1;

// ---- training examples -------------------------------------------------------------------------------
// Training objective (bidirectional, no causal mask):
//   masked words: about 15% of the other words become <mask>, target = the word;
//   referent:     "it"/"they" stays in the input, target = the referent noun (Probe::Referent);
//   agreement:    the verb becomes <mask> 80% of the time (else kept), target = the verb (Probe::Agreement).
// The pronoun, its referent, the adjective that decides it and every verb's subject are never masked.
Example training_example(const Sentence& s, Rng& rng);
// Next word: the first j words (j drawn at random), then <mask> where word j stood, target = word j. The
// mask sees only what came before it, as in a left-to-right language model: the word just before is the
// best clue, which is what a previous-token head delivers.
Example next_word_example(const Sentence& s, Rng& rng);
// For evaluation: no random masks, every agreement verb masked, the same targets and probes.
Example eval_example(const Sentence& s);

// The "english" task: train = a training example and a next-word example of each sentence of corpus.train;
// held_out = eval examples of the seed sentences, the held-out combinations, then the held-out structures.
// attend holds (pronoun, referent).
TaskData make_english_task(std::uint64_t seed);

// The task's held-out examples split in two, in the same order as in TaskData::held_out (combos first).
struct EnglishEval {
    std::vector<Example> combos;     // training structures, unseen word combinations; the seed pair first
    std::vector<Example> structures; // structures never trained
};
EnglishEval make_english_eval(std::uint64_t seed);

// What head_probes needs from one example: its ids and its probes' (query, key) pairs.
ProbeTargets probe_targets(const Example& e);

// ---- word classes ------------------------------------------------------------------------------------
enum class WordClass {
    Other,
    Animal,
    Person,
    Place,
    Thing,
    AnimalAdjective, // fits animals only: tired, hungry, ...
    PlaceAdjective,  // fits places only: wide, busy, ...
    ThingAdjective,  // fits things only: broken, rusty, ...
    Verb,            // a number-marked verb form (is/are, sleeps/sleep, ...); a bare "sleep" reads as plural
    Pronoun,         // it / they
};
struct WordInfo {
    WordClass word_class = WordClass::Other;
    bool plural = false;         // nouns, number-marked verbs and pronouns
    std::string_view other_form; // the same noun or verb in the other number ("is" -> "are"), or empty
};
// Case-folded lookup in the corpus lexicon; unknown words are Other.
WordInfo english_word(std::string_view word);

// Finds "it"/"they" and the noun it means in any token list, by the first adjective of a known class
// after the pronoun (else the last before it): an adjective for animals picks the first animal, one for
// places the first place, one for things the first thing, of the pronoun's number. Empty when any of these
// is missing.
// Full annotations for typed text that fits one of the structures with corpus words, in either number
// ("The keys to the cabinet are rusty"); empty otherwise. held_out then says whether the structure is.
std::optional<Sentence> annotate_sentence(const std::vector<std::string>& tokens);

struct PronounLink {
    int pronoun = 0;
    int referent = 0;
};
std::optional<PronounLink> annotate_pronoun(const std::vector<std::string>& tokens);

} // namespace attn::train

// The sentence machinery of the English corpus (english.hpp): structure patterns with slots, a random
// filling of a structure's slots, rendering a filling into words with its pronoun and agreement labels,
// and reading typed words back into a filling. Used by english.cpp only.
#pragma once

#include "english.hpp"

#include "core/rng.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attn::train::sentences {

inline constexpr int k_n_slots = 8; // A B animals, H K people, T U places, O Q things

// The words chosen for one structure's slots.
struct Filling {
    std::array<int, k_n_slots> lemma{};   // index into nouns_of(slot)
    std::array<bool, k_n_slots> plural{}; // number of each slot
    int referent = -1;                    // pronoun structures: the slot "it" means (a candidate)
    std::vector<int> picks;               // lemma of each adjective, past and bare verb, in pattern order
    std::vector<int> verb_picks;          // lemma of each number-marked open verb (vi, vt), in pattern order
    bool period = false;                  // a final "."
};

int draw(Rng& rng, std::size_t n); // uniform in [0, n)
Filling random_filling(int structure, Rng& rng);
Sentence render(int structure, const Filling& f);
// The words a filling chooses, without the period and the lemmas of number-marked verbs: held-out
// combinations are decided on this key.
std::string combination_key(int structure, const Filling& f);
// The showcase "the animal didn't cross the street because it was too tired / wide".
Sentence seed_sentence(bool tired);
// Every (animal, street) sentence of the showcase's kind is held out.
bool is_seed_pair(int structure, const Filling& f);
// The literal words of every structure ("the", "because", ...), for the vocabulary.
std::vector<std::string_view> structure_words();

} // namespace attn::train::sentences

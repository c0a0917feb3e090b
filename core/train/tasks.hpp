// Synthetic tasks whose answer must be routed through attention, each deterministic for a seed with a
// train / held-out split that shares no sequence:
//   pronoun   — "the dog didn't cross the street because it was too tired": predict, at "it", its noun
//   induction — a random sequence, then its repeat: predict each next token of the repeat
//   reversal  — a sequence, "|", then the sequence backwards: predict each reversed token
//   english   — generated English, masked words plus "it" → its noun and verb → its subject (english.hpp)
#pragma once

#include "tiny_model.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attn::train {

// A target whose answer needs one other position; lets evaluation score each kind on its own.
struct Probe {
    enum class Kind { Referent, Agreement };
    Kind kind = Kind::Referent;
    int query = 0;           // row: the pronoun, or the number-marked verb
    int key = 0;             // column: the referent noun, or the verb's subject
    int answer = 0;          // token id the model should predict at query (also in targets)
    bool plural = false;     // "they" / a plural subject
    bool distractor = false; // agreement: a noun of the other number stands between key and query
    int other = -1;          // the competing noun (other candidate referent / nearest distractor), or -1
    int contrast = -1;       // the answer's rival id: the other candidate noun / the verb in the other number
};

struct Example {
    std::vector<int> ids;                    // (n_tokens) token ids
    std::vector<Target> targets;             // supervised positions
    std::vector<std::pair<int, int>> attend; // (query, key) pairs the task's attention criterion checks
    std::vector<Probe> probes;               // targets that are probes (the other targets are masked words);
                                             // empty for the letter tasks
};

inline constexpr int k_last_layer = -1;
inline constexpr int k_any_layer = -2;

struct TaskData {
    std::string name;
    std::string title;              // "pronoun resolution", shown in the app
    std::vector<std::string> vocab; // id 0 is "<unk>"
    bool causal = false;
    int n_ctx = 0;            // longest example
    int attention_layer = -1; // layer whose heads the criterion checks, or k_last_layer / k_any_layer
    std::vector<Example> train, held_out;
    std::string sample_text; // a held-out example as text, for the app's preset
};

// The task names accepted by make_task, in menu order.
const std::vector<std::string>& task_names();
// Empty name-check message when known; otherwise data with an empty name.
TaskData make_task(std::string_view name, std::uint64_t seed);

// Pronoun task, training split only: in every training sentence either the word just after "it" or the
// word just before the referent (its "the") becomes a decoy, a different noun of the referent's kind;
// the answer stays the referent. The held-out split is left as it is. With RoPE a last-layer head otherwise
// spreads its weight from "it" over the referent and neighbours that carry the same clue ("was", which read
// the adjective, or the "the" that copied the noun), and the answer comes out right either way: the decoy
// makes weight on those neighbours cost a wrong answer. Deterministic for the seed.
void add_pronoun_decoys(TaskData& d, std::uint64_t seed);

// Looks words up (case-folded); unknown words map to id 0.
std::vector<int> encode(const std::vector<std::string>& vocab, const std::vector<std::string>& words,
                        std::vector<std::string>* unknown = nullptr);

} // namespace attn::train

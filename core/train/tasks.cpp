// Data generators of the letter and pronoun training tasks (see tasks.hpp); "english" lives in english.cpp.
// Every split is deterministic for a seed.
#include "tasks.hpp"

#include "core/rng.hpp"
#include "core/tokenizer.hpp"
#include "english.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace attn::train {

namespace {

// Fisher-Yates with our own Rng, so the order is the same on every platform.
template <class T> void shuffle(std::vector<T>& v, Rng& rng) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(rng.next_u64() % i);
        std::swap(v[i - 1], v[j]);
    }
}

int index_of(const std::vector<std::string>& vocab, const std::string& w) {
    const auto it = std::find(vocab.begin(), vocab.end(), w);
    ATTN_CHECK(it != vocab.end());
    return static_cast<int>(it - vocab.begin());
}

// ---- pronoun resolution ------------------------------------------------------------------------------
// A = an animal, T = a thing (place or object), J = an adjective that fits only one kind.
const std::vector<std::string> k_animals = {"dog",    "cat",  "horse", "fox",    "cow",   "goat", "sheep",
                                            "rabbit", "deer", "wolf",  "bear",   "mouse", "duck", "pig",
                                            "donkey", "lamb", "puppy", "kitten", "hen",   "tiger"};
const std::vector<std::string> k_things = {"street", "road", "river", "bridge", "field", "hill", "wall",
                                           "fence",  "box",  "ditch", "stream", "lake",  "path", "track",
                                           "yard",   "gate", "log",   "rock",   "pond",  "canal"};
const std::vector<std::string> k_animal_adj = {"tired", "hungry", "scared", "sleepy",
                                               "weak",  "old",    "sick",   "lazy"};
const std::vector<std::string> k_thing_adj = {"wide", "busy", "deep",  "steep",
                                              "high", "long", "muddy", "icy"};
const std::vector<std::string> k_templates = {
    "the A didn't cross the T because it was too J",       "the A did not cross the T because it was too J",
    "the T was not crossed by the A because it was too J", "the A stayed off the T since it was so J",
    "because it was too J , the A avoided the T",          "the T stopped the A because it was very J",
    "the A refused to climb the T , it was too J",         "since it was J , the T was left alone by the A",
};

TaskData make_pronoun(std::uint64_t seed) {
    TaskData d;
    d.name = "pronoun";
    d.title = "pronoun resolution";
    d.causal = false;
    d.attention_layer = k_last_layer;
    std::set<std::string> words;
    for (const auto& t : k_templates)
        for (const auto& w : tokenize(t))
            if (w != "A" && w != "T" && w != "J") words.insert(w);
    d.vocab.push_back("<unk>");
    d.vocab.insert(d.vocab.end(), words.begin(), words.end());
    for (const auto* list : {&k_animals, &k_things, &k_animal_adj, &k_thing_adj})
        d.vocab.insert(d.vocab.end(), list->begin(), list->end());
    std::vector<std::vector<std::string>> templates;
    for (const auto& t : k_templates)
        templates.push_back(tokenize(t));

    std::vector<Example> all;
    std::vector<std::string> all_text;
    for (const auto& tpl : templates)
        for (const auto& a : k_animals)
            for (const auto& t : k_things)
                for (int j = 0; j < static_cast<int>(k_animal_adj.size() + k_thing_adj.size()); ++j) {
                    const bool animal = j < static_cast<int>(k_animal_adj.size());
                    const std::string& adj =
                        animal ? k_animal_adj[static_cast<std::size_t>(j)]
                               : k_thing_adj[static_cast<std::size_t>(j) - k_animal_adj.size()];
                    Example e;
                    int it_pos = -1, a_pos = -1, t_pos = -1;
                    for (std::size_t i = 0; i < tpl.size(); ++i) {
                        const std::string& w = tpl[i] == "A"   ? a
                                               : tpl[i] == "T" ? t
                                               : tpl[i] == "J" ? adj
                                                               : tpl[i];
                        if (tpl[i] == "A") a_pos = static_cast<int>(i);
                        if (tpl[i] == "T") t_pos = static_cast<int>(i);
                        if (tpl[i] == "it") it_pos = static_cast<int>(i);
                        e.ids.push_back(index_of(d.vocab, w));
                    }
                    const int ref = animal ? a_pos : t_pos;
                    e.targets.push_back({it_pos, e.ids[static_cast<std::size_t>(ref)]});
                    e.attend.push_back({it_pos, ref});
                    all.push_back(std::move(e));
                }
    Rng rng(mix_seed(seed, 0x9120ull));
    shuffle(all, rng);
    const std::size_t n_held = all.size() / 10;
    d.held_out.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n_held));
    d.train.assign(all.begin() + static_cast<std::ptrdiff_t>(n_held), all.end());
    for (const auto& t : templates)
        d.n_ctx = std::max(d.n_ctx, static_cast<int>(t.size()));
    return d;
}

} // namespace

void add_pronoun_decoys(TaskData& d, std::uint64_t seed) {
    ATTN_CHECK(d.name == "pronoun");
    std::vector<int> animals, things;
    for (const auto& w : k_animals)
        animals.push_back(index_of(d.vocab, w));
    for (const auto& w : k_things)
        things.push_back(index_of(d.vocab, w));
    Rng rng(mix_seed(seed, 0xDEC0ull));
    for (Example& e : d.train) {
        ATTN_CHECK(e.attend.size() == 1);
        const auto [it_pos, ref] = e.attend.front();
        const int noun = e.ids[static_cast<std::size_t>(ref)];
        const bool animal = std::find(animals.begin(), animals.end(), noun) != animals.end();
        const std::vector<int>& kind = animal ? animals : things;
        int decoy = noun;
        while (decoy == noun)
            decoy = kind[static_cast<std::size_t>(rng.next_u64() % kind.size())];
        // "it" is never last and a referent never first (it follows "the"), so both places exist.
        const int at = rng.next_u64() % 2 == 0 ? it_pos + 1 : ref - 1;
        ATTN_CHECK(at >= 0 && at < static_cast<int>(e.ids.size()) && at != it_pos && at != ref);
        e.ids[static_cast<std::size_t>(at)] = decoy;
    }
}

namespace {

// ---- sequences of letters: induction and reversal ---------------------------------------------------
std::vector<std::string> letter_vocab(int n, bool separator) {
    std::vector<std::string> v = {"<unk>"};
    for (int i = 0; i < n; ++i)
        v.push_back(std::string(1, static_cast<char>('a' + i)));
    if (separator) v.push_back("|");
    return v;
}

// Draws examples until n_train + n_held distinct ones exist; the first n_held distinct go to held-out.
template <class Gen> void fill_split(TaskData& d, Gen&& gen, std::size_t n_train, std::size_t n_held) {
    std::set<std::vector<int>> seen;
    while (d.held_out.size() < n_held || d.train.size() < n_train) {
        Example e = gen();
        if (!seen.insert(e.ids).second) continue;
        (d.held_out.size() < n_held ? d.held_out : d.train).push_back(std::move(e));
    }
}

constexpr int k_induction_letters = 26;
constexpr int k_induction_min = 5, k_induction_max = 10;

// s_0 .. s_{L-1} s_0 .. s_{L-1}, letters distinct inside s, L varies so position alone cannot answer.
// Row L + k (k >= 0) holds s_k and predicts s_{k+1}; the induction head looks at row k + 1.
TaskData make_induction(std::uint64_t seed) {
    TaskData d;
    d.name = "induction";
    d.title = "induction (repeat a sequence)";
    d.causal = true;
    d.attention_layer = 1;
    d.vocab = letter_vocab(k_induction_letters, false);
    d.n_ctx = 2 * k_induction_max;
    Rng rng(mix_seed(seed, 0x1DC7ull));
    auto gen = [&]() {
        const int len =
            k_induction_min + static_cast<int>(rng.next_u64() % (k_induction_max - k_induction_min + 1));
        std::vector<int> letters(k_induction_letters);
        for (int i = 0; i < k_induction_letters; ++i)
            letters[static_cast<std::size_t>(i)] = i + 1;
        shuffle(letters, rng);
        Example e;
        e.ids.assign(letters.begin(), letters.begin() + len);
        e.ids.insert(e.ids.end(), letters.begin(), letters.begin() + len);
        for (int k = 0; k + 1 < len; ++k) {
            e.targets.push_back({len + k, e.ids[static_cast<std::size_t>(k + 1)]});
            e.attend.push_back({len + k, k + 1});
        }
        return e;
    };
    fill_split(d, gen, 20000, 500);
    return d;
}

constexpr int k_reversal_letters = 10, k_reversal_len = 6;

// x_0 .. x_{L-1} | y_0 .. y_{L-1} with y_k = x_{L-1-k}. Row L + k (the "|" or y_{k-1}) predicts y_k
// by looking at row L-1-k: an anti-diagonal.
TaskData make_reversal(std::uint64_t seed) {
    TaskData d;
    d.name = "reversal";
    d.title = "reversal (read backwards)";
    d.causal = true;
    d.attention_layer = k_any_layer;
    d.vocab = letter_vocab(k_reversal_letters, true);
    const int sep = static_cast<int>(d.vocab.size()) - 1;
    d.n_ctx = 2 * k_reversal_len + 1;
    Rng rng(mix_seed(seed, 0x5E7Eull));
    auto gen = [&]() {
        Example e;
        for (int i = 0; i < k_reversal_len; ++i)
            e.ids.push_back(1 + static_cast<int>(rng.next_u64() % k_reversal_letters));
        e.ids.push_back(sep);
        for (int k = 0; k < k_reversal_len; ++k) {
            const int src = k_reversal_len - 1 - k;
            e.targets.push_back({k_reversal_len + k, e.ids[static_cast<std::size_t>(src)]});
            e.attend.push_back({k_reversal_len + k, src});
            if (k + 1 < k_reversal_len) e.ids.push_back(e.ids[static_cast<std::size_t>(src)]);
        }
        return e;
    };
    fill_split(d, gen, 20000, 500);
    return d;
}

} // namespace

const std::vector<std::string>& task_names() {
    static const std::vector<std::string> names = {"pronoun", "induction", "reversal", "english"};
    return names;
}

TaskData make_task(std::string_view name, std::uint64_t seed) {
    TaskData d;
    if (name == "pronoun")
        d = make_pronoun(seed);
    else if (name == "induction")
        d = make_induction(seed);
    else if (name == "reversal")
        d = make_reversal(seed);
    else if (name == "english")
        d = make_english_task(seed);
    else
        return d;
    if (!d.sample_text.empty()) return d;
    const Example& e = d.held_out.front();
    std::vector<std::string> words;
    for (int id : e.ids)
        words.push_back(d.vocab[static_cast<std::size_t>(id)]);
    d.sample_text = join_tokens(words);
    return d;
}

std::vector<int> encode(const std::vector<std::string>& vocab, const std::vector<std::string>& words,
                        std::vector<std::string>* unknown) {
    std::vector<int> ids;
    for (const auto& w : words) {
        const std::string key = normalize_word(w);
        const auto it = std::find(vocab.begin() + 1, vocab.end(), key);
        if (it == vocab.end()) {
            ids.push_back(0);
            if (unknown) unknown->push_back(w);
        } else {
            ids.push_back(static_cast<int>(it - vocab.begin()));
        }
    }
    return ids;
}

} // namespace attn::train

// The generated English corpus and the "english" task (see english.hpp). Deterministic for a seed.
// Sections: the corpus · examples and the task · word classes and annotate_pronoun. The sentence
// structures and their rendering are in english_sentences.cpp, the word lists in english_lexicon.hpp.
#include "english.hpp"

#include "english_lexicon.hpp"
#include "english_sentences.hpp"

#include "core/rng.hpp"
#include "core/tokenizer.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace attn::train {

namespace {

using namespace lexicon; // the word lists (english_lexicon.hpp)
using namespace sentences;

constexpr std::uint64_t k_combo_every = 20; // about 1 in 20 word combinations is held out
// Pronoun sentences are drawn at this rate whatever the number of structures of each kind, so adding
// agreement structures does not thin out the referent examples.
constexpr double k_pronoun_share = 0.4;

} // namespace

// ---- the corpus --------------------------------------------------------------------------------------
EnglishCorpus make_english_corpus(std::uint64_t seed, int n_train, int n_held_combos, int n_held_structures) {
    std::vector<int> train_pronoun, train_agreement, held_ids;
    for (int i = 0; i < static_cast<int>(english_structures().size()); ++i) {
        const Structure& st = english_structures()[static_cast<std::size_t>(i)];
        (st.held_out                         ? held_ids
         : st.kind == StructureKind::Pronoun ? train_pronoun
                                             : train_agreement)
            .push_back(i);
    }
    EnglishCorpus c;
    c.held_out_combos = {seed_sentence(true), seed_sentence(false)};
    std::set<std::vector<std::string>> seen_held = {c.held_out_combos[0].tokens, c.held_out_combos[1].tokens};
    Rng rng(mix_seed(seed, 0xE461u));
    const std::uint64_t combo_seed = mix_seed(seed, 0xC0B0u);
    while (static_cast<int>(c.train.size()) < n_train ||
           static_cast<int>(c.held_out_combos.size()) < n_held_combos + 2) {
        const auto& ids = rng.uniform() < k_pronoun_share ? train_pronoun : train_agreement;
        const int st = ids[static_cast<std::size_t>(draw(rng, ids.size()))];
        const Filling f = random_filling(st, rng);
        const bool held = is_seed_pair(st, f) ||
                          mix_seed(combo_seed, hash_string(combination_key(st, f))) % k_combo_every == 0;
        Sentence s = render(st, f);
        if (!held) {
            if (static_cast<int>(c.train.size()) < n_train) c.train.push_back(std::move(s));
        } else if (static_cast<int>(c.held_out_combos.size()) < n_held_combos + 2 &&
                   seen_held.insert(s.tokens).second) {
            s.held_out = true;
            c.held_out_combos.push_back(std::move(s));
        }
    }
    while (static_cast<int>(c.held_out_structures.size()) < n_held_structures) {
        const int st = held_ids[static_cast<std::size_t>(draw(rng, held_ids.size()))];
        Sentence s = render(st, random_filling(st, rng));
        if (seen_held.insert(s.tokens).second) c.held_out_structures.push_back(std::move(s));
    }
    return c;
}

// ---- examples and the task ---------------------------------------------------------------------------
namespace {

const std::unordered_map<std::string, int>& vocab_ids() {
    static const std::unordered_map<std::string, int> ids = [] {
        std::unordered_map<std::string, int> m;
        const auto& v = english_vocab();
        for (std::size_t i = 0; i < v.size(); ++i)
            m.emplace(v[i], static_cast<int>(i));
        return m;
    }();
    return ids;
}

int id_of(const std::string& w) {
    const auto it = vocab_ids().find(w);
    ATTN_CHECK(it != vocab_ids().end());
    return it->second;
}

constexpr double k_mask_word = 0.15, k_mask_verb = 0.8;

// rng == nullptr: the evaluation form (no random masks, every agreement verb masked).
Example make_example(const Sentence& s, Rng* rng) {
    const std::size_t n = s.tokens.size();
    Example e;
    for (const auto& w : s.tokens)
        e.ids.push_back(id_of(w));
    std::vector<bool> keep(n, false); // never masked at random: the evidence the probes need
    if (s.pronoun >= 0) {
        keep[static_cast<std::size_t>(s.pronoun)] = keep[static_cast<std::size_t>(s.referent)] = true;
        for (std::size_t i = 0; i < n; ++i) // the adjective that decides the referent
            if (english_word(s.tokens[i]).word_class >= WordClass::AnimalAdjective &&
                english_word(s.tokens[i]).word_class <= WordClass::ThingAdjective)
                keep[i] = true;
        Probe p;
        p.kind = Probe::Kind::Referent;
        p.query = s.pronoun;
        p.key = s.referent;
        p.answer = e.ids[static_cast<std::size_t>(s.referent)];
        p.plural = s.referent_plural;
        p.other = s.competitor;
        p.contrast = e.ids[static_cast<std::size_t>(s.competitor)];
        e.probes.push_back(p);
        e.attend.push_back({s.pronoun, s.referent});
    }
    for (const AgreementLabel& a : s.agreements) {
        keep[static_cast<std::size_t>(a.verb)] = keep[static_cast<std::size_t>(a.subject)] = true;
        Probe p;
        p.kind = Probe::Kind::Agreement;
        p.query = a.verb;
        p.key = a.subject;
        p.answer = e.ids[static_cast<std::size_t>(a.verb)];
        p.plural = a.plural;
        p.distractor = a.distractor;
        p.other = a.distractor_pos;
        p.contrast = id_of(std::string(english_word(s.tokens[static_cast<std::size_t>(a.verb)]).other_form));
        e.probes.push_back(p);
    }
    std::vector<int> target(n, -1);
    for (const Probe& p : e.probes)
        target[static_cast<std::size_t>(p.query)] = p.answer;
    for (std::size_t i = 0; i < n; ++i) {
        const bool verb = target[i] >= 0 && static_cast<int>(i) != s.pronoun;
        if (verb && (!rng || rng->uniform() < k_mask_verb)) e.ids[i] = k_mask_id;
        if (rng && !keep[i] && rng->uniform() < k_mask_word) {
            target[i] = e.ids[i];
            e.ids[i] = k_mask_id;
        }
        if (target[i] >= 0) e.targets.push_back({static_cast<int>(i), target[i]});
    }
    return e;
}

} // namespace

const std::vector<std::string>& english_vocab() {
    static const std::vector<std::string> vocab = [] {
        std::set<std::string> words = {"it", "they", "."};
        for (const auto* list : {&k_animals, &k_people, &k_places, &k_things, &k_intransitive, &k_transitive})
            for (const Forms& f : *list)
                words.insert({std::string(f.one), std::string(f.many)});
        for (const Forms* f : {&k_be_now, &k_be_past, &k_have, &k_do_not})
            words.insert({std::string(f->one), std::string(f->many)});
        for (const auto* list : {&k_animal_adj, &k_place_adj, &k_thing_adj, &k_past})
            for (std::string_view w : *list)
                words.emplace(w);
        for (std::string_view w : structure_words())
            words.emplace(w);
        std::vector<std::string> v = {"<unk>", "<mask>"};
        v.insert(v.end(), words.begin(), words.end());
        return v;
    }();
    return vocab;
}

Example training_example(const Sentence& s, Rng& rng) {
    return make_example(s, &rng);
}

Example eval_example(const Sentence& s) {
    return make_example(s, nullptr);
}

Example next_word_example(const Sentence& s, Rng& rng) {
    const int n = static_cast<int>(s.tokens.size());
    const int j = 1 + static_cast<int>(rng.next_u64() % static_cast<std::uint64_t>(std::max(1, n - 1)));
    Example e;
    for (int i = 0; i < j; ++i)
        e.ids.push_back(id_of(s.tokens[static_cast<std::size_t>(i)]));
    e.ids.push_back(k_mask_id);
    e.targets.push_back({j, id_of(s.tokens[static_cast<std::size_t>(j)])});
    return e;
}

TaskData make_english_task(std::uint64_t seed) {
    TaskData d;
    d.name = "english";
    d.title = "English (masked words, referents, agreement)";
    d.vocab = english_vocab();
    d.causal = false;
    d.attention_layer = k_any_layer;
    const EnglishCorpus c = make_english_corpus(seed);
    Rng rng(mix_seed(seed, 0x3A5Cu));
    // Held-out sentences differ from every training sentence in a word that is never masked at evaluation
    // (the combination key leaves out only the masked verbs), so no held-out input is a training input.
    for (const Sentence& s : c.train) {
        d.train.push_back(training_example(s, rng));
        if (s.tokens.size() >= 2) d.train.push_back(next_word_example(s, rng));
    }
    for (const auto* held : {&c.held_out_combos, &c.held_out_structures})
        for (const Sentence& s : *held)
            d.held_out.push_back(eval_example(s));
    for (const auto* set : {&c.train, &c.held_out_combos, &c.held_out_structures})
        for (const Sentence& s : *set)
            d.n_ctx = std::max(d.n_ctx, static_cast<int>(s.tokens.size()));
    d.sample_text = join_tokens(c.held_out_combos.front().tokens);
    return d;
}

EnglishEval make_english_eval(std::uint64_t seed) {
    const EnglishCorpus c = make_english_corpus(seed);
    EnglishEval e;
    for (const Sentence& s : c.held_out_combos)
        e.combos.push_back(eval_example(s));
    for (const Sentence& s : c.held_out_structures)
        e.structures.push_back(eval_example(s));
    return e;
}

ProbeTargets probe_targets(const Example& e) {
    ProbeTargets t;
    t.ids = e.ids;
    for (const Probe& p : e.probes)
        (p.kind == Probe::Kind::Referent ? t.referent : t.agreement).push_back({p.query, p.key});
    return t;
}

// ---- word classes and annotate_pronoun --------------------------------------------
WordInfo english_word(std::string_view word) {
    static const std::map<std::string, WordInfo, std::less<>> classes = [] {
        std::map<std::string, WordInfo, std::less<>> m;
        const std::pair<const std::vector<Forms>*, WordClass> nouns[] = {
            {&k_animals, WordClass::Animal},    {&k_people, WordClass::Person},
            {&k_places, WordClass::Place},      {&k_things, WordClass::Thing},
            {&k_intransitive, WordClass::Verb}, {&k_transitive, WordClass::Verb}};
        for (const auto& [list, cls] : nouns)
            for (const Forms& f : *list) {
                m[std::string(f.one)] = {cls, false, f.many};
                m[std::string(f.many)] = {cls, true, f.one};
            }
        for (const Forms* f : {&k_be_now, &k_be_past, &k_have, &k_do_not}) {
            m[std::string(f->one)] = {WordClass::Verb, false, f->many};
            m[std::string(f->many)] = {WordClass::Verb, true, f->one};
        }
        const std::pair<const std::vector<std::string_view>*, WordClass> adjectives[] = {
            {&k_animal_adj, WordClass::AnimalAdjective},
            {&k_place_adj, WordClass::PlaceAdjective},
            {&k_thing_adj, WordClass::ThingAdjective}};
        for (const auto& [list, cls] : adjectives)
            for (std::string_view w : *list)
                m[std::string(w)] = {cls, false, {}};
        m["it"] = {WordClass::Pronoun, false, "they"};
        m["they"] = {WordClass::Pronoun, true, "it"};
        return m;
    }();
    const auto it = classes.find(normalize_word(word));
    return it == classes.end() ? WordInfo{} : it->second;
}

std::optional<PronounLink> annotate_pronoun(const std::vector<std::string>& tokens) {
    const int n = static_cast<int>(tokens.size());
    std::vector<WordInfo> info;
    for (const auto& t : tokens)
        info.push_back(english_word(t));
    int pronoun = -1;
    for (int i = 0; i < n && pronoun < 0; ++i)
        if (info[static_cast<std::size_t>(i)].word_class == WordClass::Pronoun) pronoun = i;
    if (pronoun < 0) return std::nullopt;
    const bool plural = info[static_cast<std::size_t>(pronoun)].plural;
    auto is_adjective = [](WordClass c) {
        return c >= WordClass::AnimalAdjective && c <= WordClass::ThingAdjective;
    };
    int adjective = -1; // the first one after the pronoun, else the last one before it
    for (int i = pronoun + 1; i < n && adjective < 0; ++i)
        if (is_adjective(info[static_cast<std::size_t>(i)].word_class)) adjective = i;
    for (int i = pronoun - 1; i >= 0 && adjective < 0; --i)
        if (is_adjective(info[static_cast<std::size_t>(i)].word_class)) adjective = i;
    if (adjective < 0) return std::nullopt;
    const WordClass kind = info[static_cast<std::size_t>(adjective)].word_class;
    const WordClass noun = kind == WordClass::AnimalAdjective  ? WordClass::Animal
                           : kind == WordClass::PlaceAdjective ? WordClass::Place
                                                               : WordClass::Thing;
    for (int i = 0; i < n; ++i) { // the first noun of the adjective's kind and the pronoun's number
        const WordInfo& w = info[static_cast<std::size_t>(i)];
        if (w.word_class == noun && w.plural == plural) return PronounLink{pronoun, i};
    }
    return std::nullopt;
}
} // namespace attn::train

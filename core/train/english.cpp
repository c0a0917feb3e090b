// The generated English corpus and the "english" task (see english.hpp). Deterministic for a seed.
// Sections: structures (the word lists are in english_lexicon.hpp) · parsing patterns · filling and rendering
// · the corpus · examples and the task · word classes, annotate_pronoun and annotate_sentence (reading typed
// text back into a filling).
#include "english.hpp"

#include "english_lexicon.hpp"

#include "core/rng.hpp"
#include "core/tokenizer.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>

namespace attn::train {

namespace {

using namespace lexicon; // the word lists (english_lexicon.hpp)

// ---- structures --------------------------------------------------------------------------------------
// Pattern words: A B animals, H K people, T U places, O Q things (the second of a kind differs from the
// first); "it" becomes it/they; J an adjective of the referent's kind, JA JT JO one of animals / places /
// things; is:X was:X has:X does:X vi:X vt:X a verb agreeing with slot X (or "it"); vd a past transitive
// verb; vb a bare intransitive verb. Other words are literal.
using K = StructureKind;
const std::vector<Structure> k_structures = {
    {"the A didn't cross the T because it was:it too J", K::Pronoun, false}, // the showcase
    {"the A did not cross the T because it was:it too J", K::Pronoun, false},
    {"the T was:T not crossed by the A because it was:it too J", K::Pronoun, false},
    {"because it was:it too J , the A didn't cross the T", K::Pronoun, false},
    {"the A avoided the T since it was:it so J", K::Pronoun, false},
    {"the A couldn't climb the T because it was:it too J", K::Pronoun, false},
    {"the A refused to enter the T because it was:it very J", K::Pronoun, false},
    {"the A stopped at the T because it was:it too J", K::Pronoun, false},
    {"the A that the H vt:H didn't cross the T because it was:it too J", K::Pronoun, false},
    {"when the A reached the T , it was:it too J to cross", K::Pronoun, false},
    {"the A turned back at the T because it is:it too J", K::Pronoun, false},
    {"the A ignored the O because it was:it too J", K::Pronoun, false},
    {"the H said the A didn't cross the T because it was:it too J", K::Pronoun, false},
    {"the A didn't jump into the O because it was:it too J", K::Pronoun, false},
    {"the A looked at the T , but it was:it too J", K::Pronoun, false},
    {"the A couldn't enter the T since it was:it so J", K::Pronoun, true},
    {"it was:it too J , so the A didn't cross the T", K::Pronoun, true},
    {"the T was:T avoided by the A because it was:it so J", K::Pronoun, true},
    {"when the A saw the O , it was:it very J", K::Pronoun, true},
    {"the A was:A JA", K::Agreement, false},
    {"the H is:H JA", K::Agreement, false},
    {"the O was:O JO", K::Agreement, false},
    {"the O near the Q is:O JO", K::Agreement, false},
    {"the A near the T was:A JA", K::Agreement, false},
    {"the O to the Q was:O JO", K::Agreement, false},
    {"the A that vd the B was:A JA", K::Agreement, false},
    {"the A that vt:A the B is:A JA", K::Agreement, false},
    {"the A that the B vt:B was:A JA", K::Agreement, false},
    {"the A vi:A and the B vi:B", K::Agreement, false},
    {"the A was:A JA and the T was:T JT", K::Agreement, false},
    {"the H vi:H and vi:H", K::Agreement, false},
    {"the T was:T crossed by the A", K::Agreement, false},
    {"the O was:O found by the H", K::Agreement, false},
    {"the A was:A chased by the B", K::Agreement, false},
    {"because the T is:T JT , the A vi:A", K::Agreement, false},
    {"since the A is:A JA , the H vi:H", K::Agreement, false},
    {"the H with the A is:H JA", K::Agreement, false},
    {"the A behind the U does:A vb", K::Agreement, false},
    {"the H vt:H the A", K::Agreement, false},
    {"the O in the U was:O JO", K::Agreement, false},
    {"the H has:H the O", K::Agreement, false},
    {"the A has:A been JA", K::Agreement, false},
    {"the A behind the U has:A been JA", K::Agreement, true},
    {"the A that vi:A near the T is:A JA", K::Agreement, true},
    {"when the T is:T JT , the A vi:A", K::Agreement, true},
    {"the O in the Q is:O not JO", K::Agreement, true},
};

// ---- parsing patterns --------------------------------------------------------------------------------
constexpr std::string_view k_slot_letters = "ABHKTUOQ"; // slot s has kind s / 2
constexpr int k_n_slots = 8, k_pronoun_slot = -2;
enum class Part { Word, Noun, Pronoun, RefAdj, Adj, Agree, Past, Bare };

const std::vector<Forms>& nouns_of(int slot) {
    static const std::array<const std::vector<Forms>*, 4> kinds = {&k_animals, &k_people, &k_places,
                                                                   &k_things};
    return *kinds[static_cast<std::size_t>(slot / 2)];
}
const std::vector<std::string_view>& adjectives_of(int kind) { // 0 animals, 2 places, 3 things
    return kind == 0 ? k_animal_adj : kind == 2 ? k_place_adj : k_thing_adj;
}

struct Piece {
    Part part = Part::Word;
    std::string_view word;                     // Part::Word
    int slot = -1;                             // Noun: its slot; Agree: the subject slot or k_pronoun_slot
    int kind = 0;                              // Adj: the adjective kind
    const Forms* fixed = nullptr;              // Agree: is/are ... when not null
    const std::vector<Forms>* verbs = nullptr; // Agree: lemma list when fixed is null
};

struct Parsed {
    std::vector<Piece> pieces;
    std::array<bool, k_n_slots> used{};
    int thing_slot = -1; // pronoun structures: the inanimate candidate (T or O)
};

int slot_of(std::string_view s) {
    const auto p = k_slot_letters.find(s);
    return s.size() == 1 && p != std::string_view::npos ? static_cast<int>(p) : -1;
}

Parsed parse(const Structure& st) {
    Parsed out;
    std::string_view rest = st.pattern;
    while (!rest.empty()) {
        const auto sp = rest.find(' ');
        const std::string_view w = rest.substr(0, sp);
        rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
        Piece p;
        const auto colon = w.find(':');
        if (slot_of(w) >= 0) {
            p.part = Part::Noun;
            p.slot = slot_of(w);
            out.used[static_cast<std::size_t>(p.slot)] = true;
        } else if (w == "it") {
            p.part = Part::Pronoun;
        } else if (w == "J") {
            p.part = Part::RefAdj;
        } else if (w == "JA" || w == "JT" || w == "JO") {
            p.part = Part::Adj;
            p.kind = w == "JA" ? 0 : w == "JT" ? 2 : 3;
        } else if (colon != std::string_view::npos) {
            const std::string_view verb = w.substr(0, colon), subject = w.substr(colon + 1);
            p.part = Part::Agree;
            p.slot = subject == "it" ? k_pronoun_slot : slot_of(subject);
            ATTN_CHECK(p.slot != -1);
            if (verb == "is")
                p.fixed = &k_be_now;
            else if (verb == "was")
                p.fixed = &k_be_past;
            else if (verb == "has")
                p.fixed = &k_have;
            else if (verb == "does")
                p.fixed = &k_do_not;
            else if (verb == "vi")
                p.verbs = &k_intransitive;
            else if (verb == "vt")
                p.verbs = &k_transitive;
            ATTN_CHECK(p.fixed || p.verbs);
        } else if (w == "vd") {
            p.part = Part::Past;
        } else if (w == "vb") {
            p.part = Part::Bare;
        } else {
            p.word = w;
        }
        out.pieces.push_back(p);
    }
    if (st.kind == K::Pronoun) out.thing_slot = out.used[4] ? 4 : 6;
    ATTN_CHECK(st.kind != K::Pronoun || (out.used[0] && out.used[static_cast<std::size_t>(out.thing_slot)]));
    return out;
}

const std::vector<Parsed>& parsed_structures() {
    static const std::vector<Parsed> parsed = [] {
        std::vector<Parsed> v;
        for (const auto& s : k_structures)
            v.push_back(parse(s));
        return v;
    }();
    return parsed;
}

// ---- filling and rendering ---------------------------------------------------------------------------
struct Filling {
    std::array<int, k_n_slots> lemma{};   // index into nouns_of(slot)
    std::array<bool, k_n_slots> plural{}; // number of each slot
    int referent = -1;                    // pronoun structures: the slot "it" means (0 or thing_slot)
    std::vector<int> picks;               // lemma of each adjective, past and bare verb, in pattern order
    std::vector<int> verb_picks;          // lemma of each number-marked open verb (vi, vt), in pattern order
    bool period = false;                  // a final "."
};

int draw(Rng& rng, std::size_t n) {
    return static_cast<int>(rng.next_u64() % n);
}

Filling random_filling(const Parsed& p, Rng& rng) {
    Filling f;
    for (int s = 0; s < k_n_slots; ++s) {
        if (!p.used[static_cast<std::size_t>(s)]) continue;
        const auto n = nouns_of(s).size();
        int lemma = draw(rng, n);
        const bool second = s % 2 == 1 && p.used[static_cast<std::size_t>(s - 1)];
        while (second && lemma == f.lemma[static_cast<std::size_t>(s - 1)])
            lemma = draw(rng, n);
        f.lemma[static_cast<std::size_t>(s)] = lemma;
        f.plural[static_cast<std::size_t>(s)] = draw(rng, 2) == 1;
    }
    if (p.thing_slot >= 0) { // both candidates share a number, so "it"/"they" cannot decide
        f.plural[static_cast<std::size_t>(p.thing_slot)] = f.plural[0];
        f.referent = draw(rng, 2) == 0 ? 0 : p.thing_slot;
    }
    for (const Piece& q : p.pieces) {
        if (q.part == Part::RefAdj) f.picks.push_back(draw(rng, adjectives_of(f.referent / 2).size()));
        if (q.part == Part::Adj) f.picks.push_back(draw(rng, adjectives_of(q.kind).size()));
        if (q.part == Part::Agree && q.verbs) f.verb_picks.push_back(draw(rng, q.verbs->size()));
        if (q.part == Part::Past) f.picks.push_back(draw(rng, k_past.size()));
        if (q.part == Part::Bare) f.picks.push_back(draw(rng, k_intransitive.size()));
    }
    f.period = draw(rng, 2) == 1;
    return f;
}

// The words a filling chooses, without the period and without the lemmas of number-marked verbs: those
// verbs are masked at evaluation, so sentences differing only there must fall on the same side.
std::string combination_key(int structure, const Filling& f) {
    std::string key = std::to_string(structure);
    for (int s = 0; s < k_n_slots; ++s)
        key += "|" + std::to_string(f.lemma[static_cast<std::size_t>(s)]) +
               (f.plural[static_cast<std::size_t>(s)] ? "p" : "s");
    key += "|r" + std::to_string(f.referent);
    for (int x : f.picks)
        key += "," + std::to_string(x);
    return key;
}

Sentence render(int structure, const Filling& f) {
    const Parsed& p = parsed_structures()[static_cast<std::size_t>(structure)];
    Sentence s;
    s.structure = structure;
    s.held_out = k_structures[static_cast<std::size_t>(structure)].held_out;
    std::array<int, k_n_slots> pos{};
    pos.fill(-1);
    auto forms = [&](const Forms& x, bool plural) { return std::string(plural ? x.many : x.one); };
    const bool they = f.referent >= 0 && f.plural[static_cast<std::size_t>(f.referent)];
    std::size_t pick = 0, verb_pick = 0;
    std::vector<std::pair<int, int>> verbs; // (position, subject slot)
    for (const Piece& q : p.pieces) {
        const int here = static_cast<int>(s.tokens.size());
        switch (q.part) {
        case Part::Word:
            s.tokens.emplace_back(q.word);
            break;
        case Part::Noun: {
            const auto slot = static_cast<std::size_t>(q.slot);
            pos[slot] = here;
            s.tokens.push_back(
                forms(nouns_of(q.slot)[static_cast<std::size_t>(f.lemma[slot])], f.plural[slot]));
            break;
        }
        case Part::Pronoun:
            s.pronoun = here;
            s.tokens.emplace_back(they ? "they" : "it");
            break;
        case Part::RefAdj:
        case Part::Adj: {
            const int kind = q.part == Part::RefAdj ? f.referent / 2 : q.kind;
            s.tokens.emplace_back(adjectives_of(kind)[static_cast<std::size_t>(f.picks[pick++])]);
            break;
        }
        case Part::Agree: {
            const bool plural = q.slot == k_pronoun_slot ? they : f.plural[static_cast<std::size_t>(q.slot)];
            const Forms& x =
                q.fixed ? *q.fixed : (*q.verbs)[static_cast<std::size_t>(f.verb_picks[verb_pick++])];
            s.tokens.push_back(forms(x, plural));
            verbs.push_back({here, q.slot});
            break;
        }
        case Part::Past:
            s.tokens.emplace_back(k_past[static_cast<std::size_t>(f.picks[pick++])]);
            break;
        case Part::Bare:
            s.tokens.push_back(forms(k_intransitive[static_cast<std::size_t>(f.picks[pick++])], true));
            break;
        }
    }
    if (f.period) s.tokens.emplace_back(".");
    if (f.referent >= 0) {
        s.referent = pos[static_cast<std::size_t>(f.referent)];
        s.competitor = pos[static_cast<std::size_t>(f.referent == 0 ? p.thing_slot : 0)];
        s.referent_plural = they;
    }
    for (const auto& [verb, slot] : verbs) {
        AgreementLabel a;
        a.verb = verb;
        a.subject = slot == k_pronoun_slot ? s.pronoun : pos[static_cast<std::size_t>(slot)];
        a.plural = slot == k_pronoun_slot ? they : f.plural[static_cast<std::size_t>(slot)];
        // A noun of the other number strictly between subject and verb; the nearest to the verb.
        for (int x = 0; x < k_n_slots; ++x) {
            const int at = pos[static_cast<std::size_t>(x)];
            const bool between = at > std::min(a.subject, verb) && at < std::max(a.subject, verb);
            if (at < 0 || !between || f.plural[static_cast<std::size_t>(x)] == a.plural) continue;
            if (a.distractor_pos < 0 || std::abs(at - verb) < std::abs(a.distractor_pos - verb))
                a.distractor_pos = at;
        }
        a.distractor = a.distractor_pos >= 0;
        s.agreements.push_back(a);
    }
    return s;
}

int index_in(const std::vector<Forms>& list, std::string_view one) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i].one == one) return static_cast<int>(i);
    ATTN_CHECK(false);
    return -1;
}
int index_in(const std::vector<std::string_view>& list, std::string_view w) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i] == w) return static_cast<int>(i);
    ATTN_CHECK(false);
    return -1;
}

// The showcase sentence "the animal didn't cross the street because it was too <adjective>".
Sentence seed_sentence(bool tired) {
    Filling f;
    f.lemma[0] = index_in(k_animals, "animal");
    f.lemma[4] = index_in(k_places, "street");
    f.referent = tired ? 0 : 4;
    f.picks = {tired ? index_in(k_animal_adj, "tired") : index_in(k_place_adj, "wide")};
    Sentence s = render(0, f);
    s.held_out = true;
    return s;
}

// Every (animal, street) pronoun sentence is held out, so the showcase pair is never seen in training.
bool is_seed_pair(int structure, const Filling& f) {
    const Parsed& p = parsed_structures()[static_cast<std::size_t>(structure)];
    return p.thing_slot == 4 && nouns_of(0)[static_cast<std::size_t>(f.lemma[0])].one == "animal" &&
           nouns_of(4)[static_cast<std::size_t>(f.lemma[4])].one == "street";
}

constexpr std::uint64_t k_combo_every = 20; // about 1 in 20 word combinations is held out

// The index of w in a list of forms (either number), or -1.
int find_form(const std::vector<Forms>& list, std::string_view w) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i].one == w || list[i].many == w) return static_cast<int>(i);
    return -1;
}
int find_word(const std::vector<std::string_view>& list, std::string_view w) {
    const auto it = std::find(list.begin(), list.end(), w);
    return it == list.end() ? -1 : static_cast<int>(it - list.begin());
}

// Reads a filling of one structure back from lower-case words; empty when they do not fit. The caller
// renders it and compares, which checks every number and the pronoun.
std::optional<Filling> match(const Parsed& p, const std::vector<std::string>& words) {
    const bool period = !words.empty() && words.back() == ".";
    if (words.size() != p.pieces.size() + (period ? 1 : 0)) return std::nullopt;
    Filling f;
    f.period = period;
    for (std::size_t i = 0; i < p.pieces.size(); ++i) {
        const Piece& q = p.pieces[i];
        const std::string& w = words[i];
        int x = 0;
        switch (q.part) {
        case Part::Word:
            x = w == q.word ? 0 : -1;
            break;
        case Part::Noun:
            x = find_form(nouns_of(q.slot), w);
            if (x >= 0) {
                f.lemma[static_cast<std::size_t>(q.slot)] = x;
                f.plural[static_cast<std::size_t>(q.slot)] =
                    nouns_of(q.slot)[static_cast<std::size_t>(x)].many == w;
            }
            break;
        case Part::Pronoun:
            x = w == "it" || w == "they" ? 0 : -1;
            break;
        case Part::RefAdj: // the adjective's kind picks the referent
            f.referent = find_word(k_animal_adj, w) >= 0 ? 0 : p.thing_slot;
            x = find_word(adjectives_of(f.referent / 2), w);
            f.picks.push_back(x);
            break;
        case Part::Adj:
            x = find_word(adjectives_of(q.kind), w);
            f.picks.push_back(x);
            break;
        case Part::Agree:
            if (q.fixed) {
                x = w == q.fixed->one || w == q.fixed->many ? 0 : -1;
            } else {
                x = find_form(*q.verbs, w);
                f.verb_picks.push_back(x);
            }
            break;
        case Part::Past:
            x = find_word(k_past, w);
            f.picks.push_back(x);
            break;
        case Part::Bare:
            x = find_form(k_intransitive, w);
            f.picks.push_back(x);
            break;
        }
        if (x < 0) return std::nullopt;
    }
    return f;
}

} // namespace

const std::vector<Structure>& english_structures() {
    return k_structures;
}

// ---- the corpus --------------------------------------------------------------------------------------
EnglishCorpus make_english_corpus(std::uint64_t seed, int n_train, int n_held_combos, int n_held_structures) {
    std::vector<int> train_ids, held_ids;
    for (int i = 0; i < static_cast<int>(k_structures.size()); ++i)
        (k_structures[static_cast<std::size_t>(i)].held_out ? held_ids : train_ids).push_back(i);
    EnglishCorpus c;
    c.held_out_combos = {seed_sentence(true), seed_sentence(false)};
    std::set<std::vector<std::string>> seen_held = {c.held_out_combos[0].tokens, c.held_out_combos[1].tokens};
    Rng rng(mix_seed(seed, 0xE461u));
    const std::uint64_t combo_seed = mix_seed(seed, 0xC0B0u);
    while (static_cast<int>(c.train.size()) < n_train ||
           static_cast<int>(c.held_out_combos.size()) < n_held_combos + 2) {
        const int st = train_ids[static_cast<std::size_t>(draw(rng, train_ids.size()))];
        const Filling f = random_filling(parsed_structures()[static_cast<std::size_t>(st)], rng);
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
        Sentence s = render(st, random_filling(parsed_structures()[static_cast<std::size_t>(st)], rng));
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
        for (const Parsed& p : parsed_structures())
            for (const Piece& q : p.pieces)
                if (q.part == Part::Word) words.emplace(q.word);
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

// ---- word classes, annotate_pronoun and annotate_sentence --------------------------------------------
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
    const bool animate = info[static_cast<std::size_t>(adjective)].word_class == WordClass::AnimalAdjective;
    for (int i = 0; i < n; ++i) { // the first animal, or thing or place, of the pronoun's number
        const WordInfo& w = info[static_cast<std::size_t>(i)];
        const bool fits = animate ? w.word_class == WordClass::Animal
                                  : w.word_class == WordClass::Place || w.word_class == WordClass::Thing;
        if (fits && w.plural == plural) return PronounLink{pronoun, i};
    }
    return std::nullopt;
}

std::optional<Sentence> annotate_sentence(const std::vector<std::string>& tokens) {
    std::vector<std::string> words;
    for (const auto& t : tokens)
        words.push_back(normalize_word(t));
    for (std::size_t st = 0; st < k_structures.size(); ++st) {
        const auto f = match(parsed_structures()[st], words);
        if (!f) continue;
        Sentence s = render(static_cast<int>(st), *f);
        if (s.tokens == words) return s;
    }
    return std::nullopt;
}

} // namespace attn::train

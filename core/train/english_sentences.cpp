// Sentence structures of the English corpus: parsing their patterns, filling and rendering them with
// their labels, and reading typed text back into a filling (see english_sentences.hpp). The word lists are
// in english_lexicon.hpp. Sections: structures · parsing patterns · filling and rendering · reading text
// back.
#include "english_sentences.hpp"

#include "english_lexicon.hpp"

#include "core/tokenizer.hpp"

#include <algorithm>

namespace attn::train {

namespace sentences {

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
    // a thing and a place, or an animal and a thing: the adjective, not the noun's kind, picks the referent
    {"the O fell into the T because it was:it too J", K::Pronoun, false},
    {"the O didn't fit in the T because it was:it too J", K::Pronoun, false},
    {"the H left the O on the T because it was:it so J", K::Pronoun, false},
    {"the A dropped the O because it was:it too J", K::Pronoun, false},
    {"the O was:O dropped by the A because it was:it too J", K::Pronoun, false},
    {"the T was:T left by the A since it was:it so J", K::Pronoun, false},
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
    // subjects of every kind, at more distances and places, with distractors of every kind (animals too)
    {"the T near the A is:T JT", K::Agreement, false},
    {"the O with the B was:O JO", K::Agreement, false},
    {"the H near the A has:H been JA", K::Agreement, false},
    {"the A that vd the B near the T was:A JA", K::Agreement, false},
    {"the H said the O near the A was:O JO", K::Agreement, false},
    {"because the T near the A is:T JT , the H vi:H", K::Agreement, false},
    {"the O that the A vt:A has:O been JO", K::Agreement, false},
    {"when the H vi:H , the O in the U was:O JO", K::Agreement, false},
    {"the T next to the B was:T JT", K::Agreement, false},
    {"the H with the A that vt:A the O was:H JA", K::Agreement, false},
    {"the A near the T does:A vb", K::Agreement, false},
    {"the O under the Q was:O JO and the A vi:A", K::Agreement, false},
    {"since the T by the A is:T JT , the H vi:H", K::Agreement, false},
    {"the T behind the O near the A is:T JT", K::Agreement, false},
};

// ---- parsing patterns --------------------------------------------------------------------------------
constexpr std::string_view k_slot_letters = "ABHKTUOQ"; // slot s has kind s / 2
constexpr int k_pronoun_slot = -2;
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
    std::array<int, 2> candidates{-1, -1}; // pronoun structures: the two nouns "it" may mean (A, T or O)
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
    if (st.kind == K::Pronoun) { // the first animal, place and thing slots: exactly two of them are used
        int n = 0;
        for (int slot : {0, 4, 6})
            if (out.used[static_cast<std::size_t>(slot)]) {
                ATTN_CHECK(n < 2);
                out.candidates[static_cast<std::size_t>(n++)] = slot;
            }
        ATTN_CHECK(n == 2);
    }
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

} // namespace

// ---- filling and rendering ---------------------------------------------------------------------------
int draw(Rng& rng, std::size_t n) {
    return static_cast<int>(rng.next_u64() % n);
}
namespace {

Filling random_filling_of(const Parsed& p, Rng& rng) {
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
    if (p.candidates[0] >= 0) { // both candidates share a number, so "it"/"they" cannot decide
        const auto [a, b] = p.candidates;
        f.plural[static_cast<std::size_t>(b)] = f.plural[static_cast<std::size_t>(a)];
        f.referent = draw(rng, 2) == 0 ? a : b;
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

} // namespace

Filling random_filling(int structure, Rng& rng) {
    return random_filling_of(parsed_structures()[static_cast<std::size_t>(structure)], rng);
}

// The words a filling chooses, without the period and without the lemmas of number-marked verbs: those
// verbs are masked at evaluation, so sentences differing only there must fall on the same side.
std::string combination_key(int structure, const Filling& f) {
    std::string key = std::to_string(structure);
    for (int s = 0; s < k_n_slots; ++s) {
        key += '|';
        key += std::to_string(f.lemma[static_cast<std::size_t>(s)]);
        key += f.plural[static_cast<std::size_t>(s)] ? 'p' : 's';
    }
    key += "|r";
    key += std::to_string(f.referent);
    for (int x : f.picks) {
        key += ',';
        key += std::to_string(x);
    }
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
        const auto [a, b] = p.candidates;
        s.competitor = pos[static_cast<std::size_t>(f.referent == a ? b : a)];
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
namespace {

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

} // namespace

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
    return p.candidates == std::array<int, 2>{0, 4} &&
           nouns_of(0)[static_cast<std::size_t>(f.lemma[0])].one == "animal" &&
           nouns_of(4)[static_cast<std::size_t>(f.lemma[4])].one == "street";
}
std::vector<std::string_view> structure_words() {
    std::vector<std::string_view> words;
    for (const Parsed& p : parsed_structures())
        for (const Piece& q : p.pieces)
            if (q.part == Part::Word) words.push_back(q.word);
    return words;
}

// ---- reading text back -------------------------------------------------------------------------------
namespace {

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
            f.referent = find_word(k_animal_adj, w) >= 0 ? 0 : find_word(k_place_adj, w) >= 0 ? 4 : 6;
            x = f.referent == p.candidates[0] || f.referent == p.candidates[1]
                    ? find_word(adjectives_of(f.referent / 2), w)
                    : -1;
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

} // namespace sentences

const std::vector<Structure>& english_structures() {
    return sentences::k_structures;
}

std::optional<Sentence> annotate_sentence(const std::vector<std::string>& tokens) {
    std::vector<std::string> words;
    for (const auto& t : tokens)
        words.push_back(normalize_word(t));
    for (std::size_t st = 0; st < sentences::k_structures.size(); ++st) {
        const auto f = sentences::match(sentences::parsed_structures()[st], words);
        if (!f) continue;
        Sentence s = sentences::render(static_cast<int>(st), *f);
        if (s.tokens == words) return s;
    }
    return std::nullopt;
}

} // namespace attn::train

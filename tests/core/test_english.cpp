// The generated English corpus: vocabulary and structures, the held-out splits (whole structures, word
// combinations, the showcase sentences), the pronoun and agreement labels checked against the words
// themselves, determinism, and the masked-word / referent / agreement objective of the "english" task.
#include "core/tokenizer.hpp"
#include "core/train/english.hpp"
#include "core/train/tasks.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace attn;
using namespace attn::train;

namespace {

constexpr const char* k_seed_tired = "The animal didn't cross the street because it was too tired";
constexpr const char* k_seed_wide = "The animal didn't cross the street because it was too wide";

std::vector<std::string> words_of(const char* text) {
    std::vector<std::string> w;
    for (const auto& t : tokenize(text))
        w.push_back(normalize_word(t));
    return w;
}

// A small corpus keeps the suite quick; the checks hold for any size.
const EnglishCorpus& corpus() {
    static const EnglishCorpus c = make_english_corpus(7, 6000, 400, 400);
    return c;
}

std::vector<const Sentence*> all_sentences() {
    std::vector<const Sentence*> v;
    for (const auto* set : {&corpus().train, &corpus().held_out_combos, &corpus().held_out_structures})
        for (const Sentence& s : *set)
            v.push_back(&s);
    return v;
}

bool is_noun(WordClass c) {
    return c == WordClass::Animal || c == WordClass::Person || c == WordClass::Place || c == WordClass::Thing;
}

} // namespace

TEST_CASE("the vocabulary has over 400 words, <unk> and <mask> first, and every word of the showcase") {
    const auto& v = english_vocab();
    CHECK(v.size() >= 402);
    REQUIRE(v.size() > 2);
    CHECK(v[0] == "<unk>");
    CHECK(v[static_cast<std::size_t>(k_mask_id)] == "<mask>");
    CHECK(std::set<std::string>(v.begin(), v.end()).size() == v.size());
    std::vector<std::string> needed = words_of(k_seed_tired);
    REQUIRE(needed.size() == 11);
    CHECK(needed[2] == "didn't");
    for (const char* w : {"wide", "animals", "dogs", "streets", "is", "are", "was", "were", "has", "have"})
        needed.emplace_back(w);
    for (const auto& w : needed) {
        CAPTURE(w);
        CHECK(std::find(v.begin(), v.end(), w) != v.end());
    }
}

TEST_CASE("the lexicon's word classes and numbers are the ones English gives them") {
    CHECK(english_word("animal").word_class == WordClass::Animal);
    CHECK(!english_word("animal").plural);
    CHECK(english_word("Animals").plural);
    CHECK(english_word("mice").word_class == WordClass::Animal);
    CHECK(english_word("mice").plural);
    CHECK(english_word("street").word_class == WordClass::Place);
    CHECK(english_word("keys").word_class == WordClass::Thing);
    CHECK(english_word("children").word_class == WordClass::Person);
    CHECK(english_word("tired").word_class == WordClass::AnimalAdjective);
    CHECK(english_word("wide").word_class == WordClass::PlaceAdjective);
    CHECK(english_word("rusty").word_class == WordClass::ThingAdjective);
    CHECK(english_word("are").word_class == WordClass::Verb);
    CHECK(english_word("are").plural);
    CHECK(!english_word("sleeps").plural);
    CHECK(english_word("they").word_class == WordClass::Pronoun);
    CHECK(english_word("was").other_form == "were");
    CHECK(english_word("doesn't").other_form == "don't");
    CHECK(english_word("chases").other_form == "chase");
    CHECK(english_word("geese").other_form == "goose");
    CHECK(english_word("because").word_class == WordClass::Other);
}

TEST_CASE("at least 30 structures of both kinds, some of each held out, the showcase structure trained") {
    const auto& st = english_structures();
    CHECK(st.size() >= 30);
    int held_pronoun = 0, held_agreement = 0, pronoun = 0;
    for (const auto& s : st) {
        pronoun += s.kind == StructureKind::Pronoun;
        held_pronoun += s.held_out && s.kind == StructureKind::Pronoun;
        held_agreement += s.held_out && s.kind == StructureKind::Agreement;
    }
    CHECK(pronoun >= 10);
    CHECK(held_pronoun >= 2);
    CHECK(held_agreement >= 2);
    CHECK(held_pronoun + held_agreement >= 5);
    REQUIRE(!corpus().held_out_combos.empty());
    const Sentence& seed = corpus().held_out_combos.front();
    CHECK(!st[static_cast<std::size_t>(seed.structure)].held_out);
    // The constructions the lesson needs each have a structure.
    auto count = [&](const char* part) {
        return std::count_if(st.begin(), st.end(), [&](const Structure& s) {
            return s.pattern.find(part) != std::string_view::npos;
        });
    };
    CHECK(count(" by the ") >= 2); // passive
    CHECK(count("because it") >= 2);
    CHECK(count("since ") >= 2);
    CHECK(count(" that ") >= 3); // relative clauses
    CHECK(count(" and ") >= 2);  // coordination
    CHECK(count(" near the ") >= 2);
}

TEST_CASE("held-out structures never reach training, and every one of them is in the held-out set") {
    const auto& st = english_structures();
    std::set<std::vector<std::string>> train;
    for (const Sentence& s : corpus().train) {
        CHECK(!st[static_cast<std::size_t>(s.structure)].held_out);
        CHECK(!s.held_out);
        train.insert(s.tokens);
    }
    std::set<int> seen;
    for (const Sentence& s : corpus().held_out_structures) {
        CHECK(st[static_cast<std::size_t>(s.structure)].held_out);
        CHECK(s.held_out);
        CHECK(train.count(s.tokens) == 0);
        seen.insert(s.structure);
    }
    for (std::size_t i = 0; i < st.size(); ++i)
        if (st[i].held_out) CHECK(seen.count(static_cast<int>(i)) == 1);
    for (const Sentence& s : corpus().held_out_combos) {
        CHECK(!st[static_cast<std::size_t>(s.structure)].held_out); // a training structure ...
        CHECK(train.count(s.tokens) == 0);                          // ... with words never trained together
    }
    CHECK(corpus().held_out_combos.size() == 402);
    CHECK(corpus().held_out_structures.size() == 400);
}

TEST_CASE("the showcase sentences are held out, annotated, and absent from training") {
    std::vector<std::string> tired = words_of(k_seed_tired), wide = words_of(k_seed_wide);
    auto tired_dot = tired, wide_dot = wide;
    tired_dot.emplace_back(".");
    wide_dot.emplace_back(".");
    for (const Sentence& s : corpus().train) {
        CHECK(s.tokens != tired);
        CHECK(s.tokens != wide);
        CHECK(s.tokens != tired_dot);
        CHECK(s.tokens != wide_dot);
    }
    // Stronger: no training pronoun sentence pairs "animal" with "street" at all (a full-size corpus, where
    // about one pronoun sentence in 1300 would otherwise do so).
    const EnglishCorpus full = make_english_corpus(7);
    int pairs = 0;
    for (const Sentence& s : full.train) {
        if (s.pronoun < 0) continue;
        const bool animal = std::find(s.tokens.begin(), s.tokens.end(), "animal") != s.tokens.end();
        const bool street = std::find(s.tokens.begin(), s.tokens.end(), "street") != s.tokens.end();
        pairs += animal && street;
    }
    CHECK(pairs == 0);
    const auto& held = corpus().held_out_combos;
    REQUIRE(held.size() >= 2);
    CHECK(held[0].tokens == tired);
    CHECK(held[1].tokens == wide);
    // the(0) animal(1) didn't(2) cross(3) the(4) street(5) because(6) it(7) was(8) too(9) tired(10)
    CHECK(held[0].pronoun == 7);
    CHECK(held[0].referent == 1);
    CHECK(held[0].competitor == 5);
    CHECK(held[1].referent == 5);
    REQUIRE(held[0].agreements.size() == 1);
    CHECK(held[0].agreements[0].verb == 8);
    CHECK(held[0].agreements[0].subject == 7);
    CHECK(!held[0].agreements[0].plural);
}

TEST_CASE("every pronoun means a noun of the kind its adjective fits, and of its own number") {
    int animal = 0, thing = 0, they = 0, inanimate_pair = 0;
    for (const Sentence* s : all_sentences()) {
        if (s->pronoun < 0) continue;
        CAPTURE(join_tokens(s->tokens));
        const auto& t = s->tokens;
        const std::string& pronoun = t[static_cast<std::size_t>(s->pronoun)];
        REQUIRE((pronoun == "it" || pronoun == "they"));
        // The adjective: the first adjective-class word after the pronoun.
        WordClass adj = WordClass::Other;
        for (std::size_t i = static_cast<std::size_t>(s->pronoun) + 1;
             i < t.size() && adj == WordClass::Other; ++i)
            if (english_word(t[i]).word_class >= WordClass::AnimalAdjective &&
                english_word(t[i]).word_class <= WordClass::ThingAdjective)
                adj = english_word(t[i]).word_class;
        REQUIRE(adj != WordClass::Other);
        const WordInfo ref = english_word(t[static_cast<std::size_t>(s->referent)]);
        const WordInfo other = english_word(t[static_cast<std::size_t>(s->competitor)]);
        if (adj == WordClass::AnimalAdjective) {
            CHECK(ref.word_class == WordClass::Animal);
            CHECK((other.word_class == WordClass::Place || other.word_class == WordClass::Thing));
            ++animal;
        } else {
            CHECK(ref.word_class == (adj == WordClass::PlaceAdjective ? WordClass::Place : WordClass::Thing));
            CHECK((other.word_class == WordClass::Animal || other.word_class == WordClass::Place ||
                   other.word_class == WordClass::Thing));
            CHECK(other.word_class != ref.word_class);
            ++thing;
            inanimate_pair += other.word_class != WordClass::Animal;
        }
        // Both candidates share the pronoun's number, so only the adjective can decide.
        CHECK(ref.plural == (pronoun == "they"));
        CHECK(other.plural == ref.plural);
        CHECK(s->referent_plural == ref.plural);
        they += pronoun == "they";
    }
    CHECK(animal > 100);
    CHECK(thing > 100);
    CHECK(they > 100);
    CHECK(inanimate_pair > 50); // a thing and a place: the kind "animal or not" cannot decide alone
}

TEST_CASE("every agreement label pairs a verb with a subject of its number; distractors are real") {
    int with_distractor = 0, without = 0, plural = 0, singular = 0;
    for (const Sentence* s : all_sentences()) {
        CAPTURE(join_tokens(s->tokens));
        const auto& t = s->tokens;
        for (const AgreementLabel& a : s->agreements) {
            const WordInfo verb = english_word(t[static_cast<std::size_t>(a.verb)]);
            const WordInfo subject = english_word(t[static_cast<std::size_t>(a.subject)]);
            CHECK(verb.word_class == WordClass::Verb);
            CHECK((is_noun(subject.word_class) || subject.word_class == WordClass::Pronoun));
            CHECK(verb.plural == a.plural);
            CHECK(subject.plural == a.plural);
            // Recount from the words: a noun of the other number strictly between the two.
            bool other_between = false;
            for (int i = std::min(a.verb, a.subject) + 1; i < std::max(a.verb, a.subject); ++i) {
                const WordInfo w = english_word(t[static_cast<std::size_t>(i)]);
                other_between = other_between || (is_noun(w.word_class) && w.plural != a.plural);
            }
            CHECK(a.distractor == other_between);
            if (a.distractor) {
                const WordInfo d = english_word(t[static_cast<std::size_t>(a.distractor_pos)]);
                CHECK(is_noun(d.word_class));
                CHECK(d.plural != a.plural);
            }
            with_distractor += a.distractor;
            without += !a.distractor;
            plural += a.plural;
            singular += !a.plural;
        }
    }
    CHECK(with_distractor > 200);
    CHECK(without > 200);
    CHECK(plural > 200);
    CHECK(singular > 200);
}

TEST_CASE("the corpus is the same for the same seed and differs for another") {
    const EnglishCorpus a = make_english_corpus(11, 500, 50, 50), b = make_english_corpus(11, 500, 50, 50);
    const EnglishCorpus c = make_english_corpus(12, 500, 50, 50);
    auto tokens = [](const std::vector<Sentence>& v) {
        std::vector<std::vector<std::string>> out;
        for (const auto& s : v)
            out.push_back(s.tokens);
        return out;
    };
    CHECK(tokens(a.train) == tokens(b.train));
    CHECK(tokens(a.held_out_combos) == tokens(b.held_out_combos));
    CHECK(tokens(a.held_out_structures) == tokens(b.held_out_structures));
    CHECK(tokens(a.train) != tokens(c.train));
}

TEST_CASE("every vocabulary word occurs in training, so none keeps an untrained embedding") {
    std::set<std::string> used;
    for (const Sentence& s : corpus().train)
        used.insert(s.tokens.begin(), s.tokens.end());
    for (std::size_t i = 2; i < english_vocab().size(); ++i) {
        CAPTURE(english_vocab()[i]);
        CHECK(used.count(english_vocab()[i]) == 1);
    }
}

TEST_CASE("training examples mask words and verbs at the stated rates and supervise the three kinds") {
    Rng rng(5);
    long verbs = 0, verbs_masked = 0, free_words = 0, free_masked = 0;
    for (const Sentence& s : corpus().train) {
        const Example e = training_example(s, rng);
        REQUIRE(e.ids.size() == s.tokens.size());
        std::vector<int> target(e.ids.size(), -1);
        for (const Target& t : e.targets)
            target[static_cast<std::size_t>(t.pos)] = t.token;
        std::vector<bool> probed(e.ids.size(), false), evidence(e.ids.size(), false);
        for (const Probe& p : e.probes) {
            probed[static_cast<std::size_t>(p.query)] = true;
            evidence[static_cast<std::size_t>(p.key)] = true;
            CHECK(target[static_cast<std::size_t>(p.query)] == p.answer);
            CHECK(e.ids[static_cast<std::size_t>(p.key)] != k_mask_id); // the evidence stays visible
            if (p.kind == Probe::Kind::Referent) {
                CHECK(e.ids[static_cast<std::size_t>(p.query)] != k_mask_id);
                CHECK(p.other == s.competitor);
                CHECK(english_vocab()[static_cast<std::size_t>(p.contrast)] ==
                      s.tokens[static_cast<std::size_t>(s.competitor)]);
                CHECK(english_vocab()[static_cast<std::size_t>(p.answer)] ==
                      s.tokens[static_cast<std::size_t>(s.referent)]);
                REQUIRE(e.attend.size() == 1);
                CHECK(e.attend[0] == std::pair<int, int>(p.query, p.key));
            } else {
                CHECK(english_vocab()[static_cast<std::size_t>(p.answer)] ==
                      s.tokens[static_cast<std::size_t>(p.query)]);
                // The rival is the same verb in the other number: "is" against "are".
                const WordInfo rival = english_word(english_vocab()[static_cast<std::size_t>(p.contrast)]);
                CHECK(rival.word_class == WordClass::Verb);
                CHECK(rival.plural != p.plural);
                CHECK(rival.other_form == s.tokens[static_cast<std::size_t>(p.query)]);
                ++verbs;
                verbs_masked += e.ids[static_cast<std::size_t>(p.query)] == k_mask_id;
            }
        }
        for (std::size_t i = 0; i < e.ids.size(); ++i) {
            if (e.ids[i] == k_mask_id) CHECK(target[i] >= 0); // every mask is supervised
            const bool adjective = english_word(s.tokens[i]).word_class >= WordClass::AnimalAdjective &&
                                   english_word(s.tokens[i]).word_class <= WordClass::ThingAdjective;
            if (probed[i] || evidence[i] || (s.pronoun >= 0 && adjective)) continue;
            ++free_words;
            if (e.ids[i] == k_mask_id) {
                ++free_masked;
                CHECK(english_vocab()[static_cast<std::size_t>(target[i])] == s.tokens[i]);
            } else {
                CHECK(target[i] < 0);
            }
        }
    }
    const double verb_rate = double(verbs_masked) / double(verbs),
                 word_rate = double(free_masked) / double(free_words);
    CHECK(verb_rate > 0.75);
    CHECK(verb_rate < 0.85);
    CHECK(word_rate > 0.12);
    CHECK(word_rate < 0.18);
}

TEST_CASE("evaluation examples mask every agreement verb and nothing else") {
    for (const Sentence& s : corpus().held_out_structures) {
        const Example e = eval_example(s);
        std::set<int> verbs;
        for (const auto& a : s.agreements)
            verbs.insert(a.verb);
        for (int i = 0; i < static_cast<int>(e.ids.size()); ++i)
            CHECK((e.ids[static_cast<std::size_t>(i)] == k_mask_id) == (verbs.count(i) == 1));
        CHECK(e.targets.size() == e.probes.size());
    }
}

TEST_CASE("the english task: bidirectional, sized to its longest sentence, showcase first in held-out") {
    const TaskData d = make_task("english", 3);
    REQUIRE(d.name == "english");
    CHECK(!d.causal);
    CHECK(d.vocab == english_vocab());
    // a masked-word example and a next-word example of every training sentence
    CHECK(d.train.size() == 2 * static_cast<std::size_t>(k_english_train));
    const EnglishEval eval = make_english_eval(3);
    REQUIRE(d.held_out.size() == eval.combos.size() + eval.structures.size());
    CHECK(eval.combos.size() == 2 + static_cast<std::size_t>(k_english_held_combos));
    CHECK(eval.structures.size() == static_cast<std::size_t>(k_english_held_structures));
    CHECK(d.held_out[eval.combos.size()].ids == eval.structures.front().ids);
    std::set<std::vector<int>> train;
    for (const Example& e : d.train)
        train.insert(e.ids);
    for (const Example& e : d.held_out)
        CHECK(train.count(e.ids) == 0); // no held-out input is also a training input
    CHECK(d.sample_text == "the animal didn't cross the street because it was too tired");
    int longest = 0;
    for (const auto* set : {&d.train, &d.held_out})
        for (const Example& e : *set)
            longest = std::max(longest, static_cast<int>(e.ids.size()));
    CHECK(d.n_ctx == longest);
    REQUIRE(!d.held_out.front().probes.empty());
    const Probe& p = d.held_out.front().probes.front();
    CHECK(p.kind == Probe::Kind::Referent);
    CHECK(d.vocab[static_cast<std::size_t>(p.answer)] == "animal");
    const ProbeTargets t = probe_targets(d.held_out.front());
    REQUIRE(t.referent.size() == 1);
    CHECK(t.referent[0] == std::pair<int, int>(7, 1));
    REQUIRE(t.agreement.size() == 1);
    CHECK(t.agreement[0] == std::pair<int, int>(8, 7));
}

TEST_CASE("annotate_pronoun finds the referent in typed text and agrees with the generator") {
    const auto tired = annotate_pronoun(tokenize(k_seed_tired));
    REQUIRE(tired);
    CHECK(tired->pronoun == 7);
    CHECK(tired->referent == 1);
    const auto wide = annotate_pronoun(tokenize(k_seed_wide));
    REQUIRE(wide);
    CHECK(wide->referent == 5);
    CHECK(!annotate_pronoun(tokenize("the dog was tired")));
    CHECK(!annotate_pronoun(tokenize("it was")));
    for (const Sentence& s : corpus().held_out_combos) {
        const auto link = annotate_pronoun(s.tokens);
        CHECK(link.has_value() == (s.pronoun >= 0));
        if (link) {
            CHECK(link->pronoun == s.pronoun);
            CHECK(link->referent == s.referent);
        }
    }
}

TEST_CASE("annotate_sentence reads typed text back into a structure with its labels") {
    // the(0) keys(1) to(2) the(3) cabinet(4) were(5) rusty(6)
    const auto keys = annotate_sentence(tokenize("The keys to the cabinet were rusty."));
    REQUIRE(keys);
    CHECK(keys->pronoun == -1);
    REQUIRE(keys->agreements.size() == 1);
    CHECK(keys->agreements[0].verb == 5);
    CHECK(keys->agreements[0].subject == 1);
    CHECK(keys->agreements[0].plural);
    CHECK(keys->agreements[0].distractor);
    CHECK(keys->agreements[0].distractor_pos == 4);
    const auto seed = annotate_sentence(tokenize(k_seed_wide));
    REQUIRE(seed);
    CHECK(seed->structure == 0);
    CHECK(seed->referent == 5);
    CHECK(seed->competitor == 1);
    CHECK(!annotate_sentence(tokenize("The keys to the cabinet was rusty"))); // no such sentence in English
    CHECK(!annotate_sentence(tokenize("the animal didn't cross the street because it was too rusty")));
    CHECK(!annotate_sentence(tokenize("colorless green ideas sleep furiously")));
    // Every generated sentence reads back to the labels it was generated with.
    for (const Sentence* s : all_sentences()) {
        const auto a = annotate_sentence(s->tokens);
        REQUIRE(a);
        CHECK(a->tokens == s->tokens);
        CHECK(a->pronoun == s->pronoun);
        CHECK(a->referent == s->referent);
        REQUIRE(a->agreements.size() == s->agreements.size());
        for (std::size_t i = 0; i < a->agreements.size(); ++i) {
            CHECK(a->agreements[i].verb == s->agreements[i].verb);
            CHECK(a->agreements[i].subject == s->agreements[i].subject);
            CHECK(a->agreements[i].distractor == s->agreements[i].distractor);
        }
    }
}

TEST_CASE("a next-word example shows only the words before the one it asks for") {
    const EnglishCorpus c = make_english_corpus(5, 50, 2, 2);
    Rng rng(9);
    const std::vector<std::string>& vocab = english_vocab();
    for (const Sentence& s : c.train) {
        const Example e = next_word_example(s, rng);
        REQUIRE(e.targets.size() == 1);
        const int j = e.targets[0].pos;
        REQUIRE(j >= 1);
        REQUIRE(j < static_cast<int>(s.tokens.size()));
        CHECK(static_cast<int>(e.ids.size()) == j + 1); // nothing after the asked position
        CHECK(e.ids.back() == k_mask_id);
        CHECK(vocab[static_cast<std::size_t>(e.targets[0].token)] == s.tokens[static_cast<std::size_t>(j)]);
        for (int i = 0; i < j; ++i)
            CHECK(vocab[static_cast<std::size_t>(e.ids[static_cast<std::size_t>(i)])] ==
                  s.tokens[static_cast<std::size_t>(i)]);
        CHECK(e.probes.empty());
    }
}

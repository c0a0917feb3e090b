// The disagreement presets still show their disagreement on the shipped English model, measured by the
// thresholds of disagreements.hpp (not by copied figures), and the search finds cases of every kind.
#include "core/tokenizer.hpp"
#include "core/train/disagreements.hpp"
#include "core/train/english.hpp"
#include "core/train/model_file.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace attn;
using namespace attn::train;

namespace {

TinyModel load_english() {
    const LoadResult r = load_model(std::string(ATTN_SOURCE_DIR) + "/assets/models/english.atlm");
    INFO(english(r.error));
    REQUIRE(r.error.empty());
    return r.model;
}

} // namespace

TEST_CASE("disagreement presets: each still shows its disagreement on the shipped English model") {
    const TinyModel m = load_english();
    REQUIRE(disagreement_examples().size() >= 3);
    bool kinds[3] = {false, false, false};
    for (const DisagreementExample& ex : disagreement_examples()) {
        CAPTURE(ex.name);
        const std::vector<std::string> tokens = tokenize(ex.text);
        REQUIRE(ex.position >= 0);
        REQUIRE(ex.position < static_cast<int>(tokens.size()));
        REQUIRE(ex.token >= 0);
        REQUIRE(ex.token < static_cast<int>(tokens.size()));
        // every example explains the answer at the pronoun
        CHECK(english_word(tokens[static_cast<std::size_t>(ex.position)]).word_class == WordClass::Pronoun);
        const DisagreementFigures f = disagreement_figures(m, tokens, ex.position, ex.token);
        const std::string& word = tokens[static_cast<std::size_t>(ex.token)];
        CAPTURE(f.answer);
        CAPTURE(f.answer_prob);
        CAPTURE(f.max_head_weight);
        CAPTURE(f.leave_one_out);
        CAPTURE(f.answer_without);
        switch (ex.kind) {
        case DisagreementKind::IgnoredLook: // a head looks hard at the token; without it, nothing changes
            CHECK(f.max_head_weight >= 0.5f);
            CHECK(std::abs(f.leave_one_out) <= 0.05f);
            CHECK(f.answer_without == f.answer);
            break;
        case DisagreementKind::HiddenCause: // no head looks at it; without it, a right answer is lost
            CHECK(f.max_head_weight <= 0.1f);
            CHECK(f.answer_without != f.answer);
            CHECK(f.leave_one_out <= -0.5f);
            { // ... and the lost answer was right: the noun the pronoun means
                const auto link = annotate_pronoun(tokens);
                REQUIRE(link);
                CHECK(link->pronoun == ex.position);
                CHECK(f.answer == normalize_word(tokens[static_cast<std::size_t>(link->referent)]));
            }
            break;
        case DisagreementKind::WrongButSure: // a head looks straight at the right noun; the answer is wrong
            CHECK(f.max_head_weight >= 0.5f);
            CHECK(f.answer_prob >= 0.5f);
            CHECK(f.answer != normalize_word(word));
            CHECK(f.answer != "<unk>");
            if (const auto link = annotate_pronoun(tokens))
                CHECK(link->referent == ex.token); // the token is the noun the pronoun means
            break;
        }
        CHECK(shows_disagreement(ex.kind, f, word));
        kinds[static_cast<int>(ex.kind)] = true;
    }
    CHECK(kinds[0]);
    CHECK(kinds[1]);
    CHECK(kinds[2]);
}

TEST_CASE("the running example: attention and attribution agree on \"animal\" at \"it\"") {
    // The showcase of the app: the last layer looks from "it" mostly at "animal", and reading "animal" as
    // <unk> costs the answer most of its probability. The student sees agreement here first.
    const TinyModel m = load_english();
    const std::vector<std::string> tokens =
        tokenize("The animal didn't cross the street because it was too tired");
    const std::vector<int> ids = encode(m.vocab, tokens);
    const Explanation e = explain(m, ids, 7);
    CHECK(m.vocab[static_cast<std::size_t>(e.answer)] == "animal");
    RowVector last = e.mean_attention.row(m.config.n_layers - 1);
    last(7) = -1; // not "it" itself
    Eigen::Index most_looked = 0;
    last.maxCoeff(&most_looked);
    CHECK(most_looked == 1);
    CHECK(e.leave_one_out(1) <= -1.0f);
    CHECK(e.loo_answer[1] != e.answer);
}

TEST_CASE("find_disagreements finds every kind on held-out sentences, each passing its own thresholds") {
    const TinyModel m = load_english();
    const std::vector<DisagreementCandidate> found = find_disagreements(m, 2, 600);
    bool kinds[3] = {false, false, false};
    for (const DisagreementCandidate& c : found) {
        kinds[static_cast<int>(c.kind)] = true;
        CHECK(shows_disagreement(c.kind, c.figures, c.tokens[static_cast<std::size_t>(c.token)]));
    }
    CHECK(kinds[0]);
    CHECK(kinds[2]);
    // a model trained on another task has no English sentences to search
    TinyModel other = m;
    other.task = "pronoun";
    CHECK(find_disagreements(other).empty());
}

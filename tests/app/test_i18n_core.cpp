// What the core says to the learner reaches a German interface in German: the core returns message
// templates (core/message.hpp) that the interface translates when it shows them. A refused configuration and
// a damaged .npy import are read in German, and every message a set of bad inputs produces is translated.
#include "app/i18n/i18n.hpp"
#include "app/io/attention_file.hpp"
#include "app/state/app_state.hpp"
#include "core/config.hpp"
#include "core/imported_attention.hpp"
#include "core/npy.hpp"

#include "in_german.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <functional>
#include <string>
#include <vector>

using namespace attn;
using test::German;
using test::has_words;

namespace {

bool contains(const std::string& hay, const char* needle) {
    return hay.find(needle) != std::string::npos;
}

// A small valid (layers 1, heads 1, 3 x 3) attention file.
std::string good_npy() {
    ImportedAttention a;
    a.tokens = {"a", "b", "c"};
    a.n_layers = a.n_heads = 1;
    set_weights(a, {Matrix::Constant(3, 3, 1.0f / 3.0f)});
    return attention_to_npy(a);
}

} // namespace

TEST_CASE("a configuration the core refuses is explained in German, and in English again after a switch") {
    AppState s;
    const German de;
    ApplyResult r = apply(s, SetHeads{4, 3});
    CHECK_FALSE(r.changed);
    CAPTURE(r.message);
    CHECK(contains(r.message, "Schlüssel/Wert-Köpfe (3)"));
    CHECK(contains(r.message, "Abfrageköpfe (4)"));
    r = apply(s, SetTemperature{0.0f});
    CHECK(contains(r.message, "Temperatur"));
    i18n::set_language("en");
    r = apply(s, SetHeads{4, 3});
    CHECK(contains(r.message, "Key/value heads (3) must divide the query heads (4)"));
}

TEST_CASE("the state's own refusals (a head, a preset, a vector edit that does not exist) are in German") {
    German de;
    AppState s = AppState::initial();
    const std::vector<std::pair<Command, const char*>> cases = {
        {ToggleHead{0, 99}, "Es gibt keinen Kopf 99 in Schicht 0."},
        {LoadPreset{"nope"}, "Es gibt keine Vorlage „nope“"},
        {LoadPreset{"looked-at"}, "„looked-at“ braucht ihr trainiertes Modell „english“"},
        {LoadTrainedModel{"mine.atlm"}, "Das Modell „mine.atlm“ wurde nicht gelesen."},
        {ShowTrainedModel{}, "kein trainiertes Modell"},
        {ShowImportedAttention{}, "keine importierte Aufmerksamkeit"},
        {SetVectorOverride{0, 0, 0, 'x', {}}, "Eine Vektoränderung muss"},
        {SetVectorOverride{0, 99, 0, 'q', {}}, "keinen Abfragekopf 99"},
        {SetVectorOverride{0, 99, 0, 'k', {}}, "keinen Schlüssel/Wert-Kopf 99"},
        {SetVectorOverride{0, 0, 999, 'k', {}}, "kein Token 999"},
        {SetVectorOverride{0, 0, 0, 'k', {1.0f}}, "braucht"},
        {SetVectorOverride{0, 0, 0, 'k',
                           std::vector<float>(static_cast<std::size_t>(head_dim(s.config)), 1e9f)},
         "endliche Zahlen"},
    };
    for (const auto& [command, part] : cases) {
        const std::string german = part;
        CAPTURE(german);
        const std::uint64_t revision = s.revision;
        const ApplyResult r = apply(s, command);
        CHECK_FALSE(r.changed);
        CHECK(s.revision == revision);
        CHECK_MESSAGE(contains(r.message, part), r.message);
    }
}

TEST_CASE("a damaged .npy import is refused in German, with the file's name and the reader's reason") {
    test::TempDir dir;
    const std::string whole = good_npy();
    dir.write("cut.npy", whole.substr(0, whole.size() - 4));
    dir.write("cut.tokens.json", R"(["a", "b", "c"])");
    const German de;
    const ImportParse r = read_attention_file(dir.file("cut.npy"));
    REQUIRE_FALSE(r.ok());
    const std::string shown = i18n::text(r.error);
    CAPTURE(shown);
    CHECK(contains(shown, dir.file("cut.npy").c_str()));
    CHECK(contains(shown, "Aufmerksamkeit: abgeschnitten: Form (1, 1, 3, 3) braucht 36 Bytes Daten"));
    CHECK(contains(english(r.error), "attention: truncated: shape (1, 1, 3, 3) needs 36 bytes of data"));
}

TEST_CASE("every message the core gives for bad configurations and bad files has a German translation") {
    std::vector<Message> said;
    const std::vector<std::function<void(ModelConfig&)>> configs = {
        [](ModelConfig& c) { c.mask = static_cast<MaskKind>(7); },
        [](ModelConfig& c) { c.positions = static_cast<PositionKind>(-1); },
        [](ModelConfig& c) { c.implementation = static_cast<Implementation>(3); },
        [](ModelConfig& c) { c.d_model = 0; },
        [](ModelConfig& c) { c.d_model = k_max_d_model + 1; },
        [](ModelConfig& c) { c.n_layers = 0; },
        [](ModelConfig& c) { c.n_layers = k_max_layers + 1; },
        [](ModelConfig& c) { c.n_heads = 0; },
        [](ModelConfig& c) { c.n_heads = c.n_kv_heads = k_max_heads * 2; },
        [](ModelConfig& c) { c.n_kv_heads = 0; },
        [](ModelConfig& c) { c.n_kv_heads = 2; },
        [](ModelConfig& c) { c.n_heads = 4, c.n_kv_heads = 3; },
        [](ModelConfig& c) { c.d_head = -1; },
        [](ModelConfig& c) { c.n_heads = c.n_kv_heads = 3; },
        [](ModelConfig& c) { c.d_head = k_max_d_model + 1; },
        [](ModelConfig& c) { c.n_heads = c.n_kv_heads = 8, c.d_head = 1000; },
        [](ModelConfig& c) { c.mask = MaskKind::SlidingWindow, c.window = 0; },
        [](ModelConfig& c) { c.temperature = 0; },
        [](ModelConfig& c) { c.scale = -1; },
        [](ModelConfig& c) { c.flash_block_q = 0; },
        [](ModelConfig& c) { c.flash_block_k = k_max_flash_block + 1; },
        [](ModelConfig& c) { c.vocab_size = -1; },
        [](ModelConfig& c) { c.vocab_size = 1; },
        [](ModelConfig& c) { c.d_ff = -1; },
        [](ModelConfig& c) { c.max_positions = 0; },
        [](ModelConfig& c) { c.max_positions = k_max_positions + 1; },
    };
    for (const auto& change : configs) {
        ModelConfig c;
        change(c);
        said.push_back(validate(c));
    }
    const std::string whole = good_npy();
    std::vector<std::string> files = {"",
                                      std::string("\x93NUMPY\x09\x00", 8),
                                      whole.substr(0, 9),
                                      whole.substr(0, whole.size() - 4),
                                      whole + "xx",
                                      [&] { // an integer dtype
                                          std::string b = whole;
                                          b.replace(b.find("<f4"), 3, "<i4");
                                          return b;
                                      }(),
                                      [&] {
                                          std::string b = whole;
                                          b.replace(b.find("<f4"), 3, ">f4");
                                          return b;
                                      }(),
                                      [&] {
                                          std::string b = whole;
                                          b.replace(b.find("'shape'"), 7, "'shope'");
                                          return b;
                                      }(),
                                      [&] {
                                          std::string b = whole;
                                          b.replace(b.find("(1, 1, 3, 3)"), 12, "(1, 1, 3,-3)");
                                          return b;
                                      }()};
    for (const std::string& f : files) {
        said.push_back(parse_npy(f).error);
        said.push_back(import_attention_npy(f, {"a", "b", "c"}, "x").error);
    }
    said.push_back(import_attention_npy(whole, {"a", "b"}, "x").error);
    said.push_back(import_attention_npy(whole, {"a", "\x01", "c"}, "x").error);
    said.push_back(check_import_tokens({}));
    Message words_error;
    std::vector<std::string> words;
    CHECK_FALSE(npy_words(whole, words, words_error));
    said.push_back(words_error);

    const German de;
    int checked = 0;
    for (const Message& m : said) {
        CAPTURE(english(m));
        REQUIRE_FALSE(m.empty()); // each input above is refused
        std::vector<const char*> templates;
        collect_templates(m, templates);
        REQUIRE_FALSE(templates.empty()); // a message the interface can translate, not a fixed English text
        for (const char* t : templates) {
            CAPTURE(t);
            if (has_words(t)) CHECK(std::string(i18n::tr(t)) != t);
            ++checked;
        }
        CHECK(i18n::text(m) != english(m));
    }
    CHECK(checked > 40);
}

TEST_CASE("the names of positional encodings, masks and implementations are in the catalogue") {
    const German de;
    for (int p = 0; p <= static_cast<int>(PositionKind::Alibi); ++p)
        CHECK(i18n::tr(to_string(static_cast<PositionKind>(p))) != nullptr);
    CHECK(std::string(i18n::tr(to_string(PositionKind::Sinusoidal))) == "sinusförmig");
    CHECK(std::string(i18n::tr(to_string(PositionKind::None))) == "keine");
    CHECK(std::string(i18n::tr(to_string(MaskKind::Causal))) == "kausal");
    CHECK(std::string(i18n::tr(to_string(Implementation::Reference))) != "reference");
}

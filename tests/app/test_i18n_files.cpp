// A German learner reads in German why a file or a training run was refused: a damaged trained-model file
// (.atlm), a config.json the KV cache panel cannot use, a broken session or preferences file, a damaged .npz
// import and a training request the Training panel cannot start. The readers return message templates
// (core/message.hpp) that the window translates; the command line reads the same messages in English.
#include "app/i18n/i18n.hpp"
#include "app/io/attention_file.hpp"
#include "app/io/bounded_read.hpp"
#include "app/io/hf_config.hpp"
#include "app/io/model_files.hpp"
#include "app/io/prefs.hpp"
#include "app/io/safe_write.hpp"
#include "app/io/session.hpp"
#include "app/state/train_worker.hpp"
#include "core/imported_attention.hpp"
#include "core/npy.hpp"
#include "core/train/model_file.hpp"
#include "core/train/trainer.hpp"

#include "in_german.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

using namespace attn;
using test::check_translated;
using test::contains;
using test::German;

namespace {

// The bytes of a small valid trained-model file.
std::vector<std::uint8_t> small_model_file() {
    ModelConfig c;
    c.vocab_size = 4;
    c.max_positions = 8;
    c.d_model = 8;
    c.n_layers = 1;
    c.n_heads = c.n_kv_heads = 2;
    c.d_head = 4;
    c.d_ff = 0;
    REQUIRE(train::validate_trainable(c).empty());
    return train::serialize(train::init_model(c, {"<unk>", "a", "b", "c"}, 3));
}

std::string as_text(const std::vector<std::uint8_t>& b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

} // namespace

TEST_CASE("a trained-model file of a foreign version is refused in German, in the loader and the window") {
    test::TempDir dir;
    std::vector<std::uint8_t> bytes = small_model_file();
    bytes[4] = 9; // format version 9
    dir.write("future.atlm", as_text(bytes));
    const std::string path = dir.file("future.atlm");
    const German de;
    const TrainedLoad load = load_trained(path);
    REQUIRE(load.model == nullptr);
    const std::string shown = i18n::text(load.error);
    CAPTURE(shown);
    CHECK(contains(shown, path));
    CHECK(contains(shown, "Die Modelldatei hat die Formatversion 9"));
    CHECK(contains(english(load.error), "The model file has format version 9"));
    check_translated(load.error);
    // what the window shows when the file is opened
    AppState s = AppState::initial();
    const ApplyResult r = apply_loading(s, LoadTrainedModel{path});
    CHECK_FALSE(r.changed);
    CHECK(contains(r.message, "Die Modelldatei hat die Formatversion 9"));
}

TEST_CASE("a config.json without its head count is refused in German, naming the field") {
    test::TempDir dir;
    dir.write("config.json", R"({"num_hidden_layers": 4, "hidden_size": 64})");
    const German de;
    const Parsed<ModelSpec> r = load_hf_config(dir.file("config.json"));
    REQUIRE_FALSE(r.ok());
    const std::string shown = i18n::text(r.error);
    CAPTURE(shown);
    CHECK(contains(shown, dir.file("config.json")));
    CHECK(contains(shown, "fehlt das Feld num_attention_heads (oder n_head)"));
    CHECK(contains(shown, "die Zahl der Abfrageköpfe"));
    check_translated(r.error);
}

TEST_CASE("a broken session file is refused in German and says that nothing was changed") {
    test::TempDir dir;
    dir.write("new.json", R"({"format": "attention-lab-session", "version": 99, "tokens": []})");
    dir.write("cut.json", R"({"format": "attention-lab-session", "version": 1, "tok)");
    dir.write("other.json", R"({"name": "not a session"})");
    const German de;
    const Parsed<Session> newer = load_session(dir.file("new.json"));
    REQUIRE_FALSE(newer.ok());
    const std::string shown = i18n::text(newer.error);
    CAPTURE(shown);
    CHECK(contains(shown, dir.file("new.json")));
    CHECK(contains(shown, "von einem neueren Attention Lab gespeichert (Formatversion 99"));
    CHECK(contains(shown, "Es wurde nichts geändert."));
    check_translated(newer.error);
    const Parsed<Session> cut = load_session(dir.file("cut.json"));
    REQUIRE_FALSE(cut.ok());
    CHECK(contains(i18n::text(cut.error), "kein gültiges JSON"));
    check_translated(cut.error);
    const Parsed<Session> other = load_session(dir.file("other.json"));
    REQUIRE_FALSE(other.ok());
    CHECK(contains(i18n::text(other.error), "keine Sitzung von Attention Lab"));
    check_translated(other.error);
    check_translated(load_session(dir.file("missing.json")).error);
    check_translated(load_session(dir.path.string()).error); // a folder
}

TEST_CASE("a session or preferences file that cannot be saved says so in German") {
    test::TempDir dir;
    const German de;
    const AppState s = AppState::initial();
    const Message unnamed = save_session("", s, {});
    CHECK(contains(i18n::text(unnamed), "Dateinamen"));
    check_translated(unnamed);
    const Message folder = save_session(dir.path.string(), s, {}); // a folder of that name is in the way
    CHECK(contains(i18n::text(folder), "lässt sich nicht schreiben"));
    check_translated(folder);
    dir.write("file", "x");
    const Message under_a_file = save_prefs(dir.file("file") + "/sub/prefs.json", Prefs{});
    CHECK(contains(i18n::text(under_a_file), "lässt sich nicht anlegen"));
    check_translated(under_a_file);
    {
        ScopedSafeWriteFault full([](SafeWriteStep st, const std::string& p) {
            return st == SafeWriteStep::Write && p.find(".atlm") != std::string::npos ? ENOSPC : 0;
        });
        AppState snap = AppState::initial();
        REQUIRE(apply_loading(snap, LoadTrainedModel{"pronoun"}).message.empty());
        snap.trained_source.clear(); // a Training snapshot: its weights are written beside the session
        const Message beside = save_session(dir.file("snap.json"), snap, {});
        CHECK(contains(i18n::text(beside), "die Sitzung wurde nicht gespeichert"));
        check_translated(beside);
    }
    AppState imported = AppState::initial();
    imported.imported = std::make_shared<const ImportedAttention>();
    const Message no_model = save_session(dir.file("i.json"), imported, {});
    CHECK(contains(i18n::text(no_model), "Aufmerksamkeit exportieren"));
    check_translated(no_model);
    check_translated(safe_write("", "x"));
}

TEST_CASE("a training request the panel cannot start is refused in German") {
    TrainRequest bad;
    bad.n_heads = 2;
    bad.n_kv_heads = 3;
    const German de;
    const Message why = validate(bad);
    const std::string shown = i18n::text(why);
    CAPTURE(shown);
    CHECK(contains(shown, "Abfrageköpfe (2)"));
    check_translated(why);
    TrainWorker w;
    const Message refused = w.start(bad);
    CHECK(i18n::text(refused) == shown);
    CHECK(w.progress().phase == TrainPhase::Idle);
    TrainRequest task;
    task.task = "juggling";
    CHECK(contains(i18n::text(validate(task)), "Unbekannte Aufgabe „juggling“"));
}

TEST_CASE("every message of the training checks and the file readers has a German translation") {
    std::vector<Message> said;
    // training options and trainable configurations (core/train)
    const std::vector<std::function<void(train::TrainOptions&)>> options = {
        [](train::TrainOptions& o) { o.steps = 0; },
        [](train::TrainOptions& o) { o.batch = 5000; },
        [](train::TrainOptions& o) { o.lr = 0; },
        [](train::TrainOptions& o) { o.warmup = -1; },
        [](train::TrainOptions& o) { o.weight_decay = 1; },
        [](train::TrainOptions& o) { o.n_threads = 0; },
        [](train::TrainOptions& o) { o.previous_word = 11; },
        [](train::TrainOptions& o) { o.previous_word_layer = -1; },
    };
    for (const auto& change : options) {
        train::TrainOptions o;
        change(o);
        said.push_back(train::validate(o));
    }
    ModelConfig one_word;
    one_word.vocab_size = 1;
    said.push_back(train::validate_trainable(one_word));
    ModelConfig no_head_size;
    no_head_size.vocab_size = 4;
    no_head_size.d_head = 0;
    said.push_back(train::validate_trainable(no_head_size));
    // the training panel's requests
    const std::vector<std::function<void(TrainRequest&)>> requests = {
        [](TrainRequest& r) { r.task = "juggling"; },
        [](TrainRequest& r) { r.size = 3; },
        [](TrainRequest& r) { r.n_layers = 5; },
        [](TrainRequest& r) { r.n_heads = 9; },
        [](TrainRequest& r) { r.n_kv_heads = 0; },
        [](TrainRequest& r) { r.steps = 0; },
        [](TrainRequest& r) { r.lr = 1; },
        [](TrainRequest& r) { r.eval_every = 0; },
    };
    for (const auto& change : requests) {
        TrainRequest r;
        change(r);
        said.push_back(validate(r));
    }
    // damaged model files
    const std::vector<std::uint8_t> good = small_model_file();
    const auto model_error = [](std::vector<std::uint8_t> b) { return train::deserialize(b).error; };
    said.push_back(model_error({'N', 'O', 'P', 'E', 2, 0, 0, 0}));
    // 52 bytes of header, an empty task name and the seed to 64, the vocabulary to 88, the weight count to 96
    for (std::size_t cut :
         {std::size_t{10}, std::size_t{60}, std::size_t{70}, std::size_t{90}, good.size() - 2})
        said.push_back(model_error(
            std::vector<std::uint8_t>(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut))));
    {
        auto b = good;
        b[8 + 4 * 3] = 0; // n_layers 0
        said.push_back(model_error(b));
        b = good;
        b[8 + 4 * 8] = 7; // mask
        said.push_back(model_error(b));
        b = good;
        b[8 + 4 * 10] = 9; // positions
        said.push_back(model_error(b));
        b = good;
        b[8 + 4 * 2 + 3] = 0x7f; // d_model beyond any size
        said.push_back(model_error(b));
        b = good;
        b[88] += 1; // one weight more than the configuration needs
        said.push_back(model_error(b));
        b = good;
        b.push_back(0);
        said.push_back(model_error(b));
        b = good;
        b[b.size() - 1] = 0x7f, b[b.size() - 2] = 0xc0, b[b.size() - 3] = 0, b[b.size() - 4] = 0; // NaN
        said.push_back(model_error(b));
        b = good;
        b[4] = 1; // version 1 with a causal flag of 7
        b[8 + 4 * 8] = 7;
        said.push_back(model_error(b));
    }
    said.push_back(train::load_model("/nonexistent/model.atlm").error);
    said.push_back(train::load_model("/dev/zero").error);
    said.push_back(load_trained("").error);
    said.push_back(load_trained("/dev/zero").error);
    // config.json files
    for (const char* text :
         {"{", "[]", R"({"num_attention_heads": 2, "hidden_size": 8})",
          R"({"num_hidden_layers": 2, "n_head": 2})",
          R"({"num_hidden_layers": 1.5, "num_attention_heads": 2, "hidden_size": 8})",
          R"({"num_hidden_layers": 0, "num_attention_heads": 2, "hidden_size": 8})",
          R"({"num_hidden_layers": 2, "num_attention_heads": 4, "hidden_size": 8, "num_key_value_heads": 3})",
          R"({"num_hidden_layers": 2, "num_attention_heads": 3, "hidden_size": 8})",
          R"({"num_hidden_layers": 2, "num_attention_heads": 2, "hidden_size": 8, "multi_query": 1})"})
        said.push_back(parse_hf_config(text, "x").error);
    // sessions and preferences
    for (const char* text :
         {"{", "[]", R"({"format": "attention-lab-session"})",
          R"({"format": "attention-lab-session", "version": 1})",
          R"({"format": "attention-lab-session", "version": 1, "tokens": [1]})",
          R"({"format": "attention-lab-session", "version": 1, "tokens": ["a"], "padding": 1})",
          R"({"format": "attention-lab-session", "version": 1, "tokens": ["a"], "padding": ["x"]})",
          R"({"format": "attention-lab-session", "version": 1, "tokens": ["a"], "heads_off": 1})",
          R"({"format": "attention-lab-session", "version": 1, "tokens": ["a"], "heads_off": [1]})",
          R"({"format": "attention-lab-session", "version": 1, "tokens": ["a"],
                                 "heads_off": [[9, 9]]})",
          R"({"format": "attention-lab-session", "version": 1, "tokens": ["a"], "view": 1})",
          R"({"format": "attention-lab-session", "version": 1, "tokens": ["a"],
                                 "view": {"layer": "x"}})",
          R"({"format": "attention-lab-session", "version": 2, "tokens": ["a"], "trained": {}})",
          R"({"format": "attention-lab-session", "version": 2, "tokens": ["a"],
                                 "trained": {"source": "/dev/zero"}})"})
        said.push_back(session_from_json(text).error);
    for (
        const char* text :
        {"{", "[]", R"({"theme": "neon"})", R"({"font_scale": 9})", R"({"language": "tlh"})",
         R"({"open_panels": 1})", R"({"open_panels": [1]})", R"({"layout": 1})",
         R"({"layout": {"panes": 2}})", R"({"layout": {"right": 1}})", R"({"layout": {"front": [1]}})",
         R"({"kv_models": 1})", R"({"kv_models": [1]})",
         R"({"kv_models": [{"name": "x", "n_layers": 0, "d_model": 8, "n_heads": 2, "n_kv_heads": 2, "d_head": 4}]})",
         R"({"kv_models": [{"name": "x", "n_layers": 1, "d_model": 8, "n_heads": 3, "n_kv_heads": 2, "d_head": 4}]})",
         R"({"kv_models": [{"name": "x", "n_layers": 1, "d_model": 8, "n_heads": 2, "n_kv_heads": 2, "d_head": 4,
                             "context": -1}]})"})
        said.push_back(prefs_from_json(text).error);
    // files that cannot be read, and damaged imports
    test::TempDir dir;
    dir.write("big.json", std::string(2000, ' '));
    said.push_back(read_file_bounded("", 10).error);
    said.push_back(read_file_bounded(dir.file("none"), 10).error);
    said.push_back(read_file_bounded(dir.path.string(), 10).error);
    said.push_back(read_file_bounded("/dev/zero", 10).error);
    said.push_back(read_file_bounded(dir.file("big.json"), 1000).error);
    said.push_back(load_prefs(dir.path.string()).error);
    ImportedAttention a;
    a.tokens = {"a", "b"};
    a.n_layers = a.n_heads = 1;
    set_weights(a, {Matrix::Constant(2, 2, 0.5f)});
    const std::string npz = attention_to_npz(a);
    const auto npz_error = [](const std::string& b) { return import_attention_npz(b, "x").error; };
    said.push_back(npz_error("PK"));
    said.push_back(npz_error(std::string(100, 'x')));
    {
        std::string b = npz;
        b[b.rfind("tokens.npy")] = 'T'; // the directory lists attention.npy and Tokens.npy
        said.push_back(npz_error(b));
        b = npz;
        b[60] ^= 0x55; // inside attention.npy's data: its checksum fails
        said.push_back(npz_error(b));
        const std::size_t dir_at = npz.rfind(std::string("PK\x01\x02", 4));
        b = npz;
        b[dir_at + 10] = 9; // a compression method this reader does not know
        said.push_back(npz_error(b));
    }
    dir.write("a.npy", attention_to_npy(a));
    said.push_back(read_attention_file(dir.file("a.npy")).error); // no a.tokens.json beside it
    dir.write("a.tokens.json", R"({"words": 1})");
    said.push_back(read_attention_file(dir.file("a.npy")).error);
    dir.write("a.tokens.json", R"(["a", 2])");
    said.push_back(read_attention_file(dir.file("a.npy")).error);
    dir.write("a.txt", "x");
    said.push_back(read_attention_file(dir.file("a.txt")).error);
    said.push_back(read_attention_file(dir.path.string() + "/").error);

    const German de;
    for (const Message& m : said)
        check_translated(m);
    CHECK(said.size() > 80);
}

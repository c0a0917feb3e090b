// Trained models in the app: presets load through commands, derived data comes from the trained model,
// unknown words get a hint instead of a crash, model controls return to the live model, and the training
// worker runs, pauses, resumes and resets on its own thread.
#include "app/io/model_files.hpp"
#include "app/io/script.hpp"
#include "app/state/app_state.hpp"
#include "app/state/derived.hpp"
#include "app/state/train_worker.hpp"
#include "app/state/trained_model.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

using namespace attn;

namespace {

TrainProgress wait_for(const TrainWorker& w, double timeout_s, bool (*done)(const TrainProgress&)) {
    const auto t0 = std::chrono::steady_clock::now();
    TrainProgress p = w.progress();
    while (!done(p) &&
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < timeout_s) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        p = w.progress();
    }
    return p;
}

int index_of(const std::vector<std::string>& v, const std::string& w) {
    return static_cast<int>(std::find(v.begin(), v.end(), w) - v.begin());
}

} // namespace

TEST_CASE("every trained preset loads and the views show the trained model's heads") {
    for (const TrainedPreset& p : trained_presets()) {
        CAPTURE(p.name);
        AppState s = AppState::initial();
        const ApplyResult r = apply_loading(s, LoadTrainedModel{p.name});
        INFO(r.message);
        REQUIRE(r.changed);
        REQUIRE(s.trained);
        CHECK(s.trained->task == p.name);
        CHECK(s.config.n_layers == s.trained->config.n_layers);
        CHECK(s.config.n_heads == s.trained->config.n_heads);
        CHECK(static_cast<int>(s.head_enabled.size()) == s.config.n_layers * s.config.n_heads);
        const Derived d = compute_derived(s);
        CHECK(d.error.empty());
        CHECK(d.trained_note.empty()); // the preset sentence uses only known words
        REQUIRE(d.forward.layers.size() == static_cast<std::size_t>(s.config.n_layers));
        for (const auto& layer : d.forward.layers)
            for (const auto& h : layer.heads) {
                CHECK(h.weights.rows() == s.n_tokens());
                for (int i = 0; i < s.n_tokens(); ++i)
                    CHECK(h.weights.row(i).sum() == doctest::Approx(1.0f));
            }
        REQUIRE(d.prediction.size() == s.tokens.size());
        // the K/V cache figure describes the trained model too: 2 · L · H_kv · d_head · n · 4 bytes
        const double kv = 2.0 * s.trained->config.n_layers * s.trained->config.n_kv_heads *
                          s.trained->config.d_head * static_cast<double>(s.n_tokens()) * 4.0;
        CHECK(d.kv_cache_bytes == doctest::Approx(kv));
        CHECK(d.kv_cache_bytes > 0.0);
    }
}

TEST_CASE("the pronoun preset answers the classic sentence, and changing the adjective changes the answer") {
    AppState s = AppState::initial();
    REQUIRE(apply_loading(s, LoadTrainedModel{"pronoun"}).changed);
    const int it = index_of(s.tokens, "it");
    REQUIRE(it < s.n_tokens());
    CHECK(compute_derived(s).prediction[static_cast<std::size_t>(it)] == "dog");
    REQUIRE(apply(s, SetText{"the dog didn't cross the street because it was too wide"}).changed);
    REQUIRE(s.trained); // editing the text keeps the trained model
    const Derived d = compute_derived(s);
    CHECK(d.prediction[static_cast<std::size_t>(it)] == "street");
    // Some last-layer head of "it" puts its largest weight on "street".
    const int street = index_of(s.tokens, "street");
    bool found = false;
    for (const auto& h : d.forward.layers.back().heads) {
        Eigen::Index arg = 0;
        h.weights.row(it).maxCoeff(&arg);
        found = found || arg == street;
    }
    CHECK(found);
}

TEST_CASE("words outside the vocabulary are shown as unknown with the vocabulary, never a crash") {
    AppState s = AppState::initial();
    REQUIRE(apply_loading(s, LoadTrainedModel{"induction"}).changed);
    REQUIRE(
        apply(
            s,
            SetText{
                "Hello, wonderful world! a b c a b c and then many more words to go well past twenty tokens"})
            .changed);
    const Derived d = compute_derived(s);
    CHECK(english(d.trained_note).find("unknown to this model are read as <unk>") != std::string::npos);
    CHECK(english(d.trained_note).find("\"Hello\"") != std::string::npos);
    REQUIRE(!d.unknown_words.empty());
    CHECK(d.unknown_words.front() == "Hello");
    CHECK(std::find(d.unknown_words.begin(), d.unknown_words.end(), "a") == d.unknown_words.end());
    CHECK(english(d.trained_note).find("at most 20 tokens") != std::string::npos);
    REQUIRE(d.forward.layers.size() == 2);
    CHECK(d.forward.layers[0].heads[0].weights.rows() == s.n_tokens());
    CHECK(d.forward.layers[0].heads[0].weights.allFinite());
    REQUIRE(apply(s, SetText{""}).changed);
    CHECK(compute_derived(s).forward.layers.empty());
}

TEST_CASE("a bad model source is refused with a message and the state is unchanged") {
    AppState s = AppState::initial();
    const auto rev = s.revision;
    const ModelConfig before = s.config;
    for (const std::string& src :
         {std::string("no-such-preset"), std::string(""), std::string(ATTN_SOURCE_DIR) + "/README.md"}) {
        CAPTURE(src);
        const ApplyResult r = apply_loading(s, LoadTrainedModel{src});
        CHECK_FALSE(r.changed);
        CHECK_FALSE(r.message.empty());
    }
    CHECK(s.revision == rev);
    CHECK(s.config == before);
    CHECK_FALSE(s.trained);
    CHECK_FALSE(apply(s, ShowTrainedModel{nullptr, "x"}).changed);
}

TEST_CASE("model controls and ClearTrainedModel return to the live untrained model") {
    AppState s = AppState::initial();
    REQUIRE(apply_loading(s, LoadTrainedModel{"reversal"}).changed);
    REQUIRE(apply(s, SetDModel{64}).changed);
    CHECK_FALSE(s.trained);
    REQUIRE(apply_loading(s, LoadTrainedModel{"reversal"}).changed);
    REQUIRE(apply(s, ClearTrainedModel{}).changed);
    CHECK_FALSE(s.trained);
    CHECK_FALSE(apply(s, ClearTrainedModel{}).changed); // nothing left to clear
}

TEST_CASE("the training worker learns, snapshots, pauses, resumes and resets") {
    TrainWorker w;
    TrainRequest bad;
    bad.task = "juggling";
    CHECK_FALSE(w.start(bad).empty());
    bad = TrainRequest{};
    bad.n_kv_heads = 3;
    CHECK_FALSE(w.start(bad).empty());
    CHECK(w.progress().phase == TrainPhase::Idle);

    TrainRequest r;
    r.task = "reversal";
    r.n_layers = 1;
    r.size = 0;
    r.steps = 150;
    r.lr = 1e-2f;
    r.seed = 4;
    r.snapshot_every = 10;
    r.eval_every = 50;
    REQUIRE(w.start(r).empty());
    w.pause();
    const TrainProgress paused = wait_for(w, 30, [](const TrainProgress& p) {
        return p.phase == TrainPhase::Paused || p.phase == TrainPhase::Finished;
    });
    if (paused.phase == TrainPhase::Paused) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CHECK(w.progress().step == paused.step); // no steps while paused
        w.resume();
    }
    const TrainProgress done =
        wait_for(w, 120, [](const TrainProgress& p) { return p.phase == TrainPhase::Finished; });
    REQUIRE(done.phase == TrainPhase::Finished);
    CHECK(done.step == 150);
    REQUIRE(done.snapshot);
    CHECK(done.snapshot_step == 150);
    CHECK(done.loss.size() == 15);
    CHECK(done.loss.back() < 0.5 * done.loss.front());
    CHECK(done.accuracy.size() == 3);
    // The snapshot feeds the app like any trained model.
    AppState s = AppState::initial();
    REQUIRE(apply(s, ShowTrainedModel{done.snapshot, "snapshot"}).changed);
    REQUIRE(apply(s, SetText{"a b c d e f | f e d c b"}).changed);
    CHECK(compute_derived(s).forward.layers.size() == 1);
    w.reset();
    CHECK(w.progress().phase == TrainPhase::Idle);
    CHECK_FALSE(w.progress().snapshot);
}

TEST_CASE("scripts load a trained preset and go back to the live model") {
    const Script sc =
        parse_script(R"([{"cmd": "LoadTrainedModel", "source": "pronoun"}, {"cmd": "ClearTrainedModel"}])");
    CHECK(sc.errors.empty());
    REQUIRE(sc.commands.size() == 2);
    CHECK(std::get<LoadTrainedModel>(sc.commands[0]).source == "pronoun");
    CHECK(std::holds_alternative<ClearTrainedModel>(sc.commands[1]));
    CHECK_FALSE(parse_script(R"([{"cmd": "LoadTrainedModel"}])").errors.empty()); // source is required
}

TEST_CASE("switching a head off on the shipped pronoun model lowers the probability of its answer at 'it'") {
    AppState s = AppState::initial();
    REQUIRE(apply_loading(s, LoadTrainedModel{"pronoun"}).changed);
    REQUIRE(apply(s, SetText{"the dog didn't cross the street because it was too tired"}).changed);
    const int it = 7;
    REQUIRE(s.tokens[static_cast<std::size_t>(it)] == "it");
    const Derived before = compute_derived(s);
    REQUIRE(before.answer_all_on.size() == s.tokens.size());
    CHECK(before.answer_all_on[static_cast<std::size_t>(it)] == "dog");
    CHECK(before.answer_prob_all_on[static_cast<std::size_t>(it)] > 0.9f);
    CHECK(before.answer_prob_now[static_cast<std::size_t>(it)] ==
          doctest::Approx(before.answer_prob_all_on[static_cast<std::size_t>(it)]));
    // The head whose removal costs "dog" the most, as the Model panel lists it ...
    const int n = s.n_tokens(), n_switches = s.config.n_layers * s.config.n_heads;
    REQUIRE(before.answer_prob_flip.size() == static_cast<std::size_t>(n_switches * n));
    int worst = 0;
    for (int h = 1; h < n_switches; ++h)
        if (before.answer_prob_flip[static_cast<std::size_t>(h * n + it)] <
            before.answer_prob_flip[static_cast<std::size_t>(worst * n + it)])
            worst = h;
    const float predicted = before.answer_prob_flip[static_cast<std::size_t>(worst * n + it)];
    MESSAGE("worst head L", worst / s.config.n_heads + 1, " H", worst % s.config.n_heads + 1, ": p(dog) ",
            predicted);
    CHECK(predicted < before.answer_prob_all_on[static_cast<std::size_t>(it)] - 0.2f);
    // ... and switching it off shows exactly that probability, with the all-on answer still named.
    REQUIRE(apply(s, ToggleHead{worst / s.config.n_heads, worst % s.config.n_heads}).changed);
    const Derived after = compute_derived(s);
    CHECK(after.answer_all_on[static_cast<std::size_t>(it)] == "dog");
    CHECK(after.answer_prob_now[static_cast<std::size_t>(it)] == doctest::Approx(predicted).epsilon(1e-4));
    CHECK(after.answer_prob_all_on[static_cast<std::size_t>(it)] ==
          doctest::Approx(before.answer_prob_all_on[static_cast<std::size_t>(it)]).epsilon(1e-4));
}

TEST_CASE("a trained model keeps running when only its mask or implementation changes") {
    AppState s = AppState::initial();
    REQUIRE(apply_loading(s, LoadTrainedModel{"pronoun"}).changed);
    const Derived matrix = compute_derived(s);
    REQUIRE(apply(s, SetImplementation{Implementation::Flash}).changed);
    REQUIRE(s.trained);
    const Derived flash = compute_derived(s);
    CHECK(flash.prediction == matrix.prediction);
    REQUIRE(apply(s, SetMask{MaskKind::Causal, s.config.window}).changed);
    CHECK(s.trained);
    ModelConfig wider = s.config;
    wider.d_model = 64;
    wider.d_head = 0;
    REQUIRE(apply(s, SetConfig{wider}).changed);
    CHECK(!s.trained); // a different shape is a different model: back to the live one
    CHECK(s.config.vocab_size == 0);
    CHECK(s.config.d_ff == 0);
}

TEST_CASE("apply() reads no model file: the command carries the model app/io read") {
    AppState s = AppState::initial();
    const AppState before = s;
    // a command whose model was never read is refused, whatever its source names
    const ApplyResult bare = apply(s, LoadTrainedModel{"pronoun"});
    CHECK_FALSE(bare.changed);
    CHECK(bare.message.find("not read") != std::string::npos);
    CHECK(s.trained == nullptr);
    CHECK(s.revision == before.revision);
    const ApplyResult preset = apply(s, LoadPreset{"tired"}); // a preset shown on the trained English model
    CHECK_FALSE(preset.changed);
    CHECK(preset.message.find("english") != std::string::npos);
    CHECK(s.text == before.text);
    // with_model_files reads it in; apply() then shows exactly that model
    const Command loaded = with_model_files(LoadTrainedModel{"pronoun"});
    const auto& cmd = std::get<LoadTrainedModel>(loaded);
    REQUIRE(cmd.loaded != nullptr);
    REQUIRE(cmd.loaded->model != nullptr);
    REQUIRE(attn::apply(s, loaded).changed);
    CHECK(s.trained == cmd.loaded->model);
    CHECK(s.trained_source == "pronoun");
    // a file that cannot be read travels as a failed load, refused with the reader's message
    const Command missing = with_model_files(LoadTrainedModel{"/no/such/model.atlm"});
    const ApplyResult r = attn::apply(s, missing);
    CHECK_FALSE(r.changed);
    CHECK(r.message.find("Cannot open the model file") != std::string::npos);
    CHECK(s.trained_source == "pronoun");
    // a live preset needs no file and is left as it is
    const Command live = with_model_files(LoadPreset{"gqa"});
    CHECK(std::get<LoadPreset>(live).trained == nullptr);
    CHECK(attn::apply(s, live).changed);
}

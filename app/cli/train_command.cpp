// `attention-lab train`: builds a task's data, trains the tiny transformer with AdamW, prints progress
// with wall-clock timing and the step at which the task's criterion is first met, and saves the model.
#include "train_command.hpp"

#include "app/io/safe_write.hpp"
#include "app/widgets/number_format.hpp"
#include "core/kernels.hpp"
#include "core/train/english.hpp"
#include "core/train/english_eval.hpp"
#include "core/train/model_file.hpp"
#include "core/train/tasks.hpp"
#include "core/train/train_cost.hpp"
#include "core/train/trainer.hpp"
#include "core/units.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

namespace {

const char* k_usage =
    "usage: attention-lab train --task NAME --out FILE [options]\n"
    "  --task NAME        pronoun | induction | reversal | english\n"
    "  --out FILE         where to write the trained model (.atlm)\n"
    "  --seed S           data split, initial weights and batches (task default: pronoun 2, english 6, else "
    "1)\n"
    "  --steps N          optimiser steps (task default; pronoun with RoPE 2000)\n"
    "  --lr X             peak learning rate (default 0.003; pronoun with RoPE 0.01)\n"
    "  --batch B          examples per step (default 32)\n"
    "  --previous-word W  weight of the training-only objective \"predict the word before\" at every\n"
    "                     position, which grows a previous-token head (task default: english 0.2 on its last "
    "layer, else 0)\n"
    "  --previous-word-layer L  the layer whose output that objective reads (default 1; english: its last)\n"
    "  --d-model D        residual width (default 32); d_head = d_model / heads unless --d-head\n"
    "  --d-head D         width of each head\n"
    "  --layers L         attention blocks (default 2)\n"
    "  --heads H          query heads per layer (default 2)\n"
    "  --kv-heads K       key/value heads (divides H: MHA = H, GQA, MQA = 1; default H)\n"
    "  --mlp W            add a ReLU MLP of width W to every block (default 0: attention only)\n"
    "  --mask M           bidirectional | causal | sliding (task default: what the task needs)\n"
    "  --window W         keys a query sees under --mask sliding, itself included (default 4)\n"
    "  --positions P      none | sinusoidal | learned | rope | alibi (default learned)\n"
    "  --threads T        worker threads (default 2)\n"
    "  --eval-every N     held-out evaluation interval in steps (default 100)\n"
    "  --compare-products N  before training, time N steps with the dispatched GEMM kernels and N with\n"
    "                     Eigen's products, alternating, and print the speedup (default 0: no comparison)\n";

bool parse_int(std::string_view s, int& out) {
    try {
        std::size_t used = 0;
        const long v = std::stol(std::string(s), &used);
        if (used != s.size() || v < -1000000000L || v > 1000000000L) return false;
        out = static_cast<int>(v);
        return true;
    } catch (...) {
        return false;
    }
}

bool parse_float(std::string_view s, float& out) {
    try {
        std::size_t used = 0;
        out = std::stof(std::string(s), &used);
        return used == s.size();
    } catch (...) {
        return false;
    }
}

// An enum from its name as to_string() spells it, case-folded ("rope" finds RoPE); false when unknown.
template <class E> bool parse_enum(std::string_view s, E last, E& out) {
    const auto fold = [](std::string t) {
        for (char& ch : t)
            ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        return t;
    };
    for (int i = 0; i <= static_cast<int>(last); ++i) {
        const std::string name = fold(to_string(static_cast<E>(i)));
        if (fold(std::string(s)) == name || fold(std::string(s)) == name.substr(0, name.find(' '))) {
            out = static_cast<E>(i);
            return true;
        }
    }
    return false;
}

// One progress line of the english task: what the model answers and which heads do each job.
void print_english(int step, double train_loss, const train::EnglishScores& s, double seconds, bool met) {
    const auto at = [](const HeadReport& h) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "L%dH%d", h.layer + 1, h.head + 1);
        return std::string(buf);
    };
    if (step >= 0) std::printf("step %5d  train loss %.4f  ", step, train_loss);
    std::printf("referent %.3f (head %s %.2f)  agreement %.3f, across a distractor %.3f (head %s %.2f)  "
                "previous-token head %s %.2f  %.1f s%s\n",
                s.referent, at(s.referent_head).c_str(), s.referent_head.referent.hit, s.agreement,
                s.agreement_distractor, at(s.agreement_head).c_str(), s.agreement_head.agreement.hit,
                at(s.previous_head).c_str(), s.previous_head.previous_token.hit, seconds,
                met ? "  criteria met" : "");
    std::fflush(stdout);
}

int usage_error(const std::string& why) {
    std::fprintf(stderr, "attention-lab train: %s\n%s", why.c_str(), k_usage);
    return 2;
}

// MemAvailable from /proc/meminfo in bytes, or 0 when it cannot be read.
double available_memory_bytes() {
    std::FILE* f = std::fopen("/proc/meminfo", "r");
    if (!f) return 0;
    char line[256];
    double kib = 0;
    while (std::fgets(line, sizeof line, f))
        if (std::sscanf(line, "MemAvailable: %lf kB", &kib) == 1) break;
    std::fclose(f);
    return kib * 1024;
}

// Steps of two copies of the untrained model, one with the dispatched GEMM kernels and one with Eigen's
// products, alternating so both see the same machine load; prints the median time per step of each.
void compare_products(const train::TinyModel& init, const train::TaskData& data,
                      const train::TrainOptions& options, int steps) {
    train::Trainer fast(init, data, options), plain(init, data, options);
    std::vector<double> fast_ms, plain_ms;
    for (int s = 0; s <= steps; ++s) { // step 0 of each warms caches and allocations and is not counted
        for (const bool use_plain : {false, true}) {
            kernels::set_plain_products(use_plain);
            const auto t0 = std::chrono::steady_clock::now();
            (use_plain ? plain : fast).step();
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            if (s > 0) (use_plain ? plain_ms : fast_ms).push_back(ms);
        }
    }
    kernels::set_plain_products(false);
    const auto median = [](std::vector<double>& v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    const double f = median(fast_ms), p = median(plain_ms);
    std::printf("matrix products: %s kernels %s per step, Eigen's products %s per step (median of %d steps "
                "each, alternating): the kernels are %.2fx as fast\n",
                kernels::isa_name(kernels::active().isa), format_ms(f).c_str(), format_ms(p).c_str(), steps,
                p / f);
    std::fflush(stdout);
}

} // namespace

int train_command_main(int argc, const char* const* argv) {
    std::string task_name, out;
    int seed = -1, steps = 0, batch = 0, d_model = 0, d_head = 0, layers = 0, heads = 0, kv_heads = 0,
        mlp = -1, threads = 2, eval_every = 100, compare_steps = 0;
    float lr = 0.0f, previous_word = -1.0f;
    int previous_layer = 0;
    bool set_mask = false, set_positions = false;
    MaskKind mask = MaskKind::Bidirectional;
    PositionKind positions = PositionKind::Learned;
    int window = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            std::fputs(k_usage, stdout);
            return 0;
        }
        if (i + 1 >= argc) return usage_error("option " + std::string(a) + " needs a value");
        const std::string_view v = argv[++i];
        bool ok = true;
        if (a == "--task")
            task_name = v;
        else if (a == "--out")
            out = v;
        else if (a == "--seed")
            ok = parse_int(v, seed) && seed >= 0;
        else if (a == "--steps")
            ok = parse_int(v, steps) && steps >= 1;
        else if (a == "--batch")
            ok = parse_int(v, batch) && batch >= 1;
        else if (a == "--d-model")
            ok = parse_int(v, d_model) && d_model >= 2;
        else if (a == "--d-head")
            ok = parse_int(v, d_head) && d_head >= 1;
        else if (a == "--layers")
            ok = parse_int(v, layers) && layers >= 1;
        else if (a == "--heads")
            ok = parse_int(v, heads) && heads >= 1;
        else if (a == "--kv-heads")
            ok = parse_int(v, kv_heads) && kv_heads >= 1;
        else if (a == "--mlp")
            ok = parse_int(v, mlp) && mlp >= 0;
        else if (a == "--threads")
            ok = parse_int(v, threads) && threads >= 1;
        else if (a == "--compare-products")
            ok = parse_int(v, compare_steps) && compare_steps >= 1;
        else if (a == "--eval-every")
            ok = parse_int(v, eval_every) && eval_every >= 1;
        else if (a == "--mask")
            ok = set_mask = parse_enum(v, MaskKind::SlidingWindow, mask);
        else if (a == "--window")
            ok = parse_int(v, window) && window >= 1;
        else if (a == "--positions")
            ok = set_positions = parse_enum(v, PositionKind::Alibi, positions);
        else if (a == "--lr")
            ok = parse_float(v, lr) && lr > 0.0f;
        else if (a == "--previous-word")
            ok = parse_float(v, previous_word) && previous_word >= 0.0f;
        else if (a == "--previous-word-layer")
            ok = parse_int(v, previous_layer) && previous_layer >= 1;
        else
            return usage_error("unknown option " + std::string(a));
        if (!ok) return usage_error("invalid value '" + std::string(v) + "' for " + std::string(a));
    }
    if (task_name.empty() || out.empty()) return usage_error("--task and --out are required");

    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    if (seed < 0) seed = static_cast<int>(train::default_seed(task_name));
    train::TaskData data = train::make_task(task_name, static_cast<std::uint64_t>(seed));
    if (data.name.empty())
        return usage_error("unknown task '" + task_name + "' (pronoun, induction, reversal, english)");
    train::Recipe r = train::default_recipe(data);
    ModelConfig& c = r.config;
    if (set_mask) c.mask = mask;
    if (window) c.window = window;
    if (window && c.mask != MaskKind::SlidingWindow) return usage_error("--window needs --mask sliding");
    if (set_positions) c.positions = positions;
    r.options.seed = static_cast<std::uint64_t>(seed);
    train::adapt_to_positions(r, data);
    if (d_model) c.d_model = d_model;
    if (layers) c.n_layers = layers;
    if (heads) c.n_heads = heads;
    c.n_kv_heads = kv_heads ? kv_heads : c.n_heads;
    c.d_head = d_head ? d_head : std::max(1, c.d_model / c.n_heads);
    if (mlp >= 0) c.d_ff = mlp;
    if (auto why = train::validate_trainable(c); !why.empty()) return usage_error(attn::english(why));
    if (steps) r.options.steps = steps;
    if (batch) r.options.batch = batch;
    if (lr > 0.0f) r.options.lr = lr;
    if (previous_word >= 0.0f) r.options.previous_word = previous_word;
    if (previous_layer > 0)
        r.options.previous_word_layer = previous_layer - 1;
    else // the recipe's layer, kept inside a model given fewer --layers
        r.options.previous_word_layer = std::min(r.options.previous_word_layer, c.n_layers - 1);
    if (r.options.previous_word_layer >= c.n_layers)
        return usage_error("--previous-word-layer must be at most the number of layers");
    r.options.seed = static_cast<std::uint64_t>(seed);
    r.options.n_threads = threads;
    if (auto why = train::validate(r.options); !why.empty()) return usage_error(attn::english(why));

    // Before anything large is allocated: what the run will need, refused when it cannot fit in memory.
    int max_tokens = 1;
    for (const train::Example& e : data.train)
        max_tokens = std::max(max_tokens, static_cast<int>(e.ids.size()));
    const train::TrainCost cost = train::estimate_training(c, max_tokens, r.options);
    const double available = available_memory_bytes();
    if (available > 0 && cost.bytes > 0.8 * available)
        return usage_error(
            "this model would need about " + format_bytes(cost.bytes) + " of memory to train (weights, " +
            "optimiser state, one gradient and one example's activations per thread), more " + "than the " +
            format_bytes(available) + " available; choose a smaller --d-model, --layers, " +
            "--heads or --mlp, or fewer --threads");
    train::TinyModel init = train::init_model(c, data.vocab, static_cast<std::uint64_t>(seed));
    init.task = data.name;
    init.data_seed = static_cast<std::uint64_t>(seed);
    std::printf("task %s: %zu train / %zu held-out examples, vocabulary %zu\n", data.name.c_str(),
                data.train.size(), data.held_out.size(), data.vocab.size());
    std::printf("model: d_model %d, %d layers, %d heads (%d kv), d_head %d, mlp %d, %s mask, %s positions; "
                "%zu parameters\n",
                c.d_model, c.n_layers, c.n_heads, c.n_kv_heads, c.d_head, c.d_ff, to_string(c.mask),
                to_string(c.positions), parameter_count(init.weights));
    if (data.name == "pronoun" && c.positions == PositionKind::Rope)
        std::printf(
            "RoPE: every training sentence has a decoy, another noun of the referent's kind just after "
            "\"it\" or in place of the referent's \"the\" (held-out sentences unchanged)\n");
    std::printf("training: %d steps, batch %d, lr %g, seed %d, %d threads, previous-word weight %g\n",
                r.options.steps, r.options.batch, static_cast<double>(r.options.lr), seed, threads,
                static_cast<double>(r.options.previous_word));
    const double rate = train::measured_matrix_rate() * std::max(1, threads);
    const double step_floor = cost.flops_per_step / rate;
    std::printf("estimate: %.3g parameters, about %s of memory, %.3g GFLOP per step: at least %s per step on "
                "this machine (%s for %d steps)\n",
                cost.parameters, format_bytes(cost.bytes).c_str(), cost.flops_per_step / 1e9,
                format_ms(1000 * step_floor).c_str(), format_ms(1000 * step_floor * r.options.steps).c_str(),
                r.options.steps);
    if (step_floor * r.options.steps > 1800)
        std::printf("warning: this run will take at least %s; smaller sizes or fewer --steps finish sooner\n",
                    format_ms(1000 * step_floor * r.options.steps).c_str());
    std::fflush(stdout);

    const bool english = data.name == "english";
    std::vector<train::Example> english_quick; // held-out structures, a sample for the progress lines
    if (english) {
        english_quick = train::make_english_eval(static_cast<std::uint64_t>(seed)).structures;
        english_quick.resize(std::min<std::size_t>(english_quick.size(), 300));
    }
    if (compare_steps > 0) compare_products(init, data, r.options, compare_steps);
    train::Trainer trainer(std::move(init), data, r.options);
    auto seconds = [&] { return std::chrono::duration<double>(clock::now() - t0).count(); };
    int reached = -1;
    double reached_s = 0;
    double loss_sum = 0;
    int loss_n = 0;
    train::Evaluation ev;
    for (int s = 1; s <= r.options.steps; ++s) {
        const auto step_start = clock::now();
        loss_sum += trainer.step();
        ++loss_n;
        if (s == 1 && r.options.steps > 1) {
            const double first = std::chrono::duration<double>(clock::now() - step_start).count();
            std::printf("first step done after %s: the %d steps will take about %s\n",
                        format_ms(1000 * first).c_str(), r.options.steps,
                        format_ms(1000 * first * r.options.steps).c_str());
            std::fflush(stdout);
        }
        if (s % eval_every != 0 && s != r.options.steps) continue;
        if (english) {
            const train::EnglishScores sc = train::score_english(trainer.model(), english_quick);
            const bool met = train::meets(sc);
            if (met && reached < 0) {
                reached = s;
                reached_s = seconds();
            }
            print_english(s, loss_sum / loss_n, sc, seconds(), met);
            loss_sum = 0;
            loss_n = 0;
            continue;
        }
        ev = train::evaluate(trainer.model(), data.held_out, data.attention_layer, 500);
        const bool met = ev.accuracy >= r.accuracy_goal && ev.attention_hit >= r.attention_goal;
        if (met && reached < 0) {
            reached = s;
            reached_s = seconds();
        }
        std::printf(
            "step %5d  train loss %.4f  held-out loss %.4f  acc %.3f  attention %.3f (layer %d head %d)  "
            "%.1f s%s\n",
            s, loss_sum / loss_n, ev.loss, ev.accuracy, ev.attention_hit, ev.best_layer + 1, ev.best_head + 1,
            seconds(), met ? "  criterion met" : "");
        std::fflush(stdout);
        loss_sum = 0;
        loss_n = 0;
    }
    if (english) {
        const train::EnglishEval held = train::make_english_eval(static_cast<std::uint64_t>(seed));
        const train::EnglishScores combos = train::score_english(trainer.model(), held.combos);
        const train::EnglishScores structures = train::score_english(trainer.model(), held.structures);
        std::printf("final, %zu held-out combinations:   ", held.combos.size());
        print_english(-1, 0, combos, seconds(), train::meets(combos));
        std::printf("final, %zu held-out structures:     ", held.structures.size());
        print_english(-1, 0, structures, seconds(), train::meets(structures));
        if (reached > 0)
            std::printf("criteria on held-out structures first met at step %d after %.1f s\n", reached,
                        reached_s);
        else
            std::printf("criteria on held-out structures not met\n");
    } else {
        ev = train::evaluate(trainer.model(), data.held_out, data.attention_layer);
        std::printf("final, all %zu held-out: accuracy %.4f, attention criterion %.4f (layer %d head %d)\n",
                    data.held_out.size(), ev.accuracy, ev.attention_hit, ev.best_layer + 1, ev.best_head + 1);
        if (reached > 0)
            std::printf("criterion (accuracy >= %.2f, attention >= %.2f) first met at step %d after %.1f s\n",
                        r.accuracy_goal, r.attention_goal, reached, reached_s);
        else
            std::printf("criterion (accuracy >= %.2f, attention >= %.2f) not met\n", r.accuracy_goal,
                        r.attention_goal);
    }
    std::printf("total time %.1f s\n", seconds());
    const std::vector<std::uint8_t> bytes = train::serialize(trainer.model());
    if (auto err = safe_write_file(out, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
        !err.empty()) {
        std::fprintf(stderr, "attention-lab train: %s\n", err.c_str());
        return 1;
    }
    std::printf("wrote %s\n", out.c_str());
    return 0;
}

} // namespace attn

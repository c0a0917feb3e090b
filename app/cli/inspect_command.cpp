// `attention-lab inspect`: loads a trained model (a .atlm file or a shipped model's name), runs the
// sentence through the same forward() as the app and prints what the views show, as text or JSON (the
// JSON form is documented in the README).
#include "inspect_command.hpp"
#include "app/io/model_files.hpp"

#include "app/cli/explain_output.hpp"

#include "app/state/trained_model.hpp"
#include "core/tokenizer.hpp"
#include "core/train/tasks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

namespace {

const char* k_usage =
    "usage: attention-lab inspect --model FILE|NAME --text \"SENTENCE\" [--json] [--top K] [--explain N]\n"
    "       attention-lab inspect --model FILE|NAME --find-disagreements [--top K]\n"
    "  --model   a trained model file (.atlm) or a shipped model's name (pronoun, ...)\n"
    "  --text    the sentence to read (at most 512 tokens)\n"
    "  --json    print JSON instead of text (format in the README)\n"
    "  --top K   answers listed per position (default 5); with --find-disagreements, cases per kind\n"
    "  --explain N  attention beside attribution for the answer at token N (1 = the first token)\n"
    "  --find-disagreements  search the model's held-out English sentences for cases where attention\n"
    "            and attribution disagree, and print them with their figures and preset rows\n";

int fail(const std::string& why) {
    std::fprintf(stderr, "attention-lab inspect: %s\n", why.c_str());
    return 2;
}

struct Answer {
    std::string word;
    float probability;
};

// The k most likely words of each position: (n_tokens) lists, most likely first.
std::vector<std::vector<Answer>> top_answers(const Matrix& logits, const std::vector<std::string>& vocab,
                                             int k) {
    Matrix p = logits;
    softmax_rows(p);
    std::vector<std::vector<Answer>> out;
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
        std::vector<int> ids(static_cast<std::size_t>(p.cols()));
        for (int j = 0; j < static_cast<int>(ids.size()); ++j)
            ids[static_cast<std::size_t>(j)] = j;
        const int kk = std::min(k, static_cast<int>(ids.size()));
        std::partial_sort(ids.begin(), ids.begin() + kk, ids.end(),
                          [&](int a, int b) { return p(i, a) > p(i, b); });
        std::vector<Answer> row;
        for (int r = 0; r < kk; ++r)
            row.push_back({vocab[static_cast<std::size_t>(ids[static_cast<std::size_t>(r)])],
                           p(i, ids[static_cast<std::size_t>(r)])});
        out.push_back(std::move(row));
    }
    return out;
}

void print_header(const train::TinyModel& m, const std::vector<std::string>& tokens,
                  const std::vector<int>& ids) {
    std::printf("model: %s, %d layers x %d heads (%d key/value heads), d_model %d, %s mask, %s positions, "
                "vocabulary %d\n",
                m.task.c_str(), m.config.n_layers, m.config.n_heads, m.config.n_kv_heads, m.config.d_model,
                to_string(m.config.mask), to_string(m.config.positions), m.config.vocab_size);
    std::printf("tokens (* = unknown to the model, read as <unk>):\n");
    for (std::size_t i = 0; i < tokens.size(); ++i)
        std::printf("  %2zu %s%s\n", i + 1, tokens[i].c_str(), ids[i] == 0 ? " *" : "");
}

void print_text(const train::TinyModel& m, const std::vector<std::string>& tokens,
                const std::vector<int>& ids, const ForwardResult& f,
                const std::vector<std::vector<Answer>>& answers) {
    print_header(m, tokens, ids);
    std::printf("answers:\n");
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        std::printf("  %2zu %-12s", i + 1, tokens[i].c_str());
        for (const Answer& a : answers[i])
            std::printf("  %s %.1f%%", a.word.c_str(), 100.0 * static_cast<double>(a.probability));
        std::printf("\n");
    }
    for (std::size_t l = 0; l < f.layers.size(); ++l)
        for (std::size_t h = 0; h < f.layers[l].heads.size(); ++h) {
            const Matrix& w = f.layers[l].heads[h].weights;
            std::printf("layer %zu head %zu (key/value head %d): row = query, column = key\n", l + 1, h + 1,
                        f.layers[l].heads[h].kv_head + 1);
            for (Eigen::Index i = 0; i < w.rows(); ++i) {
                std::printf("  %-12s", tokens[static_cast<std::size_t>(i)].c_str());
                for (Eigen::Index j = 0; j < w.cols(); ++j)
                    std::printf(" %.2f", static_cast<double>(w(i, j)));
                std::printf("\n");
            }
        }
}

void print_json(const train::TinyModel& m, const std::vector<std::string>& tokens,
                const std::vector<int>& ids, const ForwardResult& f,
                const std::vector<std::vector<Answer>>& answers, const std::string& explain) {
    std::string out = "{\n  \"model\": {\"task\": " + json_string(m.task) +
                      ", \"layers\": " + std::to_string(m.config.n_layers) +
                      ", \"heads\": " + std::to_string(m.config.n_heads) +
                      ", \"kv_heads\": " + std::to_string(m.config.n_kv_heads) +
                      ", \"d_model\": " + std::to_string(m.config.d_model) +
                      ", \"mask\": " + json_string(to_string(m.config.mask)) +
                      ", \"positions\": " + json_string(to_string(m.config.positions)) +
                      ", \"vocab_size\": " + std::to_string(m.config.vocab_size) + "},\n  \"tokens\": [";
    for (std::size_t i = 0; i < tokens.size(); ++i)
        out += std::string(i ? ", " : "") + "{\"text\": " + json_string(tokens[i]) +
               ", \"known\": " + (ids[i] != 0 ? "true" : "false") + "}";
    out += "],\n  \"answers\": [";
    for (std::size_t i = 0; i < answers.size(); ++i) {
        out += std::string(i ? ",\n    [" : "\n    [");
        for (std::size_t r = 0; r < answers[i].size(); ++r)
            out += std::string(r ? ", " : "") + "{\"word\": " + json_string(answers[i][r].word) +
                   ", \"p\": " + json_number(answers[i][r].probability) + "}";
        out += "]";
    }
    out += "\n  ],\n  \"attention\": [";
    for (std::size_t l = 0; l < f.layers.size(); ++l) {
        out += std::string(l ? ",\n    [" : "\n    [");
        for (std::size_t h = 0; h < f.layers[l].heads.size(); ++h) {
            const Matrix& w = f.layers[l].heads[h].weights;
            out += std::string(h ? ",\n      [" : "\n      [");
            for (Eigen::Index i = 0; i < w.rows(); ++i) {
                out += std::string(i ? ", [" : "[");
                for (Eigen::Index j = 0; j < w.cols(); ++j)
                    out += std::string(j ? ", " : "") + json_number(w(i, j));
                out += "]";
            }
            out += "]";
        }
        out += "\n    ]";
    }
    out += "\n  ]";
    if (!explain.empty()) out += ",\n  " + explain;
    out += "\n}\n";
    std::fputs(out.c_str(), stdout);
}

} // namespace

int inspect_command_main(int argc, const char* const* argv) {
    std::string model_arg, text, explain_arg;
    bool json = false, have_text = false, have_explain = false, find = false, have_top = false;
    int top = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            std::fputs(k_usage, stdout);
            return 0;
        }
        if (a == "--json") {
            json = true;
            continue;
        }
        if (a == "--find-disagreements") {
            find = true;
            continue;
        }
        if (i + 1 >= argc) return fail("option " + std::string(a) + " needs a value");
        const std::string_view v = argv[++i];
        if (a == "--model") {
            model_arg = v;
        } else if (a == "--text") {
            text = v;
            have_text = true;
        } else if (a == "--explain") {
            explain_arg = v;
            have_explain = true;
        } else if (a == "--top") {
            have_top = true;
            try {
                std::size_t used = 0;
                top = std::stoi(std::string(v), &used);
                if (used != v.size() || top < 1 || top > 100) return fail("--top takes 1 to 100");
            } catch (...) {
                return fail("--top takes 1 to 100");
            }
        } else {
            return fail("unknown option " + std::string(a));
        }
    }
    if (find) {
        if (model_arg.empty()) return fail("--find-disagreements needs --model");
        if (have_text || have_explain || json)
            return fail("--find-disagreements takes only --model and --top");
        const TrainedLoad load = load_trained(model_arg);
        if (!load.model) return fail(english(load.error));
        if (load.model->task != "english")
            return fail("--find-disagreements searches an English model's held-out sentences; this model was "
                        "trained on \"" +
                        load.model->task + "\"");
        print_disagreements(*load.model, train::find_disagreements(*load.model, have_top ? top : 5));
        return 0;
    }
    if (model_arg.empty() || !have_text) return fail("--model and --text are required");
    const TrainedLoad load = load_trained(model_arg);
    if (!load.model) return fail(english(load.error));
    const train::TinyModel& m = *load.model;
    const TokenizeResult tok = tokenize(text, 512);
    if (tok.tokens.empty()) return fail("the text holds no token to read");
    if (tok.truncated)
        return fail("the text has " + std::to_string(tok.total_tokens) +
                    " tokens; inspect reads at most 512");
    const std::vector<int> ids = train::encode(m.vocab, tok.tokens);
    const ForwardResult f = train::forward(m, ids);
    for (const auto& layer : f.layers)
        for (const HeadResult& h : layer.heads)
            if (!h.weights.allFinite())
                return fail("the model overflowed: its attention weights are not finite");
    if (!f.logits.allFinite()) return fail("the model overflowed: its answers are not finite");
    const auto answers = top_answers(f.logits, m.vocab, top);
    if (have_explain) {
        const int n = static_cast<int>(tok.tokens.size());
        int position = 0;
        try {
            std::size_t used = 0;
            position = std::stoi(explain_arg, &used);
            if (used != explain_arg.size()) position = 0;
        } catch (...) {
            position = 0;
        }
        if (position < 1 || position > n)
            return fail("--explain takes a token number from 1 to " + std::to_string(n) + " (got \"" +
                        explain_arg + "\")");
        const train::Explanation e = train::explain(m, ids, position - 1);
        if (json) {
            print_json(m, tok.tokens, ids, f, answers, explanation_json(m, tok.tokens, e));
        } else {
            print_header(m, tok.tokens, ids);
            print_explanation_text(m, tok.tokens, e);
        }
        return 0;
    }
    if (json)
        print_json(m, tok.tokens, ids, f, answers, {});
    else
        print_text(m, tok.tokens, ids, f, answers);
    return 0;
}

} // namespace attn

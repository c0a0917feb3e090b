// `attention-lab read-attention` and `export-attention` (see attention_command.hpp).
#include "attention_command.hpp"
#include "app/io/model_files.hpp"

#include "app/cli/explain_output.hpp"
#include "app/io/attention_file.hpp"
#include "app/io/safe_write.hpp"
#include "app/state/trained_model.hpp"
#include "core/tokenizer.hpp"
#include "core/train/tasks.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

namespace attn {

namespace {

int fail(const char* command, const std::string& why) {
    std::fprintf(stderr, "attention-lab %s: %s\n", command, why.c_str());
    return 2;
}

} // namespace

int read_attention_main(int argc, const char* const* argv) {
    const char* usage = "usage: attention-lab read-attention FILE.npz|FILE.npy [--json]\n";
    std::string path;
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            std::fputs(usage, stdout);
            return 0;
        }
        if (a == "--json")
            json = true;
        else if (!a.empty() && a[0] == '-')
            return fail("read-attention", "unknown option " + std::string(a));
        else if (path.empty())
            path = a;
        else
            return fail("read-attention", "one file at a time");
    }
    if (path.empty()) return fail("read-attention", "which file? " + std::string(usage));
    const auto t0 = std::chrono::steady_clock::now();
    const ImportParse r = read_attention_file(path);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!r.ok()) return fail("read-attention", english(r.error));
    const ImportedAttention& a = r.attention;
    if (json) {
        std::string out = "{\n  \"name\": " + json_string(a.name) +
                          ", \"layers\": " + std::to_string(a.n_layers) +
                          ", \"heads\": " + std::to_string(a.n_heads) + ", \"tokens\": [";
        for (std::size_t i = 0; i < a.tokens.size(); ++i)
            out += (i ? ", " : "") + json_string(a.tokens[i]);
        out += "],\n  \"causal\": ";
        out += a.causal ? "true" : "false";
        char buf[64];
        std::snprintf(buf, sizeof buf, ", \"read_ms\": %.1f,\n  \"heads_probed\": [", ms);
        out += buf;
        for (std::size_t k = 0; k < a.heads.size(); ++k) {
            const HeadReport& h = a.heads[k];
            std::snprintf(buf, sizeof buf, "%.4f", h.previous_token.hit);
            out += std::string(k ? ",\n    " : "\n    ") + "{\"layer\": " + std::to_string(h.layer + 1) +
                   ", \"head\": " + std::to_string(h.head + 1) +
                   ", \"label\": " + json_string(label_name(h.label)) + ", \"previous_token\": " + buf;
            std::snprintf(buf, sizeof buf, "%.4f", h.first_token.hit);
            out += std::string(", \"first_token\": ") + buf;
            std::snprintf(buf, sizeof buf, "%.4f", h.induction.hit);
            out += std::string(", \"induction\": ") + buf;
            std::snprintf(buf, sizeof buf, "%.4f", h.entropy);
            out += std::string(", \"entropy\": ") + buf + "}";
        }
        out += "\n  ]\n}\n";
        std::fputs(out.c_str(), stdout);
        return 0;
    }
    std::printf("%s: \"%s\", %d layers x %d heads over %d tokens%s, read and checked in %.0f ms\n",
                path.c_str(), a.name.c_str(), a.n_layers, a.n_heads, a.n_tokens(),
                a.causal ? " (causal: no query looks ahead)" : "", ms);
    std::printf("tokens:");
    for (std::size_t i = 0; i < a.tokens.size() && i < 40; ++i)
        std::printf(" %s", a.tokens[i].c_str());
    std::printf("%s\n", a.tokens.size() > 40 ? " ..." : "");
    std::printf("heads (hit rates of each row's largest weight; entropy 1 = uniform):\n");
    std::printf("  layer head  %-15s previous  first  induction  entropy\n", "label");
    for (const HeadReport& h : a.heads)
        std::printf("  %5d %4d  %-15s %8.2f %6.2f %10.2f %8.2f\n", h.layer + 1, h.head + 1,
                    std::string(label_name(h.label)).c_str(), h.previous_token.hit, h.first_token.hit,
                    h.induction.hit, h.entropy);
    return 0;
}

int export_attention_main(int argc, const char* const* argv) {
    const char* usage =
        "usage: attention-lab export-attention --model FILE|NAME --text \"SENTENCE\" --out FILE.npz\n";
    std::string model, text, out;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            std::fputs(usage, stdout);
            return 0;
        }
        if (i + 1 >= argc) return fail("export-attention", "option " + std::string(a) + " needs a value");
        const std::string v = argv[++i];
        if (a == "--model")
            model = v;
        else if (a == "--text")
            text = v;
        else if (a == "--out")
            out = v;
        else
            return fail("export-attention", "unknown option " + std::string(a));
    }
    if (model.empty() || text.empty() || out.empty())
        return fail("export-attention", "--model, --text and --out are required");
    const TrainedLoad load = load_trained(model);
    if (!load.model) return fail("export-attention", english(load.error));
    const TokenizeResult tok = tokenize(text, k_import_max_tokens);
    if (tok.tokens.empty()) return fail("export-attention", "the text holds no token to read");
    if (tok.truncated)
        return fail("export-attention", "the text has " + std::to_string(tok.total_tokens) +
                                            " tokens; at most " + std::to_string(k_import_max_tokens) +
                                            " are exported");
    if (static_cast<int>(tok.tokens.size()) > load.model->config.max_positions &&
        load.model->config.positions == PositionKind::Learned)
        return fail("export-attention",
                    "the model knows positions up to " + std::to_string(load.model->config.max_positions));
    const ForwardResult f = train::forward(*load.model, train::encode(load.model->vocab, tok.tokens));
    const std::string bytes = attention_to_npz(attention_of(f, tok.tokens, load.title));
    if (auto e = safe_write_file(out, bytes); !e.empty()) return fail("export-attention", e);
    std::printf("wrote %s: %zu layers x %zu heads x %zu tokens\n", out.c_str(), f.layers.size(),
                f.layers.empty() ? std::size_t{0} : f.layers.front().heads.size(), tok.tokens.size());
    return 0;
}

} // namespace attn

// The `compute` subcommand's command line: parses --config/--out, runs run_compute() and prints one line.
// Dispatched from main() before any window or OpenGL context exists.
#include "compute_command.hpp"

#include "app/io/compute_config.hpp"

#include <cstdio>
#include <string>
#include <string_view>

namespace attn {

namespace {

constexpr const char* k_compute_usage =
    "Usage: attention-lab compute --config FILE.json --out DIR\n"
    "Computes one multi-head attention block from .npy inputs named in FILE.json and writes\n"
    "weights.npy, scores.npy, output.npy and head_outputs.npy into DIR (see README, \"The compute "
    "command\").\n";

} // namespace

int compute_command_main(int argc, const char* const* argv) {
    std::string config, out;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            std::fputs(k_compute_usage, stdout);
            return 0;
        }
        if ((a == "--config" || a == "--out") && i + 1 < argc) {
            (a == "--config" ? config : out) = argv[++i];
        } else {
            std::fprintf(stderr, "attention-lab compute: %s '%s'\n%s",
                         (a == "--config" || a == "--out") ? "missing value after" : "unknown option",
                         argv[i], k_compute_usage);
            return 2;
        }
    }
    if (config.empty() || out.empty()) {
        std::fprintf(stderr, "attention-lab compute: both --config and --out are required\n%s",
                     k_compute_usage);
        return 2;
    }
    const ComputeOutcome r = run_compute(config, out);
    std::fprintf(r.exit_code == 0 ? stdout : stderr, "attention-lab compute: %s\n", r.message.c_str());
    return r.exit_code;
}

} // namespace attn

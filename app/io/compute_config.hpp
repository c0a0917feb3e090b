// The headless `attention-lab compute` command: its JSON config (input .npy files + options), loading and
// checking the inputs, running one attention block (core/block.hpp) and writing weights/scores/output .npy.
// The format is documented in README.md, section "The compute command".
#pragma once

#include "app/io/json_util.hpp"
#include "core/block.hpp"

#include <string>
#include <string_view>

namespace attn {

struct ComputeConfig {
    // input files, resolved against the config file's folder; empty = not given
    std::string x, w_q, w_k, w_v, w_o; // X mode: x, w_q, w_k, w_v required, w_o optional
    std::string q, k, v;               // Q/K/V mode: all three required, w_o optional
    int n_heads = 0;                   // 0 = from Q's first dimension (Q/K/V mode) or 1 (X mode)
    int n_kv_heads = 0;                // 0 = from K's first dimension (Q/K/V mode) or n_heads (X mode)
    BlockOptions options;
};

// Parses the config text; relative paths are joined to base_dir. Refuses unknown keys and bad values.
Parsed<ComputeConfig> parse_compute_config(std::string_view json_text, const std::string& base_dir);

// Reads and checks every input file and returns the block inputs with options completed (heads inferred).
// Messages name the file and the problem, e.g. "w_k.npy: has 6 columns, expected n_kv_heads·d_head = 4".
struct LoadedCompute {
    BlockInputs inputs;
    BlockOptions options;
};
Parsed<LoadedCompute> load_compute_inputs(const ComputeConfig& config);

struct ComputeOutcome {
    int exit_code = 0;   // 0 ok, 2 bad config/input file or shape, 1 cannot write the outputs
    std::string message; // one line: what was written, or what was wrong
};

// The whole command: config → inputs → attention_block → DIR/{weights,scores,output,head_outputs}.npy.
ComputeOutcome run_compute(const std::string& config_path, const std::string& out_dir);

} // namespace attn

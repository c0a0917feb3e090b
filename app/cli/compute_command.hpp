// `attention-lab compute --config FILE.json --out DIR`: one attention block from .npy inputs, headless.
#pragma once

namespace attn {

// argv[0] is "compute". Returns the process exit code: 0 ok, 2 bad usage/config/input, 1 cannot write.
int compute_command_main(int argc, const char* const* argv);

} // namespace attn

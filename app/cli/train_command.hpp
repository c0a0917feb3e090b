// `attention-lab train --task NAME --out FILE [options]`: trains a tiny transformer headless.
#pragma once

namespace attn {

// argv[0] is "train". Returns the process exit code: 0 ok, 2 bad usage, 1 cannot write the model.
int train_command_main(int argc, const char* const* argv);

} // namespace attn

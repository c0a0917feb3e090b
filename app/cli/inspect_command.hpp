// `attention-lab inspect --model FILE --text "SENTENCE" [--json]`: a trained model read headless.
#pragma once

namespace attn {

// argv[0] is "inspect". Prints the tokens (unknown words marked), the top-5 answers with probabilities at
// every position and every layer's and head's attention weights. Exit code: 0 ok, 2 bad usage, model or text.
int inspect_command_main(int argc, const char* const* argv);

} // namespace attn

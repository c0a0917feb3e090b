// Imported attention without a window (README, "Importing attention"):
//   attention-lab read-attention FILE [--json]
//       reads a .npz (or .npy + .tokens.json) as File → Import attention does, and prints its shape, how
//       long reading took, and what every head does by the probes that need no labels;
//   attention-lab export-attention --model FILE|NAME --text "SENTENCE" --out FILE.npz
//       writes a trained model's attention on a sentence in the same format, for another program or as a
//       file to import back. Exit code: 0 ok, 2 bad usage or a bad file (one line on stderr).
#pragma once

namespace attn {

int read_attention_main(int argc, const char* const* argv);   // argv[0] is "read-attention"
int export_attention_main(int argc, const char* const* argv); // argv[0] is "export-attention"

} // namespace attn

// Attention weights exported from another framework, read from disk (README, "Importing attention"):
//   NAME.npz  holding attention.npy (layers, heads, n, n) and tokens.npy (n words), as np.savez or
//             np.savez_compressed write them; or
//   NAME.npy  the weights, with NAME.tokens.json beside it: a JSON array of the n words.
// Sizes are checked before reading; every refusal is one sentence naming the file and the problem.
#pragma once

#include "core/imported_attention.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace attn {

// Largest file read: the limit on values (k_import_max_values float32) plus room for headers.
inline constexpr std::size_t k_import_max_file_bytes = (std::size_t{1} << 30) + (1u << 20);

ImportParse read_attention_file(const std::string& path);
// The same for a file mapped already (mapped_file.hpp): refused if it was shortened while being read.
class MappedFile;
ImportParse read_attention_file(const MappedFile& file, const std::string& path);

// The members of a .npz (a ZIP archive of .npy files, stored or deflated) held in memory.
ImportParse import_attention_npz(std::string_view zip, std::string name);
// A JSON array of strings (tokens.json).
bool json_words(std::string_view text, std::vector<std::string>& words, Message& error);

// The bytes of a .npz holding attention.npy and tokens.npy for `a` (stored, not compressed): what
// File → Export attention writes, and what the tests read back.
std::string attention_to_npz(const ImportedAttention& a);

} // namespace attn

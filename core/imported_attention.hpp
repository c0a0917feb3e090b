// Attention weights computed elsewhere (any framework, any model) and brought into the app: only the
// weights of every layer and head and the tokens they belong to — no queries, keys, values or answers.
// Read from a NumPy array of shape (layers, heads, n, n) in C or Fortran order, float32 or float64; a
// leading batch axis of size 1 (layers, 1, heads, n, n) as Hugging Face returns per layer is accepted too.
#pragma once

#include "head_probes.hpp"
#include "message.hpp"
#include "stats.hpp"
#include "types.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

struct ImportedAttention {
    std::string name;                // shown as "imported: NAME" wherever the weights are drawn
    std::vector<std::string> tokens; // (n)
    int n_layers = 0;
    int n_heads = 0;
    // Every head's weights in one buffer, layer-major, each (n, n) row-major with rows as queries: 604 MB
    // for GPT-2 at 1,024 tokens. Filled once when read; the views point into it (HeadResult::shared_weights)
    // instead of copying it, because fresh memory is the slow part of an import.
    std::shared_ptr<const float[]> weights;
    bool causal = false; // every weight above the diagonal is 0: no query looked ahead
    // What each head does by the probes that need no labels (previous token, first token, induction on
    // repeated tokens, broad), over this one text's rows; layer-major. Set by import_attention_npy.
    std::vector<HeadReport> heads;
    // Each head's entropy, distance and pattern (head_stats), layer-major; computed once while the import
    // is read, when its weights are still in the cache, so the views never go over the 600 MB again.
    std::vector<HeadStats> stats;

    int n_tokens() const { return static_cast<int>(tokens.size()); }
    int n_matrices() const { return n_layers * n_heads; }
    const float* data_of(int m) const { // m = layer · n_heads + head
        const auto n = static_cast<std::size_t>(n_tokens());
        return weights.get() + static_cast<std::size_t>(m) * n * n;
    }
    ConstMatrixMap head_at(int m) const { return ConstMatrixMap(data_of(m), n_tokens(), n_tokens()); }
    ConstMatrixMap head(int layer, int h) const { return head_at(layer * n_heads + h); }
};

// Sets a.weights (and a.stats) from one (n, n) matrix per head, layer-major (a forward pass, tests).
// a.tokens, n_layers and n_heads must already say how many.
void set_weights(ImportedAttention& a, const std::vector<Matrix>& per_head);

// Limits (README, "Importing attention"): beyond them a file is refused with a message.
inline constexpr int k_import_max_layers = 96;
inline constexpr int k_import_max_heads = 128;
inline constexpr int k_import_max_tokens = 2048;
inline constexpr std::int64_t k_import_max_values = std::int64_t{1} << 28; // 1 GiB of float32
inline constexpr int k_import_max_token_bytes = 256;
// A row of weights must sum to 1 within this (float32 softmax rounding over 2,048 keys stays far below it),
// or be all zero (a query every key was masked from).
inline constexpr double k_import_row_tolerance = 1e-3;

struct ImportParse {
    ImportedAttention attention;
    Message error; // empty on success; one readable sentence naming the problem
    bool ok() const { return error.empty(); }
};

// Called once for each head m, on whichever core converted it, with the head's bytes as they lie in the
// .npy (`offset` from the file's first byte) while they are still in the cache: a caller checks the
// archive's checksum this way without a pass of its own. Only for C-order arrays, where a head's bytes are
// contiguous; never for a file refused before its data was read.
using HeadBytesSeen = std::function<void(int m, std::size_t offset, std::string_view bytes)>;

// The weights of a whole .npy file held in memory, checked (shape, limits, finite, non-negative, rows sum
// to 1) and converted to float32 directly; each head's statistics are taken on the way. tokens must number
// n. Never throws; never reads past `npy`.
ImportParse import_attention_npy(std::string_view npy, std::vector<std::string> tokens, std::string name,
                                 const HeadBytesSeen& seen = {});

// A 1-D NumPy array of Unicode strings ('<U8'), as np.array(list_of_words) saves it, decoded to UTF-8.
// Refuses other shapes and dtypes, code points that are not Unicode scalar values, and words longer than
// k_import_max_token_bytes. Returns false and sets error on refusal.
bool npy_words(std::string_view npy, std::vector<std::string>& words, Message& error);

// Checks words given as tokens for an import: at most k_import_max_tokens, each valid UTF-8 without
// control characters, at most k_import_max_token_bytes. Empty when fine.
Message check_import_tokens(const std::vector<std::string>& tokens);

// Fills a.causal and a.heads from the weights (import_attention_npy calls it).
void probe_imported(ImportedAttention& a);

// The opposite direction, for exporting what the app shows and for tests: (layers, heads, n, n) float32.
std::string attention_to_npy(const ImportedAttention& a);

// The weights of a forward pass (every layer and head) with its tokens, in the form an import has.
struct ForwardResult;
ImportedAttention attention_of(const ForwardResult& f, const std::vector<std::string>& tokens,
                               std::string name);

} // namespace attn

// The trained-model file (all integers little-endian u32 unless noted). Format version 2:
//   "ATLM"  2  vocab_size max_positions d_model n_layers n_heads n_kv_heads d_head d_ff mask window positions
//   task: length + bytes   data_seed: u64   vocab: vocab_size × (length + bytes)   u64 n_params
//   n_params × float32 in the order of tensors() (model.hpp)      (u64 = low u32 then high u32)
// mask: 0 bidirectional, 1 causal, 2 sliding window; positions: 0 none, 1 sinusoidal, 2 learned, 3 RoPE,
// 4 ALiBi. Version 1 (learned positions always, a causal flag instead of mask/window/positions) still
// loads: its parameters are in the same order. See assets/models/README.md.
#pragma once

#include "tiny_model.hpp"

#include "core/message.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace attn::train {

inline constexpr std::uint32_t k_model_file_version = 2;

std::vector<std::uint8_t> serialize(const TinyModel& m);

struct LoadResult {
    TinyModel model;
    Message error; // empty on success; otherwise a readable sentence (english() or the app's i18n::text())
                   // and model is empty
};

LoadResult deserialize(const std::vector<std::uint8_t>& bytes);
// Errors (missing file, a folder or device, truncated or foreign data) come back in the message. Files are
// written by the app's safe writer (app/io/safe_write.hpp) from serialize(), never in place.
inline constexpr std::size_t k_max_model_file_bytes = std::size_t{256} << 20;
LoadResult load_model(const std::string& path);

} // namespace attn::train

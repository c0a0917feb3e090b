// A trained model: the one transformer of core/model.hpp with a vocabulary, plus where it came from.
// Training, the model file and the app all use it through forward()/backward() of model.hpp; this file
// only adds the seeded initial weights of training and the word <-> id mapping.
#pragma once

#include "core/message.hpp"
#include "core/model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace attn::train {

struct TinyModel {
    ModelConfig config;             // vocab_size > 0; max_positions is the longest text it was trained on
    std::string task;               // which task it was trained on ("pronoun", "induction", ...)
    std::uint64_t data_seed = 0;    // seed of the task's train / held-out split it was trained on
    std::vector<std::string> vocab; // (vocab_size) id -> word; id 0 is "<unk>"
    ModelWeights weights;
};

// Empty when c can be trained (validate(c) and a vocabulary), otherwise one readable sentence (a message the
// app shows translated, message.hpp).
Message validate_trainable(const ModelConfig& c);

// Seeded initial weights: embeddings N(0, 0.5²), projections N(0, 1/fan_in), LayerNorm gain 1, biases 0.
TinyModel init_model(const ModelConfig& c, std::vector<std::string> vocab, std::uint64_t seed);

// The model on token ids (each < vocab_size, at least one): embed_ids then forward().
ForwardResult forward(const TinyModel& m, const std::vector<int>& ids, const ForwardOptions& opt = {});

} // namespace attn::train

// Trained models in the app: the shipped presets ("Trained: pronoun resolution", ...), loading one by
// preset name or file path, and the derived view of the current tokens through a trained model.
#pragma once

#include "core/model.hpp"
#include "core/train/tiny_model.hpp"

#include <memory>
#include <string>
#include <vector>

namespace attn {

struct TrainedPreset {
    const char* name;        // id used by LoadTrainedModel: "pronoun", "induction", "reversal"
    const char* title;       // "Trained: pronoun resolution"
    const char* text;        // a sentence the model understands
    const char* description; // what to look for
};
const std::vector<TrainedPreset>& trained_presets();

// Where the shipped .atlm files live: $ATTN_MODELS_DIR, else the source tree's assets/models.
std::string trained_models_dir();

struct TrainedLoad {
    std::shared_ptr<const train::TinyModel> model; // null on failure
    std::string title;
    std::string text;  // the preset's sentence, empty for a file
    std::string error; // readable, for the user
};
// source: a preset name or a path to a .atlm file.
TrainedLoad load_trained(const std::string& source);

// The current tokens seen by a trained model: the same ForwardResult the live model produces, plus the
// model's prediction at every position and a note about words it does not know.
struct TrainedView {
    ForwardResult forward;
    ModelWeights weights;                // the trained matrices in the core's layout
    std::vector<std::string> prediction; // (n_tokens) the model's most likely next / answer word
    std::vector<float> confidence;       // (n_tokens) its probability
    std::string note;                    // unknown words and the vocabulary, or a length note
};
TrainedView view_trained(const train::TinyModel& m, const std::vector<std::string>& tokens);

} // namespace attn

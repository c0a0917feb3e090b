// Trained models in the app: the shipped presets ("Trained: pronoun resolution", ...), a model as read
// from its file (app/io/model_files.hpp reads it), and the words of a text a model does not know.
#pragma once

#include "core/head_probes.hpp"
#include "core/model.hpp"
#include "core/train/tiny_model.hpp"

#include <memory>
#include <string>
#include <vector>

namespace attn {

struct TrainedPreset {
    const char* name;        // id used by LoadTrainedModel: "english", "pronoun", "induction", "reversal"
    const char* title;       // "Trained: pronoun resolution"
    const char* text;        // a sentence the model understands
    const char* description; // what to look for
};
const std::vector<TrainedPreset>& trained_presets();

struct TrainedLoad {
    std::shared_ptr<const train::TinyModel> model;        // null on failure
    std::shared_ptr<const std::vector<HeadReport>> heads; // what each head does, probed on held-out data
    std::string title;
    std::string text; // the preset's sentence, empty for a file
    Message error;    // readable, for the user (i18n::text() in the window, english() on the command line)
};
// A model read from a file by app/io (model_files.hpp: load_trained), as LoadTrainedModel carries it.

// The words of tokens a trained model does not know (it reads each as <unk>), in order, each once.
std::vector<std::string> unknown_words(const train::TinyModel& m, const std::vector<std::string>& tokens);

} // namespace attn

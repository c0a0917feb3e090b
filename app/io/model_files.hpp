// Reading trained-model files (.atlm) for the app: where the shipped ones live, loading one by preset name
// or path, and filling in the model a command carries, so apply() never touches a file (the way an
// attention import is read by attention_file.hpp and handed over in ShowImportedAttention).
#pragma once

#include "app/state/app_state.hpp"
#include "app/state/trained_model.hpp"

#include <string>

namespace attn {

// Where the shipped .atlm files live: $ATTN_MODELS_DIR, else next to an installed program, else the
// source tree's assets/models.
std::string trained_models_dir();

// source: a trained preset's name ("english", "pronoun", ...) or a path to a .atlm file. A file that cannot
// be read or is not a model comes back with `error` set and no model.
TrainedLoad load_trained(const std::string& source);

// The command with the model file it names read in: LoadTrainedModel, and LoadPreset of a preset shown on a
// trained model. Any other command, or one already carrying its model, comes back unchanged. A file that
// cannot be read is carried as a failed load, which apply() refuses with its message.
Command with_model_files(Command command);

// apply() after with_model_files(): what the frame loop, scripts, sessions and tests use.
ApplyResult apply_loading(AppState& state, const Command& command);

} // namespace attn

// Reading trained-model files for the app (model_files.hpp).
#include "model_files.hpp"

#include "app/io/bounded_read.hpp"
#include "core/train/english_eval.hpp"
#include "core/train/model_file.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <type_traits>

#ifndef ATTN_MODELS_DIR
#define ATTN_MODELS_DIR "assets/models"
#endif

namespace attn {

std::string trained_models_dir() {
    if (const char* env = std::getenv("ATTN_MODELS_DIR"); env && *env) return env;
    // an installed program: <prefix>/bin/attention-lab finds <prefix>/share/attention-lab/models
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path installed =
            (exe.parent_path() / ATTN_INSTALLED_MODELS_DIR).lexically_normal();
        if (std::filesystem::exists(installed / "english.atlm", ec)) return installed.string();
    }
    return ATTN_MODELS_DIR; // the source tree, for make run and the tests
}

TrainedLoad load_trained(const std::string& source) {
    TrainedLoad out;
    const auto& list = trained_presets();
    const auto it =
        std::find_if(list.begin(), list.end(), [&](const TrainedPreset& p) { return source == p.name; });
    std::string path = source;
    if (it != list.end()) {
        path = trained_models_dir() + "/" + it->name + ".atlm";
        out.title = it->title;
        out.text = it->text;
    } else if (source.empty()) {
        out.error =
            message(N_("Name a trained preset (english, pronoun, induction, reversal) or a .atlm file."));
        return out;
    }
    // Read here rather than with train::load_model so that a folder, /dev/zero or a huge file is refused
    // before anything is read (the model files we train are a few MiB at most).
    const FileBytes file = read_file_bounded(path, train::k_max_model_file_bytes);
    if (!file.ok()) {
        out.error = message(N_("Cannot open the model file: %s."), file.error);
        return out;
    }
    train::LoadResult r = train::deserialize(std::vector<std::uint8_t>(file.bytes.begin(), file.bytes.end()));
    if (!r.error.empty()) {
        out.error = message(N_("%s: %s"), path, std::move(r.error));
        return out;
    }
    if (out.title.empty())
        out.title = "Trained: " + (r.model.task.empty() ? path : r.model.task) + " (from file)";
    out.heads = std::make_shared<const std::vector<HeadReport>>(train::probe_model_heads(r.model));
    out.model = std::make_shared<const train::TinyModel>(std::move(r.model));
    return out;
}

Command with_model_files(Command command) {
    if (auto* c = std::get_if<LoadTrainedModel>(&command); c && !c->loaded) {
        c->loaded = std::make_shared<const TrainedLoad>(load_trained(c->source));
    } else if (auto* p = std::get_if<LoadPreset>(&command); p && !p->trained) {
        const auto& list = presets();
        const auto it =
            std::find_if(list.begin(), list.end(), [&](const Preset& x) { return p->name == x.name; });
        if (it != list.end() && *it->trained)
            p->trained = std::make_shared<const TrainedLoad>(load_trained(it->trained));
    }
    return command;
}

ApplyResult apply_loading(AppState& state, const Command& command) {
    return attn::apply(state, with_model_files(command));
}

} // namespace attn

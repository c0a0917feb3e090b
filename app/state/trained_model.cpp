// Trained-model presets, loading, and the view of the current tokens through a trained model.
#include "trained_model.hpp"

#include "app/io/bounded_read.hpp"
#include "core/train/model_file.hpp"
#include "core/train/tasks.hpp"
#include "core/train/view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#ifndef ATTN_MODELS_DIR
#define ATTN_MODELS_DIR "assets/models"
#endif

namespace attn {

namespace {
constexpr std::size_t k_max_model_file_bytes = std::size_t{256} << 20;
}

const std::vector<TrainedPreset>& trained_presets() {
    static const std::vector<TrainedPreset> list = {
        {"pronoun", "Trained: pronoun resolution", "the dog didn't cross the street because it was too tired",
         "A 2-layer model trained to answer, at \"it\", which noun \"it\" means. Select the row of \"it\" in "
         "the "
         "last layer: one head looks straight at the noun. Change \"tired\" to \"wide\" and watch it move."},
        {"induction", "Trained: induction heads", "k e y b o a r d k e y b o a r d",
         "A 2-layer model trained to continue a repeated sequence. Layer 1 has a previous-token head (a line "
         "just "
         "below the diagonal); in layer 2 each token of the repeat looks at the token after its earlier "
         "copy."},
        {"reversal", "Trained: reversal", "b e a d f c | c f d a e",
         "A 1-layer model trained to write a sequence backwards after \"|\". Its head reads the input from "
         "the "
         "end to the start: an anti-diagonal."},
    };
    return list;
}

std::string trained_models_dir() {
    if (const char* env = std::getenv("ATTN_MODELS_DIR"); env && *env) return env;
    // an installed program: <prefix>/bin/attention-lab finds <prefix>/share/attention-lab/models
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path installed =
            (exe.parent_path() / ATTN_INSTALLED_MODELS_DIR).lexically_normal();
        if (std::filesystem::exists(installed / "pronoun.atlm", ec)) return installed.string();
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
        out.error = "Name a trained preset (pronoun, induction, reversal) or a .atlm file.";
        return out;
    }
    // Read here rather than with train::load_model so that a folder, /dev/zero or a huge file is refused
    // before anything is read (the model files we train are a few MiB at most).
    const FileBytes file = read_file_bounded(path, k_max_model_file_bytes);
    if (!file.ok()) {
        out.error = "Cannot open the model file: " + file.error + ".";
        return out;
    }
    train::LoadResult r = train::deserialize(std::vector<std::uint8_t>(file.bytes.begin(), file.bytes.end()));
    if (!r.error.empty()) {
        out.error = path + ": " + r.error;
        return out;
    }
    if (out.title.empty())
        out.title = "Trained: " + (r.model.task.empty() ? path : r.model.task) + " (from file)";
    out.model = std::make_shared<const train::TinyModel>(std::move(r.model));
    return out;
}

TrainedView view_trained(const train::TinyModel& m, const std::vector<std::string>& tokens) {
    TrainedView v;
    v.weights = train::display_weights(m);
    if (tokens.empty()) return v;
    std::vector<std::string> unknown;
    const std::vector<int> ids = train::encode(m.vocab, tokens, &unknown);
    if (!unknown.empty()) {
        std::string words;
        for (std::size_t i = 0; i < unknown.size() && i < 5; ++i)
            words += (i ? ", \"" : "\"") + unknown[i] + "\"";
        std::string vocab;
        for (std::size_t i = 1; i < m.vocab.size(); ++i)
            vocab += (i > 1 ? " " : "") + m.vocab[i];
        v.note = "This model never saw " + words + (unknown.size() > 5 ? " and more" : "") +
                 "; it reads them as <unk>. It knows: " + vocab;
    }
    if (static_cast<int>(ids.size()) > m.config.n_ctx)
        v.note += std::string(v.note.empty() ? "" : "\n") + "The model was trained on at most " +
                  std::to_string(m.config.n_ctx) +
                  " tokens; later positions reuse its position table from the start.";
    const train::ForwardCache f = train::forward(m, ids);
    v.forward = train::to_forward_result(m, f);
    for (Eigen::Index i = 0; i < f.logits.rows(); ++i) {
        Eigen::Index arg = 0;
        const float mx = f.logits.row(i).maxCoeff(&arg);
        const float sum = (f.logits.row(i).array() - mx).exp().sum();
        v.prediction.push_back(m.vocab[static_cast<std::size_t>(arg)]);
        v.confidence.push_back(1.0f / sum);
    }
    return v;
}

} // namespace attn

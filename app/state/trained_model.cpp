// Trained-model presets, loading, and the words a model does not know.
#include "trained_model.hpp"
#include "app/i18n/i18n.hpp"

#include "app/io/bounded_read.hpp"
#include "core/train/english_eval.hpp"
#include "core/train/model_file.hpp"
#include "core/train/tasks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#ifndef ATTN_MODELS_DIR
#define ATTN_MODELS_DIR "assets/models"
#endif

namespace attn {

const std::vector<TrainedPreset>& trained_presets() {
    static const std::vector<TrainedPreset> list = {
        {"english", N_("Trained: English"), "The animal didn't cross the street because it was too tired",
         N_("A 2-layer model trained here on generated English (423 words): it fills in hidden words, says "
            "at "
            "\"it\" which noun \"it\" means, and picks is/are by the subject. Select the row of \"it\": a "
            "layer-2 head looks straight at \"animal\". Change \"tired\" to \"wide\" and it looks at the "
            "street.")},
        {"pronoun", N_("Trained: pronoun resolution"),
         "the dog didn't cross the street because it was too tired",
         N_("A 2-layer model trained to answer, at \"it\", which noun \"it\" means. Select the row of \"it\" "
            "in "
            "the "
            "last layer: one head looks straight at the noun. Change \"tired\" to \"wide\" and watch it "
            "move.")},
        {"induction", N_("Trained: induction heads"), "k e y b o a r d k e y b o a r d",
         N_("A 2-layer model trained to continue a repeated sequence. Layer 1 has a previous-token head (a "
            "line "
            "just "
            "below the diagonal); in layer 2 each token of the repeat looks at the token after its earlier "
            "copy.")},
        {"reversal", N_("Trained: reversal"), "b e a d f c | c f d a e",
         N_("A 1-layer model trained to write a sequence backwards after \"|\". Its head reads the input "
            "from "
            "the "
            "end to the start: an anti-diagonal.")},
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
        out.error = "Name a trained preset (english, pronoun, induction, reversal) or a .atlm file.";
        return out;
    }
    // Read here rather than with train::load_model so that a folder, /dev/zero or a huge file is refused
    // before anything is read (the model files we train are a few MiB at most).
    const FileBytes file = read_file_bounded(path, train::k_max_model_file_bytes);
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
    out.heads = std::make_shared<const std::vector<HeadReport>>(train::probe_model_heads(r.model));
    out.model = std::make_shared<const train::TinyModel>(std::move(r.model));
    return out;
}

std::vector<std::string> unknown_words(const train::TinyModel& m, const std::vector<std::string>& tokens) {
    std::vector<std::string> unknown, out;
    train::encode(m.vocab, tokens, &unknown);
    for (const std::string& w : unknown)
        if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    return out;
}

} // namespace attn

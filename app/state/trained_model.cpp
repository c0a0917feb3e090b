// Trained-model presets and the words a model does not know. Reading a model file is app/io's
// (model_files.hpp).
#include "trained_model.hpp"
#include "app/i18n/i18n.hpp"

#include "core/train/tasks.hpp"

#include <algorithm>

namespace attn {

const std::vector<TrainedPreset>& trained_presets() {
    static const std::vector<TrainedPreset> list = {
        {"english", N_("Trained: English"), "The animal didn't cross the street because it was too tired",
         N_("A 2-layer model trained here on generated English (430 words): it fills in hidden words, says "
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

std::vector<std::string> unknown_words(const train::TinyModel& m, const std::vector<std::string>& tokens) {
    std::vector<std::string> unknown, out;
    train::encode(m.vocab, tokens, &unknown);
    for (const std::string& w : unknown)
        if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    return out;
}

} // namespace attn

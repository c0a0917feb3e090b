// The presets (app_state.hpp): the example sentences with the model settings that show them, and the
// English model's disagreements between attention and attribution (core/train/disagreements.hpp).
#include "app_state.hpp"

#include "core/message.hpp"
#include "core/train/disagreements.hpp"

#include <string_view>

namespace attn {

namespace {

// Where attention and attribution disagree on the English model (core/train/disagreements.hpp): each opens
// the Explanations view at "it".
void append_explanation_presets(std::vector<Preset>& list) {
    for (const train::DisagreementExample& ex : train::disagreement_examples()) {
        const bool unknown = std::string_view(ex.name) == "unknown-word";
        const char* title = ex.kind == train::DisagreementKind::IgnoredLook
                                ? N_("Not explanation: looked at, yet changes nothing")
                            : ex.kind == train::DisagreementKind::HiddenCause
                                ? N_("Not explanation: not looked at, yet changes the answer")
                            : unknown ? N_("Not understanding: the right look, a word it never saw")
                                      : N_("Not understanding: the right look, a structure it never saw");
        const char* description =
            ex.kind == train::DisagreementKind::IgnoredLook
                ? N_("A layer-2 head puts almost all its weight from \"they\" on a noun, yet reading that "
                     "noun "
                     "as <unk> leaves the answer as it was: a bright cell is not a reason.")
            : ex.kind == train::DisagreementKind::HiddenCause
                ? N_("No head looks from \"they\" at one small word, yet reading it as <unk> changes the "
                     "answer: what matters can reach a token through other tokens and earlier layers.")
            : unknown
                ? N_("A head looks from \"it\" straight at the noun it means, but the model has never seen "
                     "that word: it answers a word it knows, with confidence. Attention to a blank.")
                : N_("A sentence built in a way the model never saw: a head looks from \"they\" at the right "
                     "noun, and the model confidently answers something else.");
        list.push_back({ex.name, title, description, ex.text, AppState::default_config(), "english",
                        "Explanations", ex.position});
    }
}

} // namespace

const std::vector<Preset>& presets() {
    static const std::vector<Preset> list = [] {
        ModelConfig four = AppState::default_config();
        four.n_heads = 4;
        four.n_kv_heads = 4;
        ModelConfig causal = four;
        causal.mask = MaskKind::Causal;
        causal.positions = PositionKind::Rope;
        ModelConfig repeat = causal;
        repeat.n_layers = 2;
        ModelConfig gqa = AppState::default_config();
        gqa.d_model = 128;
        gqa.n_heads = 8;
        gqa.n_kv_heads = 2;
        gqa.mask = MaskKind::Causal;
        gqa.positions = PositionKind::Rope;
        std::string repeated;
        for (int i = 0; i < 4; ++i)
            repeated += "the cat sat on the mat and looked at the door . ";
        std::vector<Preset> all = {
            {"tired", N_("The animal ... too tired (trained English model)"),
             N_("The trained English model answers at \"it\" that it means the animal, and its referent head "
                "in layer 2 looks from \"it\" to \"animal\". Compare with the \"wide\" preset."),
             k_default_sentence, four, "english"},
            {"wide", N_("The animal ... too wide (trained English model)"),
             N_("Only the last word changed, yet the trained model now answers \"street\" and its referent "
                "head "
                "moves to the street. Attention reads the whole sentence at once, so one word can change "
                "where "
                "every token looks."),
             "The animal didn't cross the street because it was too wide", four, "english"},
            {"paragraph", N_("A paragraph (about 250 tokens)"),
             N_("A long input with a causal mask: the heatmap becomes a triangle and the cost grows with the "
                "square "
                "of the length."),
             "Attention lets every word in a sentence look at every other word and decide how much each one "
             "matters. Each token asks a question with its query vector, announces what it holds with its "
             "key "
             "vector, and offers its content through its value vector. The score between two tokens is the "
             "dot "
             "product of a query and a key, divided by the square root of the head width so that the numbers "
             "stay in a range where the softmax is not saturated. The softmax turns a row of scores into "
             "weights that are positive and add up to one, and the output of the token is the weighted "
             "average "
             "of all the values. Several heads do this side by side, each with its own projections, so one "
             "head "
             "can follow grammar while another follows meaning or position. A causal mask hides the future: "
             "a "
             "token may only look at itself and at the tokens before it, which is what a model that writes "
             "text "
             "one word at a time needs. Because every token is compared with every other token, the work and "
             "the memory of the plain method grow with the square of the length: twice the text means four "
             "times "
             "the scores. Flash attention computes the same result in tiles and never stores the whole score "
             "matrix, and grouped-query attention lets several query heads share one key and value head, so "
             "the "
             "cache that a model keeps while it writes becomes smaller. None of this needs magic: it is a "
             "few "
             "matrix products, a scale, a mask and a softmax, repeated in every layer.",
             causal},
            {"repeated", N_("A repeated sequence"),
             N_("The same twelve tokens four times. Identical words get identical embeddings, so the pattern "
                "repeats "
                "in blocks; positions (here RoPE) are what tell the copies apart."),
             repeated, repeat},
            {"gqa", N_("Grouped-query attention (8 heads, 2 K/V)"),
             N_("Like Llama 2 70B or Mistral: eight query heads share two key/value heads. Heads in one "
                "group "
                "read the "
                "same keys, so their maps differ only through their queries."),
             k_default_sentence, gqa},
        };
        append_explanation_presets(all);
        return all;
    }();
    return list;
}

} // namespace attn

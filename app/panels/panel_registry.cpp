// The list of panels: name, draw function, open by default, place. The views' order is their tab order,
// which follows the story: the weights, how they arise, what they cost. Names and captions are marked for
// the catalogue (N_) and translated where they are drawn; the English name is the panel's key in prefs,
// sessions and scripts.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"

namespace attn {

const std::vector<PanelInfo>& panels() {
    static const std::vector<PanelInfo> list = {
        {N_("Tokens"), draw_tokens_panel, true, PanelPlace::Sidebar},
        {N_("Model"), draw_model_panel, true, PanelPlace::Sidebar},
        {N_("Heatmap"), draw_heatmap_panel, true, PanelPlace::View, true, // arrows pan a zoomed map
         N_("Row i is where token i looks: each cell is the weight it gives one token, and every row adds up "
            "to "
            "1.")},
        {N_("Arc view"), draw_arc_panel, true, PanelPlace::View, false,
         N_("A line from a token to each token it looks at: the thicker the line, the more attention. One "
            "colour "
            "per head.")},
        {N_("Heads grid"), draw_heads_grid_panel, true, PanelPlace::View, false,
         N_("Every head's weights side by side: heads that learned different jobs look different. Low H = "
            "focused, high H = spread out.")},
        {N_("Step by step"), draw_step_panel, true, PanelPlace::View, true, nullptr, true},
        {N_("Q/K/V"), draw_qkv_panel, true, PanelPlace::View, false,
         N_("One token's vector times three learned matrices: the query (what it looks for), the key (what "
            "it "
            "offers), the value (what it hands over)."),
         true},
        {N_("Playground"), draw_playground_panel, true, PanelPlace::View, false,
         N_("A score is q·k: large when the query and a key point the same way. The output is the values "
            "added up, each scaled by its weight."),
         true},
        {N_("Flash"), draw_flash_panel, true, PanelPlace::View, true,
         N_("Flash attention gets the same answer tile by tile, keeping a running max and sum per row "
            "instead "
            "of "
            "the whole n × n matrix."),
         true},
        {N_("Scaling"), draw_scaling_panel, true, PanelPlace::View, false,
         N_("Attention compares every token with every other one: twice the text means four times the work "
            "and "
            "the memory.")},
        {N_("KV cache"), draw_kv_cache_panel, true, PanelPlace::View, false,
         N_("While generating, a model keeps every earlier token's keys and values; query heads that share "
            "them "
            "(GQA, MQA) shrink that memory."),
         true},
        {N_("Decoding"), draw_decoding_panel, true, PanelPlace::View, false,
         N_("Each new token is compared with the cached keys of all earlier tokens: one new row per step, "
            "nothing recomputed."),
         true},
        {N_("Training"), draw_training_panel, true, PanelPlace::View, false,
         N_("Training nudges every weight to make the right answer more likely; watch the heads take on jobs "
            "as "
            "the loss falls.")},
        {N_("Explanations"), draw_explain_panel, true, PanelPlace::View, false,
         N_("Where a head looked is not why the model answered: attention beside what really moves the "
            "answer."),
         true},
    };
    return list;
}

int panel_index(const std::string& name) {
    const auto& list = panels();
    for (std::size_t i = 0; i < list.size(); ++i)
        if (name == list[i].name) return static_cast<int>(i);
    return -1;
}

} // namespace attn

// The list of panels: name, draw function, open by default, place. The views' order is their tab order,
// which follows the story: the weights, how they arise, what they cost.
#include "panel_context.hpp"

namespace attn {

const std::vector<PanelInfo>& panels() {
    static const std::vector<PanelInfo> list = {
        {"Tokens", draw_tokens_panel, true, PanelPlace::Sidebar},
        {"Model", draw_model_panel, true, PanelPlace::Sidebar},
        {"Heatmap", draw_heatmap_panel, true, PanelPlace::View, true, // arrows pan a zoomed map
         "Row i is where token i looks: each cell is the weight it gives one token, and every row adds up to "
         "1."},
        {"Arc view", draw_arc_panel, true, PanelPlace::View, false,
         "A line from a token to each token it looks at: the thicker the line, the more attention. One "
         "colour "
         "per head."},
        {"Heads grid", draw_heads_grid_panel, true, PanelPlace::View, false,
         "Every head's weights side by side: heads that learned different jobs look different. Low H = "
         "focused, high H = spread out."},
        {"Step by step", draw_step_panel, true, PanelPlace::View, true, nullptr, true},
        {"Q/K/V", draw_qkv_panel, true, PanelPlace::View, false,
         "One token's vector times three learned matrices: the query (what it looks for), the key (what it "
         "offers), the value (what it hands over).",
         true},
        {"Playground", draw_playground_panel, true, PanelPlace::View, false,
         "A score is q·k: large when the query and a key point the same way. The output is the values "
         "added up, each scaled by its weight.",
         true},
        {"Flash", draw_flash_panel, true, PanelPlace::View, true,
         "Flash attention gets the same answer tile by tile, keeping a running max and sum per row instead "
         "of "
         "the whole n × n matrix.",
         true},
        {"Scaling", draw_scaling_panel, true, PanelPlace::View, false,
         "Attention compares every token with every other one: twice the text means four times the work and "
         "the memory."},
        {"KV cache", draw_kv_cache_panel, true, PanelPlace::View, false,
         "While generating, a model keeps every earlier token's keys and values; query heads that share them "
         "(GQA, MQA) shrink that memory.",
         true},
        {"Decoding", draw_decoding_panel, true, PanelPlace::View, false,
         "Each new token is compared with the cached keys of all earlier tokens: one new row per step, "
         "nothing recomputed.",
         true},
        {"Training", draw_training_panel, true, PanelPlace::View, false,
         "Training nudges every weight to make the right answer more likely; watch the heads take on jobs as "
         "the loss falls."},
        {"Explanations", draw_explain_panel, true, PanelPlace::View, false,
         "Where a head looked is not why the model answered: attention beside what really moves the answer.",
         true},
    };
    return list;
}

} // namespace attn

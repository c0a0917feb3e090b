// The list of panels: name, draw function, open by default, place. The views' order is their tab order,
// which follows the story: the weights, how they arise, what they cost.
#include "panel_context.hpp"

namespace attn {

const std::vector<PanelInfo>& panels() {
    static const std::vector<PanelInfo> list = {
        {"Tokens", draw_tokens_panel, true, PanelPlace::Sidebar},
        {"Model", draw_model_panel, true, PanelPlace::Sidebar},
        {"Heatmap", draw_heatmap_panel, true, PanelPlace::View, true}, // arrows pan a zoomed map
        {"Arc view", draw_arc_panel, true, PanelPlace::View},
        {"Heads grid", draw_heads_grid_panel, true, PanelPlace::View},
        {"Step by step", draw_step_panel, true, PanelPlace::View, true},
        {"Q/K/V", draw_qkv_panel, true, PanelPlace::View},
        {"Playground", draw_playground_panel, true, PanelPlace::View},
        {"Flash", draw_flash_panel, true, PanelPlace::View, true},
        {"Scaling", draw_scaling_panel, true, PanelPlace::View},
        {"KV cache", draw_kv_cache_panel, true, PanelPlace::View},
        {"Decoding", draw_decoding_panel, true, PanelPlace::View},
        {"Training", draw_training_panel, true, PanelPlace::View},
    };
    return list;
}

} // namespace attn

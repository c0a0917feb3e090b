// The list of panels: name, draw function, open by default, default placement.
#include "panel_context.hpp"

namespace attn {

const std::vector<PanelInfo>& panels() {
    static const std::vector<PanelInfo> list = {
        {"Tokens", draw_tokens_panel, true, 0.00f, 0.00f, 0.34f, 0.46f},
        {"Model", draw_model_panel, true, 0.00f, 0.46f, 0.34f, 0.54f},
        {"Heatmap", draw_heatmap_panel, true, 0.34f, 0.00f, 0.66f, 1.00f},
        {"Arc view", draw_arc_panel, false, 0.34f, 0.00f, 0.66f, 1.00f},
        {"Heads grid", draw_heads_grid_panel, false, 0.34f, 0.00f, 0.66f, 1.00f},
        {"Step by step", draw_step_panel, false, 0.34f, 0.00f, 0.66f, 1.00f},
        {"Playground", draw_playground_panel, false, 0.34f, 0.00f, 0.66f, 1.00f},
        {"Q/K/V", draw_qkv_panel, false, 0.34f, 0.00f, 0.66f, 1.00f},
        {"Training", draw_training_panel, false, 0.34f, 0.00f, 0.66f, 1.00f},
        {"Scaling", draw_scaling_panel, false, 0.34f, 0.00f, 0.66f, 1.00f},
        {"KV cache", draw_kv_cache_panel, false, 0.34f, 0.00f, 0.66f, 1.00f},
        {"Decoding", draw_decoding_panel, false, 0.34f, 0.00f, 0.66f, 1.00f},
        {"Flash", draw_flash_panel, false, 0.34f, 0.00f, 0.66f, 1.00f},
    };
    return list;
}

} // namespace attn

// What every panel receives: a consistent snapshot to draw, UiState to change, a command list to ask for
// changes to AppState, and the workers' status with a list to ask them to start or stop (both carried
// out after the frame is drawn, by the frame loop that owns the workers: app/ui/jobs.hpp).
#pragma once

#include "app/state/app_state.hpp"
#include "app/state/derived.hpp"
#include "app/ui/jobs.hpp"
#include "app/ui/ui_state.hpp"
#include "app/widgets/heatmap.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace attn {

struct PanelContext {
    const AppState& state;
    const Derived& derived;
    UiState& ui;
    std::vector<Command>& commands;
    HeatmapTextureSource& textures;
    const JobStatus& jobs;             // what the workers reported at this frame's poll
    std::vector<JobRequest>& requests; // start / pause / cancel a worker
};

// Where a panel lives in the window (app/workspace.cpp): the sidebar holds the inputs, stacked; every
// other panel is a view, a tab in the views area.
enum class PanelPlace { Sidebar, View };

struct PanelInfo {
    const char* name;
    void (*draw)(PanelContext&);
    bool open_by_default;
    PanelPlace place;
    bool own_keys =
        false; // uses arrow keys itself: keyboard navigation stays out of it (Step by step, Flash)
    // The view's key idea in one line, shown above it (a tooltip is invisible on a projector); null for a
    // view that explains itself on screen already.
    const char* caption = nullptr;
    bool needs_model =
        false; // reads q, k, v, outputs or the model's shape: imported attention cannot feed it
};

// The panels, in View-menu order. The frame loop and the View menu both iterate over this list.
const std::vector<PanelInfo>& panels();
// Where a panel of this (English) name stands in panels(), or -1.
int panel_index(const std::string& name);

void draw_tokens_panel(PanelContext& ctx);
void draw_model_panel(PanelContext& ctx);
void draw_help_panel(PanelContext& ctx); // the Help window (F1), drawn by frame.cpp, not listed in panels()
void draw_heatmap_panel(PanelContext& ctx);
void draw_training_panel(PanelContext& ctx);
void draw_arc_panel(PanelContext& ctx);
void draw_heads_grid_panel(PanelContext& ctx);
void draw_step_panel(PanelContext& ctx);
void draw_playground_panel(PanelContext& ctx);
void draw_qkv_panel(PanelContext& ctx);
void draw_scaling_panel(PanelContext& ctx);
void draw_kv_cache_panel(PanelContext& ctx);
void draw_decoding_panel(PanelContext& ctx);
void draw_flash_panel(PanelContext& ctx);
void draw_explain_panel(PanelContext& ctx);

// Shared by the attention views (view_common.cpp): draws the empty state and returns false when there is
// nothing to show, otherwise keeps the selected layer and head inside the current model.
bool attention_view_ready(PanelContext& ctx);
// In place of a view that needs a model while attention is imported: what an import holds and lacks.
void draw_import_has_only_weights(PanelContext& ctx, const char* view);
// Above every attention view: which model this is — the untrained live model's random weights said plainly,
// or a trained model's answer at the followed query ("it" → animal 97%) — and the words it does not know.
void draw_model_banner(PanelContext& ctx);
// "\"it\" → animal 97%" for a trained model at token `query`; empty for the live model.
std::string model_answer_text(const AppState& s, const Derived& d, int query);
// A trained model's head as its probes name it ("referent", "previous-token", ...; head_probes.hpp), or
// null / empty for the live model and training snapshots.
const HeadReport* probed_head(const AppState& s, int layer, int head);
std::string head_name(const AppState& s, int layer, int head); // translated, "" when not probed
// The translation of a word or sentence the core returns in English (head labels, their meanings, attention
// patterns); a string not in the table comes back unchanged. core_texts() lists the table for its test.
const char* core_text(std::string_view english);
std::vector<std::string_view> core_texts();
// The query token a view follows: the selected token, else "it" when the sentence has one, else the last.
int followed_query(const AppState& s, const UiState& ui);
// A combo box of the tokens showing `current`; picking one selects it as the query everywhere.
void token_combo(PanelContext& ctx, const char* label, int current);
// On the same line: a swatch of the head's colour and, under GQA / MQA, which key/value head it reads and
// the query heads that share it ("K/V head 1, shared with heads 2, 3, 4").
void draw_head_badge(PanelContext& ctx, int head);
// The query heads that read the same key/value head as `head`, itself included, e.g. "1, 2, 3, 4" or "1-8".
std::string kv_group_text(const ModelConfig& c, int head);
// Asks for a preset (LoadPreset) and, when it names a view, brings that view to the front following its
// token.
void request_preset(UiState& ui, std::vector<Command>& commands, const Preset& preset);

} // namespace attn

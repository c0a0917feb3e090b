// UiState — how things look. Panels change it directly; it never affects what the core computes.
#pragma once

#include "app/state/flash_view.hpp"
#include "app/state/map_zoom.hpp"
#include "app/state/views.hpp"
#include "app/ui/lesson_ui.hpp"
#include "core/message.hpp"
#include "core/model_table.hpp"

#include <imgui.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace attn {

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
};

// Settings of the cost panels (Scaling, KV cache, Decoding).
struct CostViewsUi {
    // Scaling
    bool show_fit = true; // fitted power-law slopes on the measured curves
    int budget_mib = 256; // naive sizes whose matrices need more are skipped
    std::string csv_path = "attention_timings.csv";
    std::string measure_message; // last export / refusal message
    bool measure_scroll = false; // scroll the finished measurement into view (then cleared)
    int scaling_axes = 0; // 0: automatic (linear in presentation mode, log-log otherwise), 1: log, 2: linear
    // KV cache
    int kv_model = 5;     // index into model_table() then kv_custom
    int kv_precision = 1; // index into cost::k_all_precisions (fp16)
    int kv_batch = 1;
    int kv_context = 4096;
    bool kv_use_window = true; // let a sliding window cap the cache
    std::string kv_config_path;
    std::string kv_load_message;
    std::vector<ModelSpec> kv_custom; // models loaded from config.json files
    // Decoding
    int decode_step = 0; // tokens already in the cache
    bool decode_playing = false;
    float decode_timer = 0;
};

// Settings of the attention views (Heatmap, Arc view, Heads grid, Step by step, Playground, Q/K/V).
// What the heatmap panel shows, rebuilt only when its content key (revision, layer, head, colours, mean)
// changes, so a 512-token map or a mean over 16 heads is not recomputed every frame.
struct HeatmapValuesCache {
    std::uint64_t key = ~0ull;
    HeadMean mean;             // (n, n) when the mean over heads is shown
    std::vector<float> values; // (n · n) colour-scaled weights, NaN where masked
    float top_value = 1.0f;    // the weight the top of the colour bar stands for
};

struct AttentionViewsUi {
    int contrast = 0; // heatmap colours: 0 honest 0..1, 1 each row to its max, 2 matrix max
    std::vector<std::uint8_t> arc_hidden_heads; // (n_heads) 1 = hidden in the arc view
    float arc_min_weight = 0.02f;               // thinner lines than this are not drawn
    int step_stage = 0;                         // Stage of the step-by-step view (app/state/views.hpp)
    bool playground_all_queries = false;        // show every token's query arrow, not only the selected one
    bool playground_values = true;              // draw the value arrows and the output built from them
    int playground_prev_d_head = 0;             // d_head before the playground made it 2 (0: it did not)
    int playground_drawn_frame = -10; // ImGui frame it was last drawn in: a gap means it just opened
    HeatmapValuesCache heatmap;
};

// Long inputs (hundreds to thousands of tokens): the heatmap's zoom and colours, the arc view's strongest
// keys, the Tokens panel's search and chip layout. The caches are rebuilt only when their key changes.
struct ArcLinesCache {
    std::uint64_t key = ~0ull;
    std::vector<ArcLine> lines; // the top-k keys of every query, for the visible heads
    std::size_t hidden = 0;     // lines over the threshold left out because they are not in a top k
};
struct ChipLayoutCache {
    std::uint64_t key = ~0ull;
    std::vector<ImVec2> pos; // (n_tokens) each chip's top-left, relative to the chips area
    std::vector<float> width;
    float height = 0;
};
struct FlashGridCache {
    std::uint64_t key = ~0ull;
    std::vector<float> values; // (n · n) the Flash panel's scores, NaN where masked
    float lo = 0, hi = 1;
};
struct LongInputUi {
    MapZoom heatmap_zoom;          // 1 = the whole map
    bool heatmap_auto_rows = true; // past k_auto_row_tokens the 0 … 1 colours stretch each row
    CellRange heatmap_shown_rows;  // what the heatmap showed last frame (for its toolbar)
    int heatmap_label_stride = 1;
    std::uint64_t label_width_key = ~0ull;
    float label_width = 0; // widest token label at the current font (heatmap gutters)
    int arc_top_k = 3;     // past k_arc_top_k_tokens only each query's k strongest keys
    std::uint64_t arc_label_width_key = ~0ull;
    float arc_label_width = 0; // widest token label (arc view columns)
    ArcLinesCache arc;
    std::string token_find;    // the Tokens panel's search text
    int token_find_at = -1;    // the match last jumped to
    bool token_scroll = false; // scroll the chips to the selected token (then cleared)
    ChipLayoutCache chips;
    FlashGridCache flash_grid;
};
inline constexpr int k_auto_row_tokens = 64;  // from here the heatmap's honest colours go per row
inline constexpr int k_arc_top_k_tokens = 48; // from here the arc view keeps each query's top k

// Settings of the Training panel (the training thread itself is one of the frame loop's jobs).
struct TrainingUi {
    int task = 0; // index into train::task_names()
    int size = 1; // 0 small, 1 medium, 2 large
    int n_layers = 2, n_heads = 2, n_kv_heads = 2;
    bool mlp = false;
    int steps = 1000;
    float lr = 3e-3f;
    int seed = 2;
    bool follow = true; // show each new snapshot in the heatmap and heads views
    Message message;    // why the last start was refused, translated where it is drawn
};

// Classroom and comfort: theme, text size, presentation mode, help, file dialogs and the PNG export
// request that the gfx layer fulfils after rendering (app/main.cpp).
enum class Theme { Dark, Light, Contrast };
enum class FileDialog {
    None,
    OpenSession,
    SaveSession,
    ExportPng,
    ExportCsv,
    ImportAttention,
    ExportAttention,
    OpenLesson
};

struct PngRequest {
    bool pending = false;
    std::string path;
    std::string region;  // a region name ("panel:Heatmap") to crop to; empty = whole window
    int wait_frames = 0; // frames left before the capture (menus and dialogs closed by then)
};

struct ComfortUi {
    Theme theme = Theme::Dark; // chosen theme; presentation mode shows Contrast on top of it
    float font_scale = 1.0f;   // the user's text size on top of the content scale
    std::string language;      // View > Language: "en", "de", "" = the environment's (frame.cpp applies it)
    bool presentation = false; // large text, high contrast, fullscreen, advanced controls hidden
    bool fullscreen = false;   // requested; app/main.cpp switches the window
    bool show_help = false;    // the Help window (keyboard shortcuts)
    bool quit = false;         // File > Quit
    FileDialog dialog = FileDialog::None;
    std::string session_path = "attention-session.json";
    std::string png_path = "attention-view.png";
    std::string csv_path = "attention-weights.csv";
    std::string import_path; // File → Import attention: a .npz, or a .npy + .tokens.json
    std::string attention_path = "attention-export.npz"; // File → Export attention
    std::string lesson_path = "lesson.md";
    int png_panel = -1;         // -1 = whole window, else index into panels()
    std::string dialog_message; // refusal shown inside the open dialog
    PngRequest png;
    // Tokens panel: chip being edited in place and the text of a chip to insert
    int editing_token = -1;
    std::string edit_buffer;
    std::string insert_buffer = "new";
    bool focus_edit = false;
    // the style last written to ImGui (frame.cpp re-applies it when the theme or the text size changes)
    Theme applied_theme = Theme::Dark;
    float applied_style_scale = 0.0f;
    std::string applied_language = "?"; // the language last handed to gettext
};

// Text size in pixels the fonts should be built at for this UI state (main rebuilds the atlas on change).
inline float wanted_font_px(const ComfortUi& c, float content_scale, float base_px = 17.0f) {
    return base_px * content_scale * c.font_scale * (c.presentation ? 1.6f : 1.0f);
}

// The window layout (app/workspace.cpp): the sidebar (Tokens above Model) on the left, and the views area
// on the right as one pane of tabs, or two side by side. Only the view whose tab is selected in a pane is
// drawn, so opening every view costs no more per frame than the view being looked at.
struct LayoutUi {
    float sidebar_frac = 0.34f;     // sidebar width / work-area width
    float sidebar_split = 0.50f;    // Tokens height / sidebar height (when both are open)
    bool split = false;             // two panes of views side by side
    float pane_frac = 0.5f;         // first pane width / views-area width
    std::vector<std::uint8_t> side; // indexed like panels(): 1 = the second pane (when split)
    int shown[2] = {-1, -1};        // the view drawn in each pane last frame (index into panels())
    int select[2] = {-1, -1};       // a view asked to come to the front: drawn from this frame on
};

struct UiState {
    std::vector<bool> panel_open;               // indexed like panels()
    LayoutUi layout;                            // where the open panels are
    int selected_layer = 0;                     // the layer and head every view shows, kept inside the
    int selected_head = 0;                      // model by the frame (always a real head)
    bool mean_over_heads = false;               // the heatmap shows the mean of the layer's heads instead
    int selected_query = -1;                    // token row selected in the heatmap, -1 = none
    std::string text_buffer;                    // the sentence box being edited (committed as SetText)
    std::uint64_t text_buffer_revision = ~0ull; // AppState revision the buffer was last synced from
    std::string status;                         // last message for the user (refusals, cuts)
    float content_scale = 1.0f;                 // monitor content scale (DPI), fonts are built for it
    // Screen rectangles of named regions recorded while drawing; written out for GUI tests.
    std::map<std::string, Rect> regions;
    CostViewsUi cost;       // the cost panels' settings
    TrainingUi training;    // the Training panel's settings (the worker is in App::jobs)
    AttentionViewsUi views; // the attention views' settings
    FlashView flash;        // the Flash panel: tile sizes, sweep position, the trace the jobs computed
    ComfortUi comfort;      // theme, presentation mode, help, file dialogs, PNG export
    LessonUi lesson;        // the lesson being shown, if any (lesson_runner.hpp)
    LongInputUi long_input; // zoom, top-k, token search: what keeps long inputs readable
};

inline void record_region(UiState& ui, const std::string& name, ImVec2 min, ImVec2 max) {
    ui.regions[name] = Rect{min.x, min.y, max.x - min.x, max.y - min.y};
}

} // namespace attn

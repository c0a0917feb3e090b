// Heatmap panel: the attention weights of the selected layer and head (or their mean over heads), queries
// down and keys across, with a colour bar, contrast modes, and a hover card that rebuilds one score from
// its q·k terms: score = scale · Σ_d q_d k_d + bias, weight = softmax over the row.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/state/views.hpp"
#include "app/widgets/colorbar.hpp"
#include "app/widgets/flow.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/index_slider.hpp"
#include "app/widgets/theme.hpp"
#include "app/widgets/vector_bars.hpp"
#include "core/rng.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

namespace attn {

namespace {

const char* const k_contrast_names[] = {"0 … 1", N_("row max"), N_("matrix max")};

// Layer and head pickers shared by the look of the attention views.
void draw_selectors(PanelContext& ctx) {
    const ModelConfig& c = ctx.state.config;
    UiState& ui = ctx.ui;
    const float w = ImGui::GetFontSize() * 7.0f;
    if (c.n_layers > 1) {
        ImGui::SetNextItemWidth(w);
        index_slider("##layer", ui.selected_layer, c.n_layers, _("layer %d"));
        item_help(_("Which layer to show. Layer 0 reads the token embeddings; every later layer reads the "
                    "previous layer's output, so its tokens already carry a mix of their neighbours."));
    }
    const std::string selected_name = head_name(ctx.state, ui.selected_layer, ui.selected_head);
    const float head_w = selected_name.empty() ? w : w * 1.8f;
    if (c.n_layers > 1) same_line_if_fits(head_w);
    ImGui::SetNextItemWidth(head_w);
    const std::string preview = ui.mean_over_heads ? std::string(_("mean of heads"))
                                                   : _("head ") + std::to_string(ui.selected_head + 1) +
                                                         (selected_name.empty() ? "" : " · " + selected_name);
    if (ImGui::BeginCombo("##head", preview.c_str())) {
        if (ImGui::Selectable(_("mean of heads"), ui.mean_over_heads)) ui.mean_over_heads = true;
        for (int h = 0; h < c.n_heads; ++h) {
            const std::string probed = head_name(ctx.state, ui.selected_layer, h);
            const std::string name = _("head ") + std::to_string(h + 1) +
                                     (probed.empty() ? "" : " · " + probed) +
                                     (ctx.state.head_on(ui.selected_layer, h) ? "" : _("  (off)"));
            if (ImGui::Selectable(name.c_str(), !ui.mean_over_heads && ui.selected_head == h)) {
                ui.selected_head = h;
                ui.mean_over_heads = false;
            }
        }
        ImGui::EndCombo();
    }
    item_help(_(
        "Each head is an independent attention pattern with its own W_Q, W_K and W_V. \"Mean of heads\" "
        "averages the weights of all heads of this layer: a quick summary, but no single head computed it."));
    same_line_if_fits(labelled_width(w, _("colours")));
    ImGui::SetNextItemWidth(w);
    const char* contrast_names[] = {k_contrast_names[0], _(k_contrast_names[1]), _(k_contrast_names[2])};
    ImGui::Combo(_("colours"), &ui.views.contrast, contrast_names, 3);
    item_help(
        _("How weights map to colours. \"0 … 1\" is honest: the same colour always means the same weight. "
          "\"row max\" stretches every row so its strongest key is brightest (good for seeing where each "
          "token looks most, but rows can no longer be compared). \"matrix max\" stretches the whole map "
          "to its largest weight."));
}

// The hover card of one cell: the dot product term by term, the scale, the bias, the score and the weight.
void draw_cell_card(const AppState& s, const DotTerms& t, int i, int j, int head) {
    ImGui::BeginTooltip();
    ImGui::Text(_("query \"%s\" (token %d)  →  key \"%s\" (token %d), head %d"),
                s.tokens[static_cast<std::size_t>(i)].c_str(), i,
                s.tokens[static_cast<std::size_t>(j)].c_str(), j, head + 1);
    ImGui::Separator();
    if (t.masked) {
        ImGui::TextUnformatted(_("Masked: this query is not allowed to see this key."));
        ImGui::TextDisabled(_("score = -∞, so exp(score) = 0 and the weight is exactly 0."));
        ImGui::EndTooltip();
        return;
    }
    const int d_head = static_cast<int>(t.products.size());
    ImGui::Text(_("q·k = Σ q_d k_d over %d dimensions:"), d_head);
    VectorBarsStyle bars;
    bars.width = ImGui::GetFontSize() * 22.0f;
    bars.height = ImGui::GetFontSize() * 3.0f;
    bars.dim_prefix = "";
    draw_vector_bars("terms", t.products.data(), d_head, bars);
    // the terms themselves: all of them when few, else the largest by size
    std::vector<int> order(static_cast<std::size_t>(d_head));
    std::iota(order.begin(), order.end(), 0);
    const int shown = std::min(d_head, 8);
    if (d_head > shown)
        std::partial_sort(order.begin(), order.begin() + shown, order.end(), [&](int a, int b) {
            return std::fabs(t.products[static_cast<std::size_t>(a)]) >
                   std::fabs(t.products[static_cast<std::size_t>(b)]);
        });
    for (int k = 0; k < shown; ++k) {
        const int d = order[static_cast<std::size_t>(k)];
        if (k % 4) ImGui::SameLine(ImGui::GetFontSize() * 6.5f * static_cast<float>(k % 4));
        ImGui::Text("[%d] %s", d, format_number(t.products[static_cast<std::size_t>(d)], 3).c_str());
    }
    if (d_head > shown) ImGui::TextDisabled(_("… and %d smaller terms (see the bars)"), d_head - shown);
    ImGui::Text(_("sum        q·k   = %s"), format_number(t.dot, 4).c_str());
    ImGui::Text(_("× scale          %.4f   (1/√d_head ÷ temperature)"), static_cast<double>(t.scale));
    if (t.bias != 0.0f)
        ImGui::Text(_("+ ALiBi bias      %s   (farther keys are penalised)"),
                    format_number(t.bias, 4).c_str());
    ImGui::Text(_("= score          %s"), format_number(t.score, 4).c_str());
    ImGui::Text(_("softmax → weight %.4f  (%.1f%% of this row's attention)"), static_cast<double>(t.weight),
                100.0 * static_cast<double>(t.weight));
    ImGui::EndTooltip();
}

// GLFW key codes (ImGui 1.86 indexes its keys by them): = and + share a key, - and the keypad's + and -.
constexpr int k_key_equal = 61, k_key_minus = 45, k_key_kp_add = 334, k_key_kp_subtract = 333, k_key_f = 70,
              k_key_0 = 48;

// Keyboard zoom and pan while the heatmap has focus: + and - about the centre, arrows move a tenth of
// the window, F or 0 fits the whole map.
void zoom_keys(MapZoom& z, int n) {
    if (!ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows) || ImGui::GetIO().WantTextInput) return;
    if (ImGui::GetIO().KeyCtrl || ImGui::GetIO().KeyAlt) return; // the app's shortcuts
    const float top = max_map_zoom(n), span = 1.0f / z.zoom;
    const float cu = z.u0 + 0.5f * span, cv = z.v0 + 0.5f * span;
    const auto pressed = [](int k) { return ImGui::IsKeyPressed(k); };
    if (pressed(k_key_equal) || pressed(k_key_kp_add)) zoom_map_at(z, 1.5f, cu, cv, top);
    if (pressed(k_key_minus) || pressed(k_key_kp_subtract)) zoom_map_at(z, 1.0f / 1.5f, cu, cv, top);
    if (pressed(k_key_f) || pressed(k_key_0)) z = MapZoom{};
    const float step = 0.1f * span;
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) pan_map(z, -step, 0, top);
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) pan_map(z, step, 0, top);
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) pan_map(z, 0, -step, top);
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) pan_map(z, 0, step, top);
}

// Orange that stays readable on the light theme's white as well as on the dark themes.
ImVec4 note_colour() {
    const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
    const bool light = 0.2126f * bg.x + 0.7152f * bg.y + 0.0722f * bg.z > 0.5f;
    return light ? ImVec4(0.60f, 0.30f, 0.0f, 1.0f) : ImVec4(1.0f, 0.72f, 0.3f, 1.0f);
}

// The line above the map: zoom, which rows are on screen, how labels are thinned, the fit button, and
// the note when the colours are stretched per row.
void draw_zoom_bar(PanelContext& ctx, int n, bool auto_rows) {
    LongInputUi& li = ctx.ui.long_input;
    MapZoom& z = li.heatmap_zoom;
    zoom_keys(z, n);
    clamp_map_zoom(z, max_map_zoom(n));
    if (ImGui::SmallButton(_("Fit"))) z = MapZoom{};
    item_help(_("Show the whole map again (F). Zoom with the mouse wheel over the map (it zooms about the "
                "cursor) or + and -; drag the map or use the arrow keys to move around. Zoom in until each "
                "token has its label."));
    ImGui::SameLine();
    if (ImGui::SmallButton("+"))
        zoom_map_at(z, 1.5f, z.u0 + 0.5f / z.zoom, z.v0 + 0.5f / z.zoom, max_map_zoom(n));
    ImGui::SameLine();
    if (ImGui::SmallButton("-"))
        zoom_map_at(z, 1.0f / 1.5f, z.u0 + 0.5f / z.zoom, z.v0 + 0.5f / z.zoom, max_map_zoom(n));
    ImGui::SameLine();
    const CellRange rows = li.heatmap_shown_rows;
    if (z.zoom > 1.0f && rows.last > rows.first)
        ImGui::Text(_("zoom %.0f×: rows %d–%d of %d"), static_cast<double>(z.zoom), rows.first, rows.last - 1,
                    n);
    else
        ImGui::Text("%d × %d", n, n);
    if (li.heatmap_label_stride > 1) {
        char every[96];
        std::snprintf(every, sizeof every, _("· every %d%s token labelled"), li.heatmap_label_stride,
                      li.heatmap_label_stride == 2   ? C_("ordinal 2nd", "nd")
                      : li.heatmap_label_stride == 3 ? C_("ordinal 3rd", "rd")
                                                     : C_("ordinal 4th", "th"));
        same_line_if_fits(text_width(every));
        ImGui::TextDisabled("%s", every);
        item_help(_("There are more tokens on screen than labels fit, so only some are named. Zoom in (wheel "
                    "or +) to read them all; hover any cell for its two tokens."));
    }
    if (n >= k_auto_row_tokens && ctx.ui.views.contrast == 0) {
        ImGui::Checkbox("##autorows", &li.heatmap_auto_rows);
        item_help(
            _("With many tokens each weight is small (a row's weights share 1 between all its keys), so "
              "the honest 0 … 1 colours are almost all dark. Ticked, each row is stretched to its own "
              "strongest key: where every token looks most stands out, but rows can no longer be "
              "compared with each other. Untick for the honest colours."));
        ImGui::SameLine();
        // wrapped beside the box: presentation text at 1280×800 ran past the pane's edge
        ImGui::PushStyleColor(ImGuiCol_Text,
                              auto_rows ? note_colour() : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", auto_rows
                                     ? _("long input: each row coloured to its own max (rows not comparable)")
                                     : _("stretch each row to its max (honest 0 … 1 colours now)"));
        ImGui::PopStyleColor();
    }
}

} // namespace

void draw_heatmap_panel(PanelContext& ctx) {
    const AppState& s = ctx.state;
    UiState& ui = ctx.ui;
    const ForwardResult& fwd = ctx.derived.forward;
    if (s.tokens.empty() || fwd.layers.empty()) {
        if (!ctx.derived.error.empty()) {
            ImGui::TextWrapped("%s", i18n::text(ctx.derived.error).c_str());
            return;
        }
        ImGui::TextDisabled(_("Nothing to show yet."));
        ImGui::TextWrapped(
            _("Type a sentence in the Tokens panel: each row of this map will show where one token "
              "looks, and each column how much it is looked at."));
        return;
    }
    ui.selected_layer = std::clamp(ui.selected_layer, 0, s.config.n_layers - 1);
    ui.selected_head = std::clamp(ui.selected_head, 0, s.config.n_heads - 1);
    draw_model_banner(ctx);
    ui.views.contrast = std::clamp(ui.views.contrast, 0, 2);
    const LayerResult& layer = fwd.layers[static_cast<std::size_t>(ui.selected_layer)];
    const HeadResult& head = layer.heads[static_cast<std::size_t>(ui.selected_head)];
    const bool mean = ui.mean_over_heads;

    draw_selectors(ctx);
    if (!mean) draw_head_badge(ctx, ui.selected_head); // its colour, and which heads share its K/V
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    item_help(
        _("Row i shows how token i (the query: \"what am I looking for?\") spreads its attention over all "
          "tokens (the keys: \"what do I contain?\"). Each row is a softmax, so it sums to 1. Bright = "
          "strong attention. Hatched cells are masked: that token is not allowed to look there.\n\n"
          "Hover a cell to see its score rebuilt from the query·key dot product. Click a row to follow that "
          "token in every view.\n\nThe weights here are random (seeded), so the pattern is not yet "
          "meaningful: it shows the mechanism, not what a trained model has learned."));
    if (!mean && !s.head_on(ui.selected_layer, ui.selected_head)) {
        ImGui::SameLine();
        ImGui::TextColored(text_tones().warning, _("head switched off"));
        item_help(
            _("This head still computes its weights (shown), but its output is zeroed before W_O, so it "
              "changes nothing downstream. Switch it back on in the Model panel."));
    }

    // long inputs: each row's weights are about 1/n, so honest 0 … 1 colours are one flat purple; the
    // colours then stretch each row to its own strongest key, said in the toolbar below
    LongInputUi& li = ui.long_input;
    const int n_rows = static_cast<int>(weights_of(head).rows());
    const bool auto_rows = ui.views.contrast == 0 && li.heatmap_auto_rows && n_rows >= k_auto_row_tokens;
    const int shown_contrast = auto_rows ? static_cast<int>(Contrast::Row) : ui.views.contrast;
    const auto contrast = static_cast<Contrast>(shown_contrast);
    const std::uint64_t key = mix_seed(
        mix_seed(s.revision, static_cast<std::uint64_t>(ui.selected_layer * 4096 + ui.selected_head)),
        static_cast<std::uint64_t>(shown_contrast * 2 + (mean ? 1 : 0)));
    HeatmapValuesCache& cache = ui.views.heatmap;
    if (cache.key != key) {
        cache.mean = mean ? mean_over_heads(layer) : HeadMean{};
        cache.values = mean ? masked_weights(cache.mean.scores, cache.mean.weights)
                            : masked_weights(head.scores, weights_of(head));
        cache.top_value = apply_contrast(cache.values, n_rows, n_rows, contrast);
        cache.key = key;
    }
    const Matrix& scores = mean ? cache.mean.scores : head.scores; // (n, n)
    const ConstMatrixMap weights = mean ? ConstMatrixMap(cache.mean.weights.data(), cache.mean.weights.rows(),
                                                         cache.mean.weights.cols())
                                        : weights_of(head); // (n, n)
    const int n = static_cast<int>(weights.rows());
    const float top_value = cache.top_value;
    draw_zoom_bar(ctx, n, auto_rows);

    char top_label[32];
    if (contrast == Contrast::Row)
        std::snprintf(top_label, sizeof top_label, _("row max"));
    else
        std::snprintf(top_label, sizeof top_label, "%.2f", static_cast<double>(top_value));
    HeatmapImage img{cache.values.data(), n, n, 0.0f, 1.0f, 1};
    HeatmapStyle style;
    const bool marked = ctx.derived.token_labels.size() == s.tokens.size(); // unknown words end in "*"
    style.row_labels = marked ? &ctx.derived.token_labels : &s.tokens;
    style.col_labels = style.row_labels;
    style.highlight_row = ui.selected_query;
    style.reserve_right = colorbar_width(top_label, "0") + 16.0f;
    style.zoom = &li.heatmap_zoom;
    const std::uint64_t width_key =
        mix_seed(s.revision, static_cast<std::uint64_t>(ImGui::GetFontSize() * 64.0f) + (marked ? 1u : 0u));
    if (li.label_width_key != width_key) {
        li.label_width = widest_label(*style.row_labels);
        li.label_width_key = width_key;
    }
    style.label_width = li.label_width;
    const float reserve = ImGui::GetTextLineHeightWithSpacing() * 1.6f;
    ImGui::BeginChild("##map", ImVec2(0, -reserve), false, ImGuiWindowFlags_NoScrollbar);
    const HeatmapResult r = draw_heatmap("weights", ctx.textures, key, img, style);
    const ImVec2 after = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(r.image_max.x + 14.0f, r.image_min.y));
    draw_colorbar("legend", r.image_max.y - r.image_min.y, top_label, "0", true);
    item_help(
        _("Colour scale of the weights. A masked cell is hatched grey: its weight is exactly 0 because the "
          "mask forbids it, which is different from a weight that is merely small."));
    ImGui::SetCursorScreenPos(after);
    ImGui::EndChild();
    if (r.minimap_max.x > r.minimap_min.x) record_region(ui, "heatmap_minimap", r.minimap_min, r.minimap_max);
    record_region(ui, "heatmap_row_labels", r.row_labels_min, r.row_labels_max);
    li.heatmap_shown_rows = r.rows_shown;
    li.heatmap_label_stride = r.label_stride;
    record_region(ui, "heatmap", r.image_min, r.image_max);
    if (r.clicked.row >= 0) ui.selected_query = r.clicked.row == ui.selected_query ? -1 : r.clicked.row;

    if (r.hovered.row >= 0) {
        const int i = r.hovered.row, j = r.hovered.col;
        const auto si = static_cast<std::size_t>(i), sj = static_cast<std::size_t>(j);
        if (mean) {
            ImGui::BeginTooltip();
            ImGui::Text(_("\"%s\" → \"%s\": mean weight %.4f"), s.tokens[si].c_str(), s.tokens[sj].c_str(),
                        static_cast<double>(weights(i, j)));
            for (int h = 0; h < s.config.n_heads; ++h)
                ImGui::Text(_("  head %d: %.4f"), h + 1,
                            static_cast<double>(weights_of(layer.heads[static_cast<std::size_t>(h)])(i, j)));
            ImGui::TextDisabled(_("Pick one head to see its score built from q·k."));
            ImGui::EndTooltip();
        } else if (head.q.size() == 0) { // imported: weights only
            ImGui::BeginTooltip();
            ImGui::Text(_("\"%s\" → \"%s\", head %d: weight %.4f"), s.tokens[si].c_str(),
                        s.tokens[sj].c_str(), ui.selected_head + 1, static_cast<double>(weights(i, j)));
            ImGui::TextDisabled(_("Imported weights: the scores and the q·k behind them were not exported."));
            ImGui::EndTooltip();
        } else {
            draw_cell_card(s, dot_terms(s.config, head, ui.selected_head, i, j), i, j, ui.selected_head);
        }
        if (cell_overflowed(scores(i, j), weights(i, j)))
            ImGui::Text(
                _("\"%s\" → \"%s\": overflow (the score is beyond float32's range: lower the scale or "
                  "raise the temperature)"),
                s.tokens[si].c_str(), s.tokens[sj].c_str());
        else if (std::isinf(scores(i, j)))
            ImGui::Text(_("\"%s\" → \"%s\": masked"), s.tokens[si].c_str(), s.tokens[sj].c_str());
        else
            ImGui::Text(_("\"%s\" → \"%s\": weight %.4f   score %s"), s.tokens[si].c_str(),
                        s.tokens[sj].c_str(), static_cast<double>(weights(i, j)),
                        mean ? _("(per head)") : format_number(scores(i, j), 4).c_str());
    } else if (ui.selected_query >= 0 && ui.selected_query < n) {
        ImGui::TextWrapped(_("Selected query: \"%s\" (row %d). Click it again to clear."),
                           s.tokens[static_cast<std::size_t>(ui.selected_query)].c_str(), ui.selected_query);
    } else {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled(
            _("Hover a cell for how its score was computed; click a row to select that query token."));
        ImGui::PopTextWrapPos();
    }
}

} // namespace attn

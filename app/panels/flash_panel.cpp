// Flash panel: flash attention (Dao et al. 2022) swept tile by tile over the very Q, K, V of the selected
// layer and head — running max m, running sum l, the rescale factor, partial outputs converging, skipped
// tiles, memory held vs the n×n matrix, and the proof that the result equals naive attention. The trace and
// the timings are computed by the frame loop's Flash job (app/ui/jobs.hpp); this panel asks for the head
// and tile sizes it shows and draws what arrived.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/state/flash_view.hpp"
#include "app/widgets/flow.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/number_format.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/theme.hpp"
#include "core/cost.hpp"
#include "core/rng.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

namespace attn {

namespace {

std::string bytes_text(std::size_t b) {
    return format_bytes(static_cast<double>(b));
}

void keyboard(FlashPlayer& p, int n_steps) {
    if (!ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows) || ImGui::GetIO().WantTextInput) return;
    const auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k)); };
    if (pressed(ImGuiKey_RightArrow)) flash_step_forward(p, n_steps);
    if (pressed(ImGuiKey_LeftArrow)) flash_step_back(p, n_steps);
    if (pressed(ImGuiKey_Space)) flash_toggle_play(p, n_steps);
    if (pressed(ImGuiKey_Home)) flash_restart(p);
    if (pressed(ImGuiKey_End)) flash_go_last(p, n_steps);
}

void controls(FlashView& view, int n_tokens, int n_steps) {
    const int lo = min_flash_block(n_tokens), hi = std::max(lo, n_tokens);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4);
    ImGui::SliderInt(_("query rows / tile"), &view.block_q, lo, hi);
    item_help(_("How many query rows one tile holds. On a GPU a tile must fit in the fast on-chip memory, so "
                "real kernels use 64 or 128; here they are small so you can watch each step. Only this view "
                "changes: the live model keeps its own tile size."));
    same_line_if_fits(labelled_width(ImGui::GetFontSize() * 4, _("key columns / tile")));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4);
    ImGui::SliderInt(_("key columns / tile"), &view.block_k, lo, hi);
    item_help(
        _("How many keys (and their values) one tile reads at a time. Each tile updates the running max "
          "and sum of its query rows, then its scores are thrown away."));

    FlashPlayer& p = view.player;
    if (ImGui::Button("|<")) flash_restart(p);
    item_help(_("Restart the sweep (Home)."));
    ImGui::SameLine();
    if (ImGui::Button("<")) flash_step_back(p, n_steps);
    item_help(_("One tile back (Left arrow). From the start it wraps to the end."));
    ImGui::SameLine();
    if (ImGui::Button(p.playing ? _("Pause") : _("Play"))) flash_toggle_play(p, n_steps);
    item_help(
        _("Play or pause the sweep (Space). Tiles are visited row block by row block, left to right, the "
          "order the algorithm uses."));
    ImGui::SameLine();
    if (ImGui::Button(">")) flash_step_forward(p, n_steps);
    item_help(_("One tile forward (Right arrow). From the end it wraps to the start."));
    ImGui::SameLine();
    if (ImGui::Button(">|")) flash_go_last(p, n_steps);
    item_help(_("Jump to the end of the sweep (End), where the result is compared with naive attention."));
    same_line_if_fits(labelled_width(ImGui::GetFontSize() * 6, _("tiles/s")));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::SliderFloat(_("tiles/s"), &p.tiles_per_second, 0.5f, 30.0f, "%.1f");
    item_help(_("Playback speed."));
    char tile[64];
    std::snprintf(tile, sizeof tile, _("   tile %d / %d"), p.steps_done, n_steps);
    same_line_if_fits(text_width(tile));
    ImGui::TextUnformatted(tile);
}

// The score grid with each tile veiled by its state: pending dark, done dimmed, skipped crossed, current
// framed.
void tile_grid(PanelContext& ctx, const FlashViewData& d, int steps_done, std::uint64_t key) {
    const int n = d.n_tokens;
    // the scores with masked cells as NaN, rebuilt only for a new trace (n² values: 4 M at 2,048 tokens)
    FlashGridCache& cache = ctx.ui.long_input.flash_grid;
    if (cache.key != key || cache.values.size() != static_cast<std::size_t>(d.scores.size())) {
        cache.values.resize(static_cast<std::size_t>(d.scores.size()));
        float lo = std::numeric_limits<float>::infinity(), hi = -lo;
        for (Eigen::Index i = 0; i < d.scores.size(); ++i) {
            const float s = d.scores.data()[i];
            cache.values[static_cast<std::size_t>(i)] =
                std::isinf(s) ? std::numeric_limits<float>::quiet_NaN() : s;
            if (!std::isinf(s)) lo = std::min(lo, s), hi = std::max(hi, s);
        }
        if (!(hi > lo)) lo = 0, hi = 1;
        cache.lo = lo, cache.hi = hi, cache.key = key;
    }
    const std::vector<float>& values = cache.values;
    const float lo = cache.lo, hi = cache.hi;
    HeatmapImage img{values.data(), n, n, lo, hi, 1};
    HeatmapStyle style;
    style.row_labels = &ctx.state.tokens;
    style.col_labels = &ctx.state.tokens;
    style.highlight_row = ctx.ui.selected_query;
    const HeatmapResult r = draw_heatmap("flash_scores", ctx.textures, key, img, style);
    record_region(ctx.ui, "flash_grid", r.image_min, r.image_max);
    if (r.clicked.row >= 0)
        ctx.ui.selected_query = r.clicked.row == ctx.ui.selected_query ? -1 : r.clicked.row;

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cw = (r.image_max.x - r.image_min.x) / static_cast<float>(n);
    const float ch = (r.image_max.y - r.image_min.y) / static_cast<float>(n);
    const auto corner = [&](int row, int col) {
        return ImVec2(r.image_min.x + cw * static_cast<float>(col),
                      r.image_min.y + ch * static_cast<float>(row));
    };
    // Tiles of one state next to each other in a row of tiles are veiled by one rectangle, and the tile
    // borders are drawn as grid lines: a 64 × 64 sweep is a few hundred shapes, not 4,096 of each.
    const auto veil = [&](const FlashTileStep& s, int idx) -> ImU32 {
        if (s.skipped) return IM_COL32(70, 70, 78, 200);
        if (idx >= steps_done) return IM_COL32(14, 14, 18, 215);    // not computed yet
        if (idx < steps_done - 1) return IM_COL32(14, 14, 18, 110); // computed, used, thrown away
        return 0;
    };
    const auto& steps = d.trace.steps;
    const bool crosses = !steps.empty() && cw * static_cast<float>(steps[0].k_end - steps[0].k_begin) >= 8.0f;
    std::vector<int> row_lines, col_lines;
    for (std::size_t i = 0; i < steps.size();) {
        const FlashTileStep& s0 = steps[i];
        const ImU32 col = veil(s0, static_cast<int>(i));
        std::size_t j = i + 1;
        while (j < steps.size() && steps[j].q_begin == s0.q_begin && steps[j].k_begin == steps[j - 1].k_end &&
               veil(steps[j], static_cast<int>(j)) == col)
            ++j;
        const ImVec2 a = corner(s0.q_begin, s0.k_begin), b = corner(s0.q_end, steps[j - 1].k_end);
        if (col) dl->AddRectFilled(a, b, col);
        for (std::size_t t = i; t < j; ++t) {
            const FlashTileStep& s = steps[t];
            if (s.skipped && crosses) {
                const ImVec2 ta = corner(s.q_begin, s.k_begin), tb = corner(s.q_end, s.k_end);
                dl->AddLine(ta, tb, IM_COL32(150, 150, 160, 160));
                dl->AddLine(ImVec2(ta.x, tb.y), ImVec2(tb.x, ta.y), IM_COL32(150, 150, 160, 160));
            }
            row_lines.push_back(s.q_begin), row_lines.push_back(s.q_end);
            col_lines.push_back(s.k_begin), col_lines.push_back(s.k_end);
        }
        i = j;
    }
    for (std::vector<int>* v : {&row_lines, &col_lines}) {
        std::sort(v->begin(), v->end());
        v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    const ImU32 grid = IM_COL32(200, 200, 210, 90);
    for (const int q : row_lines)
        dl->AddLine(corner(q, 0), corner(q, n), grid);
    for (const int k : col_lines)
        dl->AddLine(corner(0, k), corner(n, k), grid);
    if (steps_done > 0) {
        const FlashTileStep& s = d.trace.steps[static_cast<std::size_t>(steps_done - 1)];
        const ImVec2 a = corner(s.q_begin, s.k_begin), b = corner(s.q_end, s.k_end);
        dl->AddRect(a, b, IM_COL32(255, 196, 40, 255), 0.0f, 0, 3.0f);
        record_region(ctx.ui, "flash_tile", a, b);
    }
    if (r.hovered.row >= 0) {
        const float s = d.scores(r.hovered.row, r.hovered.col);
        ImGui::BeginTooltip();
        if (std::isinf(s))
            ImGui::TextUnformatted(_("masked: this query may not see this key"));
        else
            ImGui::Text(_("score %.4f (query %d, key %d)"), static_cast<double>(s), r.hovered.row + 1,
                        r.hovered.col + 1);
        ImGui::EndTooltip();
    }
}

void row_table(PanelContext& ctx, const FlashViewData& d, int steps_done) {
    const auto& steps = d.trace.steps;
    const FlashTileStep* cur = steps_done > 0 ? &steps[static_cast<std::size_t>(steps_done - 1)] : nullptr;
    if (!cur) {
        ImGui::TextWrapped(
            _("Before the first tile every row has m = -inf, l = 0 and an empty output. Press Right "
              "or Play."));
        return;
    }
    ImGui::Text(_("Tile: queries %d-%d x keys %d-%d"), cur->q_begin + 1, cur->q_end, cur->k_begin + 1,
                cur->k_end);
    if (cur->skipped) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped(
            _("Skipped: the mask hides every key of this tile from these queries, so nothing is "
              "computed and m, l and the output stay as they were."));
        ImGui::PopStyleColor();
    }
    ImGui::TextUnformatted(_("Running state of this tile's query rows"));
    help_marker(
        _("m is the largest score seen so far in the row, l the sum of exp(score - m) over the keys seen "
          "so far. When a tile brings a larger score, everything kept so far was scaled for the old m, so "
          "l and the partial output are multiplied by exp(m_old - m_new) (< 1) before the new tile is "
          "added. The last column is the distance between the partial output acc / l and the final "
          "output: it reaches 0 when the row's last tile is done."));
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY;
    const float h = ImGui::GetTextLineHeightWithSpacing() *
                    (static_cast<float>(std::min(cur->q_end - cur->q_begin, 8)) + 1.5f);
    if (!ImGui::BeginTable("rows", 5, flags, ImVec2(0, h))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const char* c : {_("query"), "m", "l", _("rescale"), _("to final")})
        ImGui::TableSetupColumn(c);
    ImGui::TableHeadersRow();
    for (int row = cur->q_begin; row < cur->q_end; ++row) {
        const FlashRowState st = flash_row_state(d.trace, steps_done, row, d.d_head);
        ImGui::TableNextRow();
        if (row == ctx.ui.selected_query)
            ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, IM_COL32(90, 70, 20, 160));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(ctx.state.tokens[static_cast<std::size_t>(row)].c_str());
        ImGui::TableNextColumn();
        if (std::isinf(st.m))
            ImGui::TextDisabled(_("-inf"));
        else
            ImGui::Text("%.3f", static_cast<double>(st.m));
        ImGui::TableNextColumn();
        ImGui::Text("%.4f", static_cast<double>(st.l));
        ImGui::TableNextColumn();
        if (st.rescaled && !cur->skipped)
            ImGui::TextColored(text_tones().warning, _("x %.4f"), static_cast<double>(st.rescale));
        else
            ImGui::TextDisabled("-");
        ImGui::TableNextColumn();
        if (st.finished)
            ImGui::TextColored(text_tones().good, _("done"));
        else if (st.l > 0.0f)
            ImGui::Text("%.3g", static_cast<double>((st.partial - d.naive_output.row(row)).norm()));
        else
            ImGui::TextDisabled(_("nothing seen"));
    }
    ImGui::EndTable();
}

// Two bars on one scale, naive's score matrix and the bytes flash holds now; then both against n with the
// crossover marked, and the sentence that explains why a tile costs more than the matrix on a short text.
void memory_and_proof(PanelContext& ctx, const FlashViewData& d, int steps_done, int block_q, int block_k) {
    const int n_steps = static_cast<int>(d.trace.steps.size());
    const std::size_t naive = naive_score_bytes(d.n_tokens);
    std::size_t now = 0;
    if (steps_done > 0)
        now = flash_tile_bytes(d.trace.steps[static_cast<std::size_t>(steps_done - 1)], d.d_head);
    const auto tile =
        static_cast<double>(cost::flash_full_tile_bytes(d.n_tokens, block_q, block_k, d.d_head));
    const std::int64_t cross = cost::flash_memory_crossover(block_q, block_k, d.d_head);
    ImGui::Separator();
    ImGui::TextUnformatted(_("Memory of this head"));
    help_marker(
        _("Naive attention writes the whole n x n score matrix for every head: 4·n² bytes in fp32, which "
          "grows with the square of the text (64 MiB per head at 4096 tokens). Flash attention only holds "
          "one tile: its scores, the query rows, the key and value rows it reads, the partial outputs and "
          "the m and l vectors. Once the text is longer than a tile, that does not depend on n at all."));
    const double largest = std::max({static_cast<double>(naive), static_cast<double>(now), tile, 1.0});
    const float label_w = ImGui::GetFontSize() * 6.5f;
    const auto bar = [&](const char* label, double v, const std::string& text) {
        ImGui::TextUnformatted(label);
        ImGui::SameLine(label_w);
        ImGui::ProgressBar(static_cast<float>(v / largest), ImVec2(-1, 0), text.c_str());
    };
    bar(_("naive"), static_cast<double>(naive),
        bytes_text(naive) + "  (" + std::to_string(d.n_tokens) + " x " + std::to_string(d.n_tokens) +
            " scores)");
    bar(_("flash now"), static_cast<double>(now),
        bytes_text(now) + (steps_done == 0 ? _("  (not started)") : ""));
    char tiles[48];
    std::snprintf(tiles, sizeof tiles, "%d x %d", block_q, block_k);
    if (static_cast<std::int64_t>(d.n_tokens) < cross)
        ImGui::TextWrapped(
            _("At %d tokens a %s tile holds more than the whole score matrix: besides its scores it keeps "
              "copies "
              "of its query, key and value rows, %d numbers each, and those outweigh %d x %d scores. From "
              "%lld "
              "tokens on, naive holds more, and its share grows with n²."),
            d.n_tokens, tiles, d.d_head, d.n_tokens, d.n_tokens, static_cast<long long>(cross));
    else
        ImGui::TextWrapped(
            _("From %lld tokens on, a %s tile holds less than the score matrix; at %d tokens naive "
              "holds %.0f times as much, and the gap grows with n²."),
            static_cast<long long>(cross), tiles, d.n_tokens,
            static_cast<double>(naive) / std::max(1.0, tile));

    // both against n: naive rises as n², flash levels off at its full tile
    const double n_hi = static_cast<double>(std::max<std::int64_t>(2 * cross, 2 * d.n_tokens));
    PlotSpec spec;
    spec.x = {1, n_hi, plot::Scale::Linear, plot::Units::Tokens};
    spec.y = {0, static_cast<double>(cost::naive_head_score_bytes(static_cast<std::int64_t>(n_hi))),
              plot::Scale::Linear, plot::Units::Bytes};
    spec.x_label = _("tokens n");
    spec.y_label = _("bytes held");
    PlotSeries naive_s{_("naive: n x n scores"), {}, {}, IM_COL32(235, 80, 80, 255)};
    PlotSeries flash_s{_("flash: one tile"), {}, {}, IM_COL32(60, 170, 100, 255), true};
    for (int i = 0; i <= 48; ++i) {
        const auto n = static_cast<std::int64_t>(std::llround(1.0 + (n_hi - 1.0) * i / 48.0));
        naive_s.xs.push_back(static_cast<double>(n));
        naive_s.ys.push_back(static_cast<double>(cost::naive_head_score_bytes(n)));
        flash_s.xs.push_back(static_cast<double>(n));
        flash_s.ys.push_back(static_cast<double>(cost::flash_full_tile_bytes(n, block_q, block_k, d.d_head)));
    }
    spec.series = {naive_s, flash_s};
    spec.markers.push_back({static_cast<double>(cross), _("crossover ") + std::to_string(cross), 0});
    spec.markers.push_back({static_cast<double>(d.n_tokens), _("this text"), IM_COL32(150, 150, 160, 255)});
    spec.height = ImGui::GetTextLineHeight() * 9;
    const PlotResult pr = draw_plot("flash_memory", spec, &ctx.textures);
    record_region(ctx.ui, "flash_memory_plot", pr.min, pr.max);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled(
        _("At 4096 tokens: naive %s per head, flash still %s with these tiles."),
        bytes_text(naive_score_bytes(4096)).c_str(),
        format_bytes(static_cast<double>(cost::flash_full_tile_bytes(4096, block_q, block_k, d.d_head)))
            .c_str());
    ImGui::PopTextWrapPos();

    ImGui::Separator();
    if (steps_done < n_steps) {
        ImGui::TextDisabled(_("Finish the sweep to compare with naive attention (End)."));
    } else {
        ImGui::Text(_("Sweep done: max |flash - naive| = %.2e"), static_cast<double>(d.max_abs_diff));
        help_marker(
            _("The same numbers as the heatmap, computed without ever storing the n x n matrix. The tiny "
              "difference comes only from adding floating-point numbers in another order."));
        ImGui::TextDisabled(_("over all %d x %d output numbers"), d.n_tokens, d.d_head);
        const int row = std::clamp(ctx.ui.selected_query < 0 ? 0 : ctx.ui.selected_query, 0, d.n_tokens - 1);
        ImGui::Text(_("Output of \"%s\" (first dimensions):"),
                    ctx.state.tokens[static_cast<std::size_t>(row)].c_str());
        const int dims = std::min(d.d_head, 4);
        if (ImGui::BeginTable("proof", 1 + dims, ImGuiTableFlags_Borders)) {
            for (int pass = 0; pass < 2; ++pass) {
                const Matrix& m = pass == 0 ? d.flash_output : d.naive_output;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(pass == 0 ? _("flash") : _("naive"));
                for (int c = 0; c < dims; ++c) {
                    ImGui::TableNextColumn();
                    ImGui::Text("%.4f", static_cast<double>(m(row, c)));
                }
            }
            ImGui::EndTable();
        }
    }
    ImGui::Separator();
    ImGui::TextUnformatted(_("Time on this head, one call"));
    help_marker(
        _("Each implementation computes this head's attention again, and the mean time of one call is "
          "shown. The reference loops are written to be read, the matrix form uses fast matrix products, "
          "flash uses tiles. For a few tokens flash has little advantage: it wins on long texts, where "
          "the n x n matrix no longer fits in fast memory. The Model panel chooses which one the live view "
          "uses."));
    if (!d.timed) {
        ImGui::TextDisabled(_("timing..."));
    } else if (ImGui::BeginTable("times", 2, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
        const std::pair<Implementation, double> rows[] = {{Implementation::Reference, d.ms_reference},
                                                          {Implementation::Matrix, d.ms_matrix},
                                                          {Implementation::Flash, d.ms_flash}};
        for (const auto& [impl, ms] : rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const bool live = impl == ctx.state.config.implementation;
            ImGui::Text("%s%s", _(to_string(impl)), live ? _(" (live)") : "");
            ImGui::TableNextColumn();
            ImGui::Text(_("%.4f ms"), ms);
        }
        ImGui::EndTable();
    }
}

} // namespace

void draw_flash_panel(PanelContext& ctx) {
    const AppState& s = ctx.state;
    const ForwardResult& fwd = ctx.derived.forward;
    if (s.tokens.empty() || fwd.layers.empty()) {
        ImGui::TextDisabled(_("Nothing to show yet: type a sentence in the Tokens panel."));
        return;
    }
    draw_model_banner(ctx);
    UiState& ui = ctx.ui;
    const int layer = std::clamp(ui.selected_layer, 0, s.config.n_layers - 1);
    const int head = std::clamp(ui.selected_head, 0, s.config.n_heads - 1);
    const HeadResult& h = fwd.layers[static_cast<std::size_t>(layer)].heads[static_cast<std::size_t>(head)];
    const int n = static_cast<int>(h.q.rows());
    FlashView& view = ui.flash;
    const int lo = min_flash_block(n);
    // auto tile size: the model's, but small enough to give a few tiles per side on short texts
    const int auto_q = std::max(lo, std::min(s.config.flash_block_q, (n + 3) / 4));
    const int auto_k = std::max(lo, std::min(s.config.flash_block_k, (n + 3) / 4));
    view.block_q = std::clamp(view.block_q > 0 ? view.block_q : auto_q, lo, std::max(lo, n));
    view.block_k = std::clamp(view.block_k > 0 ? view.block_k : auto_k, lo, std::max(lo, n));

    ImGui::Text(_("Flash attention on layer %d, head %d: %d tokens"), layer + 1, head + 1, n);
    help_marker(
        _("Flash attention (Dao et al. 2022) never stores the n x n score matrix. It walks over tiles and "
          "keeps, for every query row, only the largest score so far (m), the sum of exp(score - m) so "
          "far (l) and a partial output. When a bigger score appears, the old sum and output are scaled "
          "down by exp(m_old - m_new), so at the end output = partial / l is exactly the softmax-weighted "
          "average: the same numbers as the heatmap."));
    const FlashViewKey key{s.revision, layer, head, view.block_q, view.block_k};
    ctx.requests.push_back(TraceFlash{key});
    // While the new trace is computed, the previous one stays on screen if it is of the same sentence
    // (another head or tile size): the sliders stay under the mouse while they are dragged.
    if (!view.has_data || view.data.key.revision != s.revision || view.data.n_tokens != n) {
        ImGui::TextDisabled(_("Tracing the sweep..."));
        return;
    }
    const FlashViewData& d = view.data;
    const int n_steps = static_cast<int>(d.trace.steps.size());
    keyboard(view.player, n_steps);
    flash_tick(view.player, static_cast<double>(ImGui::GetIO().DeltaTime), n_steps);
    controls(view, n, n_steps);
    ImGui::PushTextWrapPos(0.0f); // wraps where a language's words run past the panel
    ImGui::TextDisabled(
        _("%d tiles, %d skipped by the mask. Click a row to follow one query. Keys: Left/Right "
          "step, Space play, Home/End."),
        n_steps, d.skipped_tiles);
    ImGui::PopTextWrapPos();

    // The grid beside the tables; in a pane too narrow for both (a projector's 1280×800 in presentation
    // mode) the grid goes above them, at least twelve lines tall, instead of shrinking to a thumbnail.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float side = std::max(ImGui::GetFontSize() * 26, avail.x * 0.45f);
    const float min_grid = ImGui::GetFontSize() * 12.0f;
    const bool stacked = avail.x - side < min_grid;
    // stacked: the rest of the pane's height (the tables below scroll into view), at least twelve lines
    const ImVec2 grid_size = stacked ? ImVec2(avail.x, std::max(min_grid, std::min(avail.x, avail.y)))
                                     : ImVec2(avail.x - side, 0.0f);
    ImGui::BeginChild("##grid", grid_size, false,
                      ImGuiWindowFlags_NoScrollbar |
                          ImGuiWindowFlags_NoNavInputs); // arrow keys step the sweep
    const std::uint64_t tex_key = mix_seed(mix_seed(d.key.revision, 0xF1A5ull),
                                           static_cast<std::uint64_t>(d.key.layer * 1024 + d.key.head));
    tile_grid(ctx, d, view.player.steps_done, tex_key);
    ImGui::EndChild();
    if (!stacked) ImGui::SameLine();
    // stacked: the tables keep a readable height below the grid and the view scrolls down to them
    const float side_h =
        stacked ? std::max(ImGui::GetContentRegionAvail().y, ImGui::GetFontSize() * 22.0f) : 0.0f;
    ImGui::BeginChild("##side", ImVec2(0, side_h), false, ImGuiWindowFlags_NoNavInputs);
    row_table(ctx, d, view.player.steps_done);
    memory_and_proof(ctx, d, view.player.steps_done, d.key.block_q, d.key.block_k);
    ImGui::EndChild();
}

} // namespace attn

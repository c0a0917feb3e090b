// Scaling panel: why longer prompts cost more. FLOPs (attention, naive and flash, vs projections) and memory
// (naive scores vs flash working set vs KV cache) against sequence length, on log-log axes or on plain
// linear ones for a school class, tied to the current sentence, each figure shown with its formula, and a
// note when two curves lie on one another; and a live measurement of naive vs flash attention, run by the
// frame loop's measurement job (app/ui/jobs.hpp) when this panel asks.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/io/csv_export.hpp"
#include "app/state/measure_worker.hpp"
#include "app/widgets/flow.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/theme.hpp"
#include "core/cost.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace attn {

namespace {

// Line colours of middle lightness, visible on the dark and the light theme alike.
constexpr ImU32 k_attention_col = IM_COL32(230, 120, 20, 255);
constexpr ImU32 k_projection_col = IM_COL32(60, 140, 240, 255);
constexpr ImU32 k_naive_col = IM_COL32(215, 60, 60, 255);
constexpr ImU32 k_flash_col = IM_COL32(40, 165, 95, 255);
constexpr ImU32 k_mha_col = IM_COL32(150, 90, 230, 255);
constexpr ImU32 k_gqa_col = IM_COL32(30, 160, 170, 255);
constexpr ImU32 k_mqa_col = IM_COL32(185, 145, 0, 255);
constexpr double k_max_n = 131072;

std::string fmt(const char* f, double a, double b = 0, double c = 0, double d = 0, double e = 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, f, a, b, c, d, e);
    return buf;
}
std::string flops(double v) {
    return plot::format_value(v, plot::Units::Flops);
}
std::string bytes(double v) {
    return plot::format_value(v, plot::Units::Bytes);
}

// The n axis: log from 1 to 128k, or linear from 0 to a round length past the sentence and the crossover.
struct NAxis {
    bool linear = false;
    double hi = k_max_n;
};

NAxis n_axis(const PanelContext& ctx, const cost::Dims& d, double n_now) {
    const int mode = ctx.ui.cost.scaling_axes;
    NAxis a;
    a.linear = mode == 2 || (mode == 0 && ctx.ui.comfort.presentation);
    if (a.linear) a.hi = plot::round_up_125(std::max({4.0 * n_now, 1.2 * cost::crossover_tokens(d), 64.0}));
    return a;
}

// Whole token counts: on a log axis from 1 to 128k, about two per doubling; on a linear axis 64 even steps.
std::vector<double> sample_n(const NAxis& a) {
    std::vector<double> xs;
    if (a.linear) {
        for (int i = 0; i <= 64; ++i)
            xs.push_back(std::max(1.0, std::round(a.hi * i / 64.0)));
        xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
        return xs;
    }
    for (double n = 1; n <= k_max_n; n *= 1.414213562373095) {
        const double whole = std::round(n);
        if (xs.empty() || whole > xs.back()) xs.push_back(whole);
    }
    return xs;
}

plot::Axis x_axis(const NAxis& a) {
    return a.linear ? plot::Axis{0, a.hi, plot::Scale::Linear, plot::Units::Tokens}
                    : plot::Axis{1, k_max_n, plot::Scale::Log, plot::Units::Tokens};
}

// A linear y axis from 0 to just above the largest value drawn.
plot::Axis linear_y(const std::vector<PlotSeries>& series, plot::Units u) {
    double hi = 0;
    for (const auto& s : series)
        for (double y : s.ys)
            hi = std::max(hi, y);
    return {0, hi > 0 ? hi * 1.05 : 1.0, plot::Scale::Linear, u};
}

// A GQA layout to compare with: the current one if it is GQA, else a divisor of H near H/4 (0 = none).
int gqa_example(const cost::Dims& d) {
    if (d.n_kv_heads > 1 && d.n_kv_heads < d.n_heads) return d.n_kv_heads;
    int best = 0;
    for (int g = 2; g < d.n_heads; ++g)
        if (d.n_heads % g == 0 && (best == 0 || std::abs(g * 4 - d.n_heads) < std::abs(best * 4 - d.n_heads)))
            best = g;
    return best;
}

std::vector<PlotMarker> markers_for(double n_now, double crossover) {
    std::vector<PlotMarker> m;
    m.push_back({crossover, "2·d_model", IM_COL32(140, 140, 150, 255)});
    if (n_now >= 1) m.push_back({n_now, _("your sentence"), 0});
    return m;
}

void draw_flops(PanelContext& ctx, const cost::Dims& d, double n_now) {
    const NAxis na = n_axis(ctx, d, n_now);
    const ModelConfig& cfg = ctx.state.config;
    PlotSpec spec;
    spec.x = x_axis(na);
    spec.y = {1e3, 1e16, plot::Scale::Log, plot::Units::Flops};
    spec.x_label = _("sequence length n");
    spec.y_label = _("FLOPs per layer");
    PlotSeries att{_("attention, naive (QKᵀ, softmax, weights·V)"), {}, {}, k_attention_col};
    PlotSeries fl{_("attention, flash"), {}, {}, k_flash_col, true};
    PlotSeries proj{_("projections (Q, K, V, O)"), {}, {}, k_projection_col};
    for (double n : sample_n(na)) {
        const cost::LayerFlops f = cost::prompt_flops(d, n);
        const double pairs = cost::flash_pairs(static_cast<std::int64_t>(n), cfg.mask, cfg.window,
                                               cfg.flash_block_q, cfg.flash_block_k);
        att.xs.push_back(n), att.ys.push_back(f.attention());
        fl.xs.push_back(n), fl.ys.push_back(cost::layer_flops(d, n, pairs).attention());
        proj.xs.push_back(n), proj.ys.push_back(f.projections());
    }
    spec.series = {att, fl, proj};
    if (na.linear) spec.y = linear_y(spec.series, plot::Units::Flops);
    const double cross = cost::crossover_tokens(d);
    spec.markers = markers_for(n_now, cross);
    if (na.linear && cross > na.hi) spec.markers.erase(spec.markers.begin());
    const PlotResult r = draw_plot("flops", spec, &ctx.textures);
    record_region(ctx.ui, "scaling_flops_plot", r.min, r.max);
    if (plot::curves_coincide(att.ys, fl.ys))
        ImGui::TextWrapped(
            _("Naive and flash attention lie on one curve: flash does the same arithmetic in tiles. "
              "It saves memory (below), not FLOPs."));
    else
        ImGui::TextWrapped(
            _("Flash lies below naive: with this mask it skips the tiles no query may see, while "
              "naive computes every score and masks it afterwards."));

    const cost::LayerFlops f = cost::prompt_flops(d, std::max(1.0, n_now));
    const double n = std::max(1.0, n_now);
    swatch_text(k_attention_col, _("attention = ") + flops(f.attention()) + " FLOPs");
    help_marker(_(
        "Every token compares itself with every token: n² query-key pairs per head. Each pair costs a dot "
        "product of length d_head (QKᵀ), about 5 operations in the softmax, and a weighted add of a value "
        "vector of length d_head. Doubling n doubles both sides of the n × n grid, so the work quadruples."));
    ImGui::TextDisabled("%s", fmt(_("  = 4·H·n²·d_head + 5·H·n² = 4·%g·%g²·%g + 5·%g·%g²"), d.n_heads, n,
                                  d.d_head, d.n_heads, n)
                                  .c_str());
    swatch_text(k_projection_col, _("projections = ") + flops(f.projections()) + " FLOPs");
    help_marker(
        _("Each token is multiplied by the weight matrices W_Q, W_K, W_V and W_O once, whatever the other "
          "tokens are. That is linear in n: twice the tokens, twice the work."));
    ImGui::TextDisabled("%s", fmt(_("  = 2·n·d_model·(2·H + 2·H_kv)·d_head = 2·%g·%g·(2·%g + 2·%g)·%g"), n,
                                  d.d_model, d.n_heads, d.n_kv_heads, d.d_head)
                                  .c_str());
    ImGui::Text(_("The two are equal near n = 2·d_model = %s tokens"),
                plot::format_value(cross, plot::Units::Plain).c_str());
    help_marker(_("With H·d_head = d_model the projections cost 8·n·d_model² and the two attention products "
                  "4·n²·d_model; they meet where n = 2·d_model. Shorter prompts are dominated by the weight "
                  "matrices, longer ones by attention itself."));
}

void draw_memory(PanelContext& ctx, const cost::Dims& d, double n_now) {
    const int gqa = gqa_example(d);
    const ModelConfig& cfg = ctx.state.config;
    const NAxis na = n_axis(ctx, d, n_now);
    PlotSpec spec;
    spec.x = x_axis(na);
    spec.y = {64, double(1ull << 44), plot::Scale::Log, plot::Units::Bytes};
    spec.x_label = _("sequence length n");
    spec.y_label = _("bytes (fp32)");
    PlotSeries naive{_("naive score matrices, one layer"), {}, {}, k_naive_col};
    PlotSeries flash{_("flash attention working set"), {}, {}, k_flash_col};
    PlotSeries mha{fmt(_("KV cache, MHA (%g KV heads)"), d.n_heads), {}, {}, k_mha_col, true};
    PlotSeries gq{fmt(_("KV cache, GQA (%g KV heads)"), gqa), {}, {}, k_gqa_col, true};
    PlotSeries mq{_("KV cache, MQA (1 KV head)"), {}, {}, k_mqa_col, true};
    const double flash_bytes = cost::flash_working_bytes(d, cfg.flash_block_q, cfg.flash_block_k);
    for (double n : sample_n(na)) {
        naive.xs.push_back(n), naive.ys.push_back(cost::naive_score_bytes(d, n, n));
        flash.xs.push_back(n), flash.ys.push_back(flash_bytes);
        const auto t = static_cast<std::int64_t>(n);
        mha.xs.push_back(n), mha.ys.push_back(double(cost::kv_cache_bytes(cost::with_kv_heads(d, d.n_heads),
                                                                          t, 1, cost::Precision::Fp32)));
        gq.xs.push_back(n), gq.ys.push_back(double(cost::kv_cache_bytes(cost::with_kv_heads(d, gqa), t, 1,
                                                                        cost::Precision::Fp32)));
        mq.xs.push_back(n), mq.ys.push_back(double(cost::kv_cache_bytes(cost::with_kv_heads(d, 1), t, 1,
                                                                        cost::Precision::Fp32)));
    }
    spec.series = {naive, flash, mha};
    if (gqa > 0) spec.series.push_back(gq);
    if (d.n_heads > 1) spec.series.push_back(mq);
    if (na.linear) spec.y = linear_y(spec.series, plot::Units::Bytes);
    spec.markers = markers_for(n_now, cost::crossover_tokens(d));
    spec.markers.erase(spec.markers.begin()); // the FLOPs crossover means nothing for memory
    const PlotResult r = draw_plot("memory", spec, &ctx.textures);
    record_region(ctx.ui, "scaling_memory_plot", r.min, r.max);
    // curves a reader sees as one line get a word on why
    for (std::size_t i = 0; i < spec.series.size(); ++i)
        for (std::size_t j = i + 1; j < spec.series.size(); ++j)
            if (plot::curves_coincide(spec.series[i].ys, spec.series[j].ys))
                ImGui::TextWrapped(_("\"%s\" and \"%s\" lie on one line: %s"), spec.series[i].label.c_str(),
                                   spec.series[j].label.c_str(),
                                   i >= 2 ? _("this model has that many key/value heads already.")
                                          : _("at these lengths they hold the same bytes."));

    const double n = std::max(1.0, n_now);
    swatch_text(k_naive_col, _("naive scores = ") + bytes(cost::naive_score_bytes(d, n, n)));
    help_marker(
        _("Plain attention writes the whole n × n score matrix of every head to memory before the softmax. "
          "At 4096 tokens that is 64 MiB per head in fp32 — and it grows with n²."));
    ImGui::TextDisabled("%s", fmt(_("  = 4 bytes·H·n² = 4·%g·%g²"), d.n_heads, n).c_str());
    swatch_text(k_flash_col, _("flash working set = ") + bytes(flash_bytes));
    help_marker(
        _("Flash attention (Dao et al. 2022) walks over tiles of queries × keys and keeps only a running "
          "max and sum per query row, so it never stores the n × n matrix. It does the same FLOPs — the "
          "curve above does not move — but its extra memory stays flat whatever n is."));
    ImGui::TextDisabled("%s", fmt(_("  = 4 bytes·(B_q·B_k + B_q·d_head + 2·B_q) = 4·(%g·%g + %g·%g + 2·%g)"),
                                  cfg.flash_block_q, cfg.flash_block_k, cfg.flash_block_q, d.d_head,
                                  cfg.flash_block_q)
                                  .c_str());
    const auto kv_now = cost::kv_cache_bytes(d, static_cast<std::int64_t>(n), 1, cost::Precision::Fp32);
    swatch_text(d.n_kv_heads == d.n_heads ? k_mha_col
                : d.n_kv_heads == 1       ? k_mqa_col
                                          : k_gqa_col,
                std::string(_("KV cache (this model, ")) + attention_kind(d) +
                    ") = " + bytes(double(kv_now)));
    help_marker(
        _("When generating text a model keeps every earlier token's key and value rows so it never "
          "recomputes them. Only key/value heads count: GQA (Ainslie et al. 2023) lets groups of query "
          "heads share one, MQA (Shazeer 2019) lets all of them share a single one, shrinking this cache."));
    ImGui::TextDisabled(
        "%s", fmt(_("  = 2·L·H_kv·d_head·n·4 bytes = 2·%g·%g·%g·%g·4"), d.n_layers, d.n_kv_heads, d.d_head, n)
                  .c_str());
}

void draw_measurement(PanelContext& ctx) {
    CostViewsUi& cu = ctx.ui.cost;
    const MeasureSnapshot& snap = ctx.jobs.measure;
    ImGui::TextUnformatted(_("Naive vs flash attention, timed on this computer"));
    if (!snap.running) {
        if (ImGui::Button(_("Measure naive vs flash"))) ctx.requests.push_back(StartMeasure{8192, false});
        item_help(
            _("Runs one attention head of width d_head at n = 64, 128, … 8192 tokens, first the plain matrix "
              "form, then flash attention, on one core, and times each. The app stays usable meanwhile."));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        ImGui::SliderInt(_("memory budget (MiB)"), &cu.budget_mib, 16, 2048, "%d",
                         ImGuiSliderFlags_Logarithmic);
        item_help(_(
            "The naive form holds a scores and a weights matrix of n × n floats (8·n² bytes). Sizes needing "
            "more than this are skipped, which is exactly why long contexts need flash attention."));
    } else {
        ImGui::ProgressBar(static_cast<float>(snap.progress), ImVec2(ImGui::GetFontSize() * 16, 0),
                           snap.current.c_str());
        ImGui::SameLine();
        if (ImGui::Button(_("Cancel"))) ctx.requests.push_back(CancelMeasure{});
        item_help(_("Stops after the attention call that is running now."));
    }
    if (!cu.measure_message.empty())
        ImGui::TextColored(text_tones().warning, "%s", cu.measure_message.c_str());
    if (snap.cancelled) ImGui::TextDisabled(_("Cancelled; the sizes finished so far are shown."));
    for (const auto& note : snap.notes)
        ImGui::TextColored(text_tones().warning, "%s", note.c_str());
    if (snap.points.empty()) return;

    PlotSpec spec;
    spec.x = {32, 16384, plot::Scale::Log, plot::Units::Tokens};
    spec.y = {1e-6, 100, plot::Scale::Log, plot::Units::Seconds};
    spec.x_label = _("sequence length n");
    spec.y_label = _("seconds per head");
    spec.show_fit = cu.show_fit;
    PlotSeries naive{_("naive, measured"), {}, {}, k_naive_col, false, true, true};
    PlotSeries flash{_("flash, measured"), {}, {}, k_flash_col, false, true, true};
    for (const auto& p : snap.points) {
        if (!p.naive_skipped) naive.xs.push_back(p.n), naive.ys.push_back(p.naive_seconds);
        flash.xs.push_back(p.n), flash.ys.push_back(p.flash_seconds);
    }
    spec.series = {naive, flash};
    if (ctx.state.tokens.size() > 0)
        spec.markers.push_back({double(ctx.state.tokens.size()), _("your sentence")});
    const PlotResult r = draw_plot("measured", spec, &ctx.textures);
    record_region(ctx.ui, "scaling_measured_plot", r.min, r.max);
    ImGui::TextWrapped(
        "%s",
        _("Both forms do the same arithmetic, so on a CPU with large caches naive attention that reuses its "
          "buffers is only 1.1 to 1.7 times slower than flash at n = 2048 to 4096 (bench-attention on the "
          "two development machines); the naive curve here allocates its n x n matrices on every call, "
          "which adds time at large n. Flash's decisive win on a CPU is memory: the n x n matrix never "
          "exists. On a GPU the scores would travel through its slow main memory (HBM), which is where "
          "flash also wins big on time."));
    ImGui::Checkbox(_("fit slopes"), &cu.show_fit);
    item_help(
        _("Fits time = c · n^k through the measured points (a straight line on log-log axes). k near 2 means "
          "quadratic: doubling n quadruples the time. Small n are dominated by fixed overheads, so k can "
          "come out lower when only small sizes were measured."));
    for (const auto* s : {&naive, &flash}) {
        const plot::PowerFit f = plot::fit_power_law(s->xs, s->ys);
        if (f.ok) {
            char fit[160];
            std::snprintf(fit, sizeof fit, _("  %s: time ∝ n^%.2f"), s->label.c_str(), f.exponent);
            same_line_if_fits(text_width(fit));
            ImGui::TextUnformatted(fit);
        }
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    ImGui::InputText("##csv", &cu.csv_path);
    item_help(_(
        "Where the CSV file goes: a file name (written next to where the app was started) or a full path."));
    same_line_if_fits(button_width(_("Export CSV")));
    if (ImGui::Button(_("Export CSV"))) {
        const Message err = save_measurements_csv(cu.csv_path, snap.points);
        cu.measure_message = i18n::text(err.empty() ? message(N_("wrote %s"), cu.csv_path) : err);
    }
    item_help(
        _("Writes n, naive seconds, flash seconds, whether naive was skipped and the largest difference "
          "between the two outputs, one row per size — ready for a spreadsheet or pandas."));
    if (cu.measure_scroll && !snap.running) { // a script's measurement is done: bring its plot into view
        ImGui::SetScrollHereY(1.0f);
        cu.measure_scroll = false;
    }
}

} // namespace

void draw_scaling_panel(PanelContext& ctx) {
    const cost::Dims d = cost::dims_of(ctx.state.config);
    const double n_now = static_cast<double>(ctx.state.tokens.size());
    CostViewsUi& cu = ctx.ui.cost;
    cu.scaling_axes = std::clamp(cu.scaling_axes, 0, 2);
    const bool linear = n_axis(ctx, d, n_now).linear;
    ImGui::TextWrapped(
        _("One layer of this model (d_model %d, %s, %s, d_head %d) at every sequence length. The line "
          "marked \"your sentence\" is yours: %s."),
        d.d_model, i18n::format(P_("%d query head", "%d query heads", d.n_heads), int(d.n_heads)).c_str(),
        i18n::format(P_("%d key/value head", "%d key/value heads", d.n_kv_heads), int(d.n_kv_heads)).c_str(),
        d.d_head, i18n::format(P_("%d token", "%d tokens", n_now), static_cast<int>(n_now)).c_str());
    const char* const axes[] = {_("automatic"), _("log-log"), _("linear")};
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::Combo(_("axes"), &cu.scaling_axes, axes, 3);
    item_help(
        _("Linear axes draw n and the cost as they are: a straight line is linear work, a curve bending "
          "up is quadratic work. Log-log axes fit 1 to 128k tokens on one plot: each step right doubles "
          "n, and a power law becomes a straight line whose slope is the exponent (1 linear, 2 "
          "quadratic). Automatic is linear in presentation mode and log-log otherwise."));
    // beside the combo when it fits, else on its own line, wrapped at the pane's edge
    const char* reading = linear ? _("linear: a curve bending upward is quadratic work")
                                 : _("log-log: each step right doubles n; slope 2 is quadratic work");
    same_line_if_fits(text_width(reading));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", reading);
    ImGui::PopStyleColor();
    if (ImGui::CollapsingHeader(L_("Compute: FLOPs per layer", "compute"), ImGuiTreeNodeFlags_DefaultOpen))
        draw_flops(ctx, d, n_now);
    if (ImGui::CollapsingHeader(L_("Memory: scores, flash, KV cache", "memory"),
                                ImGuiTreeNodeFlags_DefaultOpen))
        draw_memory(ctx, d, n_now);
    if (ImGui::CollapsingHeader(L_("Measure: time it live", "measure"), ImGuiTreeNodeFlags_DefaultOpen))
        draw_measurement(ctx);
}

} // namespace attn

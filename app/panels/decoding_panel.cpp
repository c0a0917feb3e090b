// Decoding panel: the sentence generated one token at a time. The KV cache fills row by row (old rows
// reused, one new row per step), its bytes tick up per variant, and the per-step work grows linearly while
// recomputing the whole prompt without a cache would grow quadratically.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/plot.hpp"
#include "core/cost.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace attn {

namespace {

constexpr ImU32 k_reused_col = IM_COL32(70, 120, 190, 255);
constexpr ImU32 k_new_col = IM_COL32(255, 150, 60, 255);
constexpr ImU32 k_future_col = IM_COL32(90, 90, 100, 160);

std::string bytes(double v) {
    return plot::format_value(v, plot::Units::Bytes);
}
std::string flops(double v) {
    return plot::format_value(v, plot::Units::Flops);
}

// The cache as a grid: one row per token, a K and a V cell per key/value head. Rows before `step` are
// reused, row `step` is being written now, later rows are still to come.
struct CacheGridLayout {
    float label_w = 0, cell = 0, gap = 0;
    int heads = 0;
    float width() const { return label_w + static_cast<float>(heads) * (2 * cell + gap); }
};

CacheGridLayout cache_grid_layout(const std::vector<std::string>& tokens, int n_kv_heads) {
    const float line = ImGui::GetTextLineHeight();
    CacheGridLayout g;
    for (const auto& t : tokens)
        g.label_w = std::max(g.label_w, ImGui::CalcTextSize(t.c_str()).x);
    g.label_w = std::min(g.label_w, line * 8) + line * 0.6f;
    g.heads = std::min(n_kv_heads, 16);
    g.cell = line * 0.9f;
    g.gap = line * 0.6f;
    return g;
}

void draw_cache_grid(const std::vector<std::string>& tokens, int step, int n_kv_heads) {
    const float line = ImGui::GetTextLineHeight();
    const CacheGridLayout layout = cache_grid_layout(tokens, n_kv_heads);
    const float label_w = layout.label_w, cell = layout.cell, gap = layout.gap;
    const int heads = layout.heads;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    for (int g = 0; g < heads; ++g) {
        const float x = o.x + label_w + static_cast<float>(g) * (2 * cell + gap);
        char buf[16];
        std::snprintf(buf, sizeof buf, "h%d", g + 1);
        dl->AddText(ImVec2(x, o.y), dim, buf);
        dl->AddText(ImVec2(x, o.y + line), dim, _("K V"));
    }
    const float top = o.y + line * 2.2f;
    // only the rows inside the scrolled view are drawn (a long sentence has thousands)
    const float clip_top = dl->GetClipRectMin().y, clip_bottom = dl->GetClipRectMax().y;
    const int first = std::max(0, static_cast<int>((clip_top - top) / (cell + 2)) - 1);
    for (int i = first; i < static_cast<int>(tokens.size()); ++i) {
        const float y = top + static_cast<float>(i) * (cell + 2);
        if (y > clip_bottom) break;
        const ImU32 col = i < step ? k_reused_col : i == step ? k_new_col : 0;
        dl->AddText(ImVec2(o.x, y - 1), i <= step ? text : dim, tokens[static_cast<std::size_t>(i)].c_str());
        for (int g = 0; g < heads; ++g)
            for (int kv = 0; kv < 2; ++kv) {
                const float x =
                    o.x + label_w + static_cast<float>(g) * (2 * cell + gap) + static_cast<float>(kv) * cell;
                const ImVec2 a(x, y), b(x + cell - 2, y + cell);
                if (col)
                    dl->AddRectFilled(a, b, col);
                else
                    dl->AddRect(a, b, k_future_col);
            }
    }
    const float w = label_w + static_cast<float>(heads) * (2 * cell + gap);
    ImGui::Dummy(ImVec2(w, top - o.y + static_cast<float>(tokens.size()) * (cell + 2)));
    if (n_kv_heads > heads) ImGui::TextDisabled(_("(first 16 of %d key/value heads shown)"), n_kv_heads);
}

} // namespace

void draw_decoding_panel(PanelContext& ctx) {
    CostViewsUi& cu = ctx.ui.cost;
    const auto& tokens = ctx.state.tokens;
    const int n = static_cast<int>(tokens.size());
    if (n == 0) {
        ImGui::TextDisabled(
            _("Type a sentence in the Tokens panel: it will be generated here one token at a time."));
        return;
    }
    cu.decode_step = std::clamp(cu.decode_step, 0, n - 1);
    if (cu.decode_playing) {
        cu.decode_timer += ImGui::GetIO().DeltaTime;
        if (cu.decode_timer > 0.7f) {
            cu.decode_timer = 0;
            if (cu.decode_step + 1 < n)
                ++cu.decode_step;
            else
                cu.decode_playing = false;
        }
    }
    const int t = cu.decode_step; // tokens already cached; token t is the new one
    if (ImGui::Button(_("Restart"))) {
        cu.decode_step = 0;
        cu.decode_playing = false;
    }
    item_help(_("Back to the first token, with an empty cache."));
    ImGui::SameLine();
    ImGui::BeginDisabled(t + 1 >= n);
    if (ImGui::Button(_("Next token"))) ++cu.decode_step;
    ImGui::EndDisabled();
    item_help(_(
        "Generate one more token. Its query is compared with the keys of every earlier token — read from the "
        "cache, not recomputed — and its own key and value are appended as one new row."));
    ImGui::SameLine();
    if (ImGui::Button(cu.decode_playing ? _("Pause") : _("Play"))) {
        cu.decode_playing = !cu.decode_playing;
        if (t + 1 >= n) cu.decode_step = 0;
    }
    item_help(_("Steps through the sentence automatically, a little slower than one token per second."));

    ImGui::Text(_("Step %d of %d: \"%s\" is new"), t + 1, n, tokens[static_cast<std::size_t>(t)].c_str());
    help_marker(
        _("A decoder writes text left to right. At each step only the newest token needs a query; the keys "
          "and values of the earlier tokens never change, so they are kept in the KV cache and reused."));
    swatch_text(k_reused_col, std::to_string(t) + (t == 1 ? _(" row reused") : _(" rows reused")));
    ImGui::SameLine(0.0f, ImGui::GetFontSize());
    swatch_text(k_new_col, _("1 row new"));

    const cost::Dims d = cost::dims_of(ctx.state.config);
    // The cache grid beside the numbers; in a pane too narrow for both (a projector's 1280×800 in
    // presentation mode) the grid goes above them, as tall as its rows, and the view scrolls to the numbers.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float em = ImGui::GetFontSize();
    // beside: the grid as wide as its columns, when that leaves the numbers at least fifteen lines' width
    const float grid_w = cache_grid_layout(tokens, d.n_kv_heads).width() +
                         ImGui::GetStyle().WindowPadding.x * 2.0f + ImGui::GetStyle().ScrollbarSize;
    const bool stacked = avail.x - grid_w < em * 15.0f;
    const float grid_h =
        ImGui::GetTextLineHeight() * static_cast<float>(n + 3) + ImGui::GetStyle().WindowPadding.y * 2.0f;
    ImGui::BeginChild("##cache",
                      stacked ? ImVec2(0, std::min(grid_h, std::max(avail.y * 0.5f, em * 8.0f)))
                              : ImVec2(std::max(grid_w, avail.x * 0.3f), 0),
                      true);
    draw_cache_grid(tokens, t, d.n_kv_heads);
    ImGui::EndChild();
    if (!stacked) ImGui::SameLine();
    ImGui::BeginChild("##numbers",
                      ImVec2(0, stacked ? std::max(ImGui::GetContentRegionAvail().y, em * 24.0f) : 0.0f),
                      false);
    ImGui::PushTextWrapPos(0.0f); // the formulas wrap instead of running past the pane

    ImGui::TextUnformatted(_("Cache bytes after this step (fp32, all layers)"));
    help_marker(_(
        "Each step adds 2 · L · H_kv · d_head numbers: one key row and one value row per key/value head per "
        "layer. With fewer key/value heads the cache fills more slowly."));
    const double held = static_cast<double>(t + 1);
    struct Variant {
        const char* name;
        int kv;
    };
    const Variant variants[] = {{"MHA", d.n_heads}, {_("this model"), d.n_kv_heads}, {"MQA", 1}};
    const double most =
        double(cost::kv_cache_bytes(cost::with_kv_heads(d, d.n_heads), n, 1, cost::Precision::Fp32));
    for (const auto& v : variants) {
        const cost::Dims dv = cost::with_kv_heads(d, v.kv);
        const double b = double(cost::kv_cache_bytes(dv, t + 1, 1, cost::Precision::Fp32));
        char label[96];
        std::snprintf(label, sizeof label, P_("%s (%d KV head): %s", "%s (%d KV heads): %s", v.kv), v.name,
                      v.kv, bytes(b).c_str());
        ImGui::ProgressBar(most > 0 ? static_cast<float>(b / most) : 0.0f, ImVec2(-1, 0), label);
    }
    ImGui::TextDisabled(_("  2 · L · H_kv · d_head · tokens · 4 = 2 · %d · %d · %d · %d · 4"), d.n_layers,
                        d.n_kv_heads, d.d_head, t + 1);

    ImGui::Spacing();
    const cost::LayerFlops step = cost::decode_step_flops(d, t);
    const cost::LayerFlops full = cost::prompt_flops(d, held);
    ImGui::Text(_("attention work of this step: %s FLOPs"), flops(step.attention()).c_str());
    help_marker(_(
        "The new query meets t + 1 keys (the cached ones and its own): work proportional to t. Over a whole "
        "text that adds up to a quadratic total, but each step stays cheap."));
    ImGui::TextDisabled(_("  (4 · d_head + 5) · H · (t + 1) = (4 · %d + 5) · %d · %d"), d.d_head, d.n_heads,
                        t + 1);
    ImGui::Text(P_("without a cache, recomputing the whole prefix (%d token): %s FLOPs",
                   "without a cache, recomputing the whole prefix (%d tokens): %s FLOPs", t + 1),
                t + 1, flops(full.attention()).c_str());
    help_marker(
        _("Without a cache every step would redo the attention of the whole prefix: n² pairs instead of n."));
    ImGui::TextDisabled(_("  (4 · d_head + 5) · H · n² = (4 · %d + 5) · %d · %d²"), d.d_head, d.n_heads,
                        t + 1);

    PlotSpec spec;
    spec.x = {1, static_cast<double>(std::max(2, n)), plot::Scale::Linear, plot::Units::Plain};
    const double top = cost::prompt_flops(d, n).attention();
    spec.y = {0, top * 1.05, plot::Scale::Linear, plot::Units::Flops};
    spec.x_label = _("tokens so far");
    spec.y_label = _("attention FLOPs per step");
    PlotSeries cached{_("with KV cache (linear)"), {}, {}, k_new_col, false, true};
    PlotSeries nocache{_("recompute everything (quadratic)"), {}, {}, IM_COL32(235, 80, 80, 255), true};
    for (int i = 1; i <= n; ++i) {
        cached.xs.push_back(i), cached.ys.push_back(cost::decode_step_flops(d, i - 1).attention());
        nocache.xs.push_back(i), nocache.ys.push_back(cost::prompt_flops(d, i).attention());
    }
    spec.series = {nocache, cached};
    spec.markers.push_back({held, _("now")});
    spec.height = ImGui::GetTextLineHeight() * 11;
    const PlotResult r = draw_plot("decode_work", spec, &ctx.textures);
    record_region(ctx.ui, "decoding_plot", r.min, r.max);
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
}

} // namespace attn

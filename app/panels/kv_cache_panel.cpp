// KV-cache calculator: real model presets (or a loaded config.json), precision, batch and context length;
// bytes per token and in total with the formula filled in, beside the same model as MHA, as GQA with every
// group size its query heads allow, and as MQA, each with its bytes and its share of the MHA cache.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/io/hf_config.hpp"
#include "app/state/plot_math.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/theme.hpp"
#include "core/cost.hpp"
#include "core/model_table.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace attn {

namespace {

std::string bytes(double v) {
    return plot::format_value(v, plot::Units::Bytes);
}

const ModelSpec& model_at(const CostViewsUi& cu, int i) {
    const auto& t = model_table();
    return i < static_cast<int>(t.size()) ? t[static_cast<std::size_t>(i)]
                                          : cu.kv_custom[static_cast<std::size_t>(i) - t.size()];
}

// "MHA", "GQA, groups of 4", "MQA"
std::string layout_name(const cost::KvLayoutRow& r, int n_heads) {
    if (r.n_kv_heads == n_heads) return "MHA";
    if (r.n_kv_heads == 1) return "MQA";
    return _("GQA, groups of ") + std::to_string(r.group_size);
}

// "same", "1/4", or a percentage when the layout is not a divisor of the query heads
std::string share_of_mha(const cost::KvLayoutRow& r, int n_heads) {
    if (r.n_kv_heads == n_heads) return _("1 (itself)");
    if (n_heads % r.n_kv_heads == 0) return "1/" + std::to_string(n_heads / r.n_kv_heads);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * r.ratio_to_mha);
    return buf;
}

// One comparison row: the layout, its key/value heads, the bytes, the share of MHA and a bar.
void bar_row(const cost::KvLayoutRow& r, int n_heads, double largest, bool with_bar) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const std::string name = layout_name(r, n_heads);
    if (r.is_model)
        ImGui::TextColored(text_tones().accent, _("%s  (this model)"), name.c_str());
    else
        ImGui::TextUnformatted(name.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%d", r.n_kv_heads);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(bytes(static_cast<double>(r.bytes)).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(share_of_mha(r, n_heads).c_str());
    if (!with_bar) return;
    ImGui::TableNextColumn();
    const float frac = largest > 0 ? static_cast<float>(static_cast<double>(r.bytes) / largest) : 0.0f;
    // this model's bar in the accent colour, the others in a quieter one
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram,
                          r.is_model ? text_tones().accent : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::ProgressBar(frac, ImVec2(-1, 0), "");
    ImGui::PopStyleColor();
}

void draw_loader(CostViewsUi& cu) {
    ImGui::TextUnformatted(_("Add a model from its config.json"));
    help_marker(
        _("Every Hugging Face model ships a config.json. Download it with the model (or copy it from the "
          "model page) and give its path here: the layers, heads, key/value heads, head width and sliding "
          "window are read from it. Nothing is fetched from the internet."));
    ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 5);
    const bool enter = ImGui::InputTextWithHint("##cfgpath", "/path/to/config.json", &cu.kv_config_path,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    const bool load = ImGui::Button(_("Load"));
    item_help(
        _("Reads the file and adds the model to the list above. A file with a missing or impossible field is "
          "refused with a message naming that field; the list stays as it was."));
    if (load || enter) {
        const Parsed<ModelSpec> r = load_hf_config(cu.kv_config_path);
        if (r.ok()) {
            cu.kv_custom.push_back(r.value);
            cu.kv_model = static_cast<int>(model_table().size() + cu.kv_custom.size() - 1);
            cu.kv_load_message = _("added ") + r.value.name;
        } else {
            cu.kv_load_message = i18n::text(r.error);
        }
    }
    if (!cu.kv_load_message.empty()) ImGui::TextWrapped("%s", cu.kv_load_message.c_str());
}

} // namespace

void draw_kv_cache_panel(PanelContext& ctx) {
    CostViewsUi& cu = ctx.ui.cost;
    const int n_models = static_cast<int>(model_table().size() + cu.kv_custom.size());
    cu.kv_model = std::clamp(cu.kv_model, 0, n_models - 1);
    cu.kv_precision = std::clamp(cu.kv_precision, 0, 3);
    const ModelSpec& m = model_at(cu, cu.kv_model);
    const float field_w = ImGui::GetFontSize() * 12;

    ImGui::SetNextItemWidth(field_w);
    if (ImGui::BeginCombo(_("model"), m.name.c_str())) {
        for (int i = 0; i < n_models; ++i)
            if (ImGui::Selectable(model_at(cu, i).name.c_str(), i == cu.kv_model)) cu.kv_model = i;
        ImGui::EndCombo();
    }
    help_marker(
        _("Real models, with the numbers from their published config.json. Compare a Llama-2 (every query "
          "head has its own keys and values) with a Llama-3 or Mistral (groups of query heads share them)."));
    if (cu.kv_model >= static_cast<int>(model_table().size())) {
        ImGui::SameLine();
        const bool remove = ImGui::SmallButton(_("remove"));
        record_region(ctx.ui, "kv_remove", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
        if (remove) {
            cu.kv_custom.erase(cu.kv_custom.begin() + (cu.kv_model - static_cast<int>(model_table().size())));
            cu.kv_load_message = _("removed ") + m.name;
            cu.kv_model = std::max(0, cu.kv_model - 1);
            return; // `m` referred to the removed model; the next frame draws the new selection
        }
        item_help(_(
            "Take this model, added from a config.json, off the list. Added models are kept between runs."));
    }
    const cost::Precision prec = cost::k_all_precisions[cu.kv_precision];
    ImGui::SetNextItemWidth(field_w);
    if (ImGui::BeginCombo(_("precision"), cost::to_string(prec))) {
        for (int i = 0; i < 4; ++i)
            if (ImGui::Selectable(cost::to_string(cost::k_all_precisions[i]), i == cu.kv_precision))
                cu.kv_precision = i;
        ImGui::EndCombo();
    }
    help_marker(_(
        "Bytes per stored number. Training uses fp32 (4 bytes); inference usually keeps the cache in fp16 "
        "or bf16 (2 bytes); quantised caches use 8-bit (1 byte) or even 4-bit (half a byte) values, trading "
        "a little accuracy for room."));
    ImGui::SetNextItemWidth(field_w);
    if (ImGui::InputInt(_("batch"), &cu.kv_batch)) cu.kv_batch = std::clamp(cu.kv_batch, 1, 4096);
    help_marker(
        _("How many sequences are generated at once. Each one has its own cache, so the bytes multiply."));
    ImGui::SetNextItemWidth(field_w);
    if (ImGui::InputInt(_("context (tokens)"), &cu.kv_context, 256, 4096))
        cu.kv_context = std::clamp(cu.kv_context, 1, 1 << 21);
    help_marker(
        _("Prompt plus generated tokens so far. Every token adds one key row and one value row per key/value "
          "head in every layer."));
    if (m.context > 0 && cu.kv_context > m.context)
        ImGui::TextColored(text_tones().warning, _("%s was trained for at most %d tokens."), m.name.c_str(),
                           m.context);
    const int window = m.sliding_window > 0 && cu.kv_use_window ? m.sliding_window : 0;
    if (m.sliding_window > 0) {
        ImGui::Checkbox(_("sliding window caps the cache"), &cu.kv_use_window);
        help_marker(_(
            "With a sliding window of w tokens (Mistral, Phi-3) a token only looks at the last w tokens, so "
            "older keys and values can be dropped: the cache never holds more than w tokens."));
    }

    const cost::Dims& d = m.dims;
    ImGui::Separator();
    ImGui::TextWrapped(_("%s: %d layers, d_model %d, %d query heads, %d key/value heads (%s), d_head %d%s"),
                       m.name.c_str(), d.n_layers, d.d_model, d.n_heads, d.n_kv_heads, attention_kind(d),
                       d.d_head, d.n_heads * d.d_head != d.d_model ? _("  — note H·d_head ≠ d_model") : "");
    ImGui::PushTextWrapPos(0.0f); // the source's address and the formulas wrap in a narrow pane
    ImGui::TextDisabled("%s", m.note.c_str());
    ImGui::TextDisabled(_("source: %s"), m.source.c_str());
    ImGui::PopTextWrapPos();
    if (m.encoder_only)
        ImGui::TextColored(text_tones().warning,
                           _("An encoder reads the whole text at once and generates nothing, "
                             "so it keeps no KV cache; the figures show what one would hold."));

    const double per_token = cost::kv_bytes_per_token(d, prec);
    const std::int64_t cached = cost::cached_tokens(cu.kv_context, window);
    const std::uint64_t total = cost::kv_cache_bytes(d, cu.kv_context, cu.kv_batch, prec, window);
    const std::string bpv = plot::format_value(cost::bytes_per_value(prec), plot::Units::Plain);
    ImGui::Text(_("per token: %s"), bytes(per_token).c_str());
    help_marker(_("One K row and one V row of d_head numbers, for every key/value head, in every layer."));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled(_("  2 · L · H_kv · d_head · bytes = 2 · %d · %d · %d · %s"), d.n_layers,
                        d.n_kv_heads, d.d_head, bpv.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Text(_("total: %s  (%s bytes)"), bytes(double(total)).c_str(),
                plot::format_grouped(total, i18n::digit_separator()).c_str());
    help_marker(
        _("Per-token bytes times the tokens held times the batch. This memory comes on top of the weights."));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled(
        _("  2 · L · H_kv · d_head · tokens · batch · bytes = 2 · %d · %d · %d · %lld · %d · %s"), d.n_layers,
        d.n_kv_heads, d.d_head, static_cast<long long>(cached), cu.kv_batch, bpv.c_str());
    ImGui::PopTextWrapPos();
    if (window > 0 && cu.kv_context > window)
        ImGui::TextDisabled(_("  tokens = min(context, window) = min(%d, %d) = %d"), cu.kv_context, window,
                            window);

    ImGui::Separator();
    ImGui::TextWrapped("%s", _("The same model with other key/value head layouts"));
    help_marker(_(
        "Only the number of key/value heads changes. MHA gives every query head its own; GQA (Ainslie et al. "
        "2023) shares one between a group of query heads; MQA (Shazeer 2019) shares a single one among all. "
        "The cache shrinks by the same factor as the key/value heads."));
    const auto rows = cost::kv_layouts(d, cu.kv_context, cu.kv_batch, prec, window);
    const double b_mha = rows.empty() ? 0.0 : static_cast<double>(rows.front().bytes);
    const ImVec2 table_min = ImGui::GetCursorScreenPos();
    // Columns as wide as their widest text; the bars only when at least four lines' width is left for them
    // (a projector's 1280×800 in presentation mode has no room for them beside the numbers).
    float col_w[4] = {ImGui::CalcTextSize(_("layout")).x, ImGui::CalcTextSize(_("KV heads")).x,
                      ImGui::CalcTextSize(_("total")).x, ImGui::CalcTextSize(_("of MHA")).x};
    for (const auto& r : rows) {
        const std::string name = layout_name(r, d.n_heads);
        char model_name[160];
        std::snprintf(model_name, sizeof model_name, _("%s  (this model)"), name.c_str());
        col_w[0] = std::max(col_w[0], ImGui::CalcTextSize(r.is_model ? model_name : name.c_str()).x);
        col_w[1] = std::max(col_w[1], ImGui::CalcTextSize(std::to_string(r.n_kv_heads).c_str()).x);
        col_w[2] = std::max(col_w[2], ImGui::CalcTextSize(bytes(static_cast<double>(r.bytes)).c_str()).x);
        col_w[3] = std::max(col_w[3], ImGui::CalcTextSize(share_of_mha(r, d.n_heads).c_str()).x);
    }
    const float pad = ImGui::GetStyle().CellPadding.x * 2.0f + ImGui::GetFontSize() * 0.25f;
    const float numbers_w = col_w[0] + col_w[1] + col_w[2] + col_w[3] + 4.0f * pad;
    const bool with_bars = ImGui::GetContentRegionAvail().x - numbers_w >= ImGui::GetFontSize() * 4.0f;
    if (ImGui::BeginTable("##variants", with_bars ? 5 : 4,
                          ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
        // without the bars the columns share the width in proportion to their text, so none runs past it
        const ImGuiTableColumnFlags fit =
            with_bars ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch;
        ImGui::TableSetupColumn(_("layout"), fit, col_w[0] + pad);
        ImGui::TableSetupColumn(_("KV heads"), fit, col_w[1] + pad);
        ImGui::TableSetupColumn(_("total"), fit, col_w[2] + pad);
        ImGui::TableSetupColumn(_("of MHA"), fit, col_w[3] + pad);
        if (with_bars) ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 3.0f);
        ImGui::TableHeadersRow();
        for (const auto& r : rows)
            bar_row(r, d.n_heads, b_mha, with_bars);
        ImGui::EndTable();
        record_region(ctx.ui, "kv_layouts", table_min,
                      ImVec2(table_min.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y));
    }
    if (d.n_kv_heads < d.n_heads && d.n_heads % d.n_kv_heads == 0)
        ImGui::TextWrapped(
            _("This model's cache is 1/%d of its MHA twin: each key/value head serves %d query heads."),
            d.n_heads / d.n_kv_heads, d.n_heads / d.n_kv_heads);
    else if (d.n_kv_heads == d.n_heads && rows.size() > 1)
        ImGui::TextWrapped(
            _("Sharing keys and values between %d query heads would shrink this cache %d times."),
            rows[1].group_size, rows[1].group_size);
    ImGui::Separator();
    draw_loader(cu);
}

} // namespace attn

// Step by step: one query token through one head, stage by stage — X → Q, K, V → q·kᵀ → ÷√d_head → mask →
// softmax → Σ weight·v → concat heads → W_O — with the numbers (d_head ≤ 8) or colour bars. Arrow keys step
// when the panel is focused; the stage lives in UiState.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/state/views.hpp"
#include "app/widgets/flow.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/index_slider.hpp"
#include "app/widgets/palette.hpp"
#include "app/widgets/vector_bars.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace attn {

namespace {

constexpr int k_numbers_up_to = 8; // vectors this short are printed as numbers

const char* stage_explanation(Stage s) {
    switch (s) {
    case Stage::Input:
        return _("The token's vector entering the layer: its word embedding plus its position signal, "
                 "normalised (LayerNorm) so every token starts on the same scale.");
    case Stage::Project:
        return _(
            "Three learned matrices turn the same vector into three roles: the query (what this token is "
            "looking for), the key (what it offers to be found by) and the value (what it hands over if "
            "chosen).");
    case Stage::Dot:
        return _("The query is compared with every key by a dot product: large when they point the same way, "
                 "negative when they point apart. This is the whole idea: alignment becomes attention.");
    case Stage::Scale:
        return _("Dot products grow with the width d_head, which would make softmax too sharp; dividing by "
                 "√d_head keeps them in a range where gradients still flow (Vaswani et al. 2017).");
    case Stage::Mask:
        return _(
            "Keys the query may not see (later tokens under a causal mask, tokens outside a sliding "
            "window, padding) get -∞, so they receive exactly zero weight. ALiBi adds a distance penalty "
            "here.");
    case Stage::Softmax:
        return _("exp() makes every score positive and dividing by the sum makes the row add up to 1: the "
                 "scores become a distribution of attention over the keys.");
    case Stage::WeightedSum:
        return _("The output for this token is the average of all value vectors, weighted by attention: keys "
                 "with more weight contribute more of their value.");
    case Stage::Concat:
        return _("Every head produced its own output; they are placed side by side. A switched-off head "
                 "contributes zeros.");
    case Stage::OutputProj:
        return _("W_O mixes the heads back into a d_model-wide vector, which is added to the token's vector "
                 "(the residual connection) and passed on.");
    }
    return "";
}

// A vector as numbers (when short) and bars; `share` of the height left in the panel goes to the bars,
// within three to thirty text lines, so a stage with one vector fills the view instead of a strip of it.
void vector_view(const char* id, const RowVector& v, const char* prefix, float share = 0.6f) {
    if (v.size() <= k_numbers_up_to) {
        std::string s = "[";
        for (Eigen::Index d = 0; d < v.size(); ++d)
            s += (d ? ", " : "") + format_number(v(d), 3);
        ImGui::TextUnformatted((s + "]").c_str());
    }
    VectorBarsStyle st;
    st.dim_prefix = prefix;
    const float line = ImGui::GetTextLineHeight();
    st.height = std::clamp(ImGui::GetContentRegionAvail().y * share, line * 3.0f, line * 30.0f);
    draw_vector_bars(id, v.data(), static_cast<int>(v.size()), st);
}

// "1 head", "8 heads" (P_ picks the form, then the count is put in)
std::string count(int n, const char* form) {
    return i18n::format(form, n);
}

// Stage 2: the query of the followed token beside the keys it will be compared with and their values, one
// row per token, the followed token's own row marked.
void draw_projections(const AppState& s, const HeadResult& head, const QueryTrace& t, int query) {
    const char* q_tok = s.tokens[static_cast<std::size_t>(query)].c_str();
    const int n = s.n_tokens();
    const float left_w = ImGui::GetContentRegionAvail().x * 0.38f;
    ImGui::BeginChild("##query", ImVec2(left_w, 0), false, ImGuiWindowFlags_NoNavInputs);
    ImGui::TextWrapped(_("q, the query of \"%s\" (d_head = %d)%s"), q_tok, static_cast<int>(t.q.size()),
                       s.config.positions == PositionKind::Rope ? _(", after the RoPE rotation") : "");
    vector_view("q", t.q, "q", 0.5f);
    ImGui::Spacing();
    ImGui::TextWrapped(_("In the next stage it is compared with the key of every token (right); each value "
                         "waits to be mixed into the output."));
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##keys_values", ImVec2(0, 0), false, ImGuiWindowFlags_NoNavInputs);
    ImGui::TextUnformatted(_("the keys it is compared with, and their values"));
    const float range = std::max({1e-6f, head.k.cwiseAbs().maxCoeff(), head.v.cwiseAbs().maxCoeff()});
    const float row_h =
        std::clamp((ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing()) /
                           static_cast<float>(std::max(1, n)) -
                       ImGui::GetStyle().CellPadding.y * 2.0f,
                   ImGui::GetTextLineHeight(), ImGui::GetTextLineHeight() * 2.5f);
    const ImGuiTableFlags flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY;
    if (ImGui::BeginTable("##kv", 3, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(_("token"), ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6.0f);
        ImGui::TableSetupColumn(_("key k_j"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn(_("value v_j"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        for (int j = 0; j < n; ++j) {
            ImGui::PushID(j);
            ImGui::TableNextRow(0, row_h);
            if (j == query)
                ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_Header));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(s.tokens[static_cast<std::size_t>(j)].c_str());
            if (j == query) ImGui::TextDisabled(_("(itself)"));
            ImGui::TableNextColumn();
            draw_value_strip("k", head.k.row(j).data(), static_cast<int>(head.k.cols()), range, row_h);
            ImGui::TableNextColumn();
            draw_value_strip("v", head.v.row(j).data(), static_cast<int>(head.v.cols()), range, row_h);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    ImGui::EndChild();
}

// One row per key j: "before" and "after" columns and a bar of "after" (weights on 0..1, others signed).
void key_table(const AppState& s, const RowVector& before, const char* before_name, const RowVector& after,
               const char* after_name, bool after_is_weight) {
    const int n = static_cast<int>(after.size());
    float range = 1.0f;
    if (!after_is_weight)
        for (int j = 0; j < n; ++j)
            if (std::isfinite(after(j))) range = std::max(range, std::fabs(after(j)));
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
    // rows grow (up to twice a line) to fill the view when there are few keys
    const float line = ImGui::GetTextLineHeightWithSpacing(), avail = ImGui::GetContentRegionAvail().y;
    const float row_h = std::clamp(avail / static_cast<float>(n + 1) - ImGui::GetStyle().CellPadding.y * 2.0f,
                                   ImGui::GetTextLineHeight(), ImGui::GetTextLineHeight() * 2.0f);
    if (!ImGui::BeginTable("##keys", 4, flags,
                           ImVec2(0, std::min(avail, (row_h + ImGui::GetStyle().CellPadding.y * 2.0f) *
                                                             static_cast<float>(n) +
                                                         line + 4.0f))))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(_("key token"));
    ImGui::TableSetupColumn(before_name);
    ImGui::TableSetupColumn(after_name);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (int j = 0; j < n; ++j) {
        ImGui::TableNextRow(0, row_h);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(s.tokens[static_cast<std::size_t>(j)].c_str());
        ImGui::TableNextColumn();
        const std::string b = before.size() == after.size() ? format_number(before(j), 3) : std::string();
        ImGui::TextUnformatted(b.c_str());
        ImGui::TableNextColumn();
        // a weight is a share of the row, never negative: "0.346  (35%)", without a sign column
        char weight[32];
        std::snprintf(weight, sizeof weight, "%.3f  (%.0f%%)", static_cast<double>(after(j)),
                      100.0 * static_cast<double>(after(j)));
        const std::string a = after_is_weight ? std::string(weight) : format_number(after(j), 3);
        ImGui::TextUnformatted(a.c_str());
        ImGui::TableNextColumn();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float w = ImGui::GetContentRegionAvail().x, h = row_h;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const bool masked_before = before.size() == after.size() && std::isinf(before(j));
        if (std::isinf(after(j)) || (after_is_weight && masked_before)) {
            ImGui::TextDisabled(_("masked"));
            continue;
        }
        if (after_is_weight) {
            dl->AddRectFilled(p, ImVec2(p.x + w * std::clamp(after(j), 0.0f, 1.0f), p.y + h),
                              viridis_u32(after(j)));
        } else {
            const float mid = p.x + w * 0.5f, x = mid + w * 0.5f * after(j) / range;
            dl->AddRectFilled(ImVec2(std::min(mid, x), p.y), ImVec2(std::max(mid, x), p.y + h),
                              diverging_color(after(j) / range));
            dl->AddLine(ImVec2(mid, p.y), ImVec2(mid, p.y + h), ImGui::GetColorU32(ImGuiCol_TextDisabled));
        }
        ImGui::Dummy(ImVec2(w, h));
    }
    ImGui::EndTable();
}

} // namespace

void draw_step_panel(PanelContext& ctx) {
    const AppState& s = ctx.state;
    UiState& ui = ctx.ui;
    const ForwardResult& fwd = ctx.derived.forward;
    if (!attention_view_ready(ctx)) return;
    const ModelConfig& c = s.config;
    const int n = s.n_tokens();
    const int query = followed_query(s, ui);
    token_combo(ctx, _("query"), query);
    item_help(_("The token whose row we follow. Selecting a row in the heatmap or a chip in the Tokens panel "
                "changes it too."));
    same_line_if_fits(labelled_width(ImGui::GetFontSize() * 6.0f, _("head")));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
    index_slider(_("head"), ui.selected_head, c.n_heads);
    item_help(_("Which head's computation to follow. Each head has its own W_Q, W_K and W_V."));
    if (c.n_layers > 1) {
        same_line_if_fits(labelled_width(ImGui::GetFontSize() * 6.0f, _("layer")));
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
        index_slider(_("layer"), ui.selected_layer, c.n_layers);
        item_help(_("Which layer. Later layers read the previous layer's output."));
    }

    // the stage strip; arrow keys step while this panel has focus
    int& stage = ui.views.step_stage;
    if (ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows)) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) ++stage;
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) --stage;
    }
    stage = std::clamp(stage, 0, k_stage_count - 1);
    if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) stage = std::max(0, stage - 1);
    item_help(_("Previous stage (or the left arrow key while this panel is focused)."));
    for (int k = 0; k < k_stage_count; ++k) {
        same_line_if_fits(button_width(_(stage_title(static_cast<Stage>(k)))), 2.0f);
        ImGui::PushID(k);
        const bool cur = k == stage;
        if (cur) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::Button(_(stage_title(static_cast<Stage>(k))))) stage = k;
        if (cur) ImGui::PopStyleColor();
        item_help(_(stage_formula(static_cast<Stage>(k))));
        ImGui::PopID();
    }
    same_line_if_fits(ImGui::GetFrameHeight(), 2.0f);
    if (ImGui::ArrowButton("##next", ImGuiDir_Right)) stage = std::min(k_stage_count - 1, stage + 1);
    item_help(_("Next stage (or the right arrow key while this panel is focused)."));

    const LayerResult& layer = fwd.layers[static_cast<std::size_t>(ui.selected_layer)];
    const HeadResult& head = layer.heads[static_cast<std::size_t>(ui.selected_head)];
    const QueryTrace t = trace_query(c, layer, ui.selected_head, query);
    const auto st = static_cast<Stage>(stage);
    ImGui::Separator();
    ImGui::TextWrapped(_("Stage %d of %d:  %s"), stage + 1, k_stage_count, _(stage_formula(st)));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", stage_explanation(st));
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    const ImVec2 body_min = ImGui::GetCursorScreenPos();
    ImGui::BeginChild("##stage", ImVec2(0, 0), false, ImGuiWindowFlags_NoNavInputs); // arrows step, see above
    const char* q_tok = s.tokens[static_cast<std::size_t>(query)].c_str();
    switch (st) {
    case Stage::Input:
        ImGui::Text(_("x for \"%s\" (d_model = %d):"), q_tok, c.d_model);
        vector_view("x", t.x, "", 0.85f);
        break;
    case Stage::Project:
        draw_projections(s, head, t, query);
        break;
    case Stage::Dot:
        key_table(s, RowVector(), "", t.dots, "q·k", false);
        break;
    case Stage::Scale: {
        ImGui::Text(_("scale = 1/√%d%s = %.4f"), static_cast<int>(t.q.size()),
                    c.temperature != 1.0f ? _(" ÷ temperature") : "", static_cast<double>(t.scale));
        key_table(s, t.dots, "q·k", t.scaled, _("scaled"), false);
        break;
    }
    case Stage::Mask:
        key_table(s, t.scaled, _("scaled"), t.scores, _("score"), false);
        break;
    case Stage::Softmax:
        key_table(s, t.scores, _("score"), t.weights, _("weight"), true);
        break;
    case Stage::WeightedSum: {
        ImGui::Text(_("o = Σ_j weight_j · v_j for \"%s\":"), q_tok);
        vector_view("o", t.head_out, "o", 0.45f);
        ImGui::TextDisabled(_("the strongest contributions:"));
        std::vector<int> order(static_cast<std::size_t>(n));
        for (int j = 0; j < n; ++j)
            order[static_cast<std::size_t>(j)] = j;
        std::sort(order.begin(), order.end(), [&](int a, int b) { return t.weights(a) > t.weights(b); });
        // as many as fit, each strip a little taller than a line
        const float row = ImGui::GetTextLineHeightWithSpacing() * 1.3f;
        const int fit = std::max(4, static_cast<int>(ImGui::GetContentRegionAvail().y / row));
        for (int k = 0; k < std::min(n, std::min(fit, 12)); ++k) {
            const int j = order[static_cast<std::size_t>(k)];
            ImGui::PushID(k);
            ImGui::Text(_("%.3f × v(\"%s\")"), static_cast<double>(t.weights(j)),
                        s.tokens[static_cast<std::size_t>(j)].c_str());
            ImGui::SameLine(ImGui::GetFontSize() * 12.0f);
            draw_value_strip("v", head.v.row(j).data(), static_cast<int>(head.v.cols()), 0.0f,
                             ImGui::GetTextLineHeight() * 1.3f);
            ImGui::PopID();
        }
        break;
    }
    case Stage::Concat: {
        ImGui::Text(
            _("%s × %s = %s; head %d is highlighted:"),
            count(c.n_heads, P_("%d head", "%d heads", c.n_heads)).c_str(),
            count(static_cast<int>(t.q.size()), P_("%d number", "%d numbers", t.q.size())).c_str(),
            count(static_cast<int>(t.concat.size()), P_("%d number", "%d numbers", t.concat.size())).c_str(),
            ui.selected_head + 1);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float w = ImGui::GetContentRegionAvail().x, seg = w / static_cast<float>(c.n_heads);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        for (int h = 0; h < c.n_heads; ++h)
            dl->AddRectFilled(
                ImVec2(p.x + seg * static_cast<float>(h), p.y),
                ImVec2(p.x + seg * static_cast<float>(h + 1) - 2.0f, p.y + ImGui::GetFontSize() * 0.5f),
                head_color(h, h == ui.selected_head ? 1.0f : 0.35f));
        ImGui::Dummy(ImVec2(w, ImGui::GetFontSize() * 0.5f + 2.0f));
        vector_view("concat", t.concat, "", 0.85f);
        break;
    }
    case Stage::OutputProj:
        ImGui::Text(_("concat · W_O for \"%s\" (d_model = %d), added to x:"), q_tok, c.d_model);
        vector_view("y", t.attn_out, "", 0.85f);
        break;
    }
    ImGui::EndChild();
    record_region(ui, "step", body_min,
                  ImVec2(body_min.x + ImGui::GetItemRectSize().x, body_min.y + ImGui::GetItemRectSize().y));
}

} // namespace attn

// Q/K/V inspector: the selected token's query, key and value vectors in the selected layer and head, as
// labelled bars per dimension, each with what that role means in plain words.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/widgets/flow.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/index_slider.hpp"
#include "app/widgets/vector_bars.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace attn {

namespace {

void role(const char* id, const char* title, const char* meaning, const RowVector& v, float range,
          float height, ImU32 accent) {
    ImGui::PushStyleColor(ImGuiCol_Text, accent);
    ImGui::TextUnformatted(title);
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::TextDisabled(_("|v| = %.2f"), static_cast<double>(v.norm()));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(meaning);
    ImGui::PopTextWrapPos();
    VectorBarsStyle st;
    st.dim_prefix = id;
    st.range = range;
    st.height = height;
    draw_vector_bars(id, v.data(), static_cast<int>(v.size()), st);
    if (v.size() <= 8) {
        std::string s;
        for (Eigen::Index d = 0; d < v.size(); ++d)
            s += (d ? "  " : "") + format_number(v(d), 3);
        ImGui::TextDisabled("%s", s.c_str());
    }
    ImGui::Spacing();
}

} // namespace

void draw_qkv_panel(PanelContext& ctx) {
    const AppState& s = ctx.state;
    UiState& ui = ctx.ui;
    const ForwardResult& fwd = ctx.derived.forward;
    if (!attention_view_ready(ctx)) return;
    const ModelConfig& c = s.config;
    const int token = followed_query(s, ui);
    const HeadResult& head = fwd.layers[static_cast<std::size_t>(ui.selected_layer)]
                                 .heads[static_cast<std::size_t>(ui.selected_head)];
    token_combo(ctx, _("token"), token);
    item_help(_("The token to inspect; the same selection as the heatmap row and the token chips."));
    same_line_if_fits(labelled_width(ImGui::GetFontSize() * 6.0f, _("head")));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
    index_slider(_("head"), ui.selected_head, c.n_heads);
    item_help(
        _("Each head projects the token with its own matrices, so the same token has a different query, "
          "key and value in every head."));
    if (c.n_layers > 1) {
        same_line_if_fits(labelled_width(ImGui::GetFontSize() * 6.0f, _("layer")));
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
        index_slider(_("layer"), ui.selected_layer, c.n_layers);
        item_help(_("Later layers project a vector that already mixes in other tokens."));
    }
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    item_help(
        _("All three vectors are made from the same token vector x by three different learned matrices: "
          "q = x W_Q, k = x W_K, v = x W_V. Bars above the line are positive entries, below negative; hover "
          "a bar for its exact value. The three share one scale so their sizes can be compared.\n\nWith "
          "random weights the entries carry no meaning yet; training is what makes a key say something like "
          "\"I am a noun\" and a query ask \"where is my noun?\"."));
    if (c.n_kv_heads != c.n_heads)
        ImGui::TextDisabled(_("Head %d reads key/value head %d, shared with other query heads (%s)."),
                            ui.selected_head + 1, head.kv_head + 1, c.n_kv_heads == 1 ? _("MQA") : _("GQA"));

    const RowVector q = head.q.row(token), k = head.k.row(token), v = head.v.row(token);
    const float range =
        std::max({q.cwiseAbs().maxCoeff(), k.cwiseAbs().maxCoeff(), v.cwiseAbs().maxCoeff(), 1e-6f});
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const float bars_h = std::clamp((ImGui::GetContentRegionAvail().y - ImGui::GetFontSize() * 10.0f) / 3.0f,
                                    ImGui::GetFontSize() * 3.0f, ImGui::GetFontSize() * 7.0f);
    role("q", _("query  q"),
         _("What this token is looking for. It is compared with every token's key; keys that point the "
           "same way get high scores."),
         q, range, bars_h, IM_COL32(255, 120, 110, 255));
    role("k", _("key  k"),
         _("What this token offers to be found by. Other tokens' queries are matched against it."), k, range,
         bars_h, IM_COL32(110, 170, 255, 255));
    role("v", _("value  v"),
         _("What this token hands over when it is attended to: the output of a query is the "
           "weighted average of the values."),
         v, range, bars_h, IM_COL32(140, 220, 130, 255));
    record_region(ui, "qkv", top,
                  ImVec2(top.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y));
}

} // namespace attn

// Explanations: a trained model's answer at the followed token, then per input token where each head looked
// beside what the answer depends on (rollout, leave-one-out, gradient × input), their rank correlations and
// which heads matter. The numbers are Derived::explanations (core/train/explain.hpp); this file only draws.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/number_format.hpp"
#include "app/widgets/palette.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace attn {

namespace {

void headline(const char* text) {
    ImGui::SetWindowFontScale(1.3f);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::SetWindowFontScale(1.0f);
}

// A table cell: a bar for value / range under its number; a signed value gets its number first and a bar
// from the middle of the space beside it (blue below zero, orange above).
void bar_cell(float value, float range, bool is_signed, const char* fmt) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float w = std::max(1.0f, ImGui::GetContentRegionAvail().x), h = ImGui::GetTextLineHeight();
    const float t = range > 0.0f && std::isfinite(value) ? std::clamp(value / range, -1.0f, 1.0f) : 0.0f;
    char buf[32];
    std::snprintf(buf, sizeof buf, fmt, static_cast<double>(value));
    // a column narrower than the number (large presentation text): first without the leading zero
    // (".98", as tables print it), then one decimal fewer, rather than cut off
    const auto drop_leading_zero = [&] {
        char* z = std::strstr(buf, "0.");
        if (z && (z == buf || z[-1] == '+' || z[-1] == '-')) std::memmove(z, z + 1, std::strlen(z + 1) + 1);
    };
    if (ImGui::CalcTextSize(buf).x > w) drop_leading_zero();
    for (int decimals = 1; decimals >= 0 && ImGui::CalcTextSize(buf).x > w; --decimals) {
        std::snprintf(buf, sizeof buf, is_signed ? "%+.*f" : "%.*f", decimals, static_cast<double>(value));
        drop_leading_zero();
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (is_signed) {
        const float text_w = ImGui::CalcTextSize("+00.000").x + ImGui::GetFontSize() * 0.3f;
        const float left = p.x + text_w, half = std::max(0.0f, (w - text_w) * 0.5f), mid = left + half;
        if (half > 2.0f) {
            dl->AddRectFilled(ImVec2(std::min(mid, mid + t * half), p.y + h * 0.1f),
                              ImVec2(std::max(mid, mid + t * half), p.y + h * 0.9f),
                              diverging_color(t, 0.9f));
            dl->AddLine(ImVec2(mid, p.y), ImVec2(mid, p.y + h), ImGui::GetColorU32(ImGuiCol_TextDisabled));
        }
    } else {
        dl->AddRectFilled(p, ImVec2(p.x + t * w, p.y + h), viridis_u32(0.35f + 0.6f * t, 0.7f));
    }
    ImGui::TextUnformatted(buf);
}

float largest_abs(const RowVector& v) {
    return v.size() > 0 ? v.cwiseAbs().maxCoeff() : 0.0f;
}

std::string rho_text(float v) {
    if (std::isnan(v)) return _("n/a");
    char buf[16];
    std::snprintf(buf, sizeof buf, "%+.2f", static_cast<double>(v));
    return buf;
}

void draw_examples(PanelContext& ctx);

void draw_untrained(PanelContext& ctx) {
    headline(_("Explanations need a trained model."));
    ImGui::TextWrapped(
        _("The live model has random weights: its answers mean nothing, so there is nothing to explain. "
          "Load a trained model to put where its heads look beside what its answer really depends on."));
    if (ImGui::Button(_("Load the trained English model"))) ctx.commands.push_back(LoadPreset{"tired"});
    item_help(
        _("\"The animal didn't cross the street because it was too tired\", read by the English model."));
    draw_examples(ctx);
}

// The presets that open this view: where attention and attribution disagree (core/train/disagreements.hpp).
void draw_examples(PanelContext& ctx) {
    ImGui::TextUnformatted(_("Where they disagree:"));
    help_marker(
        _("Sentences from the English model's held-out data where attention and attribution tell different "
          "stories, found by searching (attention-lab inspect --find-disagreements). Each opens here at "
          "the pronoun."));
    for (const Preset& p : presets()) {
        if (std::string_view(p.view) != "Explanations") continue;
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(p.name).x + ImGui::GetFontSize())
            ImGui::NewLine();
        if (ImGui::SmallButton(p.name)) request_preset(ctx.ui, ctx.commands, p);
        item_help(_(p.description));
    }
}

void draw_table(PanelContext& ctx, const train::Explanation& e) {
    const AppState& s = ctx.state;
    const ModelConfig& c = s.config;
    const int n = s.n_tokens(), layer = std::clamp(ctx.ui.selected_layer, 0, c.n_layers - 1);
    const float loo_range = largest_abs(e.leave_one_out), gxi_range = largest_abs(e.grad_x_input),
                roll_range = largest_abs(e.rollout);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
    const float height = ImGui::GetTextLineHeightWithSpacing() * (static_cast<float>(std::min(n, 16)) + 1.5f);
    if (!ImGui::BeginTable("explain_table", c.n_heads + 5, flags, ImVec2(0.0f, height))) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    float token_w = ImGui::CalcTextSize(_("token")).x; // as wide as the longest token, at most 6.5 em
    for (int j = 0; j < n; ++j)
        token_w = std::max(
            token_w, ImGui::CalcTextSize(ctx.derived.token_labels[static_cast<std::size_t>(j)].c_str()).x +
                         ImGui::CalcTextSize("→ ").x);
    ImGui::TableSetupColumn(
        _("token"), ImGuiTableColumnFlags_WidthFixed,
        std::min(token_w + ImGui::GetStyle().CellPadding.x * 2.0f, ImGui::GetFontSize() * 6.5f));
    for (int h = 0; h < c.n_heads; ++h) {
        char name[48];
        std::snprintf(name, sizeof name, "L%dH%d%s", layer + 1, h + 1,
                      s.head_on(layer, h) ? "" : _(" (off)"));
        ImGui::TableSetupColumn(name, ImGuiTableColumnFlags_None, 1.0f);
    }
    ImGui::TableSetupColumn(_("mean"), ImGuiTableColumnFlags_None, 1.4f);
    ImGui::TableSetupColumn(_("rollout"), ImGuiTableColumnFlags_None, 1.4f);
    ImGui::TableSetupColumn(_("leave-one-out"), ImGuiTableColumnFlags_None, 2.0f);
    ImGui::TableSetupColumn(_("grad × input"), ImGuiTableColumnFlags_None, 2.0f);
    // headers: the full name where it fits the column, else a short one the legend below spells out
    bool shortened = false;
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int col = 0; col < c.n_heads + 5; ++col) {
        ImGui::TableSetColumnIndex(col);
        const char* full = ImGui::TableGetColumnName(col);
        char brief[24];
        if (col >= 1 && col <= c.n_heads)
            std::snprintf(brief, sizeof brief, "H%d%s", col, s.head_on(layer, col - 1) ? "" : "off");
        else
            std::snprintf(brief, sizeof brief, "%s",
                          col == 0               ? _("token")
                          : col == c.n_heads + 1 ? _("avg")
                          : col == c.n_heads + 2 ? _("roll.")
                          : col == c.n_heads + 3 ? _("LOO")
                                                 : _("g×i"));
        const bool fits = ImGui::CalcTextSize(full).x <= ImGui::GetContentRegionAvail().x;
        shortened |= !fits;
        ImGui::PushID(col);
        ImGui::TableHeader(fits ? full : brief);
        ImGui::PopID();
    }
    for (int j = 0; j < n; ++j) {
        const auto jj = static_cast<Eigen::Index>(j);
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        std::string label = ctx.derived.token_labels[static_cast<std::size_t>(j)];
        if (j == e.position) label = "→ " + label;
        ImGui::PushID(j);
        if (ImGui::Selectable(label.c_str(), j == e.position)) ctx.ui.selected_query = j;
        ImGui::PopID();
        if (ImGui::IsItemHovered() && e.loo_answer[static_cast<std::size_t>(j)] != e.answer)
            ImGui::SetTooltip(
                _("Read as <unk>, this token changes the answer to \"%s\"."),
                s.trained->vocab[static_cast<std::size_t>(e.loo_answer[static_cast<std::size_t>(j)])]
                    .c_str());
        for (int h = 0; h < c.n_heads; ++h) {
            ImGui::TableSetColumnIndex(1 + h);
            bar_cell(e.attention[static_cast<std::size_t>(layer)](h, jj), 1.0f, false, "%.2f");
        }
        ImGui::TableSetColumnIndex(c.n_heads + 1);
        bar_cell(e.mean_attention(layer, jj), 1.0f, false, "%.2f");
        ImGui::TableSetColumnIndex(c.n_heads + 2);
        bar_cell(e.rollout(jj), roll_range, false, "%.2f");
        ImGui::TableSetColumnIndex(c.n_heads + 3);
        bar_cell(e.leave_one_out(jj), loo_range, true, "%+.2f");
        ImGui::TableSetColumnIndex(c.n_heads + 4);
        bar_cell(e.grad_x_input(jj), gxi_range, true, "%+.3f");
    }
    ImGui::EndTable();
    record_region(ctx.ui, "explain_table", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    if (shortened) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled(
            _("H1… = layer %d's heads, avg = their mean, roll. = rollout, LOO = leave-one-out, "
              "g×i = grad × input"),
            layer + 1);
        ImGui::PopTextWrapPos();
        record_region(ctx.ui, "explain_legend", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    }
}

void draw_head_bars(PanelContext& ctx, const train::Explanation& e) {
    const AppState& s = ctx.state;
    const ModelConfig& c = s.config;
    const int n_switches = c.n_layers * c.n_heads;
    if (static_cast<int>(e.head_drop.size()) != n_switches) return;
    ImGui::TextUnformatted(_("Which heads matter: the answer's probability lost with one head off alone"));
    help_marker(
        _("Each bar switches off one head, every other head on, and measures how much probability the "
          "answer loses (in percentage points). A head can look straight at the right word and still "
          "not matter, when another head or layer carries the same information."));
    float range = 0.05f;
    for (const float v : e.head_drop)
        range = std::max(range, std::abs(v));
    const float label_w = ImGui::GetFontSize() * 11.0f,
                bar_w =
                    std::max(40.0f, ImGui::GetContentRegionAvail().x - label_w - ImGui::GetFontSize() * 7.0f);
    const ImVec2 top = ImGui::GetCursorScreenPos();
    for (int i = 0; i < n_switches; ++i) {
        const int l = i / c.n_heads, h = i % c.n_heads;
        const std::string name = head_name(s, l, h);
        char label[96];
        std::snprintf(label, sizeof label, "L%dH%d%s%s", l + 1, h + 1, name.empty() ? "" : " ", name.c_str());
        ImGui::TextUnformatted(label);
        ImGui::SameLine(label_w);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float drop = e.head_drop[static_cast<std::size_t>(i)],
                    t = std::clamp(drop / range, -1.0f, 1.0f);
        const float hgt = ImGui::GetTextLineHeight();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + std::abs(t) * bar_w, p.y + hgt),
                          drop >= 0 ? head_color(h, 0.85f) : ImGui::GetColorU32(ImGuiCol_TextDisabled));
        dl->AddRect(p, ImVec2(p.x + bar_w, p.y + hgt), ImGui::GetColorU32(ImGuiCol_Border));
        ImGui::Dummy(ImVec2(bar_w, hgt));
        ImGui::SameLine();
        ImGui::Text(_("%+.1f pts"), -100.0 * static_cast<double>(drop));
        if (ImGui::IsItemHovered() || ImGui::IsMouseHoveringRect(p, ImVec2(p.x + bar_w, p.y + hgt)))
            ImGui::SetTooltip(_("With only layer %d head %d off, \"%s\" has %s (every head on: %s)."), l + 1,
                              h + 1, s.trained->vocab[static_cast<std::size_t>(e.answer)].c_str(),
                              format_percent(e.head_off_prob[static_cast<std::size_t>(i)]).c_str(),
                              format_percent(e.answer_prob).c_str());
    }
    record_region(ctx.ui, "explain_heads", top, ImGui::GetItemRectMax());
}

} // namespace

void draw_explain_panel(PanelContext& ctx) {
    const AppState& s = ctx.state;
    const Derived& d = ctx.derived;
    if (s.tokens.empty() || d.forward.layers.empty()) {
        ImGui::TextDisabled(_("Nothing to show yet: type a sentence in the Tokens panel."));
        return;
    }
    if (!s.trained) {
        draw_untrained(ctx);
        return;
    }
    if (d.explanations.size() != s.tokens.size()) {
        headline(_("This text is too long to explain live."));
        ImGui::TextWrapped(
            _("Explanations re-run the model once per token and per head, so they are computed for "
              "texts of up to %d tokens. This one has %d: shorten it in the Tokens panel."),
            k_explain_max_tokens, s.n_tokens());
        return;
    }
    const int q = followed_query(s, ctx.ui);
    const train::Explanation& e = d.explanations[static_cast<std::size_t>(q)];
    const std::string& answer = s.trained->vocab[static_cast<std::size_t>(e.answer)];
    char line[256];
    std::snprintf(line, sizeof line, _("At \"%s\" the model answers \"%s\"  (%s)"),
                  s.tokens[static_cast<std::size_t>(q)].c_str(), answer.c_str(),
                  format_percent(e.answer_prob).c_str());
    headline(line);
    record_region(ctx.ui, "explain_answer", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    token_combo(ctx, _("explain the answer at"), q);
    help_marker(
        _("Pick the token whose answer to explain; clicking a row of the table does the same. At \"it\" the "
          "English model answers the noun \"it\" means."));
    if (s.heads_off() > 0 && q < static_cast<int>(d.answer_prob_now.size())) {
        const float before = d.answer_prob_all_on[static_cast<std::size_t>(q)],
                    now = d.answer_prob_now[static_cast<std::size_t>(q)];
        ImGui::TextWrapped(
            P_("With your %d head switched off, \"%s\" has %s instead of %s (%+.1f points). The "
               "columns below are the whole model, every head on.",
               "With your %d heads switched off, \"%s\" has %s instead of %s (%+.1f points). The "
               "columns below are the whole model, every head on.",
               s.heads_off()),
            s.heads_off(), d.answer_all_on[static_cast<std::size_t>(q)].c_str(), format_percent(now).c_str(),
            format_percent(before).c_str(), 100.0 * static_cast<double>(now - before));
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled(
        _("Attention says where a head looked. Leave-one-out and gradient × input say what the "
          "answer depends on. Where they disagree, the attention map is not the explanation."));
    ImGui::PopTextWrapPos();

    if (s.config.n_layers > 1) {
        ImGui::TextUnformatted(_("heads of layer"));
        for (int l = 0; l < s.config.n_layers; ++l) {
            ImGui::SameLine();
            char name[32];
            std::snprintf(name, sizeof name, "%d##explain_layer", l + 1);
            if (ImGui::RadioButton(name, ctx.ui.selected_layer == l)) ctx.ui.selected_layer = l;
        }
        ImGui::SameLine();
        help_marker(
            _("The per-head columns show this layer's heads; the correlations below use the last layer."));
    }
    draw_table(ctx, e);

    const train::RankCorrelations& r = e.rank;
    ImGui::TextUnformatted(_("Does attention rank the tokens as the attributions do? Spearman ρ:"));
    help_marker(
        _("Spearman's ρ compares two rankings of the tokens: +1 when attention orders them exactly as the "
          "attribution does, 0 when the orders are unrelated, -1 when reversed. Attributions count by "
          "size: a token that pushes the answer down matters as much as one that pushes it up."));
    ImGui::TextWrapped(_("last-layer mean vs |leave-one-out| %s, rollout vs |leave-one-out| %s;   last-layer "
                         "mean vs |grad × input| %s, rollout vs |grad × input| %s"),
                       rho_text(r.attention_loo).c_str(), rho_text(r.rollout_loo).c_str(),
                       rho_text(r.attention_grad).c_str(), rho_text(r.rollout_grad).c_str());
    ImGui::Spacing();
    draw_head_bars(ctx, e);
    ImGui::Spacing();
    draw_examples(ctx);
    ImGui::Spacing();
    if (ImGui::CollapsingHeader(L_("What the columns mean", "columns"))) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(_(
            "L·H· and mean: the attention weight from the explained token to each token, per head of the "
            "chosen "
            "layer and averaged over its heads (honest scale: a full bar is 1).\n"
            "rollout (Abnar & Zuidema 2020): each layer's head mean mixed half and half with the identity "
            "for "
            "the residual stream, rows renormalised, multiplied through the layers: how much of the final "
            "token flows from each input token if attention were the only route.\n"
            "leave-one-out: the change in log-probability of the answer when the token is read as <unk> and "
            "the model is run again. -2.3 means the answer became 10 times less likely.\n"
            "grad × input: the embedding of the token times the gradient of the answer's log-probability "
            "with "
            "respect to it: a first-order guess at what removing the token would do.\n"
            "Bars of rollout, leave-one-out and grad × input are scaled to the largest in their column."));
        ImGui::PopTextWrapPos();
    }
}

} // namespace attn

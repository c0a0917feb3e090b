// What the attention views share: the empty state when there is nothing to draw, keeping the selected
// layer and head inside the current model, which query token a view follows, and the token picker.
#include "panel_context.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace attn {

namespace {

// One line of the banner: wrapped text with a coloured bar on its left, in the theme's own text colour.
void banner_line(const std::string& text, ImU32 bar) {
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const float pad = ImGui::GetFontSize() * 0.5f;
    ImGui::SetCursorScreenPos(ImVec2(start.x + pad, start.y));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    const float bottom = ImGui::GetItemRectMax().y;
    ImGui::GetWindowDrawList()->AddRectFilled(start, ImVec2(start.x + pad * 0.4f, bottom), bar);
}

} // namespace

std::string model_answer_text(const AppState& s, const Derived& d, int query) {
    if (!s.trained || query < 0 || query >= static_cast<int>(d.prediction.size())) return {};
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.0f%%",
                  100.0 * static_cast<double>(d.confidence[static_cast<std::size_t>(query)]));
    return "\"" + s.tokens[static_cast<std::size_t>(query)] + "\" → " +
           d.prediction[static_cast<std::size_t>(query)] + " " + pct;
}

void draw_model_banner(PanelContext& ctx) {
    const AppState& s = ctx.state;
    const Derived& d = ctx.derived;
    const ImU32 accent = ImGui::GetColorU32(ImGuiCol_PlotHistogram);
    if (!s.trained) {
        banner_line(
            "Untrained model: its weights are random, so these patterns are noise until trained. Load a "
            "trained model (Tokens panel) to see heads that mean something.",
            accent);
        record_region(ctx.ui, "model_banner", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
        return;
    }
    const int q = followed_query(s, ctx.ui);
    std::string line = s.trained_title + ". Its answer at " + model_answer_text(s, d, q);
    if (q >= 0 && q < static_cast<int>(d.answer_prob_now.size()) && s.heads_off() > 0)
        line += " (with every head on: " + d.answer_all_on[static_cast<std::size_t>(q)] + " " +
                std::to_string(static_cast<int>(
                    std::lround(100.0 * d.answer_prob_all_on[static_cast<std::size_t>(q)]))) +
                "%)";
    banner_line(line, accent);
    record_region(ctx.ui, "model_answer_banner", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    if (!d.unknown_words.empty()) {
        std::string words;
        for (std::size_t i = 0; i < d.unknown_words.size() && i < 6; ++i)
            words += (i ? ", \"" : "\"") + d.unknown_words[i] + "\"";
        if (d.unknown_words.size() > 6) words += ", …";
        const std::size_t k = d.unknown_words.size();
        banner_line(std::to_string(k) +
                        (k == 1 ? " word unknown to this model is" : " words unknown to this model are") +
                        " read as <unk> (marked *): " + words +
                        ". Its attention to them is attention to a blank.",
                    ImGui::GetColorU32(ImVec4(0.95f, 0.45f, 0.2f, 1.0f)));
        record_region(ctx.ui, "unknown_words_banner", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    }
}

bool attention_view_ready(PanelContext& ctx) {
    const AppState& s = ctx.state;
    if (s.tokens.empty() || ctx.derived.forward.layers.empty()) {
        if (!ctx.derived.error.empty())
            ImGui::TextWrapped("%s", ctx.derived.error.c_str());
        else
            ImGui::TextDisabled("Nothing to show yet: type a sentence in the Tokens panel.");
        return false;
    }
    draw_model_banner(ctx);
    ctx.ui.selected_layer = std::clamp(ctx.ui.selected_layer, 0, s.config.n_layers - 1);
    ctx.ui.selected_head = std::clamp(ctx.ui.selected_head, 0, s.config.n_heads - 1);
    return true;
}

const HeadReport* probed_head(const AppState& s, int layer, int head) {
    if (!s.trained_heads) return nullptr;
    const std::size_t i = static_cast<std::size_t>(layer * s.config.n_heads + head);
    return i < s.trained_heads->size() ? &(*s.trained_heads)[i] : nullptr;
}

std::string head_name(const AppState& s, int layer, int head) {
    const HeadReport* r = probed_head(s, layer, head);
    return r ? std::string(label_name(r->label)) : std::string();
}

int followed_query(const AppState& s, const UiState& ui) {
    const int n = s.n_tokens();
    if (ui.selected_query >= 0 && ui.selected_query < n) return ui.selected_query;
    const auto it = std::find(s.tokens.begin(), s.tokens.end(), std::string("it"));
    return it != s.tokens.end() ? static_cast<int>(it - s.tokens.begin()) : n - 1;
}

void token_combo(PanelContext& ctx, const char* label, int current) {
    const AppState& s = ctx.state;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
    if (!ImGui::BeginCombo(label, s.tokens[static_cast<std::size_t>(current)].c_str())) return;
    for (int t = 0; t < s.n_tokens(); ++t) {
        ImGui::PushID(t);
        if (ImGui::Selectable(s.tokens[static_cast<std::size_t>(t)].c_str(), t == current))
            ctx.ui.selected_query = t;
        ImGui::PopID();
    }
    ImGui::EndCombo();
}

} // namespace attn

// What the attention views share: the empty state when there is nothing to draw, keeping the selected
// layer and head inside the current model, which query token a view follows, and the token picker.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/ui/workspace.hpp"
#include "app/widgets/palette.hpp"
#include "app/widgets/theme.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

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
    // the quotation marks are the language's own: „it“ in German
    return i18n::format(_("\"%s\" → %s %s"), s.tokens[static_cast<std::size_t>(query)].c_str(),
                        d.prediction[static_cast<std::size_t>(query)].c_str(), pct);
}

void draw_model_banner(PanelContext& ctx) {
    const AppState& s = ctx.state;
    const Derived& d = ctx.derived;
    const ImU32 accent = ImGui::GetColorU32(ImGuiCol_PlotHistogram);
    if (s.imported) {
        const ImportedAttention& a = *s.imported;
        banner_line(
            _("imported: ") + a.name + _(" — attention weights computed elsewhere (") +
                std::to_string(a.n_layers) + (a.n_layers == 1 ? _(" layer × ") : _(" layers × ")) +
                std::to_string(a.n_heads) + (a.n_heads == 1 ? _(" head, ") : _(" heads, ")) +
                std::to_string(a.n_tokens()) +
                _(" tokens). They show where each head looked, not why the model answered what it did."),
            accent);
        record_region(ctx.ui, "import_banner", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
        return;
    }
    if (!s.trained) {
        banner_line(
            _("Untrained model: its weights are random, so these patterns are noise until trained. Load a "
              "trained model (Tokens panel) to see heads that mean something."),
            accent);
        record_region(ctx.ui, "model_banner", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
        return;
    }
    const int q = followed_query(s, ctx.ui);
    std::string line =
        _(s.trained_title.c_str()) + std::string(_(". Its answer at ")) + model_answer_text(s, d, q);
    if (q >= 0 && q < static_cast<int>(d.answer_prob_now.size()) && s.heads_off() > 0)
        line += _(" (with every head on: ") + d.answer_all_on[static_cast<std::size_t>(q)] + " " +
                std::to_string(static_cast<int>(
                    std::lround(100.0 * d.answer_prob_all_on[static_cast<std::size_t>(q)]))) +
                "%)";
    banner_line(line, accent);
    record_region(ctx.ui, "model_answer_banner", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    if (!d.unknown_words.empty()) {
        std::string words;
        for (std::size_t i = 0; i < d.unknown_words.size() && i < 6; ++i)
            words += (i ? ", " : "") + i18n::format(_("\"%s\""), d.unknown_words[i].c_str());
        if (d.unknown_words.size() > 6) words += ", …";
        const std::size_t k = d.unknown_words.size();
        banner_line(
            std::to_string(k) +
                (k == 1 ? _(" word unknown to this model is") : _(" words unknown to this model are")) +
                _(" read as <unk> (marked *): ") + words +
                _(". Its attention to them is attention to a blank."),
            tone_u32(text_tones().warning));
        record_region(ctx.ui, "unknown_words_banner", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    }
}

void draw_import_has_only_weights(PanelContext& ctx, const char* view) {
    draw_model_banner(ctx);
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text(_("%s needs a model run here: its queries, keys and values, its outputs or its sizes."),
                view);
    ImGui::TextUnformatted(
        _("An import holds only the attention weights (layers × heads × tokens × tokens) and the tokens. Its "
          "weights are in the Heatmap, the Arc view and the Heads grid. Close the import (File menu) to go "
          "back to a model."));
    ImGui::PopTextWrapPos();
    if (ImGui::Button(_("Close the import"))) ctx.commands.push_back(CloseImportedAttention{});
}

bool attention_view_ready(PanelContext& ctx) {
    const AppState& s = ctx.state;
    if (s.tokens.empty() || ctx.derived.forward.layers.empty()) {
        if (!ctx.derived.error.empty())
            ImGui::TextWrapped("%s", i18n::text(ctx.derived.error).c_str());
        else
            ImGui::TextDisabled(_("Nothing to show yet: type a sentence in the Tokens panel."));
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

namespace {

// Every English word or sentence the core returns for drawing (head labels and what they mean, attention
// patterns), marked for the catalogue here since core/ has no gettext.
constexpr const char* k_core_texts[] = {
    N_("previous-token"),
    N_("first-token"),
    N_("referent"),
    N_("agreement"),
    N_("induction"),
    N_("broad"),
    N_("mixed"),
    N_("self"),
    N_("previous token"),
    N_("first token"),
    N_("Each word mostly looks at the word just before it: a positional head."),
    N_("Most words look at the first token, a resting place when nothing else is useful."),
    N_("At \"it\" this head looks at the noun \"it\" means: a semantic head."),
    N_("At a verb this head looks at its subject, which decides is or are: a syntactic head."),
    N_("At a repeated token this head looks at what followed it last time, to copy it."),
    N_("Attention is spread over many words: this head averages rather than picks."),
    N_("No single pattern dominates: this head does several things, or nothing we probe for.")};

} // namespace

const char* core_text(std::string_view english) {
    for (const char* t : k_core_texts)
        if (english == t) return _(t);
    thread_local std::string unknown; // not in the table: shown as the core gave it
    unknown.assign(english);
    return unknown.c_str();
}

std::vector<std::string_view> core_texts() {
    return {std::begin(k_core_texts), std::end(k_core_texts)};
}

std::string head_name(const AppState& s, int layer, int head) {
    const HeadReport* r = probed_head(s, layer, head);
    return r ? std::string(core_text(label_name(r->label))) : std::string();
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

std::string kv_group_text(const ModelConfig& c, int head) {
    const int per_group = c.n_kv_heads > 0 ? c.n_heads / c.n_kv_heads : 1;
    const int first = head / std::max(1, per_group) * per_group;
    if (per_group > 5) return std::to_string(first + 1) + "-" + std::to_string(first + per_group);
    std::string out;
    for (int h = first; h < first + per_group; ++h)
        out += (h > first ? ", " : "") + std::to_string(h + 1);
    return out;
}

void draw_head_badge(PanelContext& ctx, int head) {
    const ModelConfig& c = ctx.state.config;
    ImGui::SameLine();
    const float sz = ImGui::GetTextLineHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float y = p.y + (ImGui::GetFrameHeight() - sz) * 0.5f;
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + sz, y + sz), head_color(head),
                                              3.0f);
    ImGui::Dummy(ImVec2(sz, ImGui::GetFrameHeight()));
    if (c.n_kv_heads >= c.n_heads || c.n_kv_heads < 1) return;
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    const int kv = head / (c.n_heads / c.n_kv_heads);
    ImGui::TextDisabled(_("K/V head %d, shared by heads %s"), kv + 1, kv_group_text(c, head).c_str());
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(_("Under %s these query heads all read the same keys and values: their maps differ "
                            "only through their queries."),
                          c.n_kv_heads == 1 ? _("MQA") : _("GQA"));
}

void request_preset(UiState& ui, std::vector<Command>& commands, const Preset& preset) {
    commands.push_back(LoadPreset{preset.name});
    if (!*preset.view) return;
    const auto& list = panels();
    for (std::size_t i = 0; i < list.size(); ++i)
        if (std::string_view(list[i].name) == preset.view) show_panel(ui, static_cast<int>(i));
    ui.selected_query = preset.query;
    ui.selected_layer = std::numeric_limits<int>::max(); // the last layer, once the preset's model is shown
}

} // namespace attn

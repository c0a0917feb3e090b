// The Model panel's per-head switches (model_head_switches.hpp): one checkbox per query head, in its head
// colour, and for a trained model the change in the answer's probability at the selected position.
#include "model_head_switches.hpp"

#include "app/i18n/i18n.hpp"
#include "app/widgets/flow.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/number_format.hpp"
#include "app/widgets/palette.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace attn {

namespace {

// A trained model: the answer at the selected position with every head on, and its probability now.
void draw_answer_change(PanelContext& ctx, bool compact) {
    const Derived& d = ctx.derived;
    const int n = static_cast<int>(d.answer_all_on.size());
    if (n == 0) return;
    const int i = ctx.ui.selected_query >= 0 && ctx.ui.selected_query < n ? ctx.ui.selected_query : n - 1;
    const auto at = static_cast<std::size_t>(i);
    const std::string tok = ctx.state.tokens[at];
    if (!compact) // beside a lesson page the heatmap's banner names the answer; the bar is enough here
        ImGui::TextWrapped(
            _("At \"%s\" (token %d) the model answers \"%s\" with %s of its probability with every "
              "head on%s."),
            tok.c_str(), i + 1, d.answer_all_on[at].c_str(), format_percent(d.answer_prob_all_on[at]).c_str(),
            ctx.ui.selected_query < 0 ? _(" (select a row in the heatmap to pick another position)") : "");
    const float now = d.answer_prob_now[at], before = d.answer_prob_all_on[at];
    // one sentence for the catalogue, so a language puts its own quotes and word for "was"
    char bar[256];
    std::snprintf(bar, sizeof bar, _("\"%s\" now %s (was %s)"), d.answer_all_on[at].c_str(),
                  format_percent(now).c_str(), format_percent(before).c_str());
    ImGui::ProgressBar(std::clamp(now, 0.0f, 1.0f), ImVec2(-1.0f, 0.0f), bar);
    record_region(ctx.ui, "model_answer", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    item_help(
        _("The probability the model gives its all-heads-on answer with the switches as they are now."));
}

// The switches as one line of heads per layer, without the per-head bars: what a lesson page beside the
// text has room for.
void draw_head_switch_grid(PanelContext& ctx, const ModelConfig& c) {
    const ImVec2 top = ImGui::GetCursorScreenPos();
    for (int l = 0; l < c.n_layers; ++l) {
        ImGui::AlignTextToFramePadding();
        ImGui::Text("L%d", l + 1);
        for (int h = 0; h < c.n_heads; ++h) {
            char label[16];
            std::snprintf(label, sizeof label, "H%d", h + 1);
            radio_same_line_if_fits("H00 ");
            ImGui::PushID(l * c.n_heads + h);
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float fh = ImGui::GetFrameHeight();
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + fh - 4.0f),
                                                      ImVec2(p.x + fh, p.y + fh), head_color(h),
                                                      1.0f); // the head's colour, as everywhere
            bool on = ctx.state.head_on(l, h);
            if (ImGui::Checkbox(label, &on)) ctx.commands.push_back(ToggleHead{l, h});
            item_help(_("Tick to keep this head, untick to remove its output from the layer."));
            ImGui::PopID();
        }
    }
    record_region(
        ctx.ui, "model_switch_grid", top,
        ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x, ImGui::GetItemRectMax().y));
}

} // namespace

void draw_head_switches(PanelContext& ctx, const ModelConfig& c, bool compact) {
    const Derived& d = ctx.derived;
    const bool trained = ctx.state.trained != nullptr;
    ImGui::TextUnformatted(_("Heads on/off"));
    help_marker(
        trained ? _("Switch a head off to remove its output (ablation) and watch what happens to the trained "
                    "model's answer at the selected position: its probability with every head on, and now. "
                    "Each head's bar shows that probability if only its switch were flipped. A head whose "
                    "removal leaves the answer standing did not decide it, however bright its map is.")
                : _("Switch a head off to remove its output, as if it had never been trained (ablation). The "
                    "bar shows how much the model's output changes: the size of the change compared with "
                    "everything the attention layers add to the tokens. A big change means the head "
                    "matters here; a small one means other heads or the residual stream carry the same "
                    "information."));
    ImGui::SameLine();
    if (ImGui::SmallButton(_("all on"))) ctx.commands.push_back(SetAllHeads{true});
    if (trained) {
        draw_answer_change(ctx, compact);
    } else if (!compact) {
        const std::string total = std::string(_("output change ")) + format_percent(d.ablation_change);
        ImGui::ProgressBar(std::clamp(d.ablation_change, 0.0f, 1.0f), ImVec2(-1.0f, 0.0f), total.c_str());
        record_region(ctx.ui, "model_ablation", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
        item_help(_("‖output − output with every head on‖ ÷ ‖what attention adds with every head on‖."));
    }

    if (compact) {
        draw_head_switch_grid(ctx, c);
        return;
    }
    const int n = c.n_layers * c.n_heads, n_tokens = ctx.state.n_tokens();
    const bool effects = d.head_effect.size() == static_cast<std::size_t>(n);
    const bool answers =
        trained && d.answer_prob_flip.size() == static_cast<std::size_t>(n * n_tokens) && n_tokens > 0;
    const int pos =
        ctx.ui.selected_query >= 0 && ctx.ui.selected_query < n_tokens ? ctx.ui.selected_query : n_tokens - 1;
    ImGui::BeginChild("##heads", ImVec2(0, 0), false);
    ImGuiListClipper clip;
    clip.Begin(n);
    while (clip.Step()) {
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
            const int l = i / c.n_heads, h = i % c.n_heads;
            ImGui::PushID(i);
            bool on = ctx.state.head_on(l, h);
            std::string label = "L";
            label += std::to_string(l + 1);
            label += " H";
            label += std::to_string(h + 1);
            { // the head's colour, as in every view
                const ImVec2 p = ImGui::GetCursorScreenPos();
                const float sz = ImGui::GetFrameHeight() * 0.45f, fh = ImGui::GetFrameHeight();
                ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + (fh - sz) * 0.5f),
                                                          ImVec2(p.x + sz, p.y + (fh + sz) * 0.5f),
                                                          head_color(h), 2.0f);
                ImGui::Dummy(ImVec2(sz, fh));
                ImGui::SameLine();
            }
            if (ImGui::Checkbox(label.c_str(), &on)) ctx.commands.push_back(ToggleHead{l, h});
            item_help(_("Tick to keep this head, untick to remove its output from the layer."));
            ImGui::SameLine(ImGui::GetFontSize() * 6.0f);
            if (answers) {
                const float p = d.answer_prob_flip[static_cast<std::size_t>(i * n_tokens + pos)];
                const std::string txt = std::string(on ? _("off: ") : _("on: ")) + "\"" +
                                        d.answer_all_on[static_cast<std::size_t>(pos)] + "\" " +
                                        format_percent(p);
                ImGui::ProgressBar(std::clamp(p, 0.0f, 1.0f), ImVec2(-1.0f, 0.0f), txt.c_str());
                item_help(
                    _("The answer's probability at the selected position if you flipped only this switch."));
            } else if (effects) {
                const float e = d.head_effect[static_cast<std::size_t>(i)];
                const std::string txt =
                    std::string(on ? _("off would change ") : _("on would change ")) + format_percent(e);
                ImGui::ProgressBar(std::clamp(e, 0.0f, 1.0f), ImVec2(-1.0f, 0.0f), txt.c_str());
                item_help(_("How much the output would move if you flipped only this switch now."));
            } else {
                ImGui::TextDisabled(_("(not computed: %d switches × %d tokens is over the budget of %d)"), n,
                                    n_tokens, k_head_effect_budget);
            }
            ImGui::PopID();
        }
    }
    ImGui::EndChild();
}

} // namespace attn

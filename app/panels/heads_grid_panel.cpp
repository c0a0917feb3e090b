// Heads grid: a thumbnail of the weights of every (layer, head) with its mean entropy and pattern label
// (core/stats.hpp) under it; clicking one focuses that head in every view. Switched-off heads are marked.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/state/views.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/number_format.hpp"
#include "app/widgets/palette.hpp"
#include "core/rng.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace attn {

namespace {

void head_tooltip(const AppState& s, const HeadResult& h, int layer, int head) {
    const HeadStats& st = h.stats;
    ImGui::BeginTooltip();
    ImGui::Text(_("layer %d, head %d%s"), layer + 1, head + 1,
                s.head_on(layer, head) ? "" : _("  (switched off)"));
    if (s.config.n_kv_heads != s.config.n_heads)
        ImGui::TextDisabled(_("reads key/value head %d"), h.kv_head + 1);
    ImGui::Separator();
    if (const HeadReport* r = probed_head(s, layer, head)) {
        ImGui::Text(_("what it does: %s"), core_text(label_name(r->label)));
        ImGui::TextWrapped("%s", core_text(label_meaning(r->label)));
        ImGui::TextDisabled(
            _("probed on the held-out sentences of its task: referent %.0f%%, agreement %.0f%%, "
              "previous token %.0f%%, induction %.0f%% of rows point there"),
            100.0 * r->referent.hit, 100.0 * r->agreement.hit, 100.0 * r->previous_token.hit,
            100.0 * r->induction.hit);
    }
    ImGui::Text(_("pattern on this text: %s"), core_text(to_string(st.pattern)));
    ImGui::Text(_("mean entropy %.2f nats (%.0f%% of the most spread-out possible)"),
                static_cast<double>(st.mean_entropy), 100.0 * static_cast<double>(st.mean_norm_entropy));
    ImGui::Text(_("on itself %s   on the previous token %s   on the first token %s"),
                format_whole_percent(st.self_mass).c_str(), format_whole_percent(st.previous_mass).c_str(),
                format_whole_percent(st.first_mass).c_str());
    ImGui::Text(_("largest weight %.2f   mean distance looked back or ahead %.1f tokens"),
                static_cast<double>(st.max_weight), static_cast<double>(st.mean_distance));
    ImGui::TextDisabled(_("Click to show this head in every view."));
    ImGui::EndTooltip();
}

// Where the grid is drawn and how big each thumbnail is; the bounds of everything drawn so far.
struct GridLayout {
    float thumb = 0, caption_h = 0;
    float frame = 2;  // width of the head-colour frame; the selection frame is drawn a frame further out
    float margin = 0; // room kept around a thumbnail for both frames, so they touch no label
    float cell() const { return thumb + 2.0f * margin; } // a thumbnail's width with its margins
    int cell_px = 1;
    ImVec2 min{1e9f, 1e9f}, max{-1e9f, -1e9f};
};

// One thumbnail with its frame in the head's colour and its two-line caption; clicking selects the head.
void draw_thumb(PanelContext& ctx, int l, int h, GridLayout& g, std::vector<float>& values) {
    const AppState& s = ctx.state;
    UiState& ui = ctx.ui;
    const HeadResult& head =
        ctx.derived.forward.layers[static_cast<std::size_t>(l)].heads[static_cast<std::size_t>(h)];
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int n = s.n_tokens();
    const float thumb = g.thumb;
    ImGui::PushID(l * 1024 + h);
    const ImVec2 c0 = ImGui::GetCursorScreenPos();
    const ImVec2 p0(c0.x + g.margin, c0.y + g.margin);
    const ImVec2 p1(p0.x + thumb, p0.y + thumb);
    const std::string slot = "grid:" + std::to_string(l) + ":" + std::to_string(h);
    const std::uint64_t key = mix_seed(s.revision, static_cast<std::uint64_t>(l * 1024 + h));
    HeatmapImage img{nullptr, n, n, 0.0f, 1.0f, g.cell_px};
    if (!ctx.textures.is_current(slot, key, n, n, g.cell_px)) {
        values = masked_weights(head.scores, weights_of(head));
        img.values = values.data();
    } else {
        img.values = weights_of(head).data(); // not read: the texture is already up to date
    }
    dl->AddImage(ctx.textures.texture(slot, key, img), p0, p1, ImVec2(0, 1), ImVec2(1, 0));
    const bool on = s.head_on(l, h);
    const bool selected = l == ui.selected_layer && h == ui.selected_head && !ui.mean_over_heads;
    if (!on) {
        dl->AddRectFilled(p0, p1, IM_COL32(10, 10, 14, 170));
        dl->AddLine(p0, p1, IM_COL32(235, 90, 80, 220), 2.0f);
        dl->AddLine(ImVec2(p0.x, p1.y), ImVec2(p1.x, p0.y), IM_COL32(235, 90, 80, 220), 2.0f);
        const ImVec2 ts = ImGui::CalcTextSize(_("off"));
        dl->AddRectFilled(ImVec2(p0.x + (thumb - ts.x) * 0.5f - 4, p0.y + (thumb - ts.y) * 0.5f - 2),
                          ImVec2(p0.x + (thumb + ts.x) * 0.5f + 4, p0.y + (thumb + ts.y) * 0.5f + 2),
                          IM_COL32(20, 20, 24, 230), 3.0f);
        dl->AddText(ImVec2(p0.x + (thumb - ts.x) * 0.5f, p0.y + (thumb - ts.y) * 0.5f),
                    IM_COL32(255, 140, 120, 255), "off");
    }
    ImGui::InvisibleButton("##thumb", ImVec2(g.cell(), g.cell() + g.caption_h));
    const bool hovered = ImGui::IsItemHovered();
    if (ImGui::IsItemClicked()) {
        ui.selected_layer = l;
        ui.selected_head = h;
        ui.mean_over_heads = false;
    }
    // the frame is the head's colour; selection adds a second, outer frame in the text colour
    const float fw = g.frame;
    dl->AddRect(ImVec2(p0.x - fw * 0.5f, p0.y - fw * 0.5f), ImVec2(p1.x + fw * 0.5f, p1.y + fw * 0.5f),
                head_color(h), 0.0f, 0, fw);
    if (selected || hovered)
        dl->AddRect(ImVec2(p0.x - fw * 2.0f, p0.y - fw * 2.0f), ImVec2(p1.x + fw * 2.0f, p1.y + fw * 2.0f),
                    ImGui::GetColorU32(ImGuiCol_Text, selected ? 1.0f : 0.5f), 0.0f, 0, selected ? fw : 1.0f);
    if (selected) // the frame's outer edge (its line is fw wide, centred on the rectangle above)
        record_region(ui, "heads_grid_selection", ImVec2(p0.x - fw * 2.5f, p0.y - fw * 2.5f),
                      ImVec2(p1.x + fw * 2.5f, p1.y + fw * 2.5f));
    // caption: head number and entropy, then the pattern label
    char line1[48];
    std::snprintf(line1, sizeof line1, _("h%d H %.2f"), h + 1, static_cast<double>(head.stats.mean_entropy));
    const ImU32 text = on ? ImGui::GetColorU32(ImGuiCol_Text) : ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const float lh = ImGui::GetTextLineHeight();
    const float cap = p1.y + g.margin; // below the selection frame
    dl->PushClipRect(ImVec2(p0.x, cap), ImVec2(p1.x, cap + g.caption_h), true);
    dl->AddText(ImVec2(p0.x + 2, cap + 1), text, line1);
    if (selected)
        record_region(ui, "heads_grid_caption", ImVec2(p0.x + 2, cap + 1), ImVec2(p1.x, cap + 1 + 2.0f * lh));
    const std::string probed = head_name(s, l, h); // a trained head is named by what it does
    dl->AddText(ImVec2(p0.x + 2, cap + 1 + lh),
                probed.empty() ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : text,
                probed.empty() ? core_text(to_string(head.stats.pattern)) : probed.c_str());
    dl->PopClipRect();
    if (hovered) head_tooltip(s, head, l, h);
    g.min = ImVec2(std::min(g.min.x, p0.x), std::min(g.min.y, p0.y));
    g.max = ImVec2(std::max(g.max.x, p1.x), std::max(g.max.y, cap + g.caption_h));
    ImGui::PopID();
}

} // namespace

void draw_heads_grid_panel(PanelContext& ctx) {
    const AppState& s = ctx.state;
    UiState& ui = ctx.ui;
    if (!attention_view_ready(ctx)) return;
    const ModelConfig& c = s.config;
    const bool grouped = c.n_kv_heads < c.n_heads;
    const int per_group = grouped ? c.n_heads / c.n_kv_heads : 1;
    ImGui::Text("%s × %s", i18n::format(P_("%d layer", "%d layers", c.n_layers), c.n_layers).c_str(),
                i18n::format(P_("%d head", "%d heads", c.n_heads), c.n_heads).c_str());
    help_marker(
        _("Every head of every layer at a glance, each as a small heatmap (queries down, keys across). "
          "Under each: its mean entropy H in nats — low means the head focuses on a few tokens, high means "
          "it spreads its attention — and a pattern label: \"self\", \"previous token\" or \"first token\" "
          "when at least half of the attention goes there, \"broad\" when it is spread almost evenly, "
          "\"mixed\" otherwise.\n\nWith random weights most heads look alike; trained models grow distinct "
          "heads (previous-token heads, induction heads, ...). A dimmed, crossed thumbnail is a head "
          "switched off in the Model panel. Each head keeps its colour in every view."));
    if (grouped) {
        ImGui::PushTextWrapPos(0.0f);
        if (c.n_kv_heads == 1)
            ImGui::TextDisabled(
                _("MQA: every query head reads the one key/value head, so they share one box."));
        else
            ImGui::TextDisabled(_("GQA: each box holds the %d query heads that read one key/value head."),
                                per_group);
        ImGui::PopTextWrapPos();
    }

    const float font = ImGui::GetFontSize();
    const ImGuiStyle& st = ImGui::GetStyle();
    ImGui::BeginChild("##grid", ImVec2(0, 0), false);
    const float avail = ImGui::GetContentRegionAvail().x;
    // a group box adds a margin on each side and a gap to the next box
    const float pad = grouped ? font * 0.5f : 0.0f;
    const float group_extra = grouped ? 2.0f * pad + st.ItemSpacing.x : 0.0f;
    GridLayout g;
    g.caption_h = ImGui::GetTextLineHeight() * 2.0f + 4.0f;
    g.frame = std::max(2.0f, font * 0.15f);
    g.margin = g.frame * 2.5f + 1.0f;
    // as large as fits with all heads of a layer on one row, within readable bounds
    const float want = (avail - (st.ItemSpacing.x + 2.0f * g.margin) * static_cast<float>(c.n_heads) -
                        group_extra * static_cast<float>(grouped ? c.n_kv_heads : 0)) /
                       static_cast<float>(c.n_heads);
    g.thumb = std::clamp(want, font * 4.5f, font * 11.0f);
    g.cell_px = heatmap_cell_px(s.n_tokens(), g.thumb);
    std::vector<float> values;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float right = ImGui::GetWindowContentRegionMax().x;
    for (int l = 0; l < c.n_layers; ++l) {
        if (c.n_layers > 1) ImGui::TextDisabled(_("layer %d"), l + 1);
        if (!grouped) {
            for (int h = 0; h < c.n_heads; ++h) {
                if (h > 0) {
                    ImGui::SameLine();
                    if (ImGui::GetCursorPosX() + g.cell() > right) ImGui::NewLine();
                }
                draw_thumb(ctx, l, h, g, values);
            }
            continue;
        }
        // GQA / MQA: one box per key/value head around the query heads that read it
        for (int kv = 0; kv < c.n_kv_heads; ++kv) {
            const float box_w = static_cast<float>(per_group) * (g.cell() + st.ItemSpacing.x) + 2.0f * pad;
            if (kv > 0) {
                ImGui::SameLine(0.0f, st.ItemSpacing.x * 2.0f);
                if (ImGui::GetCursorPosX() + std::min(box_w, right * 0.5f) > right) ImGui::NewLine();
            }
            ImGui::PushID(l * 1024 + kv + 512);
            const ImVec2 box0 = ImGui::GetCursorScreenPos();
            ImGui::BeginGroup();
            const float box_left = ImGui::GetCursorPosX();
            ImGui::Dummy(ImVec2(0.0f, pad * 0.2f)); // the label sits inside the box, clear of its top edge
            ImGui::SetCursorPosX(box_left + pad * 0.5f);
            ImGui::TextDisabled(_("K/V head %d"), kv + 1);
            if (l == 0 && kv == 0)
                record_region(ui, "heads_grid_kv_label", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
            ImGui::SetCursorPosX(box_left + pad);
            ImGui::Indent(pad);
            for (int i = 0; i < per_group; ++i) {
                const int h = kv * per_group + i;
                if (i > 0) {
                    ImGui::SameLine();
                    if (ImGui::GetCursorPosX() + g.cell() + pad > right) ImGui::NewLine();
                }
                draw_thumb(ctx, l, h, g, values);
            }
            ImGui::Unindent(pad);
            ImGui::Dummy(ImVec2(0.0f, pad * 0.5f));
            ImGui::EndGroup();
            const ImVec2 box1(std::max(ImGui::GetItemRectMax().x, box0.x + box_w - st.ItemSpacing.x),
                              ImGui::GetItemRectMax().y);
            dl->AddRect(box0, box1, ImGui::GetColorU32(ImGuiCol_Text, 0.55f), font * 0.3f, 0, 1.5f);
            ImGui::PopID();
        }
    }
    record_region(ui, "heads_grid", g.min, g.max);
    ImGui::EndChild();
}

} // namespace attn

// Model panel: d_model, layers, heads with n_kv_heads as one MHA → GQA → MQA slider and a diagram of the
// shared K/V heads, mask, positions, temperature, seed and implementation; the per-head switches with the
// change in the answer are drawn by model_head_switches.cpp. Choices that validate() refuses are shown
// disabled with its reason.
#include "model_head_switches.hpp"
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/widgets/flow.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/number_format.hpp"
#include "app/widgets/palette.hpp"
#include "app/widgets/theme.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace attn {

namespace {

// A combo entry for a candidate configuration: disabled, with validate()'s reason, when it is invalid.
bool config_option(const char* label, bool selected, const ModelConfig& candidate) {
    const std::string why = i18n::text(validate(candidate));
    const bool picked = ImGui::Selectable(label, selected, why.empty() ? 0 : ImGuiSelectableFlags_Disabled);
    if (!why.empty() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", why.c_str());
    return picked && why.empty();
}

std::vector<int> divisors_descending(int n) {
    std::vector<int> d;
    for (int k = n; k >= 1; --k)
        if (n % k == 0) d.push_back(k);
    return d;
}

// Which K/V head each query head reads: query heads on top, K/V heads below, a line per pair.
void draw_kv_diagram(const ModelConfig& c) {
    const int n_q = c.n_heads, n_kv = c.n_kv_heads;
    const float fs = ImGui::GetFontSize();
    const float label_w = ImGui::CalcTextSize(_("K/V heads ")).x;
    const float width = ImGui::GetContentRegionAvail().x - label_w;
    const float box = std::clamp(width / static_cast<float>(n_q) * 0.7f, 3.0f, fs * 1.2f);
    const float height = box * 2.0f + fs * 1.6f;
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const ImVec2 o(start.x + label_w, start.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const auto x_of = [&](int i, int n) {
        return o.x + (static_cast<float>(i) + 0.5f) * width / static_cast<float>(n);
    };
    const float y_q = o.y + box * 0.5f, y_kv = o.y + height - box * 0.5f;
    // query heads in their own colours (the same as in every view); K/V heads neutral, numbered
    for (int h = 0; h < n_q; ++h) {
        const int g = kv_head_of(c, h);
        const ImU32 u = head_color(h);
        dl->AddLine(ImVec2(x_of(h, n_q), y_q + box * 0.5f), ImVec2(x_of(g, n_kv), y_kv - box * 0.5f), u,
                    1.5f);
        const ImVec2 a(x_of(h, n_q) - box * 0.5f, y_q - box * 0.5f),
            b(x_of(h, n_q) + box * 0.5f, y_q + box * 0.5f);
        dl->AddRectFilled(a, b, u, 2.0f);
        const std::string num = std::to_string(h + 1);
        const ImVec2 ts = ImGui::CalcTextSize(num.c_str());
        if (ts.x < box * 1.05f)
            dl->AddText(ImVec2(x_of(h, n_q) - ts.x * 0.5f, y_q - ts.y * 0.5f), ink_on_head(h), num.c_str());
    }
    for (int g = 0; g < n_kv; ++g) {
        const float w = std::max(box, std::min(width / static_cast<float>(n_kv) * 0.6f, fs * 3.0f));
        const ImVec2 a(x_of(g, n_kv) - w * 0.5f, y_kv - box * 0.5f),
            b(x_of(g, n_kv) + w * 0.5f, y_kv + box * 0.5f);
        dl->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_FrameBg), 2.0f);
        dl->AddRect(a, b, text, 2.0f);
        const std::string num = std::to_string(g + 1);
        const ImVec2 ts = ImGui::CalcTextSize(num.c_str());
        if (ts.x < w * 1.05f)
            dl->AddText(ImVec2(x_of(g, n_kv) - ts.x * 0.5f, y_kv - ts.y * 0.5f), text, num.c_str());
    }
    dl->AddText(ImVec2(start.x, y_q - fs * 0.5f), text, _("queries"));
    dl->AddText(ImVec2(start.x, y_kv - fs * 0.5f), text, _("K/V heads"));
    ImGui::Dummy(ImVec2(width + label_w, height));
}

// The preferred width of a control, narrowed so its label and (?) marker still fit on the line (the
// sidebar is narrow at 1280x800 with presentation-size text), but never below three characters.
float fitted_width(const char* label, float preferred_em) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float room = ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(label).x -
                       ImGui::CalcTextSize("(?)").x - style.ItemInnerSpacing.x - style.ItemSpacing.x * 2.0f;
    return std::max(ImGui::GetFontSize() * 3.0f, std::min(ImGui::GetFontSize() * preferred_em, room));
}

void draw_size_controls(PanelContext& ctx, const ModelConfig& c, bool advanced, bool compact) {
    if (advanced) {
        ImGui::SetNextItemWidth(fitted_width("d_model", 7.0f));
        const std::string cur = std::to_string(c.d_model);
        if (ImGui::BeginCombo(_("d_model"), cur.c_str())) {
            for (const int d : {8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024}) {
                ModelConfig t = c;
                t.d_model = d;
                if (config_option(std::to_string(d).c_str(), d == c.d_model, t))
                    ctx.commands.push_back(SetDModel{d});
            }
            ImGui::EndCombo();
        }
        help_marker(
            _("The width of every token's vector. Each head works in a slice of width d_head = d_model / "
              "heads. Sizes that the head count does not divide are greyed out; hover them for the reason."));
        ImGui::SameLine();
    }
    int layers = c.n_layers;
    if (!compact) {
        ImGui::SetNextItemWidth(fitted_width(_("layers"), 6.0f));
        if (ImGui::SliderInt(_("layers"), &layers, 1, k_max_layers))
            ctx.commands.push_back(SetLayers{layers});
        help_marker(
            _("Attention blocks stacked one after another. Each layer reads what the previous one wrote into "
              "the tokens' vectors (the residual stream), so later layers can combine patterns."));
    }

    ImGui::SetNextItemWidth(fitted_width(_("query heads"), 7.0f));
    const std::string heads = std::to_string(c.n_heads);
    if (ImGui::BeginCombo(_("query heads"), heads.c_str())) {
        for (const int h : {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64}) {
            ModelConfig t = c;
            t.n_heads = h;
            // keep the kind: MHA stays MHA, MQA stays MQA, GQA keeps the nearest group count
            t.n_kv_heads = c.n_kv_heads == c.n_heads ? h
                           : c.n_kv_heads == 1       ? 1
                                                     : nearest_kv_divisor(h, c.n_kv_heads);
            if (config_option(std::to_string(h).c_str(), h == c.n_heads, t))
                ctx.commands.push_back(SetHeads{t.n_heads, t.n_kv_heads});
        }
        ImGui::EndCombo();
    }
    help_marker(
        _("Heads run attention side by side, each with its own query projection, so each can look for "
          "something different (the previous word, the subject, punctuation...). Counts that do not divide "
          "d_model are greyed out."));

    // n_kv_heads: one slider over the divisors of n_heads, from MHA (all) through GQA to MQA (one)
    const std::vector<int> divs = divisors_descending(c.n_heads);
    int idx = static_cast<int>(std::find(divs.begin(), divs.end(), c.n_kv_heads) - divs.begin());
    const int kv = c.n_kv_heads;
    std::string mha = "MHA: ";
    mha += std::to_string(kv);
    mha += kv == 1 ? _(" K/V head") : _(" K/V heads");
    std::string fmt = kv == c.n_heads ? mha
                      : kv == 1       ? _("MQA: 1 K/V head for all")
                                : std::string("GQA: ") + std::to_string(kv) + std::string(_(" K/V heads, ")) +
                                      std::to_string(c.n_heads / kv) + _(" queries each");
    // room for the label and its (?) marker to the right of the slider, whatever the font size
    const ImGuiStyle& style = ImGui::GetStyle();
    const float slider_w = ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(_("K/V heads")).x -
                           ImGui::CalcTextSize("(?)").x - style.ItemInnerSpacing.x -
                           style.ItemSpacing.x * 2.0f;
    // a narrow panel (a lesson's column, presentation text): shorter words rather than a cut-off label
    const std::string kind = kv == c.n_heads ? "MHA" : kv == 1 ? "MQA" : "GQA";
    const std::string texts[3] = {fmt, kind + ": " + std::to_string(kv) + " K/V",
                                  kind + " " + std::to_string(kv)};
    ImGui::SetNextItemWidth(slider_w);
    ImGui::BeginDisabled(divs.size() < 2);
    const ImVec2 frame0 = ImGui::GetCursorScreenPos();
    if (ImGui::SliderInt(_("K/V heads"), &idx, 0, static_cast<int>(divs.size()) - 1, "",
                         ImGuiSliderFlags_NoInput))
        ctx.commands.push_back(
            SetHeads{c.n_heads,
                     divs[static_cast<std::size_t>(std::clamp(idx, 0, static_cast<int>(divs.size()) - 1))]});
    // The value is written beside the grab, never under it: in the wider free side of the frame, with the
    // longest wording that fits there. The grab's place is the one ImGui gives an integer slider: as wide
    // as one step, moved over the frame less its 2 px padding.
    {
        const int steps = static_cast<int>(divs.size());
        const float inner = slider_w - 4.0f;
        const float grab = std::min(inner, std::max(inner / static_cast<float>(steps), style.GrabMinSize));
        const float t = steps > 1 ? static_cast<float>(idx) / static_cast<float>(steps - 1) : 0.0f;
        const float g0 = frame0.x + 2.0f + t * (inner - grab), g1 = g0 + grab;
        const float pad = style.FramePadding.x;
        const float left = g0 - frame0.x - 2.0f * pad, right = frame0.x + slider_w - g1 - 2.0f * pad;
        const bool on_right = right >= left;
        // one stop only (a single head): the grab fills the frame and the text goes over its middle
        const bool over = std::max(left, right) < ImGui::CalcTextSize(texts[2].c_str()).x;
        const float room = over ? slider_w - 2.0f * pad : std::max(left, right);
        const std::string* shown = &texts[2];
        for (const std::string& text : texts)
            if (ImGui::CalcTextSize(text.c_str()).x <= room) {
                shown = &text;
                break;
            }
        const float w = ImGui::CalcTextSize(shown->c_str()).x;
        const float x0 = on_right ? g1 + pad : frame0.x + pad;
        const float x = over ? frame0.x + std::max(pad, (slider_w - w) * 0.5f) : x0 + (room - w) * 0.5f;
        const float y = frame0.y + style.FramePadding.y;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->PushClipRect(frame0, ImVec2(frame0.x + slider_w, frame0.y + ImGui::GetFrameHeight()), true);
        dl->AddText(ImVec2(x, y), ImGui::GetColorU32(ImGuiCol_Text), shown->c_str());
        dl->PopClipRect();
        record_region(ctx.ui, "model_kv_value", ImVec2(x, y), ImVec2(x + w, y + ImGui::GetFontSize()));
        record_region(ctx.ui, "model_kv_grab", ImVec2(g0, frame0.y),
                      ImVec2(g1, frame0.y + ImGui::GetFrameHeight()));
    }
    ImGui::EndDisabled();
    help_marker(
        _("How many key/value heads the query heads share. Left: multi-head attention (MHA), every query "
          "head has its own keys and values. Middle: grouped-query attention (GQA, Ainslie et al. 2023), a "
          "group of query heads shares one. Right: multi-query attention (MQA, Shazeer 2019), all share a "
          "single one. Fewer K/V heads means a smaller cache when a model writes text, at a small cost in "
          "quality. The slider stops only at counts that divide the query heads."));
    draw_kv_diagram(c);
    record_region(ctx.ui, "model_kv_diagram", ImVec2(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y),
                  ImGui::GetItemRectMax());
    if (compact) return; // beside a lesson page, whose views show the cache
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped(_("K/V cache for these %d tokens: %s (MHA would need %s)"), ctx.state.n_tokens(),
                       format_bytes(ctx.derived.kv_cache_bytes).c_str(),
                       format_bytes(ctx.derived.kv_cache_bytes_mha).c_str()); // wraps in a narrow sidebar
    ImGui::PopStyleColor();
    item_help(_(
        "A model that writes text keeps every past token's keys and values: 2 · layers · K/V heads · d_head "
        "· tokens numbers (here 4 bytes each). Sharing K/V heads divides this memory."));
}

void draw_mask_controls(PanelContext& ctx, const ModelConfig& c) {
    int kind = static_cast<int>(c.mask);
    bool changed = false;
    changed |= ImGui::RadioButton(_("bidirectional"), &kind, static_cast<int>(MaskKind::Bidirectional));
    item_help(
        _("Every token may look at every token, before and after it, as in BERT. Used to understand a whole "
          "text at once."));
    radio_same_line_if_fits(_("causal"));
    changed |= ImGui::RadioButton(_("causal"), &kind, static_cast<int>(MaskKind::Causal));
    item_help(
        _("A token may look only at itself and the tokens before it, as in GPT: a model that writes one "
          "word at a time cannot read the future. The map becomes a lower triangle."));
    radio_same_line_if_fits(_("sliding window"));
    changed |= ImGui::RadioButton(_("sliding window"), &kind, static_cast<int>(MaskKind::SlidingWindow));
    item_help(_(
        "Causal, and only the last w tokens (itself included), as in Mistral 7B. Cost and cache grow with w "
        "instead of the whole length; information still travels further through the layers."));
    int window = c.window;
    if (c.mask == MaskKind::SlidingWindow) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
        if (ImGui::SliderInt(_("window w"), &window, 1, std::max(2, ctx.state.n_tokens()))) changed = true;
        help_marker(_("How many tokens each query sees: itself and the w - 1 before it."));
    }
    if (changed) ctx.commands.push_back(SetMask{static_cast<MaskKind>(kind), window});
    const int padded =
        static_cast<int>(std::count(ctx.state.key_valid.begin(), ctx.state.key_valid.end(), std::uint8_t{0}));
    ImGui::Text(P_("padding: %d token", "padding: %d tokens", padded), padded);
    help_marker(
        _("Mark tokens as padding in the Tokens panel (select a chip, tick Padding). The padding mask is "
          "applied on top of the mask above: nobody attends to a padding token."));
    if (padded > 0) {
        ImGui::SameLine();
        if (ImGui::SmallButton(_("clear padding")))
            for (int i = 0; i < ctx.state.n_tokens(); ++i)
                if (!ctx.state.key_valid[static_cast<std::size_t>(i)])
                    ctx.commands.push_back(SetPadding{i, false});
    }
}

constexpr const char* k_position_help[] = {
    N_("No position signal: attention sees a bag of words, so \"dog bites man\" and \"man bites dog\" give "
       "the "
       "same weights, only reordered."),
    N_("Sine and cosine waves of different frequencies are added to each embedding (Vaswani et al. 2017), so "
       "every position has its own fingerprint."),
    N_("A learned table adds one vector per position (as in GPT-2 and BERT). Here it is random, as before "
       "training."),
    N_("Rotary embeddings (Su et al. 2021, used by Llama): queries and keys are rotated by an angle that "
       "grows "
       "with the position, so q·k depends on the distance between the tokens."),
    N_("ALiBi (Press et al. 2021): nothing is added to the vectors; each head subtracts slope × distance "
       "from "
       "the scores, so far tokens get less attention, more so in some heads than others."),
};

void draw_position_controls(PanelContext& ctx, const ModelConfig& c) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
    if (ImGui::BeginCombo(_("positions"), _(to_string(c.positions)))) {
        for (int p = 0; p < 5; ++p) {
            ModelConfig t = c;
            t.positions = static_cast<PositionKind>(p);
            if (config_option(_(to_string(t.positions)), t.positions == c.positions, t))
                ctx.commands.push_back(SetPositions{t.positions});
            item_help(_(k_position_help[p]));
        }
        ImGui::EndCombo();
    }
    help_marker(_(k_position_help[static_cast<int>(c.positions)]));
}

void draw_numeric_controls(PanelContext& ctx, const ModelConfig& c, bool advanced) {
    float temp = c.temperature;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10.0f);
    if (ImGui::SliderFloat(_("temperature"), &temp, 0.05f, 10.0f, "%.2f",
                           ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
        ctx.commands.push_back(SetTemperature{temp});
    help_marker(
        _("Scores are divided by the temperature before the softmax. Below 1 the biggest score wins almost "
          "everything (sharp, one bright cell per row); above 1 the weights even out (flat rows)."));
    if (!advanced) return;
    int seed = static_cast<int>(std::min<std::uint64_t>(c.seed, 1000000));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
    if (ImGui::InputInt(_("weight seed"), &seed) && seed >= 0)
        ctx.commands.push_back(SetSeed{static_cast<std::uint64_t>(seed)});
    help_marker(
        _("The weights are random, as in a model before training; the seed picks which random weights. The "
          "same seed always gives the same pictures, so a class can follow along."));
    int impl = static_cast<int>(c.implementation);
    bool changed = ImGui::RadioButton(_("reference"), &impl, 0);
    item_help(_("Plain loops in textbook order: one score, one weight, one sum at a time. Slow and obviously "
                "right."));
    radio_same_line_if_fits(_("matrix"));
    changed |= ImGui::RadioButton(_("matrix"), &impl, 1);
    item_help(
        _("The same math as matrix products (Q Kᵀ, softmax, · V): what most libraries do. Stores the whole "
          "n × n score matrix."));
    radio_same_line_if_fits(_("flash"));
    changed |= ImGui::RadioButton(_("flash"), &impl, 2);
    item_help(
        _("FlashAttention (Dao et al. 2022): tiles of keys are visited with a running maximum and sum, so "
          "the n × n matrix is never stored. Same result up to rounding."));
    if (changed) ctx.commands.push_back(SetImplementation{static_cast<Implementation>(impl)});
    ImGui::TextDisabled(_("attention took %s (whole update %s)"),
                        format_ms(ctx.derived.forward.attention_ms).c_str(),
                        format_ms(ctx.derived.compute_ms).c_str());
    item_help(
        _("Wall time of the selected implementation for all heads and layers, measured when the state last "
          "changed. The whole update includes embeddings and the extra passes for the head switches."));
}

// What a lesson page asks the learner to do with the Model panel, read from its "try it" checks: the
// panel then shows only those controls, so they fit beside the lesson text on a projector.
struct ModelSections {
    bool size = true, mask = true, positions = true, numbers = true, switches = true;
    bool focused = false; // some sections are hidden for the page
};

ModelSections lesson_sections(const UiState& ui) {
    ModelSections all;
    const LessonUi& l = ui.lesson;
    if (!l.lesson || l.show_all_model || l.page < 0 || l.page >= static_cast<int>(l.lesson->pages.size()))
        return all;
    ModelSections s{false, false, false, false, false, true};
    for (const LessonTask& t : l.lesson->pages[static_cast<std::size_t>(l.page)].tasks)
        for (const LessonCheck& c : t.checks)
            switch (c.quantity) {
            case LessonQuantity::Heads:
            case LessonQuantity::KvHeads:
            case LessonQuantity::Layers:
            case LessonQuantity::DModel:
                s.size = true;
                break;
            case LessonQuantity::Mask:
                s.mask = true;
                break;
            case LessonQuantity::Positions:
                s.positions = true;
                break;
            case LessonQuantity::Implementation:
                s.numbers = true;
                break;
            case LessonQuantity::HeadsOff:
            case LessonQuantity::Off:
                s.switches = true;
                break;
            default:
                break;
            }
    return s.size || s.mask || s.positions || s.numbers || s.switches ? s : all;
}

} // namespace

void draw_model_panel(PanelContext& ctx) {
    const ModelConfig& c = ctx.state.config;
    const bool advanced = !ctx.ui.comfort.presentation;
    if (const ImportedAttention* a = ctx.state.imported.get()) {
        ImGui::TextWrapped(
            _("Imported attention \"%s\": %d layers × %d heads over %d tokens, computed by another "
              "program. There is no model here: no weights to change, no heads to switch off, "
              "no answers. Pick a layer and head in the attention views."),
            a->name.c_str(), a->n_layers, a->n_heads, a->n_tokens());
        if (ImGui::SmallButton(_("close the import"))) ctx.commands.push_back(CloseImportedAttention{});
        return;
    }
    const ModelSections show = lesson_sections(ctx.ui);
    if (ctx.state.trained && show.focused) { // beside a lesson page: the model's name is enough
        ImGui::TextDisabled("%s",
                            _(ctx.state.trained_title.c_str())); // the catalogue names the built-in models
    } else if (ctx.state.trained) {
        ImGui::TextWrapped(
            _("Showing %s: %s mask, %s positions, %s. The mask, temperature and implementation can "
              "be tried on it; any other model control returns to the live untrained model."),
            _(ctx.state.trained_title.c_str()), _(to_string(c.mask)), _(to_string(c.positions)),
            c.n_kv_heads == c.n_heads ? _("multi-head (MHA)")
            : c.n_kv_heads == 1       ? _("multi-query (MQA)")
                                      : _("grouped-query (GQA)"));
        if (ImGui::SmallButton(_("back to the live model"))) ctx.commands.push_back(ClearTrainedModel{});
        ImGui::Separator();
    }
    if (!ctx.derived.error.empty())
        ImGui::TextColored(text_tones().error, "%s", i18n::text(ctx.derived.error).c_str());
    if (show.size) {
        draw_size_controls(ctx, c, advanced, show.focused);
        ImGui::Separator();
    }
    if (show.mask) draw_mask_controls(ctx, c);
    if (show.positions) draw_position_controls(ctx, c);
    if (show.numbers) draw_numeric_controls(ctx, c, advanced);
    if (show.mask || show.positions || show.numbers) ImGui::Separator();
    if (show.switches) draw_head_switches(ctx, c, show.focused);
    if (show.focused) { // a lesson page: only what its task needs, the rest one click away
        if (ImGui::SmallButton(_("show every control"))) ctx.ui.lesson.show_all_model = true;
        item_help(_("This page of the lesson needs only the controls above. Show the rest of the Model panel "
                    "(it stays so until the next page)."));
    }
}

} // namespace attn

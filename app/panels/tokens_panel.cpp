// Tokens panel: presets, the sentence box, the token count against the live limit, and the tokens as chips
// that can be selected, edited in place (double-click), dragged to a new place, inserted, deleted and
// marked as padding.
#include "panel_context.hpp"

#include "app/state/trained_model.hpp"

#include "app/i18n/i18n.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/soft_wrap.hpp"
#include "app/widgets/theme.hpp"
#include "core/rng.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace attn {

namespace {

constexpr const char* k_drag_type = "ATTN_TOKEN";

void draw_presets(PanelContext& ctx) {
    ImGui::TextUnformatted(_("Presets"));
    help_marker(_("Ready-made sentences with model settings that show something. Ctrl+1 to Ctrl+5 load them "
                  "from the keyboard during a lesson."));
    const auto& list = presets();
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (*list[i].view) continue; // presets that open a view are offered in that view and the menu
        if (i > 0) ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(list[i].name).x + ImGui::GetFontSize())
            ImGui::NewLine();
        if (ImGui::SmallButton(list[i].name)) request_preset(ctx.ui, ctx.commands, list[i]);
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
            ImGui::TextUnformatted(_(list[i].title));
            ImGui::Separator();
            ImGui::TextUnformatted(_(list[i].description));
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
    }
    // the trained models: where heads mean something (the presets above run the random live model)
    ImGui::TextDisabled(_("trained"));
    item_help(_("Small models trained by this app, whose heads learned a real pattern. Loading one shows its "
                "example sentence; edit the tokens to test it (words it never saw become <unk>)."));
    for (const TrainedPreset& t : trained_presets()) {
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(t.name).x + ImGui::GetFontSize())
            ImGui::NewLine();
        const bool shown = ctx.state.trained && ctx.state.trained_source == t.name;
        if (shown) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::SmallButton(t.name)) ctx.commands.push_back(LoadTrainedModel{t.name});
        if (shown) ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
            ImGui::TextUnformatted(_(t.title));
            ImGui::Separator();
            ImGui::TextUnformatted(_(t.description));
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
    }
}

// Keeps the sentence box wrapped while it is edited: ImGui hands the live buffer to this callback every
// frame, and a rewrap only swaps spaces and newlines, so the cursor stays where it was.
int rewrap_callback(ImGuiInputTextCallbackData* data) {
    const float width = *static_cast<const float*>(data->UserData);
    if (soft_wrap(data->Buf, data->BufTextLen, width)) data->BufDirty = true;
    return 0;
}

void draw_sentence(PanelContext& ctx) {
    UiState& ui = ctx.ui;
    if (ui.text_buffer_revision != ctx.state.revision && unwrapped(ui.text_buffer) != ctx.state.text)
        ui.text_buffer = ctx.state.text;
    ui.text_buffer_revision = ctx.state.revision;
    ImGui::TextUnformatted(_("Sentence"));
    help_marker(_("Type any text. It is split into tokens: words and punctuation marks. Each token becomes a "
                  "vector (its embedding) plus a position signal, and attention decides how much each token "
                  "looks at every other one. Every edit recomputes the attention live."));
    const float box_h = ImGui::GetTextLineHeightWithSpacing() * (ui.comfort.presentation ? 2.5f : 3.5f);
    // the width a line may take inside the box: its frame padding and a vertical scrollbar left out
    float wrap_w = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().FramePadding.x * 2.0f -
                   ImGui::GetStyle().ScrollbarSize - ImGui::GetFontSize() * 0.5f;
    // an idle box is rewrapped here (the panel may have been resized); while it is edited ImGui keeps its
    // own copy, which the callback rewraps
    soft_wrap(ui.text_buffer, wrap_w);
    if (ImGui::InputTextMultiline("##sentence", &ui.text_buffer, ImVec2(-1.0f, box_h),
                                  ImGuiInputTextFlags_CallbackAlways, rewrap_callback, &wrap_w)) {
        std::string text = unwrapped(ui.text_buffer);
        if (text != ctx.state.text) ctx.commands.push_back(SetText{std::move(text)}); // not on a mere rewrap
    }
    record_region(ui, "tokens_sentence", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());

    const int n = ctx.state.n_tokens();
    const float frac = static_cast<float>(n) / static_cast<float>(k_max_live_tokens);
    const std::string label =
        std::to_string(n) + std::string(" / ") + std::to_string(k_max_live_tokens) + _(" tokens");
    ImGui::ProgressBar(frac, ImVec2(ImGui::GetFontSize() * 12.0f, 0.0f), label.c_str());
    help_marker(
        _("The live view recomputes everything on each keystroke, so it holds at most this many tokens; "
          "longer text is cut with a message. Attention compares every token with every other one: twice "
          "the tokens is four times the work."));
    if (!ui.status.empty()) {
        // long messages (a script's list of known commands) are cut here; the tooltip has all of it
        constexpr std::size_t k_max_chars = 160;
        const bool cut = ui.status.size() > k_max_chars;
        const std::string shown = cut ? ui.status.substr(0, k_max_chars) + "..." : ui.status;
        ImGui::PushStyleColor(ImGuiCol_Text, text_tones().warning);
        ImGui::TextWrapped("%s", shown.c_str());
        ImGui::PopStyleColor();
        if (cut) item_help(ui.status.c_str());
    }
}

// The text a chip shows: padding in brackets, a word the trained model does not know marked with "*".
std::string chip_text(const PanelContext& ctx, int i) {
    const auto si = static_cast<std::size_t>(i);
    const bool padded = si < ctx.state.key_valid.size() && !ctx.state.key_valid[si];
    const bool unknown = si < ctx.derived.token_unknown.size() && ctx.derived.token_unknown[si] != 0;
    const std::string& t = ctx.state.tokens[si];
    return (padded ? "[" + t + "]" : t) + (unknown ? "*" : "");
}

// Where every chip goes, wrapped to `width` (relative to the chips area); kept until the tokens, the
// width, the text size or the chip being edited change, so thousands of chips are not measured each frame.
const ChipLayoutCache& chip_layout(PanelContext& ctx, float width) {
    ChipLayoutCache& c = ctx.ui.long_input.chips;
    const ImGuiStyle& st = ImGui::GetStyle();
    const std::uint64_t key =
        mix_seed(mix_seed(ctx.state.revision, static_cast<std::uint64_t>(width * 4.0f)),
                 mix_seed(static_cast<std::uint64_t>(ImGui::GetFontSize() * 64.0f),
                          static_cast<std::uint64_t>(ctx.ui.comfort.editing_token + 1)));
    if (c.key == key) return c;
    const int n = ctx.state.n_tokens();
    c.pos.assign(static_cast<std::size_t>(n), ImVec2());
    c.width.assign(static_cast<std::size_t>(n), 0.0f);
    const float row_h = ImGui::GetFrameHeight() + st.ItemSpacing.y;
    float x = 0, y = 0;
    for (int i = 0; i < n; ++i) {
        const float w = ctx.ui.comfort.editing_token == i
                            ? ImGui::GetFontSize() * 7.0f
                            : ImGui::CalcTextSize(chip_text(ctx, i).c_str()).x + st.FramePadding.x * 2.0f;
        if (i > 0) {
            x += st.ItemSpacing.x;
            if (x + w > width) x = 0, y += row_h;
        }
        c.pos[static_cast<std::size_t>(i)] = ImVec2(x, y);
        c.width[static_cast<std::size_t>(i)] = w;
        x += w;
    }
    c.height = n > 0 ? y + ImGui::GetFrameHeight() : 0.0f;
    c.key = key;
    return c;
}

bool matches_find(const std::string& token, const std::string& find) {
    if (find.empty()) return false;
    const auto lower = [](char ch) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    };
    return std::search(token.begin(), token.end(), find.begin(), find.end(),
                       [&](char a, char b) { return lower(a) == lower(b); }) != token.end();
}

// The search box: typing or Enter jumps to the next token containing the text (any case), selects it
// everywhere and scrolls the chips (and a zoomed heatmap) to it.
void draw_find(PanelContext& ctx) {
    LongInputUi& li = ctx.ui.long_input;
    const int n = ctx.state.n_tokens();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
    const bool edited = ImGui::InputTextWithHint("##find", _("find a token"), &li.token_find);
    const bool enter = ImGui::IsItemDeactivatedAfterEdit() ||
                       (ImGui::IsItemFocused() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)));
    item_help(
        _("Type part of a word to jump to the first token that contains it; Enter or \"next\" goes on "
          "to the next one. The token is selected in every view, and a zoomed heatmap moves to its row."));
    ImGui::SameLine();
    const bool next = ImGui::SmallButton(_("next"));
    int count = 0, rank = 0;
    for (int i = 0; i < n; ++i)
        if (matches_find(ctx.state.tokens[static_cast<std::size_t>(i)], li.token_find)) {
            ++count;
            if (i <= li.token_find_at) ++rank;
        }
    if ((edited || enter || next) && count > 0) {
        const int from = edited ? -1 : li.token_find_at; // new text: from the start
        int hit = -1;
        for (int k = 1; k <= n && hit < 0; ++k) {
            const int i = ((from + k) % n + n) % n;
            if (matches_find(ctx.state.tokens[static_cast<std::size_t>(i)], li.token_find)) hit = i;
        }
        li.token_find_at = hit;
        ctx.ui.selected_query = hit;
        li.token_scroll = true;
        MapZoom& z = li.heatmap_zoom;
        if (z.zoom > 1.0f) {
            const float v = (static_cast<float>(hit) + 0.5f) / static_cast<float>(n);
            center_map(z, z.zoom, z.u0 + 0.5f / z.zoom, v, max_map_zoom(n));
        }
        rank = 0;
        for (int i = 0; i <= hit; ++i)
            if (matches_find(ctx.state.tokens[static_cast<std::size_t>(i)], li.token_find)) ++rank;
    }
    if (!li.token_find.empty()) {
        ImGui::SameLine();
        if (count == 0)
            ImGui::TextDisabled(_("no token contains it"));
        else if (li.token_find_at >= 0 && li.token_find_at < n && rank > 0)
            ImGui::TextDisabled(_("%d of %d (token %d)"), rank, count, li.token_find_at);
        else
            ImGui::TextDisabled(_("%d found"), count);
    }
}

// One chip at `pos` in the chips area: a button (click selects, double-click edits, drag moves), or an
// input field while edited.
void draw_chip(PanelContext& ctx, int i, ImVec2 pos, float w) {
    UiState& ui = ctx.ui;
    ComfortUi& c = ui.comfort;
    const std::string& t = ctx.state.tokens[static_cast<std::size_t>(i)];
    const bool padded = static_cast<std::size_t>(i) < ctx.state.key_valid.size() &&
                        !ctx.state.key_valid[static_cast<std::size_t>(i)];
    const ImGuiStyle& st = ImGui::GetStyle();
    const bool unknown = static_cast<std::size_t>(i) < ctx.derived.token_unknown.size() &&
                         ctx.derived.token_unknown[static_cast<std::size_t>(i)] != 0;
    const std::string shown = chip_text(ctx, i);
    (void)st;
    ImGui::SetCursorPos(pos);
    ImGui::PushID(i);
    if (c.editing_token == i) {
        ImGui::SetNextItemWidth(w);
        if (c.focus_edit) {
            ImGui::SetKeyboardFocusHere();
            c.focus_edit = false;
        }
        const bool done =
            ImGui::InputText("##edit", &c.edit_buffer,
                             ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
        if (done) {
            ctx.commands.push_back(EditToken{i, c.edit_buffer});
            c.editing_token = -1;
        } else if (ImGui::IsItemDeactivated()) {
            c.editing_token = -1; // clicked elsewhere or Esc: no change
        }
        ImGui::PopID();
        return;
    }
    const bool selected = i == ui.selected_query;
    int colors = 0;
    if (selected)
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive)), ++colors;
    if (padded)
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled)), ++colors;
    const bool found = matches_find(t, ui.long_input.token_find);
    if (unknown) ImGui::PushStyleColor(ImGuiCol_Border, text_tones().warning), ++colors;
    if (found)
        ImGui::PushStyleColor(ImGuiCol_Border, ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram)), ++colors;
    if (unknown || found) ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 2.0f);
    if (ImGui::Button(shown.c_str(), ImVec2(w, 0))) ui.selected_query = selected ? -1 : i;
    if (unknown || found) ImGui::PopStyleVar();
    ImGui::PopStyleColor(colors);
    if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        c.editing_token = i;
        c.edit_buffer = t;
        c.focus_edit = true;
        ui.selected_query = i;
    }
    if (ImGui::IsItemHovered() && !ImGui::IsMouseDragging(ImGuiMouseButton_Left))
        ImGui::SetTooltip(
            _("token %d: \"%s\"%s%s\nclick: select it everywhere · double-click: edit · drag: move"), i,
            t.c_str(), padded ? _(" (padding)") : "",
            unknown ? _(" — unknown to this model, read as <unk>") : "");
    if (ImGui::BeginDragDropSource()) {
        ImGui::SetDragDropPayload(k_drag_type, &i, sizeof i);
        ImGui::Text(_("move \"%s\""), t.c_str());
        ImGui::EndDragDropSource();
    }
    if (ImGui::BeginDragDropTarget()) {
        if (const ImGuiPayload* p = ImGui::AcceptDragDropPayload(k_drag_type)) {
            const int from = *static_cast<const int*>(p->Data);
            ctx.commands.push_back(MoveToken{from, i});
            if (ui.selected_query == from) ui.selected_query = i;
        }
        ImGui::EndDragDropTarget();
    }
    ImGui::PopID();
}

// Keeps the next small button (or a checkbox: `extra` is its box) on this line when it fits, else starts a
// new line: the labels are longer in some languages than in English.
void same_line_if_fits(const char* next_label, float extra = 0.0f) {
    const ImGuiStyle& st = ImGui::GetStyle();
    const float w =
        ImGui::CalcTextSize(next_label).x + st.FramePadding.x * 2.0f + st.ItemInnerSpacing.x + extra;
    const float right_edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + st.ItemSpacing.x + w <= right_edge) ImGui::SameLine();
}

void draw_selected_actions(PanelContext& ctx) {
    UiState& ui = ctx.ui;
    ComfortUi& c = ui.comfort;
    const int n = ctx.state.n_tokens();
    const int i = ui.selected_query;
    ImGui::BeginDisabled(i < 0);
    const int at = std::max(i, 0);
    if (ImGui::SmallButton(_("< Move"))) {
        ctx.commands.push_back(MoveToken{at, at - 1});
        if (at > 0) ui.selected_query = at - 1;
    }
    item_help(
        _("Swap the selected token with the one before it. Word order matters only through the position "
          "signal: with positions set to none, reordering changes nothing but the order of rows."));
    same_line_if_fits(_("Move >"));
    if (ImGui::SmallButton(_("Move >"))) {
        ctx.commands.push_back(MoveToken{at, at + 1});
        if (at + 1 < n) ui.selected_query = at + 1;
    }
    item_help(_("Swap the selected token with the one after it."));
    same_line_if_fits(_("Edit"));
    if (ImGui::SmallButton(_("Edit"))) {
        c.editing_token = at;
        c.edit_buffer =
            ctx.state.tokens.empty() ? std::string{} : ctx.state.tokens[static_cast<std::size_t>(at)];
        c.focus_edit = true;
    }
    item_help(_("Change the selected token in place (or double-click a chip). Enter keeps the change, Esc "
                "drops it."));
    same_line_if_fits(_("Delete"));
    if (ImGui::SmallButton(_("Delete"))) {
        ctx.commands.push_back(DeleteToken{at});
        ui.selected_query = -1;
    }
    item_help(_("Remove the selected token; every row and column of the maps loses it."));
    same_line_if_fits(_("Padding"), ImGui::GetFrameHeight());
    bool padded = i >= 0 && static_cast<std::size_t>(i) < ctx.state.key_valid.size() &&
                  !ctx.state.key_valid[static_cast<std::size_t>(i)];
    if (ImGui::Checkbox(_("Padding"), &padded)) ctx.commands.push_back(SetPadding{at, padded});
    item_help(
        _("Padding fills a sentence up to the length of the longest one in a batch. A padding mask hides "
          "such tokens as keys: no query may attend to them, so their columns are masked in every map. "
          "(This is not the causal mask, which hides the future.)"));
    ImGui::EndDisabled();

    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
    ImGui::InputText("##insert", &c.insert_buffer);
    item_help(_("The text of the token to insert. One token per chip: no spaces."));
    ImGui::SameLine();
    const int where = i >= 0 ? i + 1 : n;
    if (ImGui::SmallButton(i >= 0 ? _("Insert after selected") : _("Append")))
        ctx.commands.push_back(InsertToken{where, c.insert_buffer});
    item_help(
        _("Add a token without retyping the sentence: after the selected chip, or at the end when none is "
          "selected."));
}

} // namespace

void draw_tokens_panel(PanelContext& ctx) {
    // presentation mode keeps the room for the tokens; the Presets menu and Ctrl+1 … Ctrl+5 still load them
    if (!ctx.ui.comfort.presentation) draw_presets(ctx);
    draw_sentence(ctx);
    ImGui::Separator();
    const int n = ctx.state.n_tokens();
    if (n == 0) {
        ImGui::TextDisabled(_("No tokens yet."));
        ImGui::TextWrapped(
            _("Type a sentence above, for example: The animal didn't cross the street because it "
              "was too tired. Or pick a preset."));
        if (ImGui::SmallButton(_("Append")))
            ctx.commands.push_back(InsertToken{0, ctx.ui.comfort.insert_buffer});
        return;
    }
    if (!ctx.ui.comfort.presentation) draw_selected_actions(ctx);
    draw_find(ctx);
    const float min_h = ImGui::GetFrameHeightWithSpacing() * 2.0f;
    ImGui::BeginChild("##chips", ImVec2(0, std::max(ImGui::GetContentRegionAvail().y, min_h)), false);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, ImGui::GetFontSize() * 0.4f);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(st.ItemSpacing.x * 0.6f, st.ItemSpacing.y * 0.8f));
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const ImVec2 start = ImGui::GetCursorPos();
    const ChipLayoutCache& layout = chip_layout(ctx, width);
    LongInputUi& li = ctx.ui.long_input;
    const int sel = ctx.ui.selected_query;
    if (li.token_scroll && sel >= 0 && sel < n) {
        ImGui::SetScrollY(start.y + layout.pos[static_cast<std::size_t>(sel)].y -
                          ImGui::GetWindowHeight() * 0.4f);
        li.token_scroll = false;
    }
    // only the chips in the scrolled view are drawn: thousands of buttons would cost every frame
    const float view_top = ImGui::GetScrollY() - start.y - ImGui::GetFrameHeight();
    const float view_bottom = ImGui::GetScrollY() + ImGui::GetWindowHeight();
    for (int i = 0; i < n; ++i) {
        const ImVec2 p = layout.pos[static_cast<std::size_t>(i)];
        if (p.y < view_top || p.y > view_bottom) continue;
        draw_chip(ctx, i, ImVec2(start.x + p.x, start.y + p.y), layout.width[static_cast<std::size_t>(i)]);
    }
    ImGui::SetCursorPos(start);
    ImGui::Dummy(ImVec2(width, layout.height));
    ImGui::PopStyleVar(2);
    record_region(ctx.ui, "tokens_chips", top,
                  ImVec2(top.x + width, top.y + std::min(layout.height, ImGui::GetWindowHeight())));
    ImGui::EndChild();
}

} // namespace attn

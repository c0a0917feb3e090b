// The workspace: one undecorated host window filling the work area, with the sidebar and the view panes as
// child regions and draggable splitters between them (see workspace.hpp).
#include "workspace.hpp"

#include "app/i18n/i18n.hpp"
#include "app/ui/lesson_pane.hpp"
#include "app/widgets/help_marker.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace attn {

namespace {

bool is_view(int index) {
    return panels()[static_cast<std::size_t>(index)].place == PanelPlace::View;
}

std::vector<int> open_in_pane(const UiState& ui, int pane) {
    std::vector<int> out;
    for (int i = 0; i < static_cast<int>(panels().size()); ++i)
        if (is_view(i) && ui.panel_open[static_cast<std::size_t>(i)] && pane_of(ui, i) == pane)
            out.push_back(i);
    return out;
}

// A bar between two regions that can be dragged; returns how far it moved this frame (pixels).
float splitter(const char* id, ImVec2 pos, ImVec2 size, bool vertical) {
    ImGui::SetCursorScreenPos(pos);
    ImGui::InvisibleButton(id, size);
    const bool hot = ImGui::IsItemHovered() || ImGui::IsItemActive();
    if (hot) ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
    if (hot) {
        const ImU32 col =
            ImGui::GetColorU32(ImGui::IsItemActive() ? ImGuiCol_SeparatorActive : ImGuiCol_SeparatorHovered);
        const ImVec2 c(pos.x + size.x * 0.5f, pos.y + size.y * 0.5f);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        if (vertical)
            dl->AddLine(ImVec2(c.x, pos.y), ImVec2(c.x, pos.y + size.y), col, 2.0f);
        else
            dl->AddLine(ImVec2(pos.x, c.y), ImVec2(pos.x + size.x, c.y), col, 2.0f);
    }
    if (!ImGui::IsItemActive()) return 0.0f;
    const ImVec2 d = ImGui::GetIO().MouseDelta;
    return vertical ? d.x : d.y;
}

void record_panel(UiState& ui, int index, ImVec2 pos, ImVec2 size) {
    record_region(ui, std::string("panel:") + panels()[static_cast<std::size_t>(index)].name, pos,
                  ImVec2(pos.x + size.x, pos.y + size.y));
}

// A sidebar panel: a bordered region whose menu bar carries the name and a close button. Returns the
// height its content wanted (borders and menu bar included).
float draw_sidebar_panel(PanelContext& ctx, int index, ImVec2 pos, ImVec2 size) {
    float wanted = size.y;
    const PanelInfo& p = panels()[static_cast<std::size_t>(index)];
    ImGui::SetCursorScreenPos(pos);
    if (ImGui::BeginChild(p.name, size, true, ImGuiWindowFlags_MenuBar)) {
        if (ImGui::BeginMenuBar()) {
            ImGui::TextUnformatted(_(p.name));
            const float close_w = ImGui::CalcTextSize("\xC3\x97").x + ImGui::GetStyle().FramePadding.x * 2.0f;
            ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - close_w);
            if (ImGui::SmallButton(_("\xC3\x97"))) ctx.ui.panel_open[static_cast<std::size_t>(index)] = false;
            item_help(_("Close this panel; the View menu opens it again."));
            ImGui::EndMenuBar();
        }
        record_panel(ctx.ui, index, pos, size);
        p.draw(ctx);
        // content coordinates: the menu bar, the padding and everything drawn, whatever the scroll
        wanted = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
    }
    ImGui::EndChild();
    return wanted;
}

void tab_menu(UiState& ui, int index, int pane) {
    if (!ImGui::BeginPopupContextItem()) return;
    LayoutUi& l = ui.layout;
    const auto i = static_cast<std::size_t>(index);
    if (!l.split) {
        if (ImGui::MenuItem(_("Show beside the other views"))) {
            l.split = true;
            l.side[i] = 1;
            l.select[1] = index;
        }
    } else if (ImGui::MenuItem(pane == 0 ? _("Move to the right pane") : _("Move to the left pane"))) {
        l.side[i] = pane == 0 ? 1 : 0;
        l.select[1 - pane] = index;
    }
    if (ImGui::MenuItem(_("Close"))) ui.panel_open[i] = false;
    ImGui::EndPopup();
}

// Whether every open view's tab fits across the pane at its full name.
bool tabs_fit(const std::vector<int>& views, float width) {
    const ImGuiStyle& st = ImGui::GetStyle();
    float need = st.WindowPadding.x * 2.0f;
    for (const int i : views)
        need += ImGui::CalcTextSize(panels()[static_cast<std::size_t>(i)].name).x + st.FramePadding.x * 2.0f +
                ImGui::GetFontSize() + st.ItemInnerSpacing.x * 2.0f;
    return need <= width;
}

// When the tabs do not fit (a narrow pane, presentation text): one list of every view instead, its front
// view named, so no view hides behind a scrolled tab bar. A view not open yet opens here.
void view_list(UiState& ui, int pane, const std::vector<int>& views) {
    LayoutUi& l = ui.layout;
    const int front = l.select[pane] >= 0 ? l.select[pane] : l.shown[pane];
    const bool known = std::find(views.begin(), views.end(), front) != views.end();
    const int shown = known ? front : views.front();
    const auto at = std::find(views.begin(), views.end(), shown) - views.begin();
    char preview[160];
    std::snprintf(preview, sizeof preview, _("%s   (view %d of %d)"),
                  _(panels()[static_cast<std::size_t>(shown)].name), static_cast<int>(at) + 1,
                  static_cast<int>(views.size()));
    ImGui::SetNextItemWidth(-1.0f);
    if (ImGui::BeginCombo("##view_list", preview, ImGuiComboFlags_HeightLargest)) {
        for (int i = 0; i < static_cast<int>(panels().size()); ++i) {
            if (!is_view(i)) continue;
            const auto k = static_cast<std::size_t>(i);
            const bool open = ui.panel_open[k];
            if (open && pane_of(ui, i) != pane) continue; // shown in the other pane's list
            if (ImGui::Selectable(_(panels()[k].name), i == front)) {
                if (!open && l.split) l.side[k] = static_cast<std::uint8_t>(pane);
                show_panel(ui, i);
            }
        }
        ImGui::EndCombo();
    }
    tab_menu(ui, shown, pane); // right-click: the tab's menu (show beside the others, move, close)
    item_help(_("Every view: the tabs do not fit across this pane, so pick the one to show here. Ctrl+Page "
                "Down and Ctrl+Page Up step through the open ones; right-click for the view's menu."));
}

void empty_pane_hint(const UiState& ui, int pane) {
    ImGui::Spacing();
    ImGui::TextDisabled(_("No view is open here."));
    ImGui::TextWrapped(
        _("Open one from the View menu%s."),
        ui.layout.split && pane == 1
            ? _(", or right-click a tab in the left pane and choose \"Move to the right pane\"")
            : "");
}

// A pane of views: a tab per open view, and the one in front drawn below the tabs.
void draw_pane(PanelContext& ctx, int pane, ImVec2 pos, ImVec2 size) {
    UiState& ui = ctx.ui;
    LayoutUi& l = ui.layout;
    const std::vector<int> views = open_in_pane(ui, pane);
    ImGui::SetCursorScreenPos(pos);
    ImGui::PushID(pane);
    if (!ImGui::BeginChild("##pane", size, true,
                           ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse)) {
        ImGui::EndChild();
        ImGui::PopID();
        return;
    }
    if (views.empty()) {
        l.shown[pane] = -1;
        empty_pane_hint(ui, pane);
        ImGui::EndChild();
        ImGui::PopID();
        return;
    }
    // A view asked to the front is drawn at once; ImGui's tab bar selects its tab when it next lays out.
    const auto wanted = [&](int i) { return std::find(views.begin(), views.end(), i) != views.end(); };
    if (l.select[pane] >= 0 && !wanted(l.select[pane])) l.select[pane] = -1;
    int tab_front = -1;
    const bool listed = !tabs_fit(views, size.x);
    ImGuiStorage* storage = ImGui::GetStateStorage();
    const ImGuiID listed_id = ImGui::GetID("##listed");
    // back from the list to tabs: the tab bar is told which view the list had in front
    if (!listed && storage->GetBool(listed_id) && l.select[pane] < 0 && wanted(l.shown[pane]))
        l.select[pane] = l.shown[pane];
    storage->SetBool(listed_id, listed);
    if (listed) {
        view_list(ui, pane, views);
    } else if (ImGui::BeginTabBar("##views", ImGuiTabBarFlags_FittingPolicyScroll |
                                                 ImGuiTabBarFlags_TabListPopupButton)) {
        for (const int i : views) {
            bool open = true;
            const ImGuiTabItemFlags f = l.select[pane] == i ? ImGuiTabItemFlags_SetSelected : 0;
            const char* name = panels()[static_cast<std::size_t>(i)].name;
            const bool front = ImGui::BeginTabItem(i18n::label_id(_(name), name).c_str(), &open, f);
            tab_menu(ui, i, pane);
            if (front) {
                tab_front = i;
                ImGui::EndTabItem();
            }
            if (!open) ui.panel_open[static_cast<std::size_t>(i)] = false;
        }
        ImGui::EndTabBar();
    }
    int shown = l.select[pane] >= 0 ? l.select[pane] : tab_front;
    if (l.select[pane] >= 0 && (l.select[pane] == tab_front || listed)) l.select[pane] = -1;
    if (shown < 0) shown = wanted(l.shown[pane]) ? l.shown[pane] : views.front();
    l.shown[pane] = shown;
    record_panel(ui, shown, pos, size);
    const PanelInfo& view = panels()[static_cast<std::size_t>(shown)];
    // a view that reads the arrow keys itself keeps ImGui's keyboard navigation from moving on them too
    if (ImGui::BeginChild("##view", ImVec2(0, 0), false, view.own_keys ? ImGuiWindowFlags_NoNavInputs : 0)) {
        if (view.caption) { // the key idea stays on screen, where a class can read it
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextDisabled("%s", _(view.caption));
            ImGui::PopTextWrapPos();
            record_region(ctx.ui, std::string("caption:") + view.name, ImGui::GetItemRectMin(),
                          ImGui::GetItemRectMax());
        }
        if (ctx.state.imported && view.needs_model)
            draw_import_has_only_weights(ctx, view.name);
        else
            view.draw(ctx);
        if (view.own_keys && ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows))
            ui.lesson.view_has_keys = true;
    }
    ImGui::EndChild();
    ImGui::EndChild();
    ImGui::PopID();
}

// The lesson pane and the splitter beside it; returns the width taken, gap included. The sidebar panels a
// page opens (the Model panel) sit below the page's text in the same column, so the views keep the rest of
// the screen's width instead of sharing it three ways.
float draw_lesson_column(PanelContext& ctx, ImVec2 inner, ImVec2 avail, float gap,
                         const std::vector<int>& side_panels) {
    const float em = ImGui::GetFontSize();
    float& frac = ctx.ui.lesson.pane_frac;
    const float lo = std::min(em * 12.0f, avail.x * 0.5f), hi = std::max(lo, avail.x - em * 12.0f);
    // with a panel below the text the column is 15% wider: its lines are fewer, the panel's rows longer
    const float widen = side_panels.empty() ? 1.0f : 1.15f;
    const float w = std::clamp(frac * widen * avail.x, lo, hi);
    if (side_panels.empty()) {
        draw_lesson_pane(ctx, inner, ImVec2(w, avail.y));
    } else {
        // the text as tall as it needs and the panels below as tall as they need (last frame's heights);
        // when both do not fit, each gets its share, the text between 30% and 70% of the column
        LessonUi& l = ctx.ui.lesson;
        const float text_want = l.wanted_h > 0.0f ? l.wanted_h : avail.y * 0.5f;
        ImGuiStorage* storage = ImGui::GetStateStorage();
        const ImGuiID side_id = ImGui::GetID("##side_wanted");
        const float side_seen = storage->GetFloat(side_id, 0.0f);
        const float side_want = side_seen > 0.0f ? side_seen : avail.y * 0.5f;
        const float room = avail.y - gap * static_cast<float>(side_panels.size());
        const float text_h =
            text_want + side_want <= room
                ? text_want
                : std::clamp(room * text_want / (text_want + side_want), avail.y * 0.3f, avail.y * 0.7f);
        draw_lesson_pane(ctx, inner, ImVec2(w, text_h));
        const float each = (room - text_h) / static_cast<float>(side_panels.size());
        float y = inner.y + text_h + gap, wanted = 0.0f;
        for (const int i : side_panels) {
            wanted += draw_sidebar_panel(ctx, i, ImVec2(inner.x, y), ImVec2(w, std::max(1.0f, each)));
            y += each + gap;
        }
        storage->SetFloat(side_id, wanted); // the height the panels below wanted, for the next frame
    }
    if (const float d = splitter("##lesson_split", ImVec2(inner.x + w, inner.y), ImVec2(gap, avail.y), true);
        d != 0.0f)
        frac = std::clamp((w + d) / avail.x / widen, 0.15f, 0.85f);
    return w + gap;
}

} // namespace

void ensure_layout(UiState& ui) {
    const auto& list = panels();
    if (ui.panel_open.size() != list.size()) {
        ui.panel_open.clear();
        for (const auto& p : list)
            ui.panel_open.push_back(p.open_by_default);
    }
    ui.layout.side.resize(list.size(), 0);
}

int pane_of(const UiState& ui, int index) {
    const auto i = static_cast<std::size_t>(index);
    return ui.layout.split && i < ui.layout.side.size() && ui.layout.side[i] != 0 ? 1 : 0;
}

void show_panel(UiState& ui, int index) {
    ensure_layout(ui);
    if (index < 0 || index >= static_cast<int>(panels().size())) return;
    ui.panel_open[static_cast<std::size_t>(index)] = true;
    if (is_view(index)) ui.layout.select[pane_of(ui, index)] = index;
}

void set_split(UiState& ui, bool on) {
    ensure_layout(ui);
    LayoutUi& l = ui.layout;
    l.split = on;
    if (!on || !open_in_pane(ui, 1).empty()) return;
    const std::vector<int> left = open_in_pane(ui, 0);
    const int front = l.select[0] >= 0 ? l.select[0] : l.shown[0];
    for (const int i : left)
        if (i != front) {
            l.side[static_cast<std::size_t>(i)] = 1;
            l.select[1] = i;
            return;
        }
}

void draw_workspace(PanelContext& ctx, ImVec2 pos, ImVec2 size) {
    UiState& ui = ctx.ui;
    ensure_layout(ui);
    LayoutUi& l = ui.layout;
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
    // No background of its own: the frame is cleared to the window colour, which saves a software renderer
    // filling every pixel twice.
    constexpr ImGuiWindowFlags host = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground |
                                      ImGuiWindowFlags_NoScrollWithMouse;
    const bool visible = ImGui::Begin("##workspace", nullptr, host);
    ImGui::PopStyleVar(3);
    ui.lesson.view_has_keys = false; // set again below while such a view has the focus
    if (!visible) {
        ImGui::End();
        return;
    }
    const float gap = std::max(4.0f, std::round(ImGui::GetStyle().ItemSpacing.x));
    const float em = ImGui::GetFontSize();
    ImVec2 inner(pos.x + gap, pos.y + gap);
    ImVec2 avail(std::max(1.0f, size.x - 2.0f * gap), std::max(1.0f, size.y - 2.0f * gap));
    // the sidebar: Tokens above Model, either alone filling it
    std::vector<int> side_panels;
    for (int i = 0; i < static_cast<int>(panels().size()); ++i)
        if (!is_view(i) && ui.panel_open[static_cast<std::size_t>(i)]) side_panels.push_back(i);
    if (ui.lesson.lesson) { // the lesson's text on the left with the sidebar below it, the views beside
        const float w = draw_lesson_column(ctx, inner, avail, gap, side_panels);
        inner.x += w;
        avail.x = std::max(1.0f, avail.x - w);
        side_panels.clear();
    }
    float side_w = 0.0f;
    if (!side_panels.empty()) {
        const float lo = std::min(em * 12.0f, avail.x * 0.5f), hi = std::max(lo, avail.x - em * 16.0f);
        side_w = std::clamp(l.sidebar_frac * avail.x, lo, hi);
        float top_h = avail.y;
        if (side_panels.size() == 2) {
            const float lo_h = std::min(em * 5.0f, avail.y * 0.4f);
            top_h = std::clamp(l.sidebar_split * avail.y, lo_h, std::max(lo_h, avail.y - gap - lo_h));
        }
        draw_sidebar_panel(ctx, side_panels[0], inner, ImVec2(side_w, top_h));
        if (side_panels.size() == 2) {
            const ImVec2 bottom(inner.x, inner.y + top_h + gap);
            draw_sidebar_panel(ctx, side_panels[1], bottom, ImVec2(side_w, avail.y - top_h - gap));
            if (const float d =
                    splitter("##sidebar_split", ImVec2(inner.x, inner.y + top_h), ImVec2(side_w, gap), false);
                d != 0.0f)
                l.sidebar_split = std::clamp((top_h + d) / avail.y, 0.05f, 0.95f);
        }
        if (const float d =
                splitter("##sidebar", ImVec2(inner.x + side_w, inner.y), ImVec2(gap, avail.y), true);
            d != 0.0f)
            l.sidebar_frac = std::clamp((side_w + d) / avail.x, 0.05f, 0.95f);
        side_w += gap;
    }

    // the views: one pane, or two side by side
    const ImVec2 views_pos(inner.x + side_w, inner.y);
    const float views_w = std::max(1.0f, avail.x - side_w);
    if (!l.split) {
        draw_pane(ctx, 0, views_pos, ImVec2(views_w, avail.y));
        l.shown[1] = -1;
    } else {
        const float lo = std::min(em * 10.0f, views_w * 0.5f);
        const float left_w = std::clamp(l.pane_frac * views_w, lo, std::max(lo, views_w - gap - lo));
        draw_pane(ctx, 0, views_pos, ImVec2(left_w, avail.y));
        draw_pane(ctx, 1, ImVec2(views_pos.x + left_w + gap, views_pos.y),
                  ImVec2(views_w - left_w - gap, avail.y));
        if (const float d =
                splitter("##panes", ImVec2(views_pos.x + left_w, views_pos.y), ImVec2(gap, avail.y), true);
            d != 0.0f)
            l.pane_frac = std::clamp((left_w + d) / views_w, 0.05f, 0.95f);
    }
    ImGui::End();
}

} // namespace attn

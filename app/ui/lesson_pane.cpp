// The lesson pane (lesson_pane.hpp). Text is laid out word by word, so bold words and code can sit inside a
// wrapped paragraph in their own fonts; each block reserves its height with a Dummy so the page scrolls.
#include "lesson_pane.hpp"

#include "app/i18n/i18n.hpp"
#include "app/ui/fonts.hpp"
#include "app/ui/lesson_runner.hpp"
#include "app/widgets/help_marker.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace attn {

namespace {

struct TextStyle {
    ImFont* regular;
    ImFont* bold;
    float size;
    ImU32 color;
};

// The colour of formulas and code: the theme's accent, darkened on a light background to stay readable.
ImU32 formula_color() {
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    if (bg.x + bg.y + bg.z > 1.5f) return IM_COL32(140, 80, 0, 255);
    return ImGui::GetColorU32(ImGuiCol_PlotHistogram);
}

TextStyle body_style() {
    ImFont* body = lesson_font(LessonFont::Body);
    ImFont* bold = lesson_font(LessonFont::Bold);
    if (!body) body = ImGui::GetFont();
    if (!bold) bold = body;
    return {body, bold, body->FontSize, ImGui::GetColorU32(ImGuiCol_Text)};
}

// Lays out spans from the cursor, wrapping at `right` (screen x) with following lines starting at `left`;
// draws when `draw`, and returns the height used.
float flow_spans(const std::vector<LessonSpan>& spans, const TextStyle& st, float left, float right,
                 bool draw) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const float line_h = st.size * 1.25f;
    float x = start.x, y = start.y;
    const ImU32 code_bg = ImGui::GetColorU32(ImGuiCol_FrameBg);
    for (const LessonSpan& span : spans) {
        ImFont* font = span.bold ? st.bold : st.regular;
        const ImU32 col = span.code ? formula_color() : st.color;
        const float space = font->CalcTextSizeA(st.size, FLT_MAX, 0.0f, " ").x;
        std::size_t i = 0;
        const std::string& t = span.text;
        while (i < t.size()) {
            if (t[i] == ' ') { // a space between words (kept at a span's edge, where a bold word starts)
                if (x > left) x += space;
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < t.size() && t[j] != ' ')
                ++j;
            const char* b = t.c_str() + i;
            const char* e = t.c_str() + j;
            const float w = font->CalcTextSizeA(st.size, FLT_MAX, 0.0f, b, e).x;
            if (x + w > right && x > left) {
                x = left;
                y += line_h;
            }
            if (draw) {
                if (span.code)
                    dl->AddRectFilled(ImVec2(x - 2, y), ImVec2(x + w + 2, y + st.size * 1.1f), code_bg, 3.0f);
                dl->AddText(font, st.size, ImVec2(x, y), col, b, e);
            }
            x += w;
            i = j;
        }
    }
    return y + line_h - start.y;
}

void text_block(const std::vector<LessonSpan>& spans, const TextStyle& st, float indent = 0.0f) {
    const float left = ImGui::GetCursorScreenPos().x + indent;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    ImGui::SetCursorScreenPos(ImVec2(left, ImGui::GetCursorScreenPos().y));
    const float h = flow_spans(spans, st, left, right, true);
    ImGui::Dummy(ImVec2(std::max(1.0f, right - left), h));
}

void draw_block(const LessonBlock& b, const TextStyle& body) {
    const float em = body.size;
    switch (b.kind) {
    case LessonBlockKind::Heading: {
        TextStyle h = body;
        if (ImFont* f = lesson_font(LessonFont::Bold)) h.regular = h.bold = f;
        h.color = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
        ImGui::Dummy(ImVec2(1, em * 0.2f));
        text_block(b.spans, h);
        break;
    }
    case LessonBlockKind::Paragraph:
        text_block(b.spans, body);
        ImGui::Dummy(ImVec2(1, em * 0.35f));
        break;
    case LessonBlockKind::Bullet:
    case LessonBlockKind::Numbered: {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const std::string mark = b.kind == LessonBlockKind::Bullet ? "\xE2\x80\xA2" : b.label;
        ImGui::GetWindowDrawList()->AddText(body.regular, body.size, ImVec2(p.x + em * 0.3f, p.y), body.color,
                                            mark.c_str());
        text_block(b.spans, body, em * 1.4f);
        ImGui::SetCursorScreenPos(ImVec2(p.x, ImGui::GetCursorScreenPos().y));
        break;
    }
    case LessonBlockKind::Formula:
    case LessonBlockKind::Code: {
        // a formula on its own line, in a tinted box: the class reads it as the slide's equation
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        TextStyle f = body;
        f.color = formula_color();
        std::vector<LessonSpan> plain = b.spans;
        for (auto& s : plain)
            s.code = false;
        const float pad = em * 0.4f;
        ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + pad));
        const float h = flow_spans(plain, f, p.x + pad, right - pad, false);
        ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(right, p.y + h + 2 * pad),
                                                  ImGui::GetColorU32(ImGuiCol_FrameBg), em * 0.2f);
        flow_spans(plain, f, p.x + pad, right - pad, true);
        ImGui::SetCursorScreenPos(p);
        ImGui::Dummy(ImVec2(std::max(1.0f, right - p.x), h + 2 * pad));
        ImGui::Dummy(ImVec2(1, em * 0.3f));
        break;
    }
    }
}

void draw_tasks(PanelContext& ctx, const LessonPage& page, const TextStyle& body) {
    LessonUi& l = ctx.ui.lesson;
    const double on_page = ImGui::GetTime() - l.page_entered_at;
    for (std::size_t i = 0; i < page.tasks.size(); ++i) {
        const LessonTask& t = page.tasks[i];
        const bool done = lesson_task_done(t, ctx.state, ctx.ui);
        if (done && i < l.task_seen_done.size()) l.task_seen_done[i] = 1;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        const float em = body.size, pad = em * 0.4f;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImU32 accent =
            done ? IM_COL32(80, 200, 120, 255) : ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
        // what to do, with a ✓ in front once the state shows it was done
        std::vector<LessonSpan> spans = {{done ? _("\xE2\x9C\x93 Done: ") : _("Try it: "), true, false},
                                         {t.task, false, false}};
        const bool hint_due = lesson_hint_due(t, done, on_page);
        if (hint_due) {
            spans.push_back({" Hint: ", true, false});
            spans.push_back({t.hint, false, false});
        }
        ImGui::SetCursorScreenPos(ImVec2(p.x + pad * 2, p.y + pad));
        const float h = flow_spans(spans, body, p.x + pad * 2, right - pad, false);
        dl->AddRectFilled(p, ImVec2(right, p.y + h + 2 * pad), ImGui::GetColorU32(ImGuiCol_FrameBg),
                          em * 0.2f);
        dl->AddRectFilled(p, ImVec2(p.x + pad * 0.6f, p.y + h + 2 * pad), accent);
        TextStyle st = body;
        flow_spans(spans, st, p.x + pad * 2, right - pad, true);
        ImGui::SetCursorScreenPos(p);
        ImGui::Dummy(ImVec2(std::max(1.0f, right - p.x), h + 2 * pad));
        record_region(ctx.ui, std::string("lesson_task_") + std::to_string(i), p,
                      ImVec2(right, p.y + h + 2 * pad));
        if (hint_due)
            record_region(ctx.ui, std::string("lesson_hint_") + std::to_string(i), p,
                          ImVec2(right, p.y + h + 2 * pad));
        ImGui::Dummy(ImVec2(1, em * 0.3f));
    }
}

} // namespace

void draw_lesson_pane(PanelContext& ctx, ImVec2 pos, ImVec2 size) {
    LessonUi& l = ctx.ui.lesson;
    if (!l.lesson || l.lesson->pages.empty()) return;
    const Lesson& lesson = *l.lesson;
    const int n = static_cast<int>(lesson.pages.size());
    const LessonPage& page = lesson.pages[static_cast<std::size_t>(std::clamp(l.page, 0, n - 1))];
    const TextStyle body = body_style();
    ImGui::SetCursorScreenPos(pos);
    if (!ImGui::BeginChild("##lesson", size, true, ImGuiWindowFlags_NoScrollbar)) {
        ImGui::EndChild();
        return;
    }
    record_region(ctx.ui, "lesson", pos, ImVec2(pos.x + size.x, pos.y + size.y));
    const ImGuiStyle& style = ImGui::GetStyle();
    // top line: the lesson's title and the page counter "4 / 16"
    const std::string counter = std::to_string(l.page + 1) + std::string(" / ") + std::to_string(n);
    const float counter_w = body.bold->CalcTextSizeA(body.size, FLT_MAX, 0, counter.c_str()).x;
    {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        ImGui::PushClipRect(p, ImVec2(right - counter_w - style.ItemSpacing.x, p.y + body.size * 1.3f), true);
        ImGui::TextDisabled("%s", lesson.title.c_str());
        ImGui::PopClipRect();
        ImGui::GetWindowDrawList()->AddText(body.bold, body.size, ImVec2(right - counter_w, p.y),
                                            ImGui::GetColorU32(ImGuiCol_Text), counter.c_str());
        record_region(ctx.ui, "lesson_counter", ImVec2(right - counter_w, p.y),
                      ImVec2(right, p.y + body.size));
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + body.size * 1.3f));
    }
    // the page, scrolling when it is longer than the pane; the buttons stay below it, and so do the "Try
    // it" boxes when the text would push them out of view (the class must see the task)
    const float buttons_h = ImGui::GetFrameHeightWithSpacing() + style.ItemSpacing.y;
    // (decided from the last frame's heights, kept in this window's storage)
    ImGuiStorage* kept = ImGui::GetStateStorage();
    const ImGuiID pin_id = ImGui::GetID("##pin_tasks"), tasks_h_id = ImGui::GetID("##tasks_h");
    const bool pinned = !page.tasks.empty() && kept->GetBool(pin_id, false);
    const float pinned_h = pinned ? kept->GetFloat(tasks_h_id, 0.0f) : 0.0f;
    const auto measure_tasks = [&] {
        const float y0 = ImGui::GetCursorPosY();
        draw_tasks(ctx, page, body);
        kept->SetFloat(tasks_h_id, ImGui::GetCursorPosY() - y0);
    };
    if (ImGui::BeginChild("##page", ImVec2(0, -(buttons_h + pinned_h)), false)) {
        if (ImGui::IsWindowAppearing() ||
            ImGui::GetStateStorage()->GetInt(ImGui::GetID("page"), -1) != l.page) {
            ImGui::SetScrollY(0.0f);
            ImGui::GetStateStorage()->SetInt(ImGui::GetID("page"), l.page);
        }
        // Down and Up scroll a page longer than the pane, so the keyboard reaches all of it
        if (!ImGui::GetIO().WantTextInput && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
            const float step = body.size * 3.0f;
            if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow)))
                ImGui::SetScrollY(ImGui::GetScrollY() + step);
            if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow)))
                ImGui::SetScrollY(ImGui::GetScrollY() - step);
        }
        const ImVec2 top = ImGui::GetCursorScreenPos();
        TextStyle title = body;
        if (ImFont* f = lesson_font(LessonFont::Heading)) {
            title.regular = title.bold = f;
            title.size = f->FontSize;
        }
        text_block({{page.title, true, false}}, title);
        ImGui::Dummy(ImVec2(1, body.size * 0.2f));
        for (const LessonBlock& b : page.blocks)
            draw_block(b, body);
        const float text_end = ImGui::GetCursorPosY(); // in the page's own coordinates, scroll included
        if (!pinned) measure_tasks();
        // pin when the text and the boxes do not both fit, unless the boxes alone would take over half of it
        const float page_h = ImGui::GetWindowHeight() + pinned_h, tasks_h = kept->GetFloat(tasks_h_id, 0.0f);
        kept->SetBool(pin_id, !page.tasks.empty() && text_end + tasks_h > page_h && tasks_h < page_h * 0.5f);
        if (!l.problems.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.6f, 0.3f, 1.0f));
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextUnformatted(_("This page's steps could not all be applied:"));
            for (const auto& m : l.problems)
                ImGui::BulletText("%s", m.c_str());
            ImGui::PopTextWrapPos();
            ImGui::PopStyleColor();
        }
        const ImVec2 end = ImGui::GetCursorScreenPos();
        // what the whole page needs: the title line above, this text (and the boxes), the buttons and the
        // borders below
        l.wanted_h = (top.y + ImGui::GetScrollY() - pos.y) + (end.y - top.y) + pinned_h + buttons_h +
                     style.WindowPadding.y * 2.0f + style.ItemSpacing.y * 2.0f;
        record_region(ctx.ui, "lesson_text", top,
                      ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x, end.y));
    }
    ImGui::EndChild();
    if (pinned) measure_tasks();
    // buttons: back, next, leave — the keys do the same (←, → or Space, Escape)
    ImGui::Separator();
    ImGui::BeginDisabled(l.page <= 0);
    if (ImGui::Button(_("\xE2\x86\x90 Back"))) l.requested_page = l.page - 1;
    ImGui::EndDisabled();
    item_help(
        _("The previous page (Left arrow or Page Up). Its steps are applied again, so the views show what "
          "its text talks about."));
    ImGui::SameLine();
    ImGui::BeginDisabled(l.page + 1 >= n);
    if (ImGui::Button(_("Next \xE2\x86\x92"))) l.requested_page = l.page + 1;
    ImGui::EndDisabled();
    item_help(_("The next page (Right arrow, Space or Page Down; Home and End jump to the first and last)."));
    ImGui::SameLine();
    if (ImGui::Button(_("Leave"))) l.leave_requested = true;
    item_help(_("Ends the lesson (Escape): your sentence, model and the panels open before it come back."));
    ImGui::EndChild();
}

void draw_lesson_error_window(UiState& ui) {
    std::string& err = ui.lesson.open_error;
    if (err.empty()) return;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.4f), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(display.x * 0.8f, ImGui::GetFontSize() * 40.0f), 0.0f),
                             ImGuiCond_Appearing);
    bool open = true;
    if (ImGui::Begin(L_("The lesson could not be opened", "lesson_error"), &open,
                     ImGuiWindowFlags_NoCollapse)) {
        const ImVec2 wp = ImGui::GetWindowPos(), ws = ImGui::GetWindowSize();
        record_region(ui, "lesson_error", wp, ImVec2(wp.x + ws.x, wp.y + ws.y));
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(
            _("Nothing was changed. Fix these lines in the lesson file and open it again:"));
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.6f, 0.3f, 1.0f));
        ImGui::TextUnformatted(err.c_str());
        ImGui::PopStyleColor();
        ImGui::PopTextWrapPos();
        if (ImGui::Button(_("Close"))) open = false;
    }
    ImGui::End();
    if (!open) err.clear();
}

} // namespace attn

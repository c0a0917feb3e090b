// The playground plane: world ↔ screen mapping, grid, arrows and draggable handles (see plane.hpp).
#include "plane.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace attn {

ImVec2 Plane::to_screen(float x, float y) const {
    const float sx = (max.x - min.x) / (2.0f * extent), sy = (max.y - min.y) / (2.0f * extent);
    return ImVec2(min.x + (x + extent) * sx, max.y - (y + extent) * sy);
}

ImVec2 Plane::to_world(ImVec2 s) const {
    const float x = (s.x - min.x) / (max.x - min.x) * 2.0f * extent - extent;
    const float y = (max.y - s.y) / (max.y - min.y) * 2.0f * extent - extent;
    return ImVec2(std::clamp(x, -extent, extent), std::clamp(y, -extent, extent));
}

Plane begin_plane(const char* id, float side, float extent) {
    Plane p;
    ImGui::PushID(id);
    p.min = ImGui::GetCursorScreenPos();
    p.max = ImVec2(p.min.x + side, p.min.y + side);
    p.extent = extent > 0 ? extent : 1.0f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p.min, p.max, ImGui::GetColorU32(ImGuiCol_FrameBg));
    const ImU32 grid = ImGui::GetColorU32(ImGuiCol_TextDisabled, 0.18f);
    const ImU32 axis = ImGui::GetColorU32(ImGuiCol_TextDisabled, 0.8f);
    // grid every 0.5 world units (every 1 when the plane is large)
    const float step = p.extent > 4.0f ? 1.0f : 0.5f;
    for (float g = -std::floor(p.extent / step) * step; g <= p.extent + 1e-4f; g += step) {
        const ImVec2 a = p.to_screen(g, -p.extent), b = p.to_screen(g, p.extent);
        const ImVec2 c = p.to_screen(-p.extent, g), d = p.to_screen(p.extent, g);
        dl->AddLine(a, b, std::fabs(g) < 1e-4f ? axis : grid);
        dl->AddLine(c, d, std::fabs(g) < 1e-4f ? axis : grid);
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%g", static_cast<double>(p.extent));
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    for (const ScreenRect& r : plane_axis_labels(p))
        dl->AddText(r.min, text, buf);
    return p;
}

std::vector<ScreenRect> plane_axis_labels(const Plane& p) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%g", static_cast<double>(p.extent));
    const ImVec2 ts = ImGui::CalcTextSize(buf);
    const ImVec2 right = p.to_screen(p.extent, 0), top = p.to_screen(0, p.extent);
    const ImVec2 a(right.x - ts.x - 3.0f, right.y + 2.0f), b(top.x + 4.0f, top.y + 1.0f);
    return {{a, ImVec2(a.x + ts.x, a.y + ts.y)}, {b, ImVec2(b.x + ts.x, b.y + ts.y)}};
}

void end_plane(const Plane& p) {
    ImGui::SetCursorScreenPos(ImVec2(p.min.x, p.max.y + ImGui::GetStyle().ItemSpacing.y));
    ImGui::Dummy(ImVec2(p.max.x - p.min.x, 0.0f));
    ImGui::PopID();
}

void draw_arrow(const Plane& p, ImVec2 tip, ImU32 col, float thickness, const char* label) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 a = p.to_screen(0, 0), b = p.to_screen(tip.x, tip.y);
    const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    if (len < 1.0f) {
        dl->AddCircleFilled(a, thickness * 1.5f, col);
    } else {
        const float ux = dx / len, uy = dy / len, head = std::min(len * 0.5f, thickness * 4.0f + 4.0f);
        const ImVec2 base(b.x - ux * head, b.y - uy * head);
        dl->AddLine(a, base, col, thickness);
        dl->AddTriangleFilled(b, ImVec2(base.x - uy * head * 0.5f, base.y + ux * head * 0.5f),
                              ImVec2(base.x + uy * head * 0.5f, base.y - ux * head * 0.5f), col);
        if (label) {
            const ImVec2 ts = ImGui::CalcTextSize(label);
            // beyond the tip, but inside the plane: a label cut by its edge (a small inset) reads as nonsense
            const float x = b.x + ux * 8.0f - ts.x * 0.5f + ux * ts.x * 0.5f;
            const float y = b.y + uy * 8.0f - ts.y * 0.5f + uy * ts.y * 0.5f;
            const ImVec2 at(std::clamp(x, p.min.x + 2.0f, std::max(p.min.x + 2.0f, p.max.x - ts.x - 2.0f)),
                            std::clamp(y, p.min.y + 2.0f, std::max(p.min.y + 2.0f, p.max.y - ts.y - 2.0f)));
            // labels in the text colour (an arrow's colour need not read as text on every theme), as faint as
            // the arrow is
            const float alpha = static_cast<float>((col >> IM_COL32_A_SHIFT) & 0xFF) / 255.0f;
            dl->AddText(at, ImGui::GetColorU32(ImGuiCol_Text, 0.55f + 0.45f * alpha), label);
        }
    }
}

bool drag_handle(const Plane& p, const char* id, ImVec2& pos, float radius, ImU32 col, bool* hovered) {
    const ImVec2 c = p.to_screen(pos.x, pos.y);
    ImGui::SetCursorScreenPos(ImVec2(c.x - radius, c.y - radius));
    ImGui::InvisibleButton(id, ImVec2(radius * 2.0f, radius * 2.0f));
    const bool hot = ImGui::IsItemHovered() || ImGui::IsItemActive();
    if (hovered) *hovered = hot;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddCircleFilled(c, radius * (hot ? 0.85f : 0.6f), col);
    dl->AddCircle(c, radius * (hot ? 0.85f : 0.6f), ImGui::GetColorU32(ImGuiCol_Text, hot ? 1.0f : 0.5f), 0,
                  1.5f);
    if (hot) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
        pos = p.to_world(ImGui::GetIO().MousePos);
        return true;
    }
    return false;
}

} // namespace attn

namespace attn {

namespace {

bool overlaps(const ScreenRect& a, const ScreenRect& b) {
    return a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
}

bool inside(const ScreenRect& r, const ScreenRect& bounds) {
    return r.min.x >= bounds.min.x && r.min.y >= bounds.min.y && r.max.x <= bounds.max.x &&
           r.max.y <= bounds.max.y;
}

struct Candidate {
    ImVec2 pos;
    bool leader;
};

// Top-left corners to try for one label, nearest first: past the tip along the arrow, then rings of eight
// places around the tip (the directions nearest the arrow's first), each ring a line height further out.
std::vector<Candidate> candidates(const LabelSpot& sp) {
    const float w = sp.size.x, h = sp.size.y, gap = std::max(4.0f, h * 0.3f);
    std::vector<Candidate> c;
    c.push_back({ImVec2(sp.tip.x + sp.dir.x * gap - w * 0.5f + sp.dir.x * w * 0.5f,
                        sp.tip.y + sp.dir.y * gap - h * 0.5f + sp.dir.y * h * 0.5f),
                 false});
    ImVec2 dirs[8] = {{1, 0}, {1, -1}, {0, -1}, {-1, -1}, {-1, 0}, {-1, 1}, {0, 1}, {1, 1}};
    std::stable_sort(dirs, dirs + 8, [&](ImVec2 a, ImVec2 b) {
        const float la = std::sqrt(a.x * a.x + a.y * a.y), lb = std::sqrt(b.x * b.x + b.y * b.y);
        return (a.x * sp.dir.x + a.y * sp.dir.y) / la > (b.x * sp.dir.x + b.y * sp.dir.y) / lb;
    });
    for (int ring = 0; ring < 4; ++ring) {
        const float dist = gap + static_cast<float>(ring) * h * 1.1f;
        for (const ImVec2 d : dirs) {
            const float k = d.x != 0 && d.y != 0 ? 0.7071f : 1.0f;
            const float x = sp.tip.x + d.x * k * dist + (d.x > 0 ? 0.0f : d.x < 0 ? -w : -w * 0.5f);
            const float y = sp.tip.y + d.y * k * dist + (d.y > 0 ? 0.0f : d.y < 0 ? -h : -h * 0.5f);
            c.push_back({ImVec2(x, y), ring > 0});
        }
    }
    return c;
}

} // namespace

std::vector<PlacedLabel> place_labels(const std::vector<LabelSpot>& spots, ScreenRect bounds,
                                      const std::vector<ScreenRect>& blocked,
                                      const std::vector<ScreenRect>& avoid) {
    std::vector<PlacedLabel> out(spots.size());
    std::vector<ScreenRect> taken = blocked;
    bounds.min = ImVec2(bounds.min.x + 2.0f, bounds.min.y + 2.0f);
    bounds.max = ImVec2(bounds.max.x - 2.0f, bounds.max.y - 2.0f);
    for (std::size_t i = 0; i < spots.size(); ++i) {
        const std::vector<Candidate> cands = candidates(spots[i]);
        // first a place clear of the other tips as well, then one that may cover a tip
        for (int pass = 0; pass < 2 && !out[i].shown; ++pass)
            for (const Candidate& c : cands) {
                const ScreenRect r{c.pos, ImVec2(c.pos.x + spots[i].size.x, c.pos.y + spots[i].size.y)};
                if (!inside(r, bounds)) continue;
                const auto hit = [&](const ScreenRect& o) { return overlaps(r, o); };
                if (std::any_of(taken.begin(), taken.end(), hit)) continue;
                if (pass == 0 && std::any_of(avoid.begin(), avoid.end(), hit)) continue;
                out[i] = PlacedLabel{true, c.leader, c.pos};
                taken.push_back(r);
                break;
            }
    }
    return out;
}

} // namespace attn

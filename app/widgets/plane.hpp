// A square 2-d plane for the vector playground: grid and axes in world units, arrows from the origin, and
// round handles the mouse can drag. World y points up; the plane maps [-extent, extent]² to the square.
#pragma once

#include <imgui.h>

#include <vector>

namespace attn {

struct Plane {
    ImVec2 min, max;     // screen square
    float extent = 1.0f; // world half-width
    ImVec2 to_screen(float x, float y) const;
    ImVec2 to_world(ImVec2 screen) const; // clamped to the plane
};

// Draws the background, grid and axes and returns the mapping; call end_plane() after the handles.
Plane begin_plane(const char* id, float side, float extent);
void end_plane(const Plane& p);

// An arrow from world (0, 0) to world tip with a head and an optional label past the tip.
void draw_arrow(const Plane& p, ImVec2 tip, ImU32 col, float thickness, const char* label = nullptr);
// A draggable handle at world `pos`: while dragged, returns true and writes the new world position.
// hovered is set when the mouse is over it (so the caller can show a tooltip or highlight).
bool drag_handle(const Plane& p, const char* id, ImVec2& pos, float radius, ImU32 col,
                 bool* hovered = nullptr);

// Labels beside arrow tips that never overlap each other: each is placed, most important first, just past
// its tip along the arrow, else at one of eight places around the tip, else further out with a leader line
// back to the tip; a label with no free place is left out (the caller names it on hover). `blocked` are
// screen rectangles no label may cover (an inset); `avoid` (other tips' dots) are avoided when possible.
struct LabelSpot {
    ImVec2 tip;  // screen
    ImVec2 dir;  // the arrow's screen direction, unit length (0, 0: none)
    ImVec2 size; // the text's size
};
struct ScreenRect {
    ImVec2 min, max;
};
struct PlacedLabel {
    bool shown = false;
    bool leader = false; // placed away from its tip: draw a line from the tip to it
    ImVec2 pos;          // top-left corner
};
// Where begin_plane wrote the extent at the right end of the x axis and the top of the y axis.
std::vector<ScreenRect> plane_axis_labels(const Plane& p);
std::vector<PlacedLabel> place_labels(const std::vector<LabelSpot>& spots, ScreenRect bounds,
                                      const std::vector<ScreenRect>& blocked,
                                      const std::vector<ScreenRect>& avoid);

} // namespace attn

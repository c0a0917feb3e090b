// A square 2-d plane for the vector playground: grid and axes in world units, arrows from the origin, and
// round handles the mouse can drag. World y points up; the plane maps [-extent, extent]² to the square.
#pragma once

#include <imgui.h>

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

} // namespace attn

// A vector drawn for reading: one labelled bar per dimension around a zero line (values printed when there
// are few), or a compact strip of coloured cells when the vector is wide. Hover shows the exact entry.
#pragma once

#include <imgui.h>

#include <string>

namespace attn {

struct VectorBarsStyle {
    const char* dim_prefix = "d"; // bar labels: d0, d1, ...
    float range = 0.0f;           // |value| drawn full height; 0 = the vector's own largest |value|
    float height = 0.0f;          // 0 = four text lines
    ImU32 color = 0;              // 0 = diverging colours by sign
    int max_labelled = 16;        // more dimensions than this: no per-bar labels
    float width = 0.0f;           // 0 = the available width
};

// Bars for values[0..n). Returns the hovered dimension or -1.
int draw_vector_bars(const char* id, const float* values, int n, const VectorBarsStyle& style = {});

// A strip of n cells coloured by value (diverging, scaled by range or the largest |value|), `height` tall.
int draw_value_strip(const char* id, const float* values, int n, float range, float height);

// "0.123" style with a sign column, for tables of small numbers; "-∞" for masked scores.
std::string format_number(float v, int decimals = 3);

} // namespace attn

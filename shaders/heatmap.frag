#version 330 core
// Colours a matrix of values with a perceptually uniform colormap (stops passed in from C++).
// NaN marks a masked cell: drawn as grey diagonal hatching so it never reads as a weight of zero.
// +inf marks a cell whose score or weight overflowed float32: drawn solid magenta, never as masked.
// Row 0 of the matrix is drawn at the top of the target (the UI flips V when it shows the texture).
// Two targets: the whole matrix at a whole number of pixels per cell (a texture the UI scales), or, exact,
// the screen rectangle of the map pixel for pixel showing a window of cells at any zoom (copied as is).
uniform sampler2D u_values;   // R32F, (cols, rows)
uniform int u_rows;
uniform int u_cols;
uniform int u_cell_px;        // pixels per cell in the target
uniform float u_vmin;
uniform float u_vmax;
uniform vec3 u_stops[11];     // colormap at t = 0, 0.1, ..., 1
uniform vec3 u_mask_fg;
uniform vec3 u_mask_bg;
uniform vec3 u_grid;
uniform int u_exact;          // 1: the target is the map's screen rectangle, pixel for pixel
uniform vec2 u_first;         // exact: the (column, row) at the target's top-left corner, in cells
uniform vec2 u_cells_per_px;  // exact: cells per target pixel, across and down
uniform int u_target_h;       // exact: the target's height in pixels
out vec4 frag_color;

vec3 colormap(float t) {
    float x = clamp(t, 0.0, 1.0) * 10.0;
    int i = min(int(floor(x)), 9);
    return mix(u_stops[i], u_stops[i + 1], x - float(i));
}

void main() {
    ivec2 px = ivec2(gl_FragCoord.xy);
    int col, row;
    float cell_px;
    bool grid_edge; // the pixel is the first of its cell across or down
    if (u_exact == 1) {
        vec2 down = vec2(px.x, u_target_h - 1 - px.y) + 0.5; // pixel centre, y growing down the map
        vec2 c = u_first + down * u_cells_per_px;
        vec2 before = c - u_cells_per_px; // the centre of the pixel to the left and the one above
        col = int(floor(c.x));
        row = int(floor(c.y));
        cell_px = 1.0 / max(u_cells_per_px.x, 1e-6);
        grid_edge = floor(before.x) != floor(c.x) || floor(before.y) != floor(c.y);
    } else {
        col = px.x / u_cell_px;
        row = u_rows - 1 - px.y / u_cell_px;
        cell_px = float(u_cell_px);
        grid_edge = px.x % u_cell_px == 0 || (px.y + 1) % u_cell_px == 0;
    }
    if (col < 0 || col >= u_cols || row < 0 || row >= u_rows) discard;
    float v = texelFetch(u_values, ivec2(col, row), 0).r;
    vec3 c;
    if (isinf(v)) { // overflowed float32 (app/state/views.hpp): a solid colour no weight maps to
        c = vec3(0.85, 0.10, 0.60);
    } else if (isnan(v)) {
        int stripe = (px.x + px.y) / max(2, int(cell_px) / 4);
        c = (stripe % 2 == 0) ? u_mask_fg : u_mask_bg;
    } else {
        c = colormap((v - u_vmin) / max(u_vmax - u_vmin, 1e-12));
    }
    // a one-pixel grid line between cells once cells are large enough to need it
    if (cell_px >= 8.0 && grid_edge) c = mix(c, u_grid, 0.6);
    frag_color = vec4(c, 1.0);
}

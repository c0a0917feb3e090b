// Display data the visual panels show, computed from Derived without ImGui: masked weights and contrast
// scaling, the mean over heads, one score broken into its q·k terms (score = scale · Σ_d q_d k_d + bias),
// arc-view lines and geometry, one query traced through the attention pipeline, and plane extents.
#pragma once

#include "core/config.hpp"
#include "core/model.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace attn {

// ---- heatmap --------------------------------------------------------------------------------------
enum class Contrast { Honest, Row, Whole }; // colours over 0..1, each row to its max, all to the matrix max

// Row-major copy of weights with masked cells (score = -inf) as NaN, so they are drawn hatched, and cells
// that overflowed float32 (a NaN or infinite weight, a NaN or +inf score: a huge scale, a small temperature
// or a trained weight near 3.4e38) as +inf, drawn in the overflow colour and never mistaken for masked.
inline constexpr float k_overflow_cell = std::numeric_limits<float>::infinity();
std::vector<float> masked_weights(const Matrix& scores,
                                  const Eigen::Ref<const Matrix>& weights); // (n_q · n_k)
// True when a cell's score and weight are not what a finite computation gives (see masked_weights).
bool cell_overflowed(float score, float weight);

// Divides each row by its max (Row) or every cell by the matrix max (Whole); NaN and +inf (masked and
// overflowed cells) stay as they are and are not counted as the max.
// Returns the divisor used for Whole (1 for Honest and Row), so a legend can print the true top value.
float apply_contrast(std::vector<float>& values, int rows, int cols, Contrast mode);

// The mean of the weights over all heads of one layer: (n, n), rows still sum to 1 (or 0 when every key
// is masked). scores is -inf where every head masks the cell (masks are shared by the heads of a layer).
struct HeadMean {
    Matrix scores;  // (n, n) 0 where visible, -inf where masked: only the mask is meaningful
    Matrix weights; // (n, n) (1 / n_heads) Σ_h weights_h
};
HeadMean mean_over_heads(const LayerResult& layer);

// One score broken into its terms: score_ij = scale · Σ_d q_i,d k_j,d + bias_ij, weight =
// softmax_j(score)_ij.
struct DotTerms {
    std::vector<float> products; // (d_head) q_i,d · k_j,d
    float dot = 0;               // Σ_d products
    float scale = 0;             // (scale or 1/√d_head) / temperature
    float bias = 0;              // ALiBi: -slope_h · (i - j); 0 for other position kinds
    float score = 0;             // scale · dot + bias, or -inf when masked
    float weight = 0;            // from the forward pass
    bool masked = false;
};
DotTerms dot_terms(const ModelConfig& c, const HeadResult& head, int head_index, int i, int j);

// ---- arc view -------------------------------------------------------------------------------------
struct ArcLine {
    int head = 0, query = 0, key = 0;
    float weight = 0;   // drawn as the line's opacity
    bool strong = true; // among its query's k strongest keys (when the view keeps only those), else faded
    float share = 1;    // weight ÷ the strongest weight of its query in its head (arc_top_k), else 1
};
// Lines for every head with head_visible[h] != 0 (empty = all) and weight ≥ min_weight. focus_query ≥ 0
// keeps only the lines leaving that query, focus_key ≥ 0 only those entering that key.
std::vector<ArcLine> arc_lines(const LayerResult& layer, const std::vector<std::uint8_t>& head_visible,
                               float min_weight, int focus_query, int focus_key);
// The k strongest keys of every query, per visible head, with weight ≥ min_weight (ties broken by the
// earlier key), and how many lines over min_weight that leaves out. Lines come query by query.
struct ArcTopK {
    std::vector<ArcLine> lines;
    std::size_t left_out = 0;
};
ArcTopK arc_top_k(const LayerResult& layer, const std::vector<std::uint8_t>& head_visible, float min_weight,
                  int k);
// Token rows of the two columns: centre y of row `index` of n spread over [top, bottom], and the inverse.
float arc_row_y(int index, int n, float top, float bottom);
int arc_row_at(float y, int n, float top, float bottom); // -1 outside
// Segments for an arc view curve `height` pixels tall (its handles at 0.4 of the gap): a polyline of n
// segments strays from it by about 0.72·height/n² pixels whatever the gap, so n = √(1.44·height) keeps it
// within half a pixel. Short arcs, to the next row or two, need few; a flat one is one segment; never more
// than `most`, so tall arcs are drawn as before.
int arc_curve_segments(float height, int most);

// ---- step by step ---------------------------------------------------------------------------------
enum class Stage { Input, Project, Dot, Scale, Mask, Softmax, WeightedSum, Concat, OutputProj };
inline constexpr int k_stage_count = 9;
const char* stage_title(Stage s);   // "q·k", "÷√d_head", ...
const char* stage_formula(Stage s); // the equation of that stage

// Query token i traced through head h of one layer, every intermediate the step panel shows.
struct QueryTrace {
    RowVector x;        // (d_model) LayerNorm(x_in) of token i
    RowVector q;        // (d_head) x W_Q (then RoPE when on)
    RowVector dots;     // (n) q · k_j
    RowVector scaled;   // (n) scale · dots
    RowVector scores;   // (n) scaled + bias, -inf where masked
    RowVector weights;  // (n) softmax(scores)
    RowVector head_out; // (d_head) Σ_j weights_j v_j
    RowVector concat;   // (n_heads · d_head) every head's output for token i (disabled heads 0)
    RowVector attn_out; // (d_model) concat W_O, what the layer adds to the residual stream
    float scale = 0;
};
QueryTrace trace_query(const ModelConfig& c, const LayerResult& layer, int head, int i);

// ---- playground -----------------------------------------------------------------------------------
// Half-width of a square plane that shows every 2-d vector given, with a margin, rounded up to a step of 0.5.
float plane_extent(const std::vector<RowVector>& vectors, float minimum = 1.0f);

} // namespace attn

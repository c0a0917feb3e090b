// NumPy .npy files (format versions 1.0, 2.0, 3.0) parsed from and written to bytes, so they are tested and
// fuzzed without touching disk. Supported: little-endian float32 ('<f4') and float64 ('<f8'), C or Fortran
// order, 0..32 dimensions. Anything else is refused with a message naming what was found.
#pragma once

#include "message.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

enum class NpyDtype { Float32, Float64 };

struct NpyArray {
    std::vector<std::int64_t> shape;    // numpy order: shape[0] is the slowest axis in C order; {} = scalar
    std::vector<double> data;           // (product of shape) always in C (row-major) order
    NpyDtype dtype = NpyDtype::Float32; // what the file held (reading) or what to write

    std::int64_t element_count() const; // product of shape (1 for a scalar)
};

// Either an array or a readable message saying what was wrong (never both).
struct NpyParse {
    NpyArray array;
    Message error; // empty on success; english() or the app's i18n::text() reads it
    bool ok() const { return error.empty(); }
};

// Arrays larger than this many elements are refused as absurd (2^28 floats = 1 GiB).
inline constexpr std::int64_t k_npy_max_elements = std::int64_t{1} << 28;
inline constexpr std::size_t k_npy_max_dims = 32;

// The header of a .npy file held in memory, checked against the file's size: what the data is and where it
// starts. any_dtype also accepts little-endian Unicode strings ('<U8': 8 UTF-32 code units per element,
// item_bytes 32), as numpy stores an array of words. For readers that convert the data themselves (large
// attention tensors go straight to float32 without a double copy).
struct NpyHeaderParse {
    std::vector<std::int64_t> shape;
    NpyDtype dtype = NpyDtype::Float32; // for '<f4' / '<f8'
    std::string descr;                  // as written: "<f4", "<f8", "<U8"
    int item_bytes = 0;                 // bytes per element
    bool fortran_order = false;
    std::int64_t element_count = 0;
    std::size_t data_begin = 0; // offset of the first element
    Message error;              // empty on success
    bool ok() const { return error.empty(); }
};
NpyHeaderParse parse_npy_header(std::string_view bytes, bool any_dtype = false);

// "(2, 3)", "(5,)": a shape as numpy prints it.
std::string npy_shape_text(const std::vector<std::int64_t>& shape);

// Parses a whole .npy file held in memory. Never throws, never reads past `bytes`.
NpyParse parse_npy(std::string_view bytes);

// Serialises `a` as a version 1.0 .npy file in a.dtype (float64 → float32 rounds to nearest). Fortran order
// writes the same values column-major with fortran_order: True. Requires data.size() == element_count().
std::string write_npy(const NpyArray& a, bool fortran_order = false);

// The header of a version 1.0 .npy file (magic, version, length, dictionary padded to 64 bytes): what
// precedes the raw values, for writers that stream the values themselves.
std::string npy_header(const std::vector<std::int64_t>& shape, NpyDtype dtype, bool fortran_order = false);

// The 'descr' numpy uses for a dtype: "<f4" or "<f8".
const char* npy_descr(NpyDtype d);

} // namespace attn

// .npy reading and writing. Layout of a file (numpy's format.py, NEP 1):
//   "\x93NUMPY" | major, minor (1 byte each) | header length (uint16 LE for 1.x, uint32 LE for 2.x/3.x)
//   | header: a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with
//     spaces and ending in '\n' | raw little-endian values, C or Fortran order.
// The dict is parsed by a small hand-written parser that accepts exactly those three keys.
#include "npy.hpp"

#include "types.hpp"

#include <bit>
#include <cstring>
#include <limits>
#include <optional>

namespace attn {

namespace {

constexpr std::string_view k_magic = "\x93NUMPY";
constexpr std::size_t k_max_header_bytes = 1u << 20;

std::string quoted(std::string_view s) {
    std::string out = "'";
    for (char c : s.substr(0, 40))
        out += (c >= 32 && c < 127) ? c : '?';
    if (s.size() > 40) out += "...";
    return out + "'";
}

// ---- the header dict ----------------------------------------------------------------------------------
struct Header {
    std::optional<std::string> descr;
    std::optional<bool> fortran_order;
    std::optional<std::vector<std::int64_t>> shape;
};

class HeaderParser {
  public:
    explicit HeaderParser(std::string_view text) : s_(text) {}

    // Fills h or returns a message describing the first thing that is not a valid header dict.
    Message parse(Header& h) {
        skip_ws();
        if (!eat('{')) return fail(message(N_("the header does not start with '{'")));
        skip_ws();
        while (!eat('}')) {
            std::string key;
            if (!parse_string(key)) return fail(message(N_("expected a quoted key in the header")));
            skip_ws();
            if (!eat(':')) return fail(message(N_("expected ':' after the key %s"), quoted(key)));
            skip_ws();
            if (key == "descr") {
                if (peek() == '[')
                    return message(
                        N_("structured dtype (a list of fields) is not supported; use float32 or float64"));
                std::string d;
                if (!parse_string(d)) return fail(message(N_("'descr' is not a quoted string")));
                h.descr = d;
            } else if (key == "fortran_order") {
                if (take_word("True"))
                    h.fortran_order = true;
                else if (take_word("False"))
                    h.fortran_order = false;
                else
                    return fail(message(N_("'fortran_order' is neither True nor False")));
            } else if (key == "shape") {
                std::vector<std::int64_t> shape;
                if (auto why = parse_shape(shape); !why.empty()) return why;
                h.shape = std::move(shape);
            } else {
                return message(N_("unexpected key %s in the header"), quoted(key));
            }
            skip_ws();
            if (eat(',')) {
                skip_ws();
            } else if (peek() != '}') {
                return fail(message(N_("expected ',' or '}' in the header")));
            }
        }
        skip_ws();
        if (pos_ != s_.size()) return fail(message(N_("unexpected text after the header dict")));
        return {};
    }

  private:
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    bool eat(char c) {
        if (peek() != c || pos_ >= s_.size()) return false;
        ++pos_;
        return true;
    }
    void skip_ws() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    bool take_word(std::string_view w) {
        if (s_.substr(pos_, w.size()) != w) return false;
        pos_ += w.size();
        return true;
    }
    Message fail(Message what) const {
        return message(N_("%s (at byte %s of the header %s)"), std::move(what), pos_, quoted(s_));
    }
    bool parse_string(std::string& out) {
        const char q = peek();
        if (q != '\'' && q != '"') return false;
        const std::size_t end = s_.find(q, pos_ + 1);
        if (end == std::string_view::npos) return false;
        out.assign(s_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
        return true;
    }
    // A tuple of non-negative integers: (), (3,), (2, 3), with an optional Python 2 'L' suffix.
    Message parse_shape(std::vector<std::int64_t>& shape) {
        if (!eat('(')) return fail(message(N_("'shape' is not a tuple")));
        skip_ws();
        while (!eat(')')) {
            if (peek() == '-') return fail(message(N_("'shape' has a negative dimension")));
            if (peek() < '0' || peek() > '9')
                return fail(message(N_("'shape' holds something other than whole numbers")));
            std::int64_t v = 0;
            while (peek() >= '0' && peek() <= '9') {
                if (v > (std::numeric_limits<std::int64_t>::max() - 9) / 10)
                    return message(N_("absurd shape: a dimension does not fit in 64 bits"));
                v = v * 10 + (s_[pos_++] - '0');
            }
            eat('L');
            shape.push_back(v);
            if (shape.size() > k_npy_max_dims)
                return message(N_("absurd shape: more than %s dimensions"), k_npy_max_dims);
            skip_ws();
            if (eat(','))
                skip_ws();
            else if (peek() != ')')
                return fail(message(N_("expected ',' or ')' in 'shape'")));
        }
        return {};
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string t = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        t += (i ? ", " : "") + std::to_string(shape[i]);
    return t + (shape.size() == 1 ? ",)" : ")");
}

std::uint64_t read_le(const unsigned char* p, int n) {
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

// C-order position of every element of a Fortran-ordered array: out[c_index] = fortran_values[f_index].
void fortran_to_c(const std::vector<std::int64_t>& shape, std::vector<double>& values) {
    if (shape.size() < 2) return; // 0-D and 1-D arrays are the same in both orders
    std::vector<double> c(values.size());
    std::vector<std::int64_t> idx(shape.size(), 0), f_stride(shape.size(), 1);
    for (std::size_t d = 1; d < shape.size(); ++d)
        f_stride[d] = f_stride[d - 1] * shape[d - 1];
    for (std::size_t ci = 0; ci < values.size(); ++ci) {
        std::int64_t fi = 0;
        for (std::size_t d = 0; d < shape.size(); ++d)
            fi += idx[d] * f_stride[d];
        c[ci] = values[static_cast<std::size_t>(fi)];
        for (std::size_t d = shape.size(); d-- > 0;) { // advance the C-order counter, last axis fastest
            if (++idx[d] < shape[d]) break;
            idx[d] = 0;
        }
    }
    values = std::move(c);
}

NpyParse refuse(Message why) {
    NpyParse p;
    p.error = std::move(why);
    return p;
}

} // namespace

std::int64_t NpyArray::element_count() const {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

const char* npy_descr(NpyDtype d) {
    return d == NpyDtype::Float64 ? "<f8" : "<f4";
}

NpyHeaderParse parse_npy_header(std::string_view bytes, bool any_dtype) {
    NpyHeaderParse r;
    auto fail = [&](Message why) {
        r.error = std::move(why);
        return r;
    };
    if (bytes.size() < k_magic.size() + 2 || bytes.substr(0, k_magic.size()) != k_magic)
        return fail(message(N_("not a .npy file: it does not start with the bytes \\x93NUMPY")));
    const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
    const int major = u[6], minor = u[7];
    if (major < 1 || major > 3)
        return fail(message(N_("unsupported .npy format version %s.%s"), major, minor));
    const std::size_t len_bytes = major == 1 ? 2 : 4;
    if (bytes.size() < 8 + len_bytes)
        return fail(message(N_("truncated: the file ends inside the header length")));
    const std::size_t header_len = static_cast<std::size_t>(read_le(u + 8, static_cast<int>(len_bytes)));
    if (header_len > k_max_header_bytes)
        return fail(message(N_("absurd header length of %s bytes"), header_len));
    const std::size_t data_begin = 8 + len_bytes + header_len;
    if (bytes.size() < data_begin)
        return fail(message(N_("truncated: the header claims %s bytes but the file has %s"), header_len,
                            bytes.size() - 8 - len_bytes));

    Header h;
    if (auto why = HeaderParser(bytes.substr(8 + len_bytes, header_len)).parse(h); !why.empty())
        return fail(message(N_("bad header: %s"), std::move(why)));
    if (!h.descr) return fail(message(N_("bad header: 'descr' is missing")));
    if (!h.fortran_order) return fail(message(N_("bad header: 'fortran_order' is missing")));
    if (!h.shape) return fail(message(N_("bad header: 'shape' is missing")));

    const std::string& d = *h.descr;
    r.descr = d;
    if (d == "<f4") {
        r.dtype = NpyDtype::Float32, r.item_bytes = 4;
    } else if (d == "<f8") {
        r.dtype = NpyDtype::Float64, r.item_bytes = 8;
    } else if (d == ">f4" || d == ">f8") {
        return fail(message(N_("big-endian %s ('%s') is not supported; save it little-endian, e.g. "
                               "arr.astype('<f%s')"),
                            d == ">f4" ? "float32" : "float64", d, d.substr(2)));
    } else if (any_dtype && d.size() >= 3 && d[0] == '<' && d[1] == 'U' &&
               d.find_first_not_of("0123456789", 2) == std::string::npos && d.size() <= 8) {
        r.item_bytes = 4 * std::stoi(d.substr(2)); // UTF-32 code units, zero-padded
        if (r.item_bytes <= 0) return fail(message(N_("dtype %s holds empty strings"), quoted(d)));
    } else {
        return fail(message(N_("dtype %s is not supported; only float32 ('<f4') and float64 ('<f8') are"),
                            quoted(d)));
    }
    r.shape = *h.shape;
    r.fortran_order = *h.fortran_order;
    // absurd shapes: refuse before multiplying past the limit
    std::int64_t count = 1;
    for (auto dim : r.shape) {
        if (dim != 0 && count > k_npy_max_elements / dim)
            return fail(message(N_("absurd shape %s: more than %s elements"), shape_text(r.shape),
                                k_npy_max_elements));
        count *= dim;
    }
    const std::size_t need = static_cast<std::size_t>(count) * static_cast<std::size_t>(r.item_bytes);
    const std::size_t have = bytes.size() - data_begin;
    if (have < need)
        return fail(message(N_("truncated: shape %s needs %s bytes of data but the file has %s"),
                            shape_text(r.shape), need, have));
    if (have > need)
        return fail(message(N_("corrupt: %s unexpected bytes after the data of shape %s"), have - need,
                            shape_text(r.shape)));
    r.element_count = count;
    r.data_begin = data_begin;
    return r;
}

std::string npy_shape_text(const std::vector<std::int64_t>& shape) {
    return shape_text(shape);
}

NpyParse parse_npy(std::string_view bytes) {
    const NpyHeaderParse h = parse_npy_header(bytes);
    if (!h.ok()) return refuse(h.error);
    NpyArray a;
    a.dtype = h.dtype;
    a.shape = h.shape;
    const std::int64_t count = h.element_count;
    const int item = h.item_bytes;
    const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t data_begin = h.data_begin;
    a.data.resize(static_cast<std::size_t>(count));
    const unsigned char* p = u + data_begin;
    for (std::size_t i = 0; i < a.data.size(); ++i, p += item) {
        if (item == 4)
            a.data[i] = static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(read_le(p, 4))));
        else
            a.data[i] = std::bit_cast<double>(read_le(p, 8));
    }
    if (h.fortran_order) fortran_to_c(a.shape, a.data);
    NpyParse r;
    r.array = std::move(a);
    return r;
}

std::string npy_header(const std::vector<std::int64_t>& shape, NpyDtype dtype, bool fortran_order) {
    std::string header = std::string("{'descr': '") + npy_descr(dtype) +
                         "', 'fortran_order': " + (fortran_order ? "True" : "False") +
                         ", 'shape': " + shape_text(shape) + ", }";
    // pad with spaces so magic (6) + version (2) + length (2) + header is a multiple of 64, ending in '\n'
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    ATTN_CHECK(header.size() <= 0xFFFF);
    std::string out(k_magic);
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(header.size() & 0xFF);
    out += static_cast<char>((header.size() >> 8) & 0xFF);
    out += header;
    return out;
}

std::string write_npy(const NpyArray& a, bool fortran_order) {
    ATTN_CHECK(static_cast<std::int64_t>(a.data.size()) == a.element_count());
    std::string out = npy_header(a.shape, a.dtype, fortran_order);

    // values in file order: C order as stored, or transposed to Fortran order
    std::vector<std::size_t> order(a.data.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    if (fortran_order && a.shape.size() >= 2) {
        std::vector<std::int64_t> idx(a.shape.size(), 0), c_stride(a.shape.size(), 1);
        for (std::size_t d = a.shape.size() - 1; d-- > 0;)
            c_stride[d] = c_stride[d + 1] * a.shape[d + 1];
        for (std::size_t fi = 0; fi < order.size(); ++fi) { // first axis fastest
            std::int64_t ci = 0;
            for (std::size_t d = 0; d < a.shape.size(); ++d)
                ci += idx[d] * c_stride[d];
            order[fi] = static_cast<std::size_t>(ci);
            for (std::size_t d = 0; d < a.shape.size(); ++d) {
                if (++idx[d] < a.shape[d]) break;
                idx[d] = 0;
            }
        }
    }
    const int item = a.dtype == NpyDtype::Float64 ? 8 : 4;
    out.reserve(out.size() + order.size() * static_cast<std::size_t>(item));
    for (std::size_t i : order) {
        const std::uint64_t bits = item == 8 ? std::bit_cast<std::uint64_t>(a.data[i])
                                             : std::bit_cast<std::uint32_t>(static_cast<float>(a.data[i]));
        for (int b = 0; b < item; ++b)
            out += static_cast<char>((bits >> (8 * b)) & 0xFF);
    }
    return out;
}

} // namespace attn

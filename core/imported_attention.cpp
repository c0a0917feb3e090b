// Imported attention: NumPy bytes -> checked float32 matrices, one per layer and head.
#include "imported_attention.hpp"

#include "model.hpp"
#include "npy.hpp"
#include "parallel.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace attn {

namespace {

std::uint32_t le32(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
           static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}
std::uint64_t le64(const unsigned char* p) {
    return static_cast<std::uint64_t>(le32(p)) | static_cast<std::uint64_t>(le32(p + 4)) << 32;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Length of the valid UTF-8 sequence starting at s[i] (overlong forms, surrogates and values past U+10FFFF
// are invalid), or 0.
std::size_t utf8_sequence(const std::string& s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0)
        len = 2, cp = c & 0x1Fu;
    else if ((c & 0xF0) == 0xE0)
        len = 3, cp = c & 0x0Fu;
    else if ((c & 0xF8) == 0xF0)
        len = 4, cp = c & 0x07u;
    else
        return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3Fu);
    }
    const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

// Counting from 1, as the app's pickers do.
Message where(int l, int h, int row) {
    return message(N_("layer %s, head %s, row %s"), l + 1, h + 1, row + 1);
}

// The part of an import a message is about: "attention: ..." or "tokens: ...".
Message in_attention(Message why) {
    return message(N_("attention: %s"), std::move(why));
}
Message in_tokens(Message why) {
    return message(N_("tokens: %s"), std::move(why));
}

// Whether any query of an (n, n) head put weight on a key after it.
bool looks_ahead_in(const Eigen::Ref<const Matrix>& w) {
    const Eigen::Index n = w.rows();
    for (Eigen::Index i = 0; i + 1 < n; ++i)
        if (w.row(i).tail(n - 1 - i).maxCoeff() > 0.0f) return true;
    return false;
}

// What the label-free probes look for in an import: the same token string gets the same id (the induction
// probe's input).
ProbeTargets probe_targets(const std::vector<std::string>& tokens, bool causal) {
    ProbeTargets t;
    t.causal = causal;
    std::vector<std::string> seen;
    for (const std::string& tok : tokens) {
        const auto it = std::find(seen.begin(), seen.end(), tok);
        t.ids.push_back(static_cast<int>(it - seen.begin()));
        if (it == seen.end()) seen.push_back(tok);
    }
    return t;
}

ImportParse refuse(Message why) {
    ImportParse p;
    p.error = std::move(why);
    return p;
}

} // namespace

Message check_import_tokens(const std::vector<std::string>& tokens) {
    if (tokens.empty()) return message(N_("the token list is empty"));
    if (tokens.size() > static_cast<std::size_t>(k_import_max_tokens))
        return message(N_("%s tokens is more than the %s an import may hold"), tokens.size(),
                       k_import_max_tokens);
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        const std::string& w = tokens[t];
        if (w.size() > static_cast<std::size_t>(k_import_max_token_bytes))
            return message(N_("token %s is %s bytes long (at most %s)"), t, w.size(),
                           k_import_max_token_bytes);
        for (std::size_t i = 0; i < w.size();) {
            const std::size_t len = utf8_sequence(w, i);
            if (len == 0) return message(N_("token %s is not valid UTF-8"), t);
            if (len == 1 && (static_cast<unsigned char>(w[i]) < 0x20 || w[i] == 0x7F))
                return message(N_("token %s holds a control character"), t);
            i += len;
        }
    }
    return {};
}

bool npy_words(std::string_view npy, std::vector<std::string>& words, Message& error) {
    const NpyHeaderParse h = parse_npy_header(npy, true);
    if (!h.ok()) return error = in_tokens(h.error), false;
    if (h.descr.size() < 2 || h.descr[1] != 'U')
        return error =
                   in_tokens(message(N_("dtype '%s' is not an array of strings (expected '<U…')"), h.descr)),
               false;
    if (h.shape.size() != 1)
        return error = in_tokens(message(N_("shape %s is not one list of words"), npy_shape_text(h.shape))),
               false;
    const int units = h.item_bytes / 4;
    words.clear();
    words.reserve(static_cast<std::size_t>(h.element_count));
    const auto* p = reinterpret_cast<const unsigned char*>(npy.data()) + h.data_begin;
    for (std::int64_t t = 0; t < h.element_count; ++t) {
        std::string w;
        for (int u = 0; u < units; ++u, p += 4) {
            const std::uint32_t cp = le32(p);
            if (cp == 0) { // zero padding ends the word
                p += 4 * static_cast<std::size_t>(units - u);
                break;
            }
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return error = in_tokens(message(N_("word %s holds an invalid code point"), t)), false;
            append_utf8(w, cp);
        }
        words.push_back(std::move(w));
    }
    return true;
}

ImportParse import_attention_npy(std::string_view npy, std::vector<std::string> tokens, std::string name,
                                 const HeadBytesSeen& seen) {
    const NpyHeaderParse h = parse_npy_header(npy);
    if (!h.ok()) return refuse(in_attention(h.error));
    std::vector<std::int64_t> shape = h.shape;
    if (shape.size() == 5 && shape[1] == 1) shape.erase(shape.begin() + 1); // (layers, batch 1, heads, n, n)
    if (shape.size() == 3) shape.insert(shape.begin(), 1);                  // one layer: (heads, n, n)
    if (shape.size() != 4)
        return refuse(in_attention(
            message(N_("shape %s is not (layers, heads, n, n); a (heads, n, n) array is read as one layer"),
                    npy_shape_text(h.shape))));
    if (shape[2] != shape[3])
        return refuse(in_attention(
            message(N_("shape %s has %s query rows but %s key columns; self-attention is square"),
                    npy_shape_text(h.shape), shape[2], shape[3])));
    if (shape[0] < 1 || shape[1] < 1 || shape[2] < 1)
        return refuse(in_attention(message(N_("shape %s is empty"), npy_shape_text(h.shape))));
    if (shape[0] > k_import_max_layers)
        return refuse(in_attention(
            message(N_("%s layers is more than the %s an import may hold"), shape[0], k_import_max_layers)));
    if (shape[1] > k_import_max_heads)
        return refuse(in_attention(
            message(N_("%s heads is more than the %s an import may hold"), shape[1], k_import_max_heads)));
    if (shape[2] > k_import_max_tokens)
        return refuse(in_attention(
            message(N_("%s tokens is more than the %s an import may hold"), shape[2], k_import_max_tokens)));
    if (h.element_count > k_import_max_values)
        return refuse(in_attention(message(N_("%s values is more than the %s an import may hold"),
                                           h.element_count, k_import_max_values)));
    if (static_cast<std::int64_t>(tokens.size()) != shape[2])
        return refuse(
            message(N_("the file has %s tokens but the attention has %s rows; they must be the same "
                       "sequence"),
                    tokens.size(), shape[2]));
    if (auto why = check_import_tokens(tokens); !why.empty()) return refuse(in_tokens(std::move(why)));

    const int L = static_cast<int>(shape[0]), H = static_cast<int>(shape[1]), n = static_cast<int>(shape[2]);
    ImportParse r;
    ImportedAttention& a = r.attention;
    a.name = std::move(name);
    a.tokens = std::move(tokens);
    a.n_layers = L;
    a.n_heads = H;
    const std::size_t LH = static_cast<std::size_t>(L * H), nn = static_cast<std::size_t>(n);
    std::shared_ptr<float[]> buffer = huge_page_floats(LH * nn * nn);
    if (!buffer)
        return refuse(in_attention(message(N_("not enough memory for %s MiB of weights"),
                                           LH * nn * nn * 4 / (std::size_t{1} << 20))));
    const auto* data = reinterpret_cast<const unsigned char*>(npy.data()) + h.data_begin;
    const bool f64 = h.dtype == NpyDtype::Float64;
    const std::size_t item = f64 ? 8 : 4;
    // element (l, h, i, j), m = l·H + h: C order m·n² + i·n + j; Fortran order (l + L·h) + L·H·(i + n·j)
    std::vector<Message> errors(LH); // per head, so the first by position is reported whatever the order
    std::vector<char> looks_ahead(LH, 0);
    a.stats.resize(LH);
    // Every head is summarised while it is in the cache: its statistics, its probes and whether any query
    // looked ahead. The probes need to know whether the whole import is causal, which only the last head
    // settles; the first head is read alone and its answer is taken for all, and should another head
    // disagree the probes run again over the buffer (a model is causal in all its heads or in none).
    HeadProbes probes(L, H);
    ProbeTargets targets;
    const auto convert = [&](int task) {
        const auto m = static_cast<std::size_t>(task);
        const int l = task / H, hh = task % H;
        Eigen::Map<Matrix> w(buffer.get() + m * nn * nn, n, n);
        const std::size_t fortran_m =
            m / static_cast<std::size_t>(H) + static_cast<std::size_t>(L) * (m % static_cast<std::size_t>(H));
        for (std::size_t i = 0; i < nn; ++i) {
            float* row = w.row(static_cast<Eigen::Index>(i)).data();
            if (!h.fortran_order && !f64 && std::endian::native == std::endian::little) {
                std::memcpy(row, data + (m * nn * nn + i * nn) * 4, nn * 4); // one copy of a contiguous row
            } else {
                for (std::size_t j = 0; j < nn; ++j) {
                    const std::size_t e =
                        h.fortran_order ? fortran_m + LH * (i + nn * j) : m * nn * nn + i * nn + j;
                    const unsigned char* p = data + e * item;
                    row[j] = f64 ? static_cast<float>(std::bit_cast<double>(le64(p)))
                                 : std::bit_cast<float>(le32(p));
                }
            }
            // values: finite, non-negative, rows summing to 1 (or all zero)
            const auto vals = w.row(static_cast<Eigen::Index>(i)).array();
            if (!vals.isFinite().all() || (vals < 0.0f).any()) {
                for (int j = 0; j < n; ++j) {
                    const float v = vals(j);
                    if (!std::isfinite(v)) {
                        errors[m] =
                            in_attention(message(N_("%s, column %s is %s; weights must be finite"),
                                                 where(l, hh, static_cast<int>(i)), j + 1,
                                                 message(std::isnan(v) ? N_("NaN") : N_("infinite"))));
                        return;
                    }
                    if (v < 0) {
                        errors[m] = in_attention(message(N_("%s, column %s is negative (%s); these look like "
                                                            "scores or logits, not softmax "
                                                            "weights"),
                                                         where(l, hh, static_cast<int>(i)), j + 1,
                                                         std::to_string(v)));
                        return;
                    }
                }
            }
            const double sum = vals.cast<double>().sum();
            if (sum != 0 && std::fabs(sum - 1.0) > k_import_row_tolerance) {
                errors[m] = in_attention(message(
                    N_("%s sums to %s, not 1; export the weights after softmax (output_attentions=True)"),
                    where(l, hh, static_cast<int>(i)), std::to_string(sum)));
                return;
            }
        }
        if (seen && !h.fortran_order) {
            const std::size_t bytes = nn * nn * item;
            seen(task, h.data_begin + m * bytes,
                 npy.substr(h.data_begin + m * bytes, bytes)); // this head's source, still in the cache
        }
        a.stats[m] = head_stats(w); // and its converted weights too
        looks_ahead[m] = looks_ahead_in(w);
        if (task > 0) probes.add(l, hh, w, targets, &a.stats[m].row_entropy); // its own head's sums only
    };
    convert(0);
    if (!errors[0].empty()) return refuse(errors[0]);
    targets = probe_targets(a.tokens, n > 1 && !looks_ahead[0]);
    probes.add(0, 0, Eigen::Map<Matrix>(buffer.get(), n, n), targets, &a.stats[0].row_entropy);
    WorkerTeam team;
    team.run(L * H - 1, [&](int task, int) { convert(task + 1); });
    for (const Message& e : errors)
        if (!e.empty()) return refuse(e);
    a.weights = std::move(buffer);
    a.causal = n > 1 && std::count(looks_ahead.begin(), looks_ahead.end(), 1) == 0;
    if (a.causal == targets.causal)
        a.heads = probes.report();
    else
        probe_imported(a);
    return r;
}

void probe_imported(ImportedAttention& a) {
    a.causal = a.n_tokens() > 1;
    for (int m = 0; m < a.n_matrices() && a.causal; ++m)
        a.causal = !looks_ahead_in(a.head_at(m));
    const ProbeTargets t = probe_targets(a.tokens, a.causal);
    HeadProbes probes(a.n_layers, a.n_heads);
    WorkerTeam team; // each task adds one head's statistics, which no other task touches
    team.run(a.n_layers * a.n_heads, [&](int m, int) {
        const bool summed = a.stats.size() == static_cast<std::size_t>(a.n_matrices());
        probes.add(m / a.n_heads, m % a.n_heads, a.head_at(m), t,
                   summed ? &a.stats[static_cast<std::size_t>(m)].row_entropy : nullptr);
    });
    a.heads = probes.report();
}

ImportedAttention attention_of(const ForwardResult& f, const std::vector<std::string>& tokens,
                               std::string name) {
    ImportedAttention a;
    a.name = std::move(name);
    a.tokens = tokens;
    a.n_layers = static_cast<int>(f.layers.size());
    a.n_heads = f.layers.empty() ? 0 : static_cast<int>(f.layers.front().heads.size());
    std::vector<Matrix> per_head;
    for (const LayerResult& l : f.layers)
        for (const HeadResult& h : l.heads)
            per_head.push_back(h.weights);
    set_weights(a, per_head);
    return a;
}

void set_weights(ImportedAttention& a, const std::vector<Matrix>& per_head) {
    const int n = a.n_tokens();
    ATTN_CHECK(static_cast<int>(per_head.size()) == a.n_matrices());
    const auto nn = static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
    std::shared_ptr<float[]> buffer = huge_page_floats(per_head.size() * nn);
    ATTN_CHECK(buffer != nullptr);
    for (std::size_t m = 0; m < per_head.size(); ++m) {
        ATTN_CHECK(per_head[m].rows() == n && per_head[m].cols() == n);
        Eigen::Map<Matrix>(buffer.get() + m * nn, n, n) = per_head[m];
    }
    a.weights = std::move(buffer);
    a.stats.clear();
    for (int m = 0; m < a.n_matrices(); ++m)
        a.stats.push_back(head_stats(a.head_at(m)));
}

std::string attention_to_npy(const ImportedAttention& a) {
    NpyArray arr;
    const std::int64_t n = a.n_tokens();
    arr.shape = {a.n_layers, a.n_heads, n, n};
    arr.dtype = NpyDtype::Float32;
    const std::size_t count = static_cast<std::size_t>(arr.element_count());
    arr.data.assign(a.weights.get(), a.weights.get() + count); // layer-major, row-major: the .npy's C order
    return write_npy(arr);
}

} // namespace attn

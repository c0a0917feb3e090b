// The compute command's config reader, input checks and output writer (see compute_config.hpp).
// Sections: 1. JSON config  2. loading .npy inputs with shape checks  3. running and writing.
#include "compute_config.hpp"

#include "safe_write.hpp"

#include "core/npy.hpp"

#include "state_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>

namespace attn {

namespace fs = std::filesystem;
using nlohmann::json;
using NamedPath = std::pair<const char*, const std::string*>;

namespace {

std::string shape_str(const std::vector<std::int64_t>& s) {
    std::string t = "(";
    for (std::size_t i = 0; i < s.size(); ++i)
        t += (i ? ", " : "") + std::to_string(s[i]);
    return t + (s.size() == 1 ? ",)" : ")");
}

// ---- 1. JSON config ------------------------------------------------------------------------------------
std::string read_int(const json& j, const char* key, int lo, int hi, int& out) {
    if (!j.contains(key)) return {};
    const json& v = j.at(key);
    if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
        return std::string("\"") + key + "\" must be a whole number from " + std::to_string(lo) + " to " +
               std::to_string(hi) + ", not " + english(io::brief(v));
    out = static_cast<int>(v.get<long long>());
    return {};
}

std::string read_choice(const json& j, const char* key, std::initializer_list<const char*> allowed,
                        std::string& out) {
    if (!j.contains(key)) return {};
    std::string list;
    for (const char* a : allowed)
        list += std::string(list.empty() ? "" : ", ") + "\"" + a + "\"";
    const json& v = j.at(key);
    if (v.is_string())
        for (const char* a : allowed)
            if (v.get<std::string>() == a) {
                out = a;
                return {};
            }
    return std::string("\"") + key + "\" must be one of " + list + ", not " + english(io::brief(v));
}

} // namespace

Parsed<ComputeConfig> parse_compute_config(std::string_view json_text, const std::string& base_dir) {
    using P = Parsed<ComputeConfig>;
    auto parsed = io::parse_json(json_text);
    if (!parsed.ok()) return P::fail("not valid JSON: " + english(parsed.error));
    const json& j = parsed.value;
    if (!j.is_object()) return P::fail("the config must be a JSON object");
    static const char* const known[] = {"inputs",        "heads",        "kv_heads", "mask",
                                        "window",        "positions",    "scale",    "implementation",
                                        "flash_block_q", "flash_block_k"};
    // (item.key() rather than a structured binding: clang 14, used by make fuzz, cannot capture one)
    for (const auto& item : j.items()) {
        const std::string& key = item.key();
        if (std::find_if(std::begin(known), std::end(known), [&](const char* k) { return key == k; }) ==
            std::end(known))
            return P::fail("unknown key \"" + key + "\" in the config");
    }
    ComputeConfig c;
    if (!j.contains("inputs") || !j.at("inputs").is_object())
        return P::fail(
            "\"inputs\" must be an object naming .npy files, e.g. {\"x\": \"x.npy\", \"w_q\": ...}");
    const std::pair<const char*, std::string*> files[] = {{"x", &c.x},     {"w_q", &c.w_q}, {"w_k", &c.w_k},
                                                          {"w_v", &c.w_v}, {"w_o", &c.w_o}, {"q", &c.q},
                                                          {"k", &c.k},     {"v", &c.v}};
    for (const auto& item : j.at("inputs").items()) {
        const std::string& key = item.key();
        const json& value = item.value();
        auto it =
            std::find_if(std::begin(files), std::end(files), [&](const auto& f) { return key == f.first; });
        if (it == std::end(files))
            return P::fail("unknown input \"" + key + "\" (known: x, w_q, w_k, w_v, w_o, q, k, v)");
        if (!value.is_string() || value.get<std::string>().empty())
            return P::fail("input \"" + key + "\" must be a file name");
        const fs::path p = value.get<std::string>();
        *it->second = (p.is_absolute() ? p : fs::path(base_dir) / p).lexically_normal().string();
    }
    if (auto e = read_int(j, "heads", 1, 1024, c.n_heads); !e.empty()) return P::fail(e);
    if (auto e = read_int(j, "kv_heads", 1, 1024, c.n_kv_heads); !e.empty()) return P::fail(e);
    BlockOptions& o = c.options;
    std::string mask = "bidirectional", pos = "none", impl = "matrix";
    if (auto e = read_choice(j, "mask", {"bidirectional", "causal", "sliding_window"}, mask); !e.empty())
        return P::fail(e);
    if (auto e = read_choice(j, "positions", {"none", "sinusoidal", "rope", "alibi"}, pos); !e.empty())
        return P::fail(e);
    if (auto e = read_choice(j, "implementation", {"reference", "matrix", "flash"}, impl); !e.empty())
        return P::fail(e);
    o.mask.kind = mask == "causal"           ? MaskKind::Causal
                  : mask == "sliding_window" ? MaskKind::SlidingWindow
                                             : MaskKind::Bidirectional;
    o.positions = pos == "sinusoidal" ? PositionKind::Sinusoidal
                  : pos == "rope"     ? PositionKind::Rope
                  : pos == "alibi"    ? PositionKind::Alibi
                                      : PositionKind::None;
    o.implementation = impl == "reference" ? Implementation::Reference
                       : impl == "flash"   ? Implementation::Flash
                                           : Implementation::Matrix;
    o.mask.window = 0;
    if (auto e = read_int(j, "window", 1, 1 << 30, o.mask.window); !e.empty()) return P::fail(e);
    if (o.mask.kind == MaskKind::SlidingWindow && o.mask.window == 0)
        return P::fail("\"mask\": \"sliding_window\" needs \"window\": the number of tokens each query sees");
    if (auto e = read_int(j, "flash_block_q", 1, 4096, o.flash.block_q); !e.empty()) return P::fail(e);
    if (auto e = read_int(j, "flash_block_k", 1, 4096, o.flash.block_k); !e.empty()) return P::fail(e);
    if (j.contains("scale")) {
        const json& s = j.at("scale");
        if (s.is_string() && s.get<std::string>() == "default")
            o.scale = 0.0f;
        else if (s.is_number() && std::isfinite(s.get<double>()) && s.get<double>() > 0 &&
                 s.get<double>() < 1e30)
            o.scale = static_cast<float>(s.get<double>());
        else
            return P::fail("\"scale\" must be a positive number or \"default\" (1/sqrt(d_head)), not " +
                           english(io::brief(s)));
    }
    return P{std::move(c), {}};
}

// ---- 2. loading the inputs -----------------------------------------------------------------------------
namespace {

Parsed<NpyArray> load_npy(const std::string& path, std::size_t want_dims, const char* meaning) {
    using P = Parsed<NpyArray>;
    auto bytes = read_text_file(path, std::size_t{1} << 31);
    if (!bytes.ok()) return P::fail(bytes.error);
    NpyParse p = parse_npy(bytes.value);
    if (!p.ok()) return P::fail(path + ": " + english(p.error));
    if (p.array.shape.size() != want_dims)
        return P::fail(path + ": has shape " + shape_str(p.array.shape) + " but must be " +
                       std::to_string(want_dims) + "-D " + meaning);
    for (std::int64_t d : p.array.shape)
        if (d == 0)
            return P::fail(path + ": has shape " + shape_str(p.array.shape) + " with an empty dimension");
    for (std::size_t i = 0; i < p.array.data.size(); ++i)
        if (!(std::fabs(p.array.data[i]) <= static_cast<double>(std::numeric_limits<float>::max())))
            return P::fail(path + ": element " + std::to_string(i) + " is not a finite float32 (" +
                           std::to_string(p.array.data[i]) + ")");
    return P{std::move(p.array), {}};
}

Matrix to_matrix(const NpyArray& a, std::size_t offset, Eigen::Index rows, Eigen::Index cols) {
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(a.data[offset + static_cast<std::size_t>(i)]);
    return m;
}

std::vector<Matrix> to_heads(const NpyArray& a) { // (heads, n, d) → heads × (n, d)
    std::vector<Matrix> out;
    const auto per = static_cast<std::size_t>(a.shape[1] * a.shape[2]);
    for (std::int64_t h = 0; h < a.shape[0]; ++h)
        out.push_back(to_matrix(a, static_cast<std::size_t>(h) * per, a.shape[1], a.shape[2]));
    return out;
}

std::string check_head_ratio(const BlockOptions& o) {
    if (o.n_kv_heads <= o.n_heads && o.n_heads % o.n_kv_heads == 0) return {};
    return std::to_string(o.n_kv_heads) + " key/value heads must divide the " + std::to_string(o.n_heads) +
           " query heads (each group of query heads shares one key/value head)";
}

} // namespace

Parsed<LoadedCompute> load_compute_inputs(const ComputeConfig& c) {
    using P = Parsed<LoadedCompute>;
    LoadedCompute r;
    r.options = c.options;
    BlockOptions& o = r.options;
    const bool x_mode = !c.x.empty(), qkv_mode = !c.q.empty() || !c.k.empty() || !c.v.empty();
    if (x_mode == qkv_mode)
        return P::fail(
            "give either \"x\" (with \"w_q\", \"w_k\", \"w_v\") or \"q\", \"k\" and \"v\" in \"inputs\"");
    if (o.positions == PositionKind::Sinusoidal && !x_mode)
        return P::fail(
            "\"positions\": \"sinusoidal\" adds to the embeddings x, so it needs \"x\", not q/k/v");
    std::int64_t n = 0, d_head = 0;
    if (x_mode) {
        for (auto [name, path] :
             {NamedPath{"w_q", &c.w_q}, NamedPath{"w_k", &c.w_k}, NamedPath{"w_v", &c.w_v}})
            if (path->empty()) return P::fail(std::string("\"") + name + "\" is required with \"x\"");
        auto x = load_npy(c.x, 2, "(n_tokens, d_model)");
        if (!x.ok()) return P::fail(x.error);
        n = x.value.shape[0];
        const std::int64_t d_model = x.value.shape[1];
        o.n_heads = c.n_heads > 0 ? c.n_heads : 1;
        o.n_kv_heads = c.n_kv_heads > 0 ? c.n_kv_heads : o.n_heads;
        if (auto e = check_head_ratio(o); !e.empty()) return P::fail(e);
        auto wq = load_npy(c.w_q, 2, "(d_model, n_heads·d_head)");
        if (!wq.ok()) return P::fail(wq.error);
        if (wq.value.shape[0] != d_model)
            return P::fail(c.w_q + ": has " + std::to_string(wq.value.shape[0]) +
                           " rows, expected d_model = " + std::to_string(d_model) + " (the columns of " +
                           c.x + ")");
        if (wq.value.shape[1] % o.n_heads != 0)
            return P::fail(c.w_q + ": its " + std::to_string(wq.value.shape[1]) +
                           " columns do not split into " + std::to_string(o.n_heads) + " heads");
        d_head = wq.value.shape[1] / o.n_heads;
        r.inputs.x = to_matrix(x.value, 0, n, d_model);
        r.inputs.w_q = to_matrix(wq.value, 0, d_model, wq.value.shape[1]);
        for (auto [path, dst] : {std::pair<const std::string*, Matrix*>{&c.w_k, &r.inputs.w_k},
                                 std::pair<const std::string*, Matrix*>{&c.w_v, &r.inputs.w_v}}) {
            auto w = load_npy(*path, 2, "(d_model, n_kv_heads·d_head)");
            if (!w.ok()) return P::fail(w.error);
            if (w.value.shape[0] != d_model || w.value.shape[1] != o.n_kv_heads * d_head)
                return P::fail(*path + ": has shape " + shape_str(w.value.shape) +
                               ", expected (d_model, n_kv_heads·d_head) = (" + std::to_string(d_model) +
                               ", " + std::to_string(o.n_kv_heads * d_head) + ")");
            *dst = to_matrix(w.value, 0, d_model, w.value.shape[1]);
        }
    } else {
        for (auto [name, path] : {NamedPath{"q", &c.q}, NamedPath{"k", &c.k}, NamedPath{"v", &c.v}})
            if (path->empty())
                return P::fail(std::string("\"") + name + "\" is required with \"q\", \"k\" and \"v\"");
        for (auto [name, path] :
             {NamedPath{"w_q", &c.w_q}, NamedPath{"w_k", &c.w_k}, NamedPath{"w_v", &c.w_v}})
            if (!path->empty())
                return P::fail(std::string("\"") + name + "\" is only used with \"x\"; remove it or give x");
        auto q = load_npy(c.q, 3, "(n_heads, n_tokens, d_head)");
        if (!q.ok()) return P::fail(q.error);
        n = q.value.shape[1], d_head = q.value.shape[2];
        if (q.value.shape[0] > 4096)
            return P::fail(c.q + ": holds " + std::to_string(q.value.shape[0]) +
                           " heads; at most 4096 are supported");
        o.n_heads = static_cast<int>(q.value.shape[0]);
        if (c.n_heads > 0 && c.n_heads != o.n_heads)
            return P::fail(c.q + ": holds " + std::to_string(o.n_heads) + " heads but \"heads\" says " +
                           std::to_string(c.n_heads));
        r.inputs.q = to_heads(q.value);
        using KvSlot = std::pair<const std::string*, std::vector<Matrix>*>;
        for (auto [path, dst] : {KvSlot{&c.k, &r.inputs.k}, KvSlot{&c.v, &r.inputs.v}}) {
            auto kv = load_npy(*path, 3, "(n_kv_heads, n_tokens, d_head)");
            if (!kv.ok()) return P::fail(kv.error);
            if (kv.value.shape[1] != n || kv.value.shape[2] != d_head)
                return P::fail(*path + ": has shape " + shape_str(kv.value.shape) +
                               ", expected (n_kv_heads, " + std::to_string(n) + ", " +
                               std::to_string(d_head) + ") to match " + c.q);
            if (kv.value.shape[0] > o.n_heads)
                return P::fail(*path + ": holds " + std::to_string(kv.value.shape[0]) +
                               " key/value heads, more than the " + std::to_string(o.n_heads) +
                               " query heads of " + c.q);
            o.n_kv_heads = static_cast<int>(kv.value.shape[0]);
            if (c.n_kv_heads > 0 && c.n_kv_heads != o.n_kv_heads)
                return P::fail(*path + ": holds " + std::to_string(o.n_kv_heads) +
                               " heads but \"kv_heads\" says " + std::to_string(c.n_kv_heads));
            *dst = to_heads(kv.value);
        }
        if (r.inputs.k.size() != r.inputs.v.size())
            return P::fail(c.v + ": holds " + std::to_string(r.inputs.v.size()) + " heads but " + c.k +
                           " holds " + std::to_string(r.inputs.k.size()));
    }
    if (auto e = check_head_ratio(o); !e.empty()) return P::fail(e);
    if (static_cast<double>(o.n_heads) * static_cast<double>(n) * static_cast<double>(n) >
        static_cast<double>(1 << 27))
        return P::fail("too large: the scores and weights of " + std::to_string(o.n_heads) + " heads of " +
                       std::to_string(n) + "x" + std::to_string(n) + " would take " +
                       std::to_string(8 * static_cast<long long>(o.n_heads) * n * n / (1 << 20)) +
                       " MiB, more than the 1024 MiB this command allows (8 bytes per head and pair)");
    if (!c.w_o.empty()) {
        auto wo = load_npy(c.w_o, 2, "(n_heads·d_head, d_model)");
        if (!wo.ok()) return P::fail(wo.error);
        if (wo.value.shape[0] != o.n_heads * d_head)
            return P::fail(c.w_o + ": has " + std::to_string(wo.value.shape[0]) +
                           " rows, expected n_heads·d_head = " + std::to_string(o.n_heads * d_head));
        r.inputs.w_o = to_matrix(wo.value, 0, wo.value.shape[0], wo.value.shape[1]);
    }
    return P{std::move(r), {}};
}

// ---- 3. running and writing ----------------------------------------------------------------------------
namespace {

// The inputs are finite, but their products may not be (1e20 · 1e20 overflows float32). Names the first
// place where that happened: scores may be -inf only where the mask hides the key.
std::string find_overflow(const BlockResult& r, const MaskSpec& mask) {
    const auto where = [](const char* what, std::size_t h, Eigen::Index i, Eigen::Index j, float v) {
        return std::string(what) + " of head " + std::to_string(h + 1) + " (query " + std::to_string(i) +
               ", key " + std::to_string(j) + ") is " + std::to_string(v) +
               ": the computation overflowed float32; scale the inputs down";
    };
    for (std::size_t h = 0; h < r.heads.size(); ++h) {
        const AttentionResult& a = r.heads[h];
        for (Eigen::Index i = 0; i < a.scores.rows(); ++i)
            for (Eigen::Index j = 0; j < a.scores.cols(); ++j) {
                const float s = a.scores(i, j);
                const bool hidden = !key_visible(mask, static_cast<int>(i), static_cast<int>(j));
                if (!std::isfinite(s) && !(hidden && s == -std::numeric_limits<float>::infinity()))
                    return where("the score", h, i, j, s);
            }
        for (Eigen::Index i = 0; i < a.weights.rows(); ++i)
            for (Eigen::Index j = 0; j < a.weights.cols(); ++j)
                if (!std::isfinite(a.weights(i, j))) return where("the weight", h, i, j, a.weights(i, j));
        for (Eigen::Index i = 0; i < a.output.rows(); ++i)
            for (Eigen::Index j = 0; j < a.output.cols(); ++j)
                if (!std::isfinite(a.output(i, j))) return where("the output", h, i, j, a.output(i, j));
    }
    for (Eigen::Index i = 0; i < r.output.rows(); ++i)
        for (Eigen::Index j = 0; j < r.output.cols(); ++j)
            if (!std::isfinite(r.output(i, j)))
                return "the block output (token " + std::to_string(i) + ", feature " + std::to_string(j) +
                       ") is " + std::to_string(r.output(i, j)) +
                       " after W_O: the computation overflowed float32; scale the inputs down";
    return {};
}

// Writes matrices of one shape, stacked along a first axis (or one matrix, as a 2-D array), as a float32
// .npy straight from their storage: no copy of the (H, n, n) values is ever assembled in memory.
std::string write_stacked(const fs::path& path, const std::vector<const Matrix*>& mats, bool stacked) {
    static_assert(std::endian::native == std::endian::little, ".npy '<f4' is written from memory as it is");
    const Matrix& first = *mats.front();
    std::vector<std::int64_t> shape = {first.rows(), first.cols()};
    if (stacked) shape.insert(shape.begin(), static_cast<std::int64_t>(mats.size()));
    const std::string header = npy_header(shape, NpyDtype::Float32);
    std::size_t next = 0; // 0: the header, then matrix next - 1
    return safe_write_pieces(path.string(), [&]() -> std::string_view {
        if (next > mats.size()) return {};
        if (next++ == 0) return header;
        const Matrix& m = *mats[next - 2];
        return {reinterpret_cast<const char*>(m.data()), static_cast<std::size_t>(m.size()) * sizeof(float)};
    });
}

std::vector<const Matrix*> member_of(const std::vector<AttentionResult>& heads, Matrix AttentionResult::*m) {
    std::vector<const Matrix*> out;
    for (const auto& h : heads)
        out.push_back(&(h.*m));
    return out;
}

} // namespace

ComputeOutcome run_compute(const std::string& config_path, const std::string& out_dir) {
    auto text = read_text_file(config_path, 1u << 20);
    if (!text.ok()) return {2, english(text.error)};
    auto cfg = parse_compute_config(text.value, fs::path(config_path).parent_path().string());
    if (!cfg.ok()) return {2, config_path + ": " + english(cfg.error)};
    auto loaded = load_compute_inputs(cfg.value);
    if (!loaded.ok()) return {2, english(loaded.error)};
    const BlockResult r = attention_block(loaded.value.inputs, loaded.value.options);
    if (auto e = find_overflow(r, loaded.value.options.mask); !e.empty())
        return {2, e + ". Nothing was written."};

    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) return {1, "cannot create " + out_dir + ": " + ec.message()};
    // Each output is written from the result's own matrices, one after the other: the peak memory is the
    // result itself (scores and weights, 8·H·n² bytes), not copies of it.
    const std::pair<const char*, std::vector<const Matrix*>> files[] = {
        {"weights.npy", member_of(r.heads, &AttentionResult::weights)},
        {"scores.npy", member_of(r.heads, &AttentionResult::scores)},
        {"output.npy", {&r.output}},
        {"head_outputs.npy", member_of(r.heads, &AttentionResult::output)}};
    std::vector<std::int64_t> shapes[4];
    for (std::size_t f = 0; f < 4; ++f) {
        const bool stacked = f != 2;
        if (auto e = write_stacked(fs::path(out_dir) / files[f].first, files[f].second, stacked); !e.empty())
            return {1, e};
        const Matrix& m = *files[f].second.front();
        shapes[f] = {m.rows(), m.cols()};
        if (stacked) shapes[f].insert(shapes[f].begin(), static_cast<std::int64_t>(files[f].second.size()));
    }
    return {0, "wrote weights.npy and scores.npy " + shape_str(shapes[0]) + ", output.npy " +
                   shape_str(shapes[2]) + " and head_outputs.npy " + shape_str(shapes[3]) + " to " + out_dir};
}

} // namespace attn

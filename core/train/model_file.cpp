// Writing and reading the trained-model file (format in model_file.hpp). Every read is bounds-checked,
// so a truncated or foreign file yields a message, never a crash.
#include "model_file.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace attn::train {

namespace {

static_assert(std::endian::native == std::endian::little, "the model file is written little-endian");

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_string(std::vector<std::uint8_t>& out, const std::string& s) {
    put_u32(out, static_cast<std::uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
}

class Reader {
  public:
    explicit Reader(const std::vector<std::uint8_t>& b) : b_(b) {}
    bool u32(std::uint32_t& v) {
        if (b_.size() - at_ < 4) return false;
        v = 0;
        for (int i = 0; i < 4; ++i)
            v |= static_cast<std::uint32_t>(b_[at_ + static_cast<std::size_t>(i)]) << (8 * i);
        at_ += 4;
        return true;
    }
    bool str(std::string& s, std::uint32_t max_len) {
        std::uint32_t n = 0;
        if (!u32(n) || n > max_len || b_.size() - at_ < n) return false;
        s.assign(reinterpret_cast<const char*>(b_.data() + at_), n);
        at_ += n;
        return true;
    }
    bool floats(std::vector<float>& v, std::size_t n) {
        if ((b_.size() - at_) / 4 < n) return false;
        v.resize(n);
        std::memcpy(v.data(), b_.data() + at_, n * 4);
        at_ += n * 4;
        return true;
    }
    bool at_end() const { return at_ == b_.size(); }

  private:
    const std::vector<std::uint8_t>& b_;
    std::size_t at_ = 0;
};

LoadResult fail(Message why) {
    LoadResult r;
    r.error = std::move(why);
    return r;
}

} // namespace

std::vector<std::uint8_t> serialize(const TinyModel& m) {
    std::vector<std::uint8_t> out = {'A', 'T', 'L', 'M'};
    put_u32(out, k_model_file_version);
    const ModelConfig& c = m.config;
    for (int v : {c.vocab_size, c.max_positions, c.d_model, c.n_layers, c.n_heads, c.n_kv_heads, c.d_head,
                  c.d_ff, static_cast<int>(c.mask), c.window, static_cast<int>(c.positions)})
        put_u32(out, static_cast<std::uint32_t>(v));
    put_string(out, m.task);
    put_u32(out, static_cast<std::uint32_t>(m.data_seed & 0xFFFFFFFFu));
    put_u32(out, static_cast<std::uint32_t>(m.data_seed >> 32));
    for (const auto& w : m.vocab)
        put_string(out, w);
    ModelWeights weights = m.weights; // tensors() hands out writable views
    const std::vector<TensorRef> list = tensors(weights);
    std::uint64_t n = 0;
    for (const TensorRef& t : list)
        n += t.size();
    put_u32(out, static_cast<std::uint32_t>(n & 0xFFFFFFFFu));
    put_u32(out, static_cast<std::uint32_t>(n >> 32));
    for (const TensorRef& t : list) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(t.data);
        out.insert(out.end(), p, p + t.size() * 4);
    }
    return out;
}

LoadResult deserialize(const std::vector<std::uint8_t>& bytes) {
    if (bytes.size() < 8 || std::memcmp(bytes.data(), "ATLM", 4) != 0)
        return fail(message(N_("This is not an Attention Lab model file (it does not start with ATLM).")));
    std::vector<std::uint8_t> rest(bytes.begin() + 4, bytes.end());
    Reader r(rest);
    std::uint32_t version = 0;
    r.u32(version);
    if (version != 1 && version != k_model_file_version)
        return fail(message(N_("The model file has format version %s; this build reads versions 1 and %s. "
                               "Train it again with this build: attention-lab train --task NAME --out FILE."),
                            version, k_model_file_version));
    const int n_fields = version == 1 ? 9 : 11;
    std::uint32_t f[11] = {};
    for (int i = 0; i < n_fields; ++i)
        if (!r.u32(f[i])) return fail(message(N_("The model file is truncated (in its configuration).")));
    for (int i = 0; i < n_fields; ++i)
        if (f[i] > 1000000u)
            return fail(message(N_("The model file's configuration holds an impossible size.")));
    ModelConfig c;
    c.vocab_size = static_cast<int>(f[0]);
    c.max_positions = static_cast<int>(f[1]);
    c.d_model = static_cast<int>(f[2]);
    c.n_layers = static_cast<int>(f[3]);
    c.n_heads = static_cast<int>(f[4]);
    c.n_kv_heads = static_cast<int>(f[5]);
    c.d_head = static_cast<int>(f[6]);
    c.d_ff = static_cast<int>(f[7]);
    if (version == 1) { // learned positions and a causal flag
        if (f[8] > 1) return fail(message(N_("The model file's causal flag is %s, not 0 or 1."), f[8]));
        c.mask = f[8] != 0 ? MaskKind::Causal : MaskKind::Bidirectional;
        c.positions = PositionKind::Learned;
    } else {
        if (f[8] > static_cast<std::uint32_t>(MaskKind::SlidingWindow))
            return fail(message(N_("The model file names an unknown mask (%s)."), f[8]));
        if (f[10] > static_cast<std::uint32_t>(PositionKind::Alibi))
            return fail(message(N_("The model file names an unknown position encoding (%s)."), f[10]));
        c.mask = static_cast<MaskKind>(f[8]);
        c.window = static_cast<int>(f[9]);
        c.positions = static_cast<PositionKind>(f[10]);
    }
    if (auto why = validate_trainable(c); !why.empty())
        return fail(message(N_("The model file's configuration is invalid: %s"), std::move(why)));
    TinyModel m;
    m.config = c;
    std::uint32_t seed_lo = 0, seed_hi = 0;
    if (!r.str(m.task, 64) || !r.u32(seed_lo) || !r.u32(seed_hi))
        return fail(message(N_("The model file is truncated (in its task name).")));
    m.data_seed = (static_cast<std::uint64_t>(seed_hi) << 32) | seed_lo;
    for (int i = 0; i < c.vocab_size; ++i) {
        std::string w;
        if (!r.str(w, 256)) return fail(message(N_("The model file is truncated (in its vocabulary).")));
        m.vocab.push_back(std::move(w));
    }
    std::uint32_t lo = 0, hi = 0;
    if (!r.u32(lo) || !r.u32(hi))
        return fail(message(N_("The model file is truncated (before its weights).")));
    const std::uint64_t n = (static_cast<std::uint64_t>(hi) << 32) | lo;
    m.weights = zeros_like(make_weights(c)); // the shapes c needs
    const std::size_t expected = parameter_count(m.weights);
    if (n != expected)
        return fail(
            message(N_("The model file holds %s weights but its configuration needs %s."), n, expected));
    std::vector<float> values;
    if (!r.floats(values, expected))
        return fail(message(N_("The model file is truncated (in its weights).")));
    if (!r.at_end()) return fail(message(N_("The model file has unexpected bytes after its weights.")));
    for (float x : values)
        if (!std::isfinite(x))
            return fail(message(N_("The model file holds a weight that is not a finite number.")));
    std::size_t at = 0;
    for (TensorRef& t : tensors(m.weights)) {
        std::copy(values.begin() + static_cast<std::ptrdiff_t>(at),
                  values.begin() + static_cast<std::ptrdiff_t>(at + t.size()), t.data);
        at += t.size();
    }
    LoadResult ok;
    ok.model = std::move(m);
    return ok;
}

LoadResult load_model(const std::string& path) {
    // A folder, a device such as /dev/zero, or a file far larger than any model is refused before reading.
    std::error_code ec;
    const std::filesystem::file_status st = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(st)) return fail(message(N_("Cannot open the model file %s."), path));
    if (!std::filesystem::is_regular_file(st))
        return fail(
            message(N_("%s is not a regular file (a folder or a device), so it cannot be a model."), path));
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size > k_max_model_file_bytes)
        return fail(message(N_("%s is larger than any model file (%s MiB at most)."), path,
                            k_max_model_file_bytes >> 20));
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(message(N_("Cannot open the model file %s."), path));
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (static_cast<std::size_t>(in.gcount()) != bytes.size())
        return fail(message(N_("Cannot read the model file %s."), path));
    LoadResult r = deserialize(bytes);
    if (!r.error.empty()) r.error = message(N_("%s: %s"), path, std::move(r.error));
    return r;
}

} // namespace attn::train

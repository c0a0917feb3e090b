// The compute command end to end, in-process: .npy inputs written to a temp folder, run_compute(), outputs
// read back and compared with numbers worked out by hand; then bad inputs that must give exit 2 + a message.
#include "app/io/compute_config.hpp"
#include "core/npy.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

using namespace attn;
namespace fs = std::filesystem;

namespace {

struct TempDir : test::TempDir {
    void npy(const std::string& name, std::vector<std::int64_t> shape, std::vector<double> data) const {
        NpyArray a;
        a.shape = std::move(shape);
        a.data = std::move(data);
        write(name, write_npy(a));
    }
    NpyArray read(const std::string& name) const {
        std::ifstream f(path / name, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        NpyParse p = parse_npy(bytes);
        REQUIRE_MESSAGE(p.ok(), name << ": " << english(p.error));
        return p.array;
    }
    ComputeOutcome run(const std::string& config_json) const {
        write("config.json", config_json);
        return run_compute((path / "config.json").string(), (path / "out").string());
    }
};

const double e = std::exp(1.0);

} // namespace

TEST_CASE("compute: a 2-token X-mode block matches a hand computation") {
    TempDir t;
    // X = [[1, 0], [0, 2]], W_Q = W_K = I, W_V = [[1, 2], [3, 4]], W_O swaps the two columns
    t.npy("x.npy", {2, 2}, {1, 0, 0, 2});
    t.npy("wq.npy", {2, 2}, {1, 0, 0, 1});
    t.npy("wk.npy", {2, 2}, {1, 0, 0, 1});
    t.npy("wv.npy", {2, 2}, {1, 2, 3, 4});
    t.npy("wo.npy", {2, 2}, {0, 1, 1, 0});
    const auto r = t.run(R"({"inputs": {"x": "x.npy", "w_q": "wq.npy", "w_k": "wk.npy", "w_v": "wv.npy",
                             "w_o": "wo.npy"}, "scale": 1.0})");
    REQUIRE_MESSAGE(r.exit_code == 0, r.message);
    // scores = Q Kᵀ = X Xᵀ = [[1, 0], [0, 4]]
    const NpyArray s = t.read("out/scores.npy");
    CHECK(s.shape == std::vector<std::int64_t>{1, 2, 2});
    CHECK(s.data == std::vector<double>{1, 0, 0, 4});
    // row 0: softmax(1, 0) = (e, 1) / (e + 1); row 1: softmax(0, 4) = (1, e⁴) / (1 + e⁴)
    const double b = 1 / (e + 1), c = std::pow(e, 4) / (1 + std::pow(e, 4));
    const NpyArray w = t.read("out/weights.npy");
    CHECK(w.data[0] == doctest::Approx(1 - b).epsilon(1e-6));
    CHECK(w.data[1] == doctest::Approx(b).epsilon(1e-6));
    CHECK(w.data[2] == doctest::Approx(1 - c).epsilon(1e-5));
    CHECK(w.data[3] == doctest::Approx(c).epsilon(1e-6));
    // V = X W_V = [[1, 2], [6, 8]]; head output row i = v0 + p_i1 (v1 - v0) = (1 + 5 p, 2 + 6 p); W_O swaps
    const NpyArray o = t.read("out/output.npy");
    CHECK(o.shape == std::vector<std::int64_t>{2, 2});
    CHECK(o.data[0] == doctest::Approx(2 + 6 * b).epsilon(1e-6));
    CHECK(o.data[1] == doctest::Approx(1 + 5 * b).epsilon(1e-6));
    CHECK(o.data[2] == doctest::Approx(2 + 6 * c).epsilon(1e-6));
    CHECK(o.data[3] == doctest::Approx(1 + 5 * c).epsilon(1e-6));
    CHECK(t.read("out/head_outputs.npy").data[0] == doctest::Approx(1 + 5 * b).epsilon(1e-6));
}

TEST_CASE("compute: causal mask and default scale 1/sqrt(d_head)") {
    TempDir t;
    t.npy("x.npy", {2, 2}, {1, 0, 0, 2});
    t.npy("i.npy", {2, 2}, {1, 0, 0, 1});
    const auto r = t.run(R"({"inputs": {"x": "x.npy", "w_q": "i.npy", "w_k": "i.npy", "w_v": "i.npy"},
                             "mask": "causal", "implementation": "reference"})");
    REQUIRE_MESSAGE(r.exit_code == 0, r.message);
    const NpyArray s = t.read("out/scores.npy"), w = t.read("out/weights.npy"), o = t.read("out/output.npy");
    CHECK(std::isinf(s.data[1]));
    CHECK(s.data[1] < 0);
    CHECK(s.data[3] == doctest::Approx(4 / std::sqrt(2.0)).epsilon(1e-6));
    CHECK(w.data[0] == 1.0);
    CHECK(w.data[1] == 0.0);
    // row 1: softmax(0, 4/√2) over V = X; no W_O, so output.npy is the head output
    const double p = std::exp(4 / std::sqrt(2.0)) / (1 + std::exp(4 / std::sqrt(2.0)));
    CHECK(o.data[0] == 1.0);
    CHECK(o.data[1] == 0.0);
    CHECK(o.data[2] == doctest::Approx(1 - p).epsilon(1e-5));
    CHECK(o.data[3] == doctest::Approx(2 * p).epsilon(1e-6));
}

TEST_CASE("compute: Q/K/V given per head, two query heads sharing one key/value head (MQA)") {
    TempDir t;
    t.npy("q.npy", {2, 2, 1}, {1, 2, 0, 0});
    t.npy("k.npy", {1, 2, 1}, {0, 1});
    t.npy("v.npy", {1, 2, 1}, {10, 20});
    const auto r =
        t.run(R"({"inputs": {"q": "q.npy", "k": "k.npy", "v": "v.npy"}, "scale": 1, "kv_heads": 1})");
    REQUIRE_MESSAGE(r.exit_code == 0, r.message);
    // head 0: row i scores (0, q_i) → output 10 + 10 · e^q / (1 + e^q); head 1: q = 0 → uniform → 15
    const NpyArray o = t.read("out/output.npy");
    CHECK(o.shape == std::vector<std::int64_t>{2, 2});
    CHECK(o.data[0] == doctest::Approx(10 + 10 * e / (1 + e)).epsilon(1e-6));
    CHECK(o.data[1] == doctest::Approx(15).epsilon(1e-6));
    CHECK(o.data[2] == doctest::Approx(10 + 10 * e * e / (1 + e * e)).epsilon(1e-6));
    CHECK(o.data[3] == doctest::Approx(15).epsilon(1e-6));
    // ALiBi with 2 heads: head 0 slope 2^-4, so s_10 = 0 - (1 - 0)/16
    REQUIRE(
        t.run(R"({"inputs": {"q": "q.npy", "k": "k.npy", "v": "v.npy"}, "scale": 1, "positions": "alibi"})")
            .exit_code == 0);
    CHECK(t.read("out/scores.npy").data[2] == doctest::Approx(-1.0 / 16).epsilon(1e-6));
    CHECK(t.read("out/scores.npy").data[6] == doctest::Approx(-1.0 / 256).epsilon(1e-6));
}

TEST_CASE("compute: X mode equals Q/K/V mode fed with X W sliced per head, for every implementation") {
    TempDir t;
    std::mt19937 rng(5);
    std::normal_distribution<float> g;
    const int n = 13, d_model = 6, n_heads = 4, n_kv = 2, d_head = 3;
    auto rnd = [&](int r, int c) {
        Matrix m(r, c);
        for (Eigen::Index i = 0; i < m.size(); ++i)
            m.data()[i] = g(rng);
        return m;
    };
    const Matrix x = rnd(n, d_model), wq = rnd(d_model, n_heads * d_head), wk = rnd(d_model, n_kv * d_head),
                 wv = rnd(d_model, n_kv * d_head), wo = rnd(n_heads * d_head, d_model);
    auto save = [&](const std::string& name, const Matrix& m) {
        t.npy(name, {m.rows(), m.cols()}, std::vector<double>(m.data(), m.data() + m.size()));
    };
    save("x.npy", x), save("wq.npy", wq), save("wk.npy", wk), save("wv.npy", wv), save("wo.npy", wo);
    // per-head tensors (heads, n, d_head): head h is columns [h·d_head, (h+1)·d_head) of X W
    auto heads = [&](const std::string& name, const Matrix& all, int count) {
        std::vector<double> data;
        for (int h = 0; h < count; ++h)
            for (int i = 0; i < n; ++i)
                for (int d = 0; d < d_head; ++d)
                    data.push_back(static_cast<double>(all(i, h * d_head + d)));
        t.npy(name, {count, n, d_head}, data);
    };
    heads("q.npy", x * wq, n_heads), heads("k.npy", x * wk, n_kv), heads("v.npy", x * wv, n_kv);
    const std::string opts =
        R"(, "mask": "sliding_window", "window": 4, "positions": "rope", "flash_block_q": 4, "flash_block_k": 5)";
    REQUIRE(t.run(R"({"inputs": {"q": "q.npy", "k": "k.npy", "v": "v.npy", "w_o": "wo.npy"})" + opts + "}")
                .exit_code == 0);
    const NpyArray base = t.read("out/output.npy");
    for (const char* impl : {"reference", "matrix", "flash"}) {
        CAPTURE(impl);
        const auto r = t.run(
            R"({"inputs": {"x": "x.npy", "w_q": "wq.npy", "w_k": "wk.npy", "w_v": "wv.npy", "w_o": "wo.npy"},
                                 "heads": 4, "kv_heads": 2, "implementation": ")" +
            std::string(impl) + "\"" + opts + "}");
        REQUIRE_MESSAGE(r.exit_code == 0, r.message);
        const NpyArray o = t.read("out/output.npy");
        REQUIRE(o.shape == std::vector<std::int64_t>{n, d_model});
        for (std::size_t i = 0; i < o.data.size(); ++i)
            CHECK(o.data[i] == doctest::Approx(base.data[i]).epsilon(1e-4));
    }
}

TEST_CASE("compute: bad files, shapes and configs give exit 2 and a one-line message naming the problem") {
    TempDir t;
    t.npy("x.npy", {3, 4}, std::vector<double>(12, 0.5));
    t.npy("w.npy", {4, 4}, std::vector<double>(16, 0.1));
    t.npy("w6.npy", {4, 6}, std::vector<double>(24, 0.1));
    std::string be = write_npy(NpyArray{{3, 4}, std::vector<double>(12, 1.0), NpyDtype::Float32});
    be.replace(be.find("<f4"), 3, ">f4");
    t.write("be.npy", be);
    t.write("trunc.npy",
            write_npy(NpyArray{{3, 4}, std::vector<double>(12, 1.0), NpyDtype::Float32}).substr(0, 100));
    const std::string w = R"("w_q": "w.npy", "w_k": "w.npy", "w_v": "w.npy")";
    const auto fails = [&](const std::string& cfg, std::initializer_list<const char*> needles) {
        fs::remove_all(t.path / "out");
        const auto r = t.run(cfg);
        CAPTURE(cfg);
        CAPTURE(r.message);
        CHECK(r.exit_code == 2);
        CHECK(r.message.find('\n') == std::string::npos);
        for (const char* s : needles)
            CHECK(r.message.find(s) != std::string::npos);
        CHECK_FALSE(fs::exists(t.path / "out" / "output.npy"));
    };
    fails(R"({"inputs": {"x": "missing.npy", )" + w + "}}", {"missing.npy", "cannot open"});
    fails(R"({"inputs": {"x": "be.npy", )" + w + "}}", {"be.npy", "big-endian"});
    fails(R"({"inputs": {"x": "trunc.npy", )" + w + "}}", {"trunc.npy", "truncated"});
    fails(R"({"inputs": {"x": "x.npy", "w_q": "w.npy", "w_k": "w6.npy", "w_v": "w.npy"}, "heads": 2})",
          {"w6.npy", "(4, 4)"});
    fails(R"({"inputs": {"x": "x.npy", "w_q": "w6.npy", "w_k": "w.npy", "w_v": "w.npy"}, "heads": 4})",
          {"w6.npy", "4 heads"});
    fails(R"({"inputs": {"x": "w6.npy", )" + w + "}}", {"w.npy", "d_model = 6"});
    fails(R"({"inputs": {"x": "x.npy", "w_q": "w.npy"}})", {"w_k", "required"});
    fails(R"({"inputs": {"x": "x.npy", "q": "x.npy", )" + w + "}}", {"either"});
    fails(R"({"inputs": {"q": "x.npy", "k": "x.npy", "v": "x.npy"}})", {"x.npy", "3-D"});
    fails(R"({"inputs": {"x": "x.npy", )" + w + R"(}, "heads": 4, "kv_heads": 3})", {"divide"});
    fails(R"({"inputs": {"x": "x.npy", )" + w + R"(}, "mask": "diagonal"})", {"\"mask\"", "causal"});
    fails(R"({"inputs": {"x": "x.npy", )" + w + R"(}, "mask": "sliding_window"})", {"window"});
    fails(R"({"inputs": {"x": "x.npy", )" + w + R"(}, "scale": -1})", {"scale"});
    fails(R"({"inputs": {"x": "x.npy", )" + w + R"(}, "haeds": 2})", {"unknown key \"haeds\""});
    fails(R"({"inputs": {"x": "x.npy", )" + w + R"(}, "positions": "learned"})", {"positions"});
    fails(R"({"inputs": {"x": "x.npy", )" + w, {"not valid JSON"});
    fails("[1, 2]", {"JSON object"});
    const auto r = run_compute((t.path / "nope.json").string(), (t.path / "out").string());
    CHECK(r.exit_code == 2);
    CHECK(r.message.find("nope.json") != std::string::npos);
}

TEST_CASE("compute: finite inputs whose products overflow float32 are refused with exit 2, naming the head") {
    TempDir t;
    // two heads of (2 tokens, d_head 1): head 1 is tame, head 2 has q·k = 1e20 · 1e20 = +inf
    t.npy("q.npy", {2, 2, 1}, {1, 2, 1e20, 1e20});
    t.npy("k.npy", {2, 2, 1}, {1, 1, 1e20, 1e20});
    t.npy("v.npy", {2, 2, 1}, {1, 2, 3, 4});
    const auto r = t.run(R"({"inputs": {"q": "q.npy", "k": "k.npy", "v": "v.npy"}, "scale": 1})");
    CHECK(r.exit_code == 2);
    CHECK(r.message.find("score of head 2") != std::string::npos);
    CHECK(r.message.find("overflow") != std::string::npos);
    CHECK(!fs::exists(t.path / "out" / "weights.npy")); // nothing half-written
    // the causal mask's -inf is not an overflow
    t.npy("q2.npy", {1, 2, 1}, {1, 2});
    t.npy("k2.npy", {1, 2, 1}, {1, 1});
    t.npy("v2.npy", {1, 2, 1}, {1, 2});
    const auto ok = t.run(R"({"inputs": {"q": "q2.npy", "k": "k2.npy", "v": "v2.npy"}, "mask": "causal"})");
    CHECK(ok.exit_code == 0);
}

TEST_CASE("compute: /dev/zero as an input or a folder as the config is refused at once") {
    TempDir t;
    const auto r = t.run(R"({"inputs": {"q": "/dev/zero", "k": "/dev/zero", "v": "/dev/zero"}})");
    CHECK(r.exit_code == 2);
    CHECK(r.message.find("not a regular file") != std::string::npos);
    const auto dir = run_compute(t.path.string(), (t.path / "out").string());
    CHECK(dir.exit_code == 2);
    CHECK(dir.message.find("is a folder") != std::string::npos);
}

TEST_CASE("compute: a float64 input beyond float32's range is refused, not converted to inf") {
    TempDir t;
    NpyArray big;
    big.dtype = NpyDtype::Float64;
    big.shape = {1, 1, 1};
    big.data = {1e300};
    t.write("q.npy", write_npy(big));
    t.npy("k.npy", {1, 1, 1}, {1});
    t.npy("v.npy", {1, 1, 1}, {1});
    const auto r = t.run(R"({"inputs": {"q": "q.npy", "k": "k.npy", "v": "v.npy"}})");
    CHECK(r.exit_code == 2);
    CHECK(r.message.find("not a finite float32") != std::string::npos);
}

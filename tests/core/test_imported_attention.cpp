// Imported attention (issue 14): NumPy arrays of weights from another framework become checked float32
// matrices, in every layout numpy writes, and every kind of bad array is refused with a message naming it.
#include "core/imported_attention.hpp"
#include "core/npy.hpp"
#include "core/rng.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using namespace attn;

namespace {

// (layers, heads, n, n) softmax rows of random scores, C order, as doubles.
std::vector<double> random_weights(int L, int H, int n, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<double> w;
    for (int m = 0; m < L * H * n; ++m) {
        std::vector<double> row(static_cast<std::size_t>(n));
        double sum = 0;
        for (double& v : row)
            sum += v = std::exp(2.0 * rng.uniform());
        for (double v : row)
            w.push_back(v / sum);
    }
    return w;
}

std::string npy_of(std::vector<std::int64_t> shape, std::vector<double> data,
                   NpyDtype dtype = NpyDtype::Float32, bool fortran = false) {
    NpyArray a;
    a.shape = std::move(shape);
    a.data = std::move(data);
    a.dtype = dtype;
    return write_npy(a, fortran);
}

std::vector<std::string> words(int n) {
    std::vector<std::string> t;
    for (int i = 0; i < n; ++i) {
        std::string w = "w";
        w += std::to_string(i);
        t.push_back(w);
    }
    return t;
}

} // namespace

TEST_CASE("import: float32 C order, float64, Fortran order, one layer and a batch axis all read the same") {
    const int L = 2, H = 3, n = 5;
    const std::vector<double> w = random_weights(L, H, n, 7);
    auto check_same = [&](const ImportParse& r) {
        REQUIRE_MESSAGE(r.ok(), english(r.error));
        REQUIRE(r.attention.n_layers == L);
        REQUIRE(r.attention.n_heads == H);
        REQUIRE(r.attention.n_tokens() == n);
        for (int l = 0; l < L; ++l)
            for (int h = 0; h < H; ++h)
                for (int i = 0; i < n; ++i)
                    for (int j = 0; j < n; ++j)
                        CHECK(r.attention.head(l, h)(i, j) ==
                              doctest::Approx(w[static_cast<std::size_t>(((l * H + h) * n + i) * n + j)])
                                  .epsilon(1e-6));
    };
    check_same(import_attention_npy(npy_of({L, H, n, n}, w), words(n), "c32"));
    check_same(import_attention_npy(npy_of({L, H, n, n}, w, NpyDtype::Float64), words(n), "c64"));
    check_same(import_attention_npy(npy_of({L, H, n, n}, w, NpyDtype::Float32, true), words(n), "f32"));
    check_same(import_attention_npy(npy_of({L, H, n, n}, w, NpyDtype::Float64, true), words(n), "f64"));
    check_same(import_attention_npy(npy_of({L, 1, H, n, n}, w), words(n), "batch axis"));

    const std::vector<double> one = random_weights(1, H, n, 9);
    const ImportParse r = import_attention_npy(npy_of({H, n, n}, one), words(n), "one layer");
    REQUIRE(r.ok());
    CHECK(r.attention.n_layers == 1);
    CHECK(r.attention.head(0, 2)(4, 1) ==
          doctest::Approx(one[static_cast<std::size_t>((2 * n + 4) * n + 1)]));
    CHECK(r.attention.name == "one layer");
}

TEST_CASE("import: the round trip through attention_to_npy keeps every weight and token") {
    const ImportParse a = import_attention_npy(npy_of({2, 2, 4, 4}, random_weights(2, 2, 4, 3)),
                                               {"naïve", "고양이", "it", "."}, "x");
    REQUIRE(a.ok());
    const ImportParse b = import_attention_npy(attention_to_npy(a.attention), a.attention.tokens, "x");
    REQUIRE(b.ok());
    REQUIRE(a.attention.n_matrices() == 4);
    for (int m = 0; m < a.attention.n_matrices(); ++m)
        CHECK(a.attention.head_at(m) == b.attention.head_at(m));
    CHECK(b.attention.tokens[1] == "고양이");
}

TEST_CASE("import: the probes name a previous-token head and a first-token head, and see a causal mask") {
    const int n = 8;
    std::vector<double> w(static_cast<std::size_t>(2 * n * n), 0.0);
    for (int i = 0; i < n; ++i) {
        w[static_cast<std::size_t>(i * n + std::max(0, i - 1))] = 1.0; // head 1: the token before
        w[static_cast<std::size_t>(n * n + i * n)] = 1.0;              // head 2: the first token
    }
    ImportParse r = import_attention_npy(npy_of({1, 2, n, n}, w), words(n), "probe");
    REQUIRE(r.ok());
    CHECK(r.attention.causal);
    REQUIRE(r.attention.heads.size() == 2);
    CHECK(r.attention.heads[0].label == HeadLabel::PreviousToken);
    CHECK(r.attention.heads[1].label == HeadLabel::FirstToken);

    w[static_cast<std::size_t>(0 * n + 5)] = 0.5; // row 1 of head 1 now looks ahead
    w[0] = 0.5;
    r = import_attention_npy(npy_of({1, 2, n, n}, w), words(n), "ahead");
    REQUIRE(r.ok());
    CHECK_FALSE(r.attention.causal);
}

TEST_CASE("import: the probes taken while reading match a separate pass, whichever head looks ahead") {
    const int n = 9;
    // head 1 looks only back (causal), head 2 too unless `ahead_in` names it: the reading guesses from the
    // first head, so a look ahead in a later head makes it redo the probes
    for (const int ahead_in : {-1, 0, 1}) {
        CAPTURE(ahead_in);
        std::vector<double> w(static_cast<std::size_t>(2 * n * n), 0.0);
        for (int m = 0; m < 2; ++m)
            for (int i = 0; i < n; ++i) {
                const std::size_t row = static_cast<std::size_t>(m * n * n + i * n);
                for (int j = 0; j <= i; ++j) // softmax-like weights over the keys seen, heavier near i
                    w[row + static_cast<std::size_t>(j)] = std::exp(0.5 * (j - i) * (m + 1));
                if (m == ahead_in && i + 2 < n) w[row + static_cast<std::size_t>(i + 2)] = 0.7;
                double sum = 0;
                for (int j = 0; j < n; ++j)
                    sum += w[row + static_cast<std::size_t>(j)];
                for (int j = 0; j < n; ++j)
                    w[row + static_cast<std::size_t>(j)] /= sum;
            }
        const ImportParse r = import_attention_npy(npy_of({1, 2, n, n}, w), words(n), "probe");
        REQUIRE(r.ok());
        CHECK(r.attention.causal == (ahead_in < 0));
        ImportedAttention again = r.attention;
        again.heads.clear();
        probe_imported(again);
        ImportedAttention own_logs = r.attention; // without the statistics the probes take their own logs
        own_logs.stats.clear();
        probe_imported(own_logs);
        CHECK(again.causal == r.attention.causal);
        REQUIRE(again.heads.size() == r.attention.heads.size());
        for (std::size_t k = 0; k < again.heads.size(); ++k) {
            CHECK(r.attention.heads[k].entropy == doctest::Approx(again.heads[k].entropy).epsilon(1e-12));
            CHECK(r.attention.heads[k].previous_token.hit == again.heads[k].previous_token.hit);
            CHECK(r.attention.heads[k].label == again.heads[k].label);
            CHECK(own_logs.heads[k].entropy == doctest::Approx(again.heads[k].entropy).epsilon(1e-6));
            CHECK(r.attention.stats[k].mean_entropy ==
                  head_stats(r.attention.head_at(static_cast<int>(k))).mean_entropy);
        }
    }
}

TEST_CASE("import: every kind of bad array is refused with a message that names the problem") {
    const int n = 3;
    const std::vector<double> good = random_weights(1, 1, n, 5);
    auto refused = [](const ImportParse& r, const char* part) {
        CHECK_FALSE(r.ok());
        CHECK_MESSAGE(english(r.error).find(part) != std::string::npos, english(r.error));
    };
    refused(import_attention_npy(npy_of({n, n}, good), words(n), "x"), "is not (layers, heads, n, n)");
    refused(import_attention_npy(npy_of({1, 1, n, n + 1}, std::vector<double>(n * (n + 1), 1.0 / (n + 1))),
                                 words(n), "x"),
            "self-attention is square");
    refused(import_attention_npy(npy_of({1, 1, n, n}, good), words(n + 1), "x"), "must be the same sequence");
    refused(import_attention_npy(npy_of({1, 1, 0, 0}, {}), {}, "x"), "is empty");
    refused(import_attention_npy(
                npy_of({k_import_max_layers + 1, 1, 1, 1},
                       std::vector<double>(static_cast<std::size_t>(k_import_max_layers + 1), 1.0)),
                words(1), "x"),
            "layers is more than");
    refused(import_attention_npy(
                npy_of({1, k_import_max_heads + 1, 1, 1},
                       std::vector<double>(static_cast<std::size_t>(k_import_max_heads + 1), 1.0)),
                words(1), "x"),
            "heads is more than");
    const int big = k_import_max_tokens + 1;
    refused(import_attention_npy(
                npy_of({1, 1, big, big}, std::vector<double>(static_cast<std::size_t>(big) * big, 0.0)),
                words(big), "x"),
            "tokens is more than");

    auto with = [&](std::size_t at, double v) {
        std::vector<double> w = good;
        w[at] = v;
        return npy_of({1, 1, n, n}, w, NpyDtype::Float64);
    };
    refused(import_attention_npy(with(4, std::numeric_limits<double>::quiet_NaN()), words(n), "x"),
            "layer 1, head 1, row 2, column 2 is NaN");
    refused(import_attention_npy(with(4, std::numeric_limits<double>::infinity()), words(n), "x"),
            "infinite");
    refused(import_attention_npy(with(4, -0.25), words(n), "x"), "look like scores");
    refused(import_attention_npy(with(4, good[4] + 0.1), words(n), "x"), "row 2 sums to");
    // a row of zeros (a query every key was masked from) is accepted
    std::vector<double> zero_row = good;
    for (int j = 0; j < n; ++j)
        zero_row[static_cast<std::size_t>(n + j)] = 0.0;
    CHECK(import_attention_npy(npy_of({1, 1, n, n}, zero_row), words(n), "x").ok());

    // not a float array, and a cut file
    std::string ints = npy_of({1, 1, n, n}, good);
    ints.replace(ints.find("<f4"), 3, "<i4");
    refused(import_attention_npy(ints, words(n), "x"), "is not supported");
    const std::string whole = npy_of({1, 1, n, n}, good);
    refused(import_attention_npy(whole.substr(0, whole.size() - 4), words(n), "x"), "truncated");
    // tokens that cannot be shown
    refused(import_attention_npy(whole, {"a", std::string("b\x01", 2), "c"}, "x"), "control character");
    refused(import_attention_npy(whole, {"a", "\xC3", "c"}, "x"), "not valid UTF-8");
    refused(import_attention_npy(whole, {"a", std::string(k_import_max_token_bytes + 1, 'x'), "c"}, "x"),
            "bytes long");
}

TEST_CASE("import: npy_words reads numpy's Unicode arrays and refuses anything else") {
    // '<U3': three UTF-32 code units per word, zero padded
    std::string header = "{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }";
    header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    std::string npy("\x93NUMPY\x01\x00", 8);
    npy += static_cast<char>(header.size() & 0xFF);
    npy += static_cast<char>(header.size() >> 8);
    npy += header;
    const std::uint32_t cps[] = {'i', 't', 0, 0xACE0, 0x1F600, 'x'}; // "it", "고😀x"
    for (std::uint32_t cp : cps)
        for (int b = 0; b < 4; ++b)
            npy += static_cast<char>((cp >> (8 * b)) & 0xFF);
    std::vector<std::string> w;
    Message error;
    REQUIRE_MESSAGE(npy_words(npy, w, error), english(error));
    REQUIRE(w.size() == 2);
    CHECK(w[0] == "it");
    CHECK(w[1] == "\xEA\xB3\xA0\xF0\x9F\x98\x80x");

    std::string surrogate = npy;
    surrogate[surrogate.size() - 8] = '\x00';
    surrogate[surrogate.size() - 7] = '\xD8';
    surrogate[surrogate.size() - 6] = '\x00';
    CHECK_FALSE(npy_words(surrogate, w, error));
    CHECK(english(error).find("invalid code point") != std::string::npos);
    CHECK_FALSE(npy_words(npy_of({2}, {1.0, 2.0}), w, error));
    CHECK(english(error).find("not an array of strings") != std::string::npos);
}

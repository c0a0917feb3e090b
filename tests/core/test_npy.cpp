// .npy reading and writing: round trips, files assembled byte by byte as numpy lays them out (C and Fortran
// order), every refusal case with its message, and fuzzed bytes that must never crash the parser.
#include "core/npy.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <string>

using namespace attn;

namespace {

// A .npy file built by hand, independently of write_npy: version 1.0, header padded as numpy pads it.
std::string hand_npy(const std::string& dict, const std::string& data, int major = 1) {
    std::string header = dict;
    const std::size_t prefix = major == 1 ? 10 : 12;
    while ((prefix + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    std::string out = "\x93NUMPY";
    out += static_cast<char>(major);
    out += '\0';
    for (std::size_t b = 0; b < prefix - 8; ++b)
        out += static_cast<char>((header.size() >> (8 * b)) & 0xFF);
    return out + header + data;
}

std::string f32_bytes(std::initializer_list<float> values) {
    std::string s;
    for (float v : values) {
        std::uint32_t bits;
        std::memcpy(&bits, &v, 4);
        for (int b = 0; b < 4; ++b)
            s += static_cast<char>((bits >> (8 * b)) & 0xFF);
    }
    return s;
}

std::string f64_bytes(std::initializer_list<double> values) {
    std::string s;
    for (double v : values) {
        std::uint64_t bits;
        std::memcpy(&bits, &v, 8);
        for (int b = 0; b < 8; ++b)
            s += static_cast<char>((bits >> (8 * b)) & 0xFF);
    }
    return s;
}

NpyArray make_array(std::vector<std::int64_t> shape, NpyDtype dtype, std::uint32_t seed) {
    NpyArray a;
    a.shape = std::move(shape);
    a.dtype = dtype;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(-3.0, 3.0);
    for (std::int64_t i = 0; i < a.element_count(); ++i) {
        const double v = u(rng);
        a.data.push_back(dtype == NpyDtype::Float32 ? static_cast<double>(static_cast<float>(v)) : v);
    }
    return a;
}

} // namespace

TEST_CASE("a float32 C-order file laid out as numpy writes it is read value by value") {
    const std::string file = hand_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                                      f32_bytes({1, 2, 3, 4, 5, 6.5f}));
    CHECK(file.size() == 128 + 24); // numpy pads the 1.0 preamble + header to 128 bytes here
    const NpyParse p = parse_npy(file);
    REQUIRE(p.ok());
    CHECK(p.array.dtype == NpyDtype::Float32);
    CHECK(p.array.shape == std::vector<std::int64_t>{2, 3});
    CHECK(p.array.data == std::vector<double>{1, 2, 3, 4, 5, 6.5});
}

TEST_CASE("write_npy produces numpy's exact preamble and header") {
    NpyArray a;
    a.shape = {2, 3};
    a.data = {1, 2, 3, 4, 5, 6.5};
    const std::string expected = hand_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                                          f32_bytes({1, 2, 3, 4, 5, 6.5f}));
    CHECK(write_npy(a) == expected);
    a.shape = {6};
    a.dtype = NpyDtype::Float64;
    CHECK(write_npy(a) == hand_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }",
                                   f64_bytes({1, 2, 3, 4, 5, 6.5})));
}

TEST_CASE("Fortran order is read into C order") {
    // [[1, 2, 3], [4, 5, 6]] stored column by column: 1 4 2 5 3 6
    const NpyParse p = parse_npy(hand_npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                                          f64_bytes({1, 4, 2, 5, 3, 6})));
    REQUIRE(p.ok());
    CHECK(p.array.data == std::vector<double>{1, 2, 3, 4, 5, 6});
    // 3-D: element (i, j, k) of shape (2, 3, 2) sits at i + 2j + 6k in the file; store 100i + 10j + k there
    std::string data;
    std::vector<double> file_values(12);
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 2; ++k)
                file_values[static_cast<std::size_t>(i + 2 * j + 6 * k)] = 100 * i + 10 * j + k;
    for (double v : file_values)
        data += f64_bytes({v});
    const NpyParse q =
        parse_npy(hand_npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 2), }", data));
    REQUIRE(q.ok());
    for (int i = 0, c = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 2; ++k, ++c)
                CHECK(q.array.data[static_cast<std::size_t>(c)] == 100 * i + 10 * j + k);
}

TEST_CASE("round trips keep shape, dtype and every value, in both orders") {
    const std::vector<std::vector<std::int64_t>> shapes = {{},        {1},          {7},    {3, 5},
                                                           {2, 3, 4}, {2, 1, 3, 2}, {0, 4}, {3, 0}};
    for (auto dtype : {NpyDtype::Float32, NpyDtype::Float64})
        for (const auto& shape : shapes)
            for (bool fortran : {false, true}) {
                const NpyArray a = make_array(shape, dtype, static_cast<std::uint32_t>(shape.size() * 7 + 1));
                const NpyParse p = parse_npy(write_npy(a, fortran));
                CAPTURE(shape.size());
                CAPTURE(fortran);
                REQUIRE(p.ok());
                CHECK(p.array.shape == a.shape);
                CHECK(p.array.dtype == dtype);
                CHECK(p.array.data == a.data);
            }
}

TEST_CASE("format versions 2.0 and 3.0 use a 4-byte header length and are read") {
    for (int major : {2, 3}) {
        const NpyParse p = parse_npy(hand_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                                              f32_bytes({-1, 0.25f}), major));
        REQUIRE(p.ok());
        CHECK(p.array.data == std::vector<double>{-1, 0.25});
    }
}

TEST_CASE("header variations numpy and Python 2 produce are accepted") {
    const auto ok = [](const std::string& dict, std::int64_t n) {
        const NpyParse p = parse_npy(
            hand_npy(dict, f32_bytes({1, 2, 3, 4, 5, 6}).substr(0, static_cast<std::size_t>(n) * 4)));
        CAPTURE(dict);
        CHECK(p.ok());
        CHECK(english(p.error) == "");
    };
    ok("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (6,)}", 6);
    ok("{'shape': (2L, 3L), 'fortran_order': False, 'descr': '<f4'}", 6);
    ok("{ 'descr' : '<f4' , 'fortran_order' : False , 'shape' : ( 3 , ) , }", 3);
}

TEST_CASE("unsupported or broken files are refused with a message naming what was found") {
    const std::string good_dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    const std::string six = f32_bytes({1, 2, 3, 4, 5, 6});
    const auto refused = [](const std::string& bytes, const std::string& needle) {
        const NpyParse p = parse_npy(bytes);
        CAPTURE(needle);
        CHECK_FALSE(p.ok());
        CHECK(english(p.error).find(needle) != std::string::npos);
        CHECK(p.array.data.empty());
    };
    SUBCASE("truncated data, header and preamble") {
        refused(hand_npy(good_dict, six.substr(0, 23)), "truncated");
        refused(hand_npy(good_dict, six.substr(0, 23)), "needs 24 bytes");
        refused(hand_npy(good_dict, six).substr(0, 60), "truncated");
        refused(std::string("\x93NUMPY\x01\x00", 8), "truncated");
        refused(hand_npy(good_dict, six + "xx"), "2 unexpected bytes");
    }
    SUBCASE("wrong dtype") {
        refused(hand_npy("{'descr': '<i4', 'fortran_order': False, 'shape': (6,), }", six), "'<i4'");
        refused(hand_npy("{'descr': '<f2', 'fortran_order': False, 'shape': (6,), }", six), "'<f2'");
        refused(hand_npy("{'descr': '|u1', 'fortran_order': False, 'shape': (24,), }", six), "'|u1'");
        refused(hand_npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,), }", six),
                "structured");
    }
    SUBCASE("big-endian") {
        refused(hand_npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", six),
                "big-endian float32");
        refused(hand_npy("{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }", six), "'>f8'");
    }
    SUBCASE("absurd shapes") {
        refused(
            hand_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }",
                     six),
            "absurd shape");
        refused(
            hand_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }", six),
            "absurd shape");
        refused(hand_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (268435457,), }", six),
                "absurd shape");
        std::string many = "(";
        for (int i = 0; i < 40; ++i)
            many += "1, ";
        refused(
            hand_npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + many + "), }", f32_bytes({1})),
            "dimensions");
        refused(hand_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }", six), "negative");
    }
    SUBCASE("bad magic, version and header") {
        refused("PK\x03\x04 this is a zip", "\\x93NUMPY");
        refused("", "not a .npy");
        std::string v4 = hand_npy(good_dict, six);
        v4[6] = 4;
        refused(v4, "version 4.0");
        refused(hand_npy("{'descr': '<f4', 'shape': (2, 3), }", six), "'fortran_order' is missing");
        refused(hand_npy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2, 3), }", six), "neither True");
        refused(hand_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", six), "'x'");
        refused(hand_npy("['descr', '<f4']", six), "start with '{'");
        refused(hand_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", six), "expected");
        std::string huge = hand_npy(good_dict, six);
        huge[8] = '\xff', huge[9] = '\xff';
        refused(huge, "truncated");
    }
}

TEST_CASE("fuzzed bytes never crash: random files and mutated valid files give a value or a message") {
    std::mt19937 rng(12345);
    const std::string valid = write_npy(make_array({3, 4}, NpyDtype::Float32, 3));
    int accepted = 0, refused = 0;
    for (int iter = 0; iter < 20000; ++iter) {
        std::string bytes;
        switch (iter % 3) {
        case 0: { // random noise, sometimes behind a valid magic
            bytes.resize(rng() % 200);
            for (auto& c : bytes)
                c = static_cast<char>(rng() & 0xFF);
            if (rng() % 2) bytes = std::string("\x93NUMPY\x01\x00", 8) + bytes;
            break;
        }
        case 1: { // a valid file with a few bytes flipped
            bytes = valid;
            for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n; ++k)
                bytes[rng() % bytes.size()] = static_cast<char>(rng() & 0xFF);
            break;
        }
        default: // a valid file cut anywhere
            bytes = valid.substr(0, rng() % valid.size());
        }
        const NpyParse p = parse_npy(bytes);
        if (p.ok()) {
            ++accepted;
            CHECK(static_cast<std::int64_t>(p.array.data.size()) == p.array.element_count());
        } else {
            ++refused;
            CHECK(p.array.data.empty());
        }
    }
    CHECK(refused > 0);
    CHECK(accepted > 0); // flips inside the data or the padding keep a file valid
}

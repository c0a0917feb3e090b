// The pure parts of the plot widget: axis mapping, tick choice, labels and the power-law fit.
#include "app/state/plot_math.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace attn::plot;

TEST_CASE("linear and log axes map the ends to 0 and 1 and invert") {
    const Axis lin{10, 110, Scale::Linear, Units::Plain};
    CHECK(to_unit(lin, 10) == 0.0);
    CHECK(to_unit(lin, 110) == 1.0);
    CHECK(to_unit(lin, 35) == doctest::Approx(0.25));
    const Axis lg{1, 10000, Scale::Log, Units::Plain};
    CHECK(to_unit(lg, 1) == doctest::Approx(0.0));
    CHECK(to_unit(lg, 100) == doctest::Approx(0.5));
    CHECK(to_unit(lg, 10000) == doctest::Approx(1.0));
    for (double t : {0.0, 0.3, 0.77, 1.0}) {
        CHECK(to_unit(lin, from_unit(lin, t)) == doctest::Approx(t));
        CHECK(to_unit(lg, from_unit(lg, t)) == doctest::Approx(t));
    }
    // zero and negatives fall far off a log axis instead of producing NaN
    CHECK(to_unit(lg, 0) < -1e6);
    CHECK(to_unit(lg, -3) < -1e6);
}

TEST_CASE("linear ticks use 1-2-5 steps inside the range") {
    const auto t = choose_ticks(Axis{0, 100, Scale::Linear, Units::Plain}, 6);
    REQUIRE(t.size() == 6);
    CHECK(t[0].value == 0);
    CHECK(t[1].value == 20);
    CHECK(t[5].value == 100);
    CHECK(t[1].label == "20");
    const auto u = choose_ticks(Axis{0.13, 0.91, Scale::Linear, Units::Plain}, 5);
    REQUIRE(u.size() >= 2);
    for (const auto& k : u) {
        CHECK(k.value >= 0.13);
        CHECK(k.value <= 0.91);
    }
    CHECK(u[1].value - u[0].value == doctest::Approx(0.2));
}

TEST_CASE("log ticks of token counts are powers of two labelled 1k, 4k, 16k") {
    const auto t = choose_ticks(Axis{1, 131072, Scale::Log, Units::Tokens}, 10);
    REQUIRE(!t.empty());
    CHECK(t.size() <= 10);
    std::vector<std::string> labels;
    for (const auto& k : t) {
        const double e = std::log2(k.value);
        CHECK(e == doctest::Approx(std::round(e)));
        labels.push_back(k.label);
    }
    // stride 2 in exponents: 1, 4, 16, 64, 256, 1k, 4k, 16k, 64k
    CHECK(labels.front() == "1");
    CHECK(labels[5] == "1k");
    CHECK(labels[6] == "4k");
    CHECK(labels.back() == "64k");
}

TEST_CASE("log ticks of bytes thin to KiB / MiB / GiB, of FLOPs to powers of ten") {
    const auto t = choose_ticks(Axis{1, 1ull << 40, Scale::Log, Units::Bytes}, 6);
    REQUIRE(t.size() == 5);
    CHECK(t[0].label == "1 B");
    CHECK(t[1].label == "1 KiB");
    CHECK(t[2].label == "1 MiB");
    CHECK(t[3].label == "1 GiB");
    CHECK(t[4].label == "1 TiB");
    const auto f = choose_ticks(Axis{1e3, 1e15, Scale::Log, Units::Flops}, 8);
    REQUIRE(f.size() >= 4);
    CHECK(f.size() <= 8);
    for (const auto& k : f)
        CHECK(std::log10(k.value) == doctest::Approx(std::round(std::log10(k.value))));
    // 13 decades into 8 ticks: every second power of ten, starting on an even exponent
    CHECK(f[0].label == "10k");
    CHECK(f[1].label == "1M");
    CHECK(choose_ticks(Axis{-1, 10, Scale::Log, Units::Plain}, 5).empty());
    CHECK(choose_ticks(Axis{5, 5, Scale::Linear, Units::Plain}, 5).empty());
}

TEST_CASE("values read the way people say them") {
    CHECK(format_value(4096, Units::Tokens) == "4k");
    CHECK(format_value(131072, Units::Tokens) == "128k");
    CHECK(format_value(64, Units::Tokens) == "64");
    CHECK(format_value(536870912, Units::Bytes) == "512 MiB");
    CHECK(format_value(2147483648.0, Units::Bytes) == "2 GiB");
    CHECK(format_value(1536, Units::Bytes) == "1.5 KiB");
    CHECK(format_value(2.5e12, Units::Flops) == "2.5T");
    CHECK(format_value(1500000, Units::Plain) == "1.5M");
    CHECK(format_value(0.0032, Units::Seconds) == "3.2 ms");
    CHECK(format_value(2.5e-5, Units::Seconds) == "25 µs");
    CHECK(format_grouped(2147483648ull) == "2,147,483,648");
    CHECK(format_grouped(999) == "999");
    CHECK(format_grouped(1000) == "1,000");
}

TEST_CASE("power-law fit recovers exact exponents and coefficients") {
    std::vector<double> xs, ys, lin;
    for (double x = 64; x <= 8192; x *= 2) {
        xs.push_back(x);
        ys.push_back(3e-9 * x * x);
        lin.push_back(0.5 * x);
    }
    const PowerFit q = fit_power_law(xs, ys);
    REQUIRE(q.ok);
    CHECK(q.exponent == doctest::Approx(2.0).epsilon(1e-12));
    CHECK(q.coefficient == doctest::Approx(3e-9).epsilon(1e-9));
    CHECK(q.r2 == doctest::Approx(1.0));
    CHECK(q.points == 8);
    const PowerFit l = fit_power_law(xs, lin);
    CHECK(l.exponent == doctest::Approx(1.0).epsilon(1e-12));
    // non-positive points are ignored, not folded in as NaN
    xs.push_back(0);
    ys.push_back(-1);
    CHECK(fit_power_law(xs, ys).exponent == doctest::Approx(2.0));
    CHECK(fit_power_law(xs, ys).points == 8);
    // noise lowers r²
    std::vector<double> noisy = ys;
    noisy[2] *= 3;
    noisy[5] /= 2;
    CHECK(fit_power_law(xs, noisy).r2 < 0.999);
}

TEST_CASE("power-law fit refuses degenerate input") {
    CHECK_FALSE(fit_power_law({}, {}).ok);
    CHECK_FALSE(fit_power_law({5}, {7}).ok);
    CHECK_FALSE(fit_power_law({4, 4, 4}, {1, 2, 3}).ok);
    CHECK_FALSE(fit_power_law({1, 2}, {0, 0}).ok);
}

TEST_CASE("coinciding curves are told apart from close ones") {
    const std::vector<double> a{1, 10, 100, 1000};
    CHECK(curves_coincide(a, a));
    CHECK(curves_coincide(a, {1.005, 10.02, 99.5, 1001}));
    CHECK_FALSE(curves_coincide(a, {1, 10, 100, 1100})); // one point 10% apart
    CHECK_FALSE(curves_coincide(a, {0.5, 5, 50, 500}));  // half: a causal flash against naive
    CHECK_FALSE(curves_coincide(a, {1, 10, 100}));       // different sampling
    CHECK_FALSE(curves_coincide({}, {}));
    CHECK_FALSE(curves_coincide({1.0, std::nan("")}, {1.0, std::nan("")}));
}

TEST_CASE("a linear axis ends at a round value past what it must show") {
    CHECK(round_up_125(100) == doctest::Approx(200));  // 125 -> 200
    CHECK(round_up_125(700) == doctest::Approx(1000)); // 875 -> 1000
    CHECK(round_up_125(30) == doctest::Approx(50));    // 37.5 -> 50
    CHECK(round_up_125(8) == doctest::Approx(10));
    CHECK(round_up_125(0) == doctest::Approx(1)); // never below 1
    for (double x : {3.0, 17.0, 123.0, 4096.0, 1e6}) {
        CAPTURE(x);
        CHECK(round_up_125(x) >= 1.25 * x);
        CHECK(round_up_125(x) < 2.5 * 1.25 * x); // the next 1-2-5 step is at most 2.5 times up
    }
}

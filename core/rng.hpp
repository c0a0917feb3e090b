// Deterministic, platform-independent random numbers (splitmix64 + Box-Muller), so a seed gives the
// same weights on every machine. std::normal_distribution is implementation-defined, so it is not used.
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace attn {

class Rng {
  public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next_u64() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
    // Standard normal via Box-Muller: z = sqrt(-2 ln u1) cos(2π u2).
    double normal() {
        const double u1 = 1.0 - uniform(); // (0, 1]
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

  private:
    std::uint64_t state_;
};

// FNV-1a 64-bit hash, used to give every distinct word its own embedding seed.
inline std::uint64_t hash_string(std::string_view s) {
    std::uint64_t h = 0xCBF29CE484222325ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001B3ull;
    }
    return h;
}

// Mixes two 64-bit values into one seed.
inline std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
    Rng r(a ^ (b * 0x9E3779B97F4A7C15ull));
    return r.next_u64();
}

} // namespace attn

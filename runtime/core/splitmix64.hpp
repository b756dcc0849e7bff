// splitmix64: tiny, fast and fully specified, so a seed gives the same numbers on every
// platform (std:: distributions differ across standard libraries). Draws the
// synthetic bars and the sampled combinations of an optimization grid.
#pragma once
#include <cstdint>

#include "runtime/core/hash.hpp"

namespace admf {

class splitmix64 {
public:
  explicit splitmix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += golden_gamma);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, n), n > 0: draws below 2^64 mod n are rejected, so every residue
  /// has the same number of preimages (no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;
    for (;;)
      if (const auto x = next(); x >= threshold)
        return x % n;
  }

  /// Uniform in [0, 1) from the top 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
  std::uint64_t state_;
};

}  // namespace admf

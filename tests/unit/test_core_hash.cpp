// The shared FNV-1a hash and splitmix64 generator against their published reference
// values: optimize.hash, data checksums, synthetic bars and sampled grids depend on
// them staying exactly these functions.
#include <catch2/catch.hpp>

#include "runtime/core/hash.hpp"
#include "runtime/core/splitmix64.hpp"

using namespace admf;

TEST_CASE("fnv1a: the FNV reference values, and pieces hash like the whole", "[core]") {
  CHECK(fnv1a("") == 0xcbf29ce484222325ull);
  CHECK(fnv1a("a") == 0xaf63dc4c8601ec8cull);
  CHECK(fnv1a("foobar") == 0x85944171f73967e8ull);
  CHECK(fnv1a("bar", fnv1a("foo")) == fnv1a("foobar"));
  CHECK(fnv1a(std::string_view("\xff", 1)) == ((fnv1a_basis ^ 0xffu) * fnv1a_prime));
}

TEST_CASE("splitmix64: the reference sequence from seed 0", "[core]") {
  splitmix64 rng{0};
  CHECK(rng.next() == 0xe220a8397b1dcdafull);
  CHECK(rng.next() == 0x6e789e6aa1b965f4ull);
  CHECK(rng.next() == 0x06c45d188009454full);
}

TEST_CASE("splitmix64: below(n) is x % n of a draw, uniform() its top 53 bits", "[core]") {
  splitmix64 a{0}, b{0}, c{0};
  CHECK(a.below(10) == 0xe220a8397b1dcdafull % 10);
  CHECK(b.uniform() == static_cast<double>(0xe220a8397b1dcdafull >> 11) / 9007199254740992.0);
  CHECK(c.below(1) == 0);
}

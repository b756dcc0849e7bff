// csv_table::plain_decimal, the loader's fast path for price cells: wherever it gives a
// value it must be the very double std::from_chars gives (the results stay byte
// identical), and it must leave every other spelling to from_chars.
#include <catch2/catch.hpp>

#include <charconv>
#include <cstring>
#include <random>
#include <string>

#include "runtime/data/csv_table.hpp"

using admf::csv_table;

namespace {

double by_from_chars(const std::string& cell) {
  double value = -1;
  const auto [stop, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  REQUIRE(ec == std::errc());
  REQUIRE(stop == cell.data() + cell.size());
  return value;
}

/// Bit for bit: 0.0 and -0.0 differ, and so would two nearby doubles.
bool same_double(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("plain_decimal: random prices parse to from_chars's double", "[csv_numbers]") {
  std::mt19937_64 rng(2026);
  for (int i = 0; i < 200'000; ++i) {
    const int whole = 1 + static_cast<int>(rng() % 12);
    const int decimals = static_cast<int>(rng() % 12);
    std::string cell, digits;
    for (int d = 0; d < whole; ++d)
      cell += static_cast<char>('0' + rng() % 10);
    digits = cell;
    if (decimals > 0 || rng() % 2 == 0) {
      cell += '.';
      for (int d = 0; d < decimals; ++d) {
        digits += static_cast<char>('0' + rng() % 10);
        cell += digits.back();
      }
    }
    INFO(cell);
    double fast = 0;
    if (csv_table::plain_decimal(cell, fast)) {
      CHECK(same_double(fast, by_from_chars(cell)));
    } else {
      // Left to from_chars: a '.' without decimals, over 19 digits, or above 2^53.
      CHECK((cell.back() == '.' || digits.size() > 19
             || std::stoull(digits) > 9007199254740992ull));
    }
  }
}

TEST_CASE("plain_decimal: the edges of the fast path", "[csv_numbers]") {
  const auto fast = [](const std::string& cell, double& value) {
    return csv_table::plain_decimal(cell, value);
  };
  double v = 0;
  // Exact at 2^53, left to from_chars above it and beyond 19 digits.
  REQUIRE(fast("9007199254740992", v));
  CHECK(same_double(v, 9007199254740992.0));
  CHECK_FALSE(fast("9007199254740993", v));
  REQUIRE(fast("0.000000000000000001", v));  // 19 digits: 1 / 10^18
  CHECK(same_double(v, by_from_chars("0.000000000000000001")));
  REQUIRE(fast("0.1234567890123456", v));  // 10^16 below the point
  CHECK(same_double(v, by_from_chars("0.1234567890123456")));
  CHECK_FALSE(fast("9.000000000000000001", v));   // 19 digits, but above 2^53
  CHECK_FALSE(fast("0.0000000000000000001", v));  // 20 digits
  REQUIRE(fast("000123.4500", v));
  CHECK(same_double(v, 123.45));
  REQUIRE(fast("0.000", v));
  CHECK(same_double(v, 0.0));
  // Spellings only from_chars reads, and text it refuses.
  for (const char* other : {"", "-1.5", "+1", ".5", "5.", "1e5", "1.5E-3", "nan", "inf", "1,5",
                            "1.2.3", " 1", "1 ", "0x10"})
    CHECK_FALSE(fast(other, v));
}

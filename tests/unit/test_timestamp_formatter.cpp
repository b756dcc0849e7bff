// The cached timestamp formatter (runtime/core/time.hpp) and the result files' time
// writer built on it (runtime/results/format.hpp): the same text as the uncached
// format_timestamp for every time, whatever order the times come in.
#include <catch2/catch.hpp>

#include <ctime>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "runtime/core/time.hpp"
#include "runtime/results/format.hpp"

using namespace admf;

namespace {

std::string cached(timestamp_formatter& f, timestamp t) {
  char buf[19];
  return std::string(buf, f.format(t, buf));
}

/// An independent reading of format_timestamp's contract through the C library:
/// the whole second at or before `t`, as a date alone when it is midnight.
std::string libc_text(timestamp t) {
  std::time_t secs = t / ns_per_second - (t % ns_per_second < 0 ? 1 : 0);
  std::tm tm{};
  REQUIRE(gmtime_r(&secs, &tm));
  char buf[32];
  const bool midnight = tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0;
  const std::size_t n =
    std::strftime(buf, sizeof buf, midnight ? "%Y-%m-%d" : "%Y-%m-%d %H:%M:%S", &tm);
  return std::string(buf, n);
}

timestamp at(const char* text) {
  const auto t = parse_timestamp(text);
  REQUIRE(t);
  return *t;
}

}  // namespace

TEST_CASE("timestamp formatter: day month year and leap-year boundaries", "[time]") {
  // Hand-worked: one formatter through the boundaries in order, so each row either
  // reuses the cached date or must notice that the day changed.
  const std::vector<std::pair<timestamp, std::string>> rows = {
    {at("1999-12-31 23:59:59"), "1999-12-31 23:59:59"},
    {at("2000-01-01"), "2000-01-01"},
    {at("2000-01-01 00:00:01"), "2000-01-01 00:00:01"},
    {at("2000-01-31 23:59:00"), "2000-01-31 23:59:00"},
    {at("2000-02-01 09:30:00"), "2000-02-01 09:30:00"},
    {at("2000-02-28 16:00:00"), "2000-02-28 16:00:00"},
    {at("2000-02-29 16:00:00"), "2000-02-29 16:00:00"},  // 2000: divisible by 400, leap
    {at("2000-03-01 16:00:00"), "2000-03-01 16:00:00"},
    {at("2100-02-28 12:00:00"), "2100-02-28 12:00:00"},
    {at("2100-03-01 12:00:00"), "2100-03-01 12:00:00"},  // 2100: no 29 February
    {at("2024-02-28 23:59:59"), "2024-02-28 23:59:59"},
    {at("2024-02-29 00:00:00"), "2024-02-29"},
    {at("2024-02-29 00:01:00"), "2024-02-29 00:01:00"},
    {at("2024-03-01 00:00:00"), "2024-03-01"},
    {at("2024-12-31 23:59:00"), "2024-12-31 23:59:00"},
    {at("2025-01-01 00:00:00"), "2025-01-01"},
    {at("2025-01-01 23:59:59"), "2025-01-01 23:59:59"},
  };
  timestamp_formatter f;
  for (const auto& [t, text] : rows) {
    CHECK(cached(f, t) == text);
    CHECK(format_timestamp(t) == text);
  }
}

TEST_CASE("timestamp formatter: before 1970 and nanosecond fractions", "[time]") {
  timestamp_formatter f;
  CHECK(cached(f, 0) == "1970-01-01");
  CHECK(cached(f, -1) == "1969-12-31 23:59:59");  // 1 ns before the epoch: the previous day
  CHECK(cached(f, -ns_per_second) == "1969-12-31 23:59:59");
  CHECK(cached(f, -ns_per_second - 1) == "1969-12-31 23:59:58");
  CHECK(cached(f, -ns_per_day) == "1969-12-31");
  CHECK(cached(f, -ns_per_day - 1) == "1969-12-30 23:59:59");
  CHECK(cached(f, at("1900-02-28 23:59:59")) == "1900-02-28 23:59:59");
  CHECK(cached(f, at("1900-03-01")) == "1900-03-01");  // 1900: no 29 February
  // Fractions are cut, never rounded; under a second past midnight is the date alone.
  CHECK(cached(f, at("2000-01-03 14:30:00.999999999")) == "2000-01-03 14:30:00");
  CHECK(cached(f, at("2000-01-03 00:00:00.5")) == "2000-01-03");
  CHECK(cached(f, at("2000-01-03 00:00:01.000000001")) == "2000-01-03 00:00:01");
  CHECK(cached(f, at("1969-07-20 20:17:40.123")) == "1969-07-20 20:17:40");
  // The ends of what a timestamp holds.
  const timestamp lo = std::numeric_limits<timestamp>::min();
  const timestamp hi = std::numeric_limits<timestamp>::max();
  CHECK(cached(f, lo) == "1677-09-21 00:12:43");
  CHECK(cached(f, hi) == "2262-04-11 23:47:16");
  CHECK(cached(f, lo) == libc_text(lo));
  CHECK(cached(f, hi) == libc_text(hi));
}

TEST_CASE("timestamp formatter: random times in any order match the uncached text", "[time]") {
  std::mt19937_64 rng(13);
  timestamp_formatter f;
  std::uniform_int_distribution<timestamp> anywhere(std::numeric_limits<timestamp>::min(),
                                                    std::numeric_limits<timestamp>::max());
  // Jumps anywhere, then walks of small steps forward or back (mostly the same day,
  // sometimes across midnight), the way rows and trades' entry times come.
  std::uniform_int_distribution<timestamp> step(-3 * 3600 * ns_per_second,
                                                3 * 3600 * ns_per_second);
  std::uniform_int_distribution<int> fraction_kind(0, 3);
  timestamp t = 0;
  for (int i = 0; i < 200000; ++i) {
    if (i % 1000 == 0)
      t = anywhere(rng);
    else if (!__builtin_add_overflow(t, step(rng), &t)) {
      // Whole seconds, whole minutes and midnights are common in bars: hit them too.
      switch (fraction_kind(rng)) {
        case 0:
          t -= t % ns_per_second;
          break;
        case 1:
          t -= t % (60 * ns_per_second);
          break;
        case 2:
          t -= t % ns_per_day;
          break;
        default:
          break;
      }
    } else {
      t = 0;
    }
    const std::string text = cached(f, t);
    REQUIRE(text == format_timestamp(t));
    REQUIRE(text == libc_text(t));
  }
}

TEST_CASE("time writer: format_time for every row, midnight included", "[time][format]") {
  time_writer date_time{time_format::date_time}, date{time_format::date};
  std::string out;
  for (const char* text : {"2000-01-03", "2000-01-03 14:30:00", "2000-01-04", "1969-12-31"}) {
    date_time.append(out, at(text));
    out += ';';
  }
  CHECK(out
        == "2000-01-03 00:00:00;2000-01-03 14:30:00;2000-01-04 00:00:00;"
           "1969-12-31 00:00:00;");
  out.clear();
  for (const char* text : {"2000-01-03", "2000-01-04", "1969-12-31"}) {
    date.append(out, at(text));
    out += ';';
  }
  CHECK(out == "2000-01-03;2000-01-04;1969-12-31;");
  // Random days and times: the same as the uncached format_time.
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<timestamp> day(-40000, 40000), minute(0, 1439);
  for (int i = 0; i < 20000; ++i) {
    const timestamp t = day(rng) * ns_per_day + (i % 3 ? minute(rng) * 60 * ns_per_second : 0);
    out.clear();
    date_time.append(out, t);
    REQUIRE(out == format_time(t, time_format::date_time));
    REQUIRE(out == libc_text(t) + (t % ns_per_day == 0 ? " 00:00:00" : ""));
  }
}

// Expected instants are seconds since 1970-01-01 UTC worked out with Python's datetime
// and zoneinfo, e.g. for 2021-11-07 01:30 in New York, fold 0 and 1:
//   datetime(2021, 11, 7, 1, 30, tzinfo=ZoneInfo("America/New_York"), fold=f).timestamp()
// -> 1636263000 (05:30Z, EDT) and 1636266600 (06:30Z, EST).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "runtime/core/error.hpp"
#include "runtime/data/timestamp_reader.hpp"

using admf::read_time;
using admf::timestamp;
using admf::timestamp_reader;
using Catch::Matchers::Contains;

namespace {

constexpr timestamp s = 1'000'000'000;
constexpr timestamp minute = 60 * s;
constexpr timestamp hour = 60 * minute;

// 2021-03-12 14:30:00 UTC and 2020-01-02 00:00:00 UTC.
constexpr timestamp mar12_1430z = 1'615'559'400 * s;
constexpr timestamp jan2_2020 = 1'577'923'200 * s;

read_time read(const timestamp_reader& r, const std::string& cell) {
  read_time t;
  std::string error;
  INFO(cell);
  REQUIRE(r.read(cell, t, error));
  return t;
}

/// The instant of a cell that names one.
timestamp at(const timestamp_reader& r, const std::string& cell) {
  const read_time t = read(r, cell);
  INFO(cell);
  CHECK(t.earlier == t.later);
  return t.earlier;
}

std::string error_of(const timestamp_reader& r, const std::string& cell) {
  read_time t;
  std::string error;
  INFO(cell);
  CHECK_FALSE(r.read(cell, t, error));
  CHECK(error.find('\n') == std::string::npos);
  return error;
}

std::string construction_error(const std::string& format, const std::string& zone) {
  try {
    timestamp_reader r(format, zone);
  } catch (const admf::input_error& e) {
    return e.what();
  }
  FAIL("no error for time_format '" << format << "' timezone '" << zone << "'");
  return "";
}

}  // namespace

TEST_CASE("ISO 8601 dates and times of every layout", "[timestamp_reader]") {
  const timestamp_reader r("", "");
  CHECK(at(r, "2020-01-02") == jan2_2020);
  CHECK(at(r, "2020/01/02") == jan2_2020);
  CHECK(at(r, "2021-03-12 14:30") == mar12_1430z);
  CHECK(at(r, "2021-03-12T14:30") == mar12_1430z);
  CHECK(at(r, "2021-03-12 14:30:00") == mar12_1430z);
  CHECK(at(r, "2021/03/12T14:30:07") == mar12_1430z + 7 * s);
  CHECK(at(r, "1969-12-31 23:59:59") == -1 * s);
  CHECK(at(r, "1970-01-01") == 0);
  // Leap days: 2020 and 2000 are leap years, 1900 is not.
  CHECK(at(r, "2020-02-29 23:59:59") == 1'583'020'799 * s);
  CHECK(at(r, "2000-02-29") == 951'782'400 * s);
}

TEST_CASE("ISO 8601 fractions of a second down to nanoseconds", "[timestamp_reader]") {
  const timestamp_reader r("", "");
  CHECK(at(r, "2021-03-12 14:30:00.5") == mar12_1430z + 500'000'000);
  CHECK(at(r, "2021-03-12 14:30:00.000001") == mar12_1430z + 1'000);
  CHECK(at(r, "2021-03-12 14:30:00.123456789") == mar12_1430z + 123'456'789);
  CHECK(at(r, "1969-12-31 23:59:59.25") == -750'000'000);
  CHECK_THAT(error_of(r, "2021-03-12 14:30:00.1234567891"), Contains("more than 9 digits"));
  CHECK_THAT(error_of(r, "2021-03-12 14:30:00."), Contains("expected YYYY-MM-DD"));
  CHECK_THAT(error_of(r, "2021-03-12 14:30.5"), Contains("expected YYYY-MM-DD"));
}

TEST_CASE("ISO 8601 offsets give exact instants whatever the timezone", "[timestamp_reader]") {
  for (const char* zone : {"", "Europe/Zurich", "America/New_York"}) {
    INFO(zone);
    const timestamp_reader r("", zone);
    CHECK(at(r, "2021-03-12 09:30:00-05:00") == mar12_1430z);
    CHECK(at(r, "2021-03-12T14:30:00Z") == mar12_1430z);
    CHECK(at(r, "2021-03-12 14:30Z") == mar12_1430z);
    CHECK(at(r, "2021-03-12 14:30:00+00:00") == mar12_1430z);
    CHECK(at(r, "2021-03-12 15:30:00+01") == mar12_1430z);
    CHECK(at(r, "2021-03-12 20:00:00+0530") == mar12_1430z);
    CHECK(at(r, "2021-03-12 20:00:00.5+05:30") == mar12_1430z + 500'000'000);
    CHECK(at(r, "2021-03-12 04:30-10:00") == mar12_1430z);
    // Across midnight: 23:30 at -05:00 is 04:30 the next day in UTC.
    CHECK(at(r, "2021-03-11 23:30-05:00") == mar12_1430z - 10 * hour);
  }
  const timestamp_reader r("", "");
  CHECK_THAT(error_of(r, "2021-03-12 14:30+24:00"), Contains("offset out of range"));
  CHECK_THAT(error_of(r, "2021-03-12 14:30+05:60"), Contains("offset out of range"));
  CHECK_THAT(error_of(r, "2021-03-12 14:30+5"), Contains("expected YYYY-MM-DD"));
  CHECK_THAT(error_of(r, "2021-03-12 14:30+05:3"), Contains("expected YYYY-MM-DD"));
  CHECK_THAT(error_of(r, "2021-03-12Z"), Contains("expected YYYY-MM-DD"));
}

TEST_CASE("ISO 8601 dates and times out of range are named", "[timestamp_reader]") {
  const timestamp_reader r("", "");
  CHECK(error_of(r, "2021-02-29") == "bad timestamp '2021-02-29' (2021-02 has no day 29: it has 28 days)");
  CHECK_THAT(error_of(r, "1900-02-29"), Contains("1900-02 has no day 29"));
  CHECK_THAT(error_of(r, "2021-04-31 10:00"), Contains("2021-04 has no day 31: it has 30 days"));
  CHECK_THAT(error_of(r, "2021-01-00"), Contains("has no day 00"));
  CHECK(error_of(r, "2021-13-01") == "bad timestamp '2021-13-01' (month 13 does not exist)");
  CHECK_THAT(error_of(r, "2021-00-01"), Contains("month 00 does not exist"));
  CHECK(error_of(r, "2021-01-01 24:00") == "bad timestamp '2021-01-01 24:00' (hour 24 is out of range 00-23)");
  CHECK_THAT(error_of(r, "2021-01-01 12:60"), Contains("minute 60 is out of range 00-59"));
  CHECK_THAT(error_of(r, "2021-01-01 12:00:60"), Contains("second 60 is out of range 00-59"));
  // Timestamps are int64 ns: 1677-09-21 to 2262-04-11.
  CHECK_THAT(error_of(r, "2263-01-01"), Contains("outside the years timestamps cover"));
  CHECK_THAT(error_of(r, "1677-01-01"), Contains("outside the years timestamps cover"));
  CHECK_THAT(error_of(r, "2262-04-11 23:47:16-01:00"), Contains("outside the years timestamps cover"));
  CHECK(at(r, "2262-04-11 23:47:16") == 9'223'372'036 * s);
}

TEST_CASE("ISO 8601 layout errors say what to set instead", "[timestamp_reader]") {
  const timestamp_reader r("", "");
  CHECK(error_of(r, "02.01.2020")
        == "bad timestamp '02.01.2020' (expected YYYY-MM-DD[ HH:MM[:SS]] with an optional "
           "offset; set time_format: %d.%m.%Y (day first) or %m.%d.%Y (month first))");
  CHECK(error_of(r, "Jan 2 2020")
        == "bad timestamp 'Jan 2 2020' (expected YYYY-MM-DD[ HH:MM[:SS]] with an optional "
           "offset; set time_format: for other layouts, e.g. %d.%m.%Y)");
  CHECK_THAT(error_of(r, "14.03.2021"), Contains("day first: set time_format: %d.%m.%Y"));
  CHECK_THAT(error_of(r, "03/14/2021 09:30"),
             Contains("month first: set time_format: %m/%d/%Y followed by the time"));
  CHECK_THAT(error_of(r, "1615559400"),
             Contains("a 10-digit integer looks like seconds since 1970: set time_format: epoch_s"));
  CHECK_THAT(error_of(r, "1615559400123"), Contains("milliseconds since 1970: set time_format: epoch_ms"));
  CHECK_THAT(error_of(r, "1615559400123456"), Contains("set time_format: epoch_us"));
  CHECK_THAT(error_of(r, "1615559400123456789"), Contains("set time_format: epoch_ns"));
  CHECK_THAT(error_of(r, "20200102"), Contains("it looks like YYYYMMDD: set time_format: %Y%m%d"));
  CHECK_THAT(error_of(r, "2021-3-12"), Contains("expected YYYY-MM-DD"));
  CHECK_THAT(error_of(r, "2021-03-12 "), Contains("expected YYYY-MM-DD"));
  CHECK_THAT(error_of(r, "2021-03-12 9:30"), Contains("expected YYYY-MM-DD"));
  CHECK_THAT(error_of(r, "2021-03/12"), Contains("expected YYYY-MM-DD"));
  CHECK(error_of(r, "") == "empty timestamp");
}

TEST_CASE("epoch formats in every unit", "[timestamp_reader]") {
  const timestamp_reader sec("epoch_s", "");
  CHECK(at(sec, "1615559400") == mar12_1430z);
  CHECK(at(sec, "0") == 0);
  CHECK(at(sec, "-1") == -s);
  CHECK(at(sec, "1615559400.25") == mar12_1430z + 250'000'000);
  CHECK(at(sec, "1615559400.123456789") == mar12_1430z + 123'456'789);
  CHECK(at(sec, "-1.5") == -1'500'000'000);
  CHECK(at(sec, "-0.5") == -500'000'000);
  CHECK(at(sec, "9223372036") == 9'223'372'036 * s);
  CHECK(at(timestamp_reader("epoch_ms", ""), "1615559400123") == mar12_1430z + 123'000'000);
  CHECK(at(timestamp_reader("epoch_ms", ""), "-1") == -1'000'000);
  CHECK(at(timestamp_reader("epoch_us", ""), "1615559400123456") == mar12_1430z + 123'456'000);
  CHECK(at(timestamp_reader("epoch_ns", ""), "1615559400123456789") == mar12_1430z + 123'456'789);
  CHECK(at(timestamp_reader("epoch_ns", ""), "-9223372036854775808") == INT64_MIN);
  // Epoch times are UTC by definition: a zone (there for sessions) does not shift them.
  CHECK(at(timestamp_reader("epoch_s", "America/New_York"), "1615559400") == mar12_1430z);
}

TEST_CASE("epoch formats refuse what is not a number of their unit", "[timestamp_reader]") {
  const timestamp_reader ms("epoch_ms", "");
  CHECK(error_of(ms, "abc") == "'abc' is not an integer epoch_ms (milliseconds since 1970-01-01 UTC)");
  CHECK_THAT(error_of(ms, "1615559400123.5"), Contains("is not an integer epoch_ms"));
  CHECK_THAT(error_of(ms, "1.6e12"), Contains("is not an integer epoch_ms"));
  CHECK_THAT(error_of(ms, "+5"), Contains("is not an integer epoch_ms"));
  CHECK_THAT(error_of(ms, "5 "), Contains("is not an integer epoch_ms"));
  CHECK_THAT(error_of(ms, "2021-03-12"), Contains("it is an ISO 8601 time: leave time_format: unset"));
  const timestamp_reader sec("epoch_s", "");
  CHECK_THAT(error_of(sec, "1615559400."), Contains("is not an epoch_s time"));
  CHECK_THAT(error_of(sec, ".5"), Contains("is not an epoch_s time"));
  CHECK_THAT(error_of(sec, "1.0000000001"), Contains("more than 9 digits"));
  // Out of the int64 ns range: an error, never a wrapped time.
  CHECK(error_of(sec, "9223372037")
        == "'9223372037' epoch_s is outside the years timestamps cover, 1677-09-21 to 2262-04-11");
  CHECK_THAT(error_of(sec, "-9223372037"), Contains("outside the years"));
  CHECK_THAT(error_of(sec, "9223372036.854775808"), Contains("outside the years"));
  CHECK_THAT(error_of(ms, "9223372036855"), Contains("outside the years"));
  CHECK_THAT(error_of(timestamp_reader("epoch_ns", ""), "9223372036854775808"),
             Contains("outside the years"));
  CHECK_THAT(construction_error("epoch_sec", ""), Contains("unknown time_format 'epoch_sec'"));
  CHECK_THAT(construction_error("epoch", ""), Contains("epoch_s, epoch_ms, epoch_us or epoch_ns"));
}

TEST_CASE("strftime-style patterns read whole cells", "[timestamp_reader]") {
  const timestamp_reader dmy("%d.%m.%Y", "");
  CHECK(at(dmy, "02.01.2020") == jan2_2020);
  CHECK(error_of(dmy, "02.01.2020x")
        == "bad timestamp '02.01.2020x' (text after what time_format '%d.%m.%Y' reads)");
  CHECK_THAT(error_of(dmy, "2020-01-02"), Contains("does not match time_format '%d.%m.%Y'"));
  CHECK_THAT(error_of(dmy, "31.02.2020"), Contains("no such date"));
  const timestamp_reader us("%m/%d/%Y %H:%M", "");
  CHECK(at(us, "03/12/2021 14:30") == mar12_1430z);
  CHECK(at(us, "3/12/2021 9:05") == mar12_1430z - 5 * hour - 25 * minute);
  CHECK_THAT(error_of(us, "03/12/2021 24:00"), Contains("hour 24"));
  CHECK_THAT(error_of(us, "13/12/2021 10:00"), Contains("bad timestamp '13/12/2021 10:00'"));
  CHECK(at(timestamp_reader("%Y%m%d", ""), "20200102") == jan2_2020);
  CHECK(at(timestamp_reader("%d-%b-%Y", ""), "02-Jan-2020") == jan2_2020);
  CHECK(at(timestamp_reader("%Y-%m-%d %H:%M:%S", ""), "2021-03-12 14:30:00.25")
        == mar12_1430z + 250'000'000);
  CHECK(at(timestamp_reader("%Y %j", ""), "2020 002") == jan2_2020);
}

TEST_CASE("patterns refuse seconds past the end of the day whatever their digits", "[timestamp_reader]") {
  // %S reads up to 12 characters (SS.fffffffff); 12 nines are 10^12 s, which is more
  // nanoseconds than an int64 holds: the reader must refuse them, not wrap around.
  // (Second 60 is read as a leap second, as strptime does: 14:31:00.)
  const timestamp_reader r("%Y-%m-%d %H:%M:%S", "");
  CHECK(at(r, "2021-03-12 14:30:59.999999999") == mar12_1430z + 59'999'999'999);
  for (const char* cell : {"2021-03-12 23:59:61", "2021-03-12 14:30:999999999999",
                           "2021-03-12 14:30:9223372037", "2021-03-12 14:30:99999999999."})
    CHECK_THAT(error_of(r, cell), Contains("bad timestamp"));
  const timestamp_reader compact("%Y%m%d%H%M%S", "");
  CHECK(at(compact, "20210312143000") == mar12_1430z);
  CHECK_THAT(error_of(compact, "2021031214309999999999"), Contains("bad timestamp"));
  CHECK_THAT(error_of(timestamp_reader("%F %T", ""), "2021-03-12 14:30:999999999999"),
             Contains("bad timestamp"));
  // A field wider than any value it can hold is a mistake in the config.
  CHECK_THAT(construction_error("%Y-%m-%d %H:%M:%13S", ""),
             Contains("time_format '%Y-%m-%d %H:%M:%13S': %13S is wider than 12 characters"));
  CHECK_NOTHROW(timestamp_reader("%Y-%m-%d %H:%M:%12S", ""));
}

TEST_CASE("patterns with an offset give exact instants", "[timestamp_reader]") {
  const timestamp_reader r("%Y-%m-%d %H:%M:%S%z", "Europe/Zurich");
  CHECK(at(r, "2021-03-12 09:30:00-0500") == mar12_1430z);
  CHECK(at(r, "2021-03-12 14:30:00+0000") == mar12_1430z);
  CHECK_THAT(error_of(r, "2021-03-12 09:30:00-05:00"), Contains("%Ez reads offsets written +HH:MM"));
  CHECK(at(timestamp_reader("%d.%m.%Y %H:%M %Ez", ""), "12.03.2021 09:30 -05:00") == mar12_1430z);
  CHECK(r.describe() == "%Y-%m-%d %H:%M:%S%z");
}

TEST_CASE("patterns that cannot name a date are refused", "[timestamp_reader]") {
  CHECK_THAT(construction_error("%H:%M", ""), Contains("time_format '%H:%M' has no date"));
  CHECK_THAT(construction_error("%d.%m", ""), Contains("time_format '%d.%m' has no year"));
  CHECK_THAT(construction_error("%Y-%m", ""), Contains("has no day of the month"));
  CHECK_THAT(construction_error("%Y-%d", ""), Contains("has no month"));
  CHECK_THAT(construction_error("%Y-%m-%d %Z", ""), Contains("zone abbreviation"));
  CHECK_THAT(construction_error("%Y-%m-%", ""), Contains("incomplete % conversion"));
  CHECK_THAT(construction_error("YYYY-MM-DD", ""), Contains("has no % conversions"));
  // A year and a day of the year are a date too, and %F is year, month and day at once.
  CHECK_NOTHROW(timestamp_reader("%Y-%j", ""));
  CHECK_NOTHROW(timestamp_reader("%F %T", ""));
}

TEST_CASE("time zones: unknown names and what describe says", "[timestamp_reader]") {
  CHECK(construction_error("", "Mars/Olympus_Mons")
        == "unknown time zone 'Mars/Olympus_Mons' (not in this machine's tz database)");
  CHECK_THAT(construction_error("%d.%m.%Y", "Europe/Zuerich"), Contains("unknown time zone"));
  CHECK(timestamp_reader("", "").describe() == "ISO 8601 (naive times in UTC)");
  CHECK(timestamp_reader("", "America/New_York").describe() == "ISO 8601 (naive times in America/New_York)");
  CHECK(timestamp_reader("%d.%m.%Y", "Europe/Zurich").describe() == "%d.%m.%Y (naive times in Europe/Zurich)");
  CHECK(timestamp_reader("epoch_ms", "").describe() == "epoch_ms");
  // An explicit UTC zone reads naive times as they are.
  CHECK(at(timestamp_reader("", "UTC"), "2021-03-12 14:30") == mar12_1430z);
}

TEST_CASE("New York local times across the 2021 DST changes", "[timestamp_reader]") {
  const timestamp_reader r("", "America/New_York");
  CHECK(at(r, "2021-03-12 09:30:00") == mar12_1430z);  // EST, -5 h
  CHECK(at(r, "2021-07-01 09:30") == 1'625'146'200 * s);  // EDT, -4 h
  // Spring forward, 2021-03-14: 02:00 EST jumps to 03:00 EDT.
  CHECK(at(r, "2021-03-14 01:59") == 1'615'705'140 * s);
  CHECK(at(r, "2021-03-14 03:00") == 1'615'705'200 * s);
  CHECK(error_of(r, "2021-03-14 02:30:00")
        == "2021-03-14 02:30:00 does not exist in America/New_York (clocks jump from 02:00 to 03:00)");
  CHECK_THAT(error_of(r, "2021-03-14 02:00"), Contains("does not exist"));
  // Fall back, 2021-11-07: 01:00-02:00 happens twice, first EDT then EST.
  const read_time twice = read(r, "2021-11-07 01:30");
  CHECK(twice.earlier == 1'636'263'000 * s);  // 05:30Z
  CHECK(twice.later == 1'636'266'600 * s);    // 06:30Z
  CHECK(at(r, "2021-11-07 00:59") == 1'636'261'140 * s);
  CHECK(at(r, "2021-11-07 02:00") == 1'636'268'400 * s);
  // The same with a pattern.
  const timestamp_reader us("%m/%d/%Y %H:%M", "America/New_York");
  CHECK_THAT(error_of(us, "03/14/2021 02:30"), Contains("does not exist in America/New_York"));
  CHECK(read(us, "11/07/2021 01:30").later == 1'636'266'600 * s);
}

TEST_CASE("every 5 minutes across New York DST changes, in any row order", "[timestamp_reader]") {
  // The rule by hand: EST is UTC-5, EDT UTC-4. On 2021-03-14 local 02:00-03:00 does not
  // exist; on 2021-11-07 local 01:00-02:00 is first EDT, then EST.
  struct day {
    const char* date;
    timestamp local_midnight;  // the date at 00:00 read as UTC
    bool spring;
  };
  const day days[] = {{"2021-03-14", 1'615'680'000 * s, true}, {"2021-11-07", 1'636'243'200 * s, false}};
  for (const day& d : days) {
    std::vector<std::pair<std::string, int>> cells;  // cell, minute of day
    for (int m = 0; m < 24 * 60; m += 5) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s %02d:%02d", d.date, m / 60, m % 60);
      cells.emplace_back(buf, m);
    }
    for (int order = 0; order < 3; ++order) {
      INFO(d.date << " order " << order);
      if (order == 1)
        std::reverse(cells.begin(), cells.end());
      if (order == 2)
        std::shuffle(cells.begin(), cells.end(), std::mt19937(7));
      const timestamp_reader r("", "America/New_York");
      for (const auto& [cell, m] : cells) {
        const timestamp local = d.local_midnight + m * minute;
        if (d.spring && m >= 120 && m < 180) {
          CHECK_THAT(error_of(r, cell), Contains("clocks jump from 02:00 to 03:00"));
          continue;
        }
        const read_time t = read(r, cell);
        const bool daylight = d.spring ? m >= 180 : m < 120;
        const bool ambiguous = !d.spring && m >= 60 && m < 120;
        INFO(cell);
        CHECK(t.earlier == local + (daylight ? 4 : 5) * hour);
        CHECK(t.later == local + (daylight && !ambiguous ? 4 : 5) * hour);
      }
    }
  }
}

TEST_CASE("Europe/Zurich local times", "[timestamp_reader]") {
  const timestamp_reader r("%d.%m.%Y %H:%M", "Europe/Zurich");
  CHECK(at(r, "02.01.2020 09:00") == 1'577'952'000 * s);  // CET, +1 h
  CHECK(at(r, "28.03.2021 01:59") == 1'616'893'140 * s);
  CHECK(at(r, "28.03.2021 03:00") == 1'616'893'200 * s);
  CHECK(error_of(r, "28.03.2021 02:30")
        == "28.03.2021 02:30 does not exist in Europe/Zurich (clocks jump from 02:00 to 03:00)");
  const read_time twice = read(r, "31.10.2021 02:30");
  CHECK(twice.earlier == 1'635'640'200 * s);  // 00:30Z, CEST
  CHECK(twice.later == 1'635'643'800 * s);    // 01:30Z, CET
}

TEST_CASE("a moved reader reads as before", "[timestamp_reader]") {
  timestamp_reader a("%d.%m.%Y", "Europe/Zurich");
  timestamp_reader b(std::move(a));
  CHECK(at(b, "02.01.2020") == jan2_2020 - hour);
  timestamp_reader c("", "");
  c = std::move(b);
  CHECK(at(c, "02.01.2020") == jan2_2020 - hour);
}

TEST_CASE("parse_timestamp reads ISO 8601 as UTC", "[timestamp_reader]") {
  CHECK(admf::parse_timestamp("2020-01-02") == jan2_2020);
  CHECK(admf::parse_timestamp("2021-03-12 14:30") == mar12_1430z);
  CHECK(admf::parse_timestamp("2021-03-12 09:30:00-05:00") == mar12_1430z);
  CHECK_FALSE(admf::parse_timestamp("2021-02-29"));
  CHECK_FALSE(admf::parse_timestamp("02.01.2020"));
  CHECK_FALSE(admf::parse_timestamp("2263-01-01"));
}

TEST_CASE("ISO 8601 times of the day read before read as a fresh reader reads them",
          "[timestamp_reader]") {
  // A reader reads the time of day alone when the date is the last one it read: each
  // cell must give what a fresh reader (which parses it whole) gives, errors included.
  const std::vector<std::string> cells = {
    "2021-03-14 00:30:00", "2021-03-14 01:59:59", "2021-03-14 02:30:00",  // NY: no 02:30
    "2021-03-14 03:00",    "2021-03-14T04:05:06", "2021-03-14",
    "2021-03-14 24:00:00", "2021-03-14 23:60",    "2021-03-14 23:59:60",
    "2021-03-14 1:00:00",  "2021-03-14 10:00:0x", "2021-03-14 10:00:00.5",
    "2021-03-14 10:00:00Z", "2021-03-14 10:00:00+01:00", "2021-03-14 10-00-00",
    "2021-03-15 00:00:01", "2021-03-15 12:00:00", "2021-03-14 12:00:00",
    "2262-04-11 23:00:00", "2262-04-11 23:47:16", "2262-04-11 23:47:17"};
  for (const char* zone : {"", "America/New_York"}) {
    const timestamp_reader sequential("", zone);
    for (const auto& cell : cells) {
      INFO(zone << " " << cell);
      const timestamp_reader fresh("", zone);
      read_time a, b;
      std::string error_a, error_b;
      const bool ok = sequential.read(cell, a, error_a);
      REQUIRE(ok == fresh.read(cell, b, error_b));
      CHECK(error_a == error_b);
      if (ok) {
        CHECK(a.earlier == b.earlier);
        CHECK(a.later == b.later);
      }
    }
  }
  // Worked by hand: 2020-01-02 is jan2_2020; the same day at 13:14:15 and 23:59.
  const timestamp_reader r("", "");
  CHECK(read(r, "2020-01-02").earlier == jan2_2020);
  CHECK(read(r, "2020-01-02 13:14:15").earlier == jan2_2020 + 13 * hour + 14 * minute + 15 * s);
  CHECK(read(r, "2020-01-02T23:59").earlier == jan2_2020 + 23 * hour + 59 * minute);
}

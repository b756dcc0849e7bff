// Intraday files written in exchange local time (issue 11's daylight-saving case): a
// New York 5-minute file across the change of 2021-03-14, read with `timezone:`, meets a
// 09:30-16:00 trading_hours barrier at the hours a person would expect on both sides.
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <string>
#include <vector>

#include "runtime/barriers/barrier.hpp"
#include "runtime/barriers/barrier_config.hpp"
#include "runtime/core/error.hpp"
#include "runtime/data/market_data.hpp"
#include "temp_dir.hpp"

using namespace admf;

namespace {

constexpr timestamp minute = 60 * ns_per_second;
constexpr timestamp hour = 60 * minute;

timestamp utc(int y, unsigned m, unsigned d, int h, int min) {
  return days_from_civil(y, m, d) * ns_per_day + h * hour + min * minute;
}

/// Rows every 5 minutes from 04:00 to 19:55 local (pre-market to after-hours) on each of
/// `days` ("2021-03-12"), stamped as the exchange's clock shows them, without offset.
std::string local_five_minute_file(const std::vector<std::string>& days) {
  std::string text = "datetime,open,high,low,close,volume\n";
  char row[96];
  for (const auto& day : days)
    for (int m = 4 * 60; m < 20 * 60; m += 5) {
      std::snprintf(row, sizeof row, "%s %02d:%02d:00,10,11,9,10,100\n", day.c_str(), m / 60,
                    m % 60);
      text += row;
    }
  return text;
}

market_data load(const std::string& path, const std::string& zone) {
  data_source_config source;
  source.csv = source.path = path;
  source.symbol = "SPY";
  source.timezone = zone;
  return load_market_data(data_config{{source}});
}

/// The times of the bars the barrier admits, in file order.
std::vector<timestamp> admitted(const market_data& data, const std::string& barrier_yaml) {
  barrier_set set(read_barrier_config(YAML::Load(barrier_yaml)["barriers"], "b.yaml", "barriers"),
                  data.symbols);
  std::vector<timestamp> out;
  for (const auto& b : data.bars)
    if (set.admit(b.time, {b.bar}))
      out.push_back(b.time);
  return out;
}

/// Every 5 minutes from `first` to `last` inclusive.
std::vector<timestamp> every_five_minutes(timestamp first, timestamp last) {
  std::vector<timestamp> out;
  for (timestamp t = first; t <= last; t += 5 * minute)
    out.push_back(t);
  return out;
}

const char* new_york_hours = R"(barriers:
  trading_hours: {start: "09:30", end: "16:00", timezone: America/New_York})";

}  // namespace

TEST_CASE("a New York local-time file across the 2021 spring change meets trading hours at "
          "09:30-16:00 local on both sides",
          "[local_time_data]") {
  const testing::temp_dir dir;
  // Friday 2021-03-12 is EST (UTC-5); clocks jump from 02:00 to 03:00 on Sunday the 14th;
  // Monday 2021-03-15 is EDT (UTC-4).
  const auto file = dir.write("spy_5m.csv", local_five_minute_file({"2021-03-12", "2021-03-15"}));
  const market_data data = load(file, "America/New_York");
  REQUIRE(data.bars.size() == 2 * 16 * 12);
  // The first row, 04:00 EST, is 09:00 UTC; the last, 19:55 EDT, is 23:55 UTC.
  CHECK(data.bars.front().time == utc(2021, 3, 12, 9, 0));
  CHECK(data.bars.back().time == utc(2021, 3, 15, 23, 55));

  // 09:30 to 15:55 local: 78 five-minute bars a day, 14:30-20:55 UTC on Friday and
  // 13:30-19:55 UTC on Monday.
  std::vector<timestamp> expected = every_five_minutes(utc(2021, 3, 12, 14, 30), utc(2021, 3, 12, 20, 55));
  const auto monday = every_five_minutes(utc(2021, 3, 15, 13, 30), utc(2021, 3, 15, 19, 55));
  expected.insert(expected.end(), monday.begin(), monday.end());
  CHECK(admitted(data, new_york_hours) == expected);
}

TEST_CASE("the same file read as UTC (no timezone) misses the session by the zone's offset",
          "[local_time_data]") {
  // Why the option matters: read as UTC, Friday's 09:30 EST row is taken for 04:30 EST, so
  // the barrier admits the rows labelled 14:30-19:55 on Friday (66 bars, after-hours
  // included) and 13:30-19:55 on Monday: the wrong bars on both sides of the change.
  const testing::temp_dir dir;
  const auto file = dir.write("spy_5m.csv", local_five_minute_file({"2021-03-12", "2021-03-15"}));
  const auto times = admitted(load(file, ""), new_york_hours);
  std::vector<timestamp> expected = every_five_minutes(utc(2021, 3, 12, 14, 30), utc(2021, 3, 12, 19, 55));
  const auto monday = every_five_minutes(utc(2021, 3, 15, 13, 30), utc(2021, 3, 15, 19, 55));
  expected.insert(expected.end(), monday.begin(), monday.end());
  CHECK(times == expected);
}

TEST_CASE("local times the spring change skips are refused, the fall change's repeated hour is "
          "read in row order",
          "[local_time_data]") {
  const testing::temp_dir dir;
  const auto gap = dir.write("gap.csv", "datetime,close\n2021-03-14 01:55,10\n2021-03-14 02:30,10\n");
  try {
    load(gap, "America/New_York");
    FAIL("a nonexistent local time was accepted");
  } catch (const input_error& e) {
    CHECK_THAT(e.what(), Catch::Contains(gap + ":3:") && Catch::Contains("does not exist"));
  }
  // 2021-11-07: 01:00-01:59 happens twice (EDT, then EST). Rows in order: 01:30 EDT
  // (05:30 UTC), 01:30 EST (06:30 UTC), 02:00 EST (07:00 UTC).
  const auto fold = dir.write("fold.csv", "datetime,close\n2021-11-07 01:30,10\n"
                                          "2021-11-07 01:30,11\n2021-11-07 02:00,12\n");
  const market_data data = load(fold, "America/New_York");
  REQUIRE(data.bars.size() == 3);
  CHECK(data.bars[0].time == utc(2021, 11, 7, 5, 30));
  CHECK(data.bars[1].time == utc(2021, 11, 7, 6, 30));
  CHECK(data.bars[2].time == utc(2021, 11, 7, 7, 0));
}

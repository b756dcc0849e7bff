// Resampling to coarser timeframes (runtime/data/resample.hpp): hand-worked buckets in
// UTC and New York time, the config errors, and the USD/CHF 30-minute file against the
// independent resampler tests/reference/resample.py.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/barriers/barrier_config.hpp"
#include "runtime/core/error.hpp"
#include "runtime/data/resample.hpp"
#include "temp_dir.hpp"

using namespace admf;

namespace {

constexpr timestamp minute = 60 * ns_per_second;
constexpr timestamp hour = 60 * minute;

timestamp at(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
  return days_from_civil(y, m, d) * ns_per_day + h * hour + min * minute;
}

/// A bar whose prices say where it came from: open i, high i + 0.5, low i - 0.5, close
/// i + 0.25, volume 1 (so a derived bar's volume counts its bars).
timed_bar numbered(timestamp t, int i) {
  const double x = i;
  return {t, bar_data{0, x, x + 0.5, x - 0.5, x + 0.25, 1}};
}

/// Bars every `step` from `from` (inclusive) to `to` (exclusive), numbered from 1.
std::vector<timed_bar> every(timestamp step, timestamp from, timestamp to) {
  std::vector<timed_bar> bars;
  for (timestamp t = from; t < to; t += step)
    bars.push_back(numbered(t, static_cast<int>(bars.size()) + 1));
  return bars;
}

std::vector<timed_bar> resample_to(const std::vector<timed_bar>& bars, const std::string& tf,
                                   const std::string& zone = "") {
  return resample(bars, *parse_duration(tf), zone, 7, "here");
}

} // namespace

TEST_CASE("timeframes are named as parse_duration reads them", "[resample]") {
  CHECK(format_timeframe(5 * minute) == "5m");
  CHECK(format_timeframe(60 * minute) == "1h");
  CHECK(format_timeframe(4 * hour) == "4h");
  CHECK(format_timeframe(ns_per_day) == "1d");
  CHECK(format_timeframe(7 * ns_per_day) == "1w");
  CHECK(format_timeframe(90 * minute) == "90m");
  CHECK(series_name("EURUSD", 4 * hour) == "EURUSD@4h");
}

TEST_CASE("UTC hourly buckets: edges, gaps and a partial last bucket", "[resample]") {
  // 30-minute bars at 10:00 10:30 11:00, then 12:30, then 14:30 (13:00-14:00 is empty).
  const std::vector<timed_bar> bars = {
    numbered(at(2021, 3, 1, 10), 1), numbered(at(2021, 3, 1, 10, 30), 2),
    numbered(at(2021, 3, 1, 11), 3), numbered(at(2021, 3, 1, 12, 30), 4),
    numbered(at(2021, 3, 1, 14, 30), 5)};
  const auto out = resample_to(bars, "1h");
  REQUIRE(out.size() == 4);
  // [10:00, 11:00): bars 1 and 2, stamped at 11:00; the bar stamped 11:00 starts the next.
  CHECK(out[0].time == at(2021, 3, 1, 11));
  CHECK(out[0].bar.symbol == 7);
  CHECK(out[0].bar.open == 1);
  CHECK(out[0].bar.high == 2.5);
  CHECK(out[0].bar.low == 0.5);
  CHECK(out[0].bar.close == 2.25);
  CHECK(out[0].bar.volume == 2);
  CHECK(out[1].time == at(2021, 3, 1, 12));
  CHECK(out[1].bar.open == 3);
  CHECK(out[1].bar.volume == 1);
  CHECK(out[2].time == at(2021, 3, 1, 13));
  CHECK(out[2].bar.close == 4.25);
  // Nothing in [13:00, 14:00): no bar at 14:00. The last bucket is partial: its close.
  CHECK(out[3].time == at(2021, 3, 1, 15));
  CHECK(out[3].bar.open == 5);
}

TEST_CASE("UTC 4h and 1d buckets start at multiples of the timeframe", "[resample]") {
  const auto bars = every(hour, at(2021, 3, 1, 2), at(2021, 3, 2, 5));  // 27 hourly bars
  const auto four = resample_to(bars, "4h");
  REQUIRE(four.size() == 8);
  CHECK(four[0].time == at(2021, 3, 1, 4));  // 02:00 and 03:00
  CHECK(four[0].bar.volume == 2);
  CHECK(four[1].time == at(2021, 3, 1, 8));
  CHECK(four[1].bar.volume == 4);
  CHECK(four[7].time == at(2021, 3, 2, 8));  // 04:00 alone
  CHECK(four[7].bar.volume == 1);
  const auto daily = resample_to(bars, "1d");
  REQUIRE(daily.size() == 2);
  CHECK(daily[0].time == at(2021, 3, 2));
  CHECK(daily[0].bar.volume == 22);
  CHECK(daily[0].bar.open == 1);
  CHECK(daily[0].bar.close == 22.25);
  CHECK(daily[1].time == at(2021, 3, 3));
  CHECK(daily[1].bar.volume == 5);
}

TEST_CASE("1d in New York: the 23-hour and 25-hour DST days are one bucket each", "[resample]") {
  // Hourly bars from 2021-03-13 05:00 UTC (midnight EST) to 2021-03-16 04:00 UTC
  // (midnight EDT): local days of 24, 23 (clocks forward on the 14th) and 24 hours.
  const auto spring =
    resample_to(every(hour, at(2021, 3, 13, 5), at(2021, 3, 16, 4)), "1d", "America/New_York");
  REQUIRE(spring.size() == 3);
  CHECK(spring[0].time == at(2021, 3, 14, 5));  // midnight EST
  CHECK(spring[0].bar.volume == 24);
  CHECK(spring[1].time == at(2021, 3, 15, 4));  // midnight EDT
  CHECK(spring[1].bar.volume == 23);
  CHECK(spring[1].bar.open == 25);
  CHECK(spring[2].time == at(2021, 3, 16, 4));
  CHECK(spring[2].bar.volume == 24);
  // 2021-11-07: clocks back, the local day runs from 04:00 UTC to 05:00 UTC next day.
  const auto autumn =
    resample_to(every(hour, at(2021, 11, 6, 4), at(2021, 11, 9, 5)), "1d", "America/New_York");
  REQUIRE(autumn.size() == 3);
  CHECK(autumn[0].time == at(2021, 11, 7, 4));
  CHECK(autumn[0].bar.volume == 24);
  CHECK(autumn[1].time == at(2021, 11, 8, 5));
  CHECK(autumn[1].bar.volume == 25);
  CHECK(autumn[2].time == at(2021, 11, 9, 5));
  CHECK(autumn[2].bar.volume == 24);
}

TEST_CASE("intraday buckets in New York start at local midnight across DST", "[resample]") {
  // 30-minute bars around 2021-11-07 01:00-02:00 local, which happens twice (05:00-07:00
  // UTC): the repeated hour stays in the bucket the clock first entered at 01:00.
  const auto hourly = resample_to(every(30 * minute, at(2021, 11, 7, 4), at(2021, 11, 7, 8)),
                                  "1h", "America/New_York");
  REQUIRE(hourly.size() == 3);
  CHECK(hourly[0].time == at(2021, 11, 7, 5));  // 01:00 EDT
  CHECK(hourly[0].bar.volume == 2);
  CHECK(hourly[1].time == at(2021, 11, 7, 7));  // 02:00 EST
  CHECK(hourly[1].bar.volume == 4);
  CHECK(hourly[2].time == at(2021, 11, 7, 8));  // 03:00 EST
  // 2021-03-14: 02:00-03:00 local never happens, so 4h buckets from local midnight
  // (05:00 UTC) close at 04:00 EDT (08:00 UTC: three hours) and 08:00 EDT (12:00 UTC).
  const auto four = resample_to(every(hour, at(2021, 3, 14, 5), at(2021, 3, 14, 13)), "4h",
                                "America/New_York");
  REQUIRE(four.size() == 3);
  CHECK(four[0].time == at(2021, 3, 14, 8));
  CHECK(four[0].bar.volume == 3);
  CHECK(four[1].time == at(2021, 3, 14, 12));
  CHECK(four[1].bar.volume == 4);
  CHECK(four[2].time == at(2021, 3, 14, 16));
}

TEST_CASE("1w buckets are weeks from Monday 00:00", "[resample]") {
  // Daily bars Wednesday 2021-03-03 to Tuesday 2021-03-09.
  const auto weekly = resample_to(every(ns_per_day, at(2021, 3, 3), at(2021, 3, 10)), "1w");
  REQUIRE(weekly.size() == 2);
  CHECK(weekly[0].time == at(2021, 3, 8));  // Monday
  CHECK(weekly[0].bar.volume == 5);
  CHECK(weekly[0].bar.close == 5.25);
  CHECK(weekly[1].time == at(2021, 3, 15));
  CHECK(weekly[1].bar.volume == 2);
  // Local weeks in Tokyo (UTC+9): a bar at Sunday 2021-03-07 16:00 UTC is Monday 01:00 there.
  const std::vector<timed_bar> bars = {numbered(at(2021, 3, 7, 14), 1), numbered(at(2021, 3, 7, 16), 2)};
  const auto tokyo = resample_to(bars, "1w", "Asia/Tokyo");
  REQUIRE(tokyo.size() == 2);
  CHECK(tokyo[0].time == at(2021, 3, 7, 15));   // Monday 00:00 local
  CHECK(tokyo[1].time == at(2021, 3, 14, 15));
}

TEST_CASE("timeframe errors name the timeframe and the data's spacing", "[resample]") {
  const auto half_hourly = every(30 * minute, at(2021, 3, 1), at(2021, 3, 2));
  CHECK_THROWS_WITH(resample_to(half_hourly, "30m"),
                    "here: timeframe 30m is not coarser than the data's own 30m (bars "
                    "2021-03-01 and 2021-03-01 00:30:00)");
  CHECK_THROWS_WITH(resample_to(half_hourly, "20m"),
                    Catch::StartsWith("here: timeframe 20m is not coarser than the data's own 30m"));
  CHECK_THROWS_WITH(resample_to(half_hourly, "2d"),
                    "here: timeframe 2d is not supported (timeframes under a day, 1d and 1w are)");
  CHECK_THROWS_WITH(resample_to(half_hourly, "7h", "America/New_York"),
                    "here: timeframe 7h does not divide a day, so its buckets cannot start at "
                    "local midnight in America/New_York (use one that does, such as 5m, 15m, "
                    "1h or 4h)");
  CHECK_NOTHROW(resample_to(half_hourly, "7h"));  // UTC multiples of 7h exist
  CHECK_THROWS_WITH(resample_to(half_hourly, "1h", "Mars/Olympus"),
                    Catch::StartsWith("here: unknown time zone 'Mars/Olympus'"));
}

TEST_CASE("with_series merges derived series in name order", "[resample]") {
  market_data data;
  data.symbols = {"A", "AB"};
  for (int i = 0; i < 4; ++i) {
    data.bars.push_back({at(2021, 3, 1, i), bar_data{0, 1, 1, 1, 1, 1}});
    data.bars.push_back({at(2021, 3, 1, i), bar_data{1, 2, 2, 2, 2, 1}});
  }
  const auto out = with_series(data, {{"A", 2 * hour, "", "c.yaml:3: timeframe"},
                                      {"A", 2 * hour, "", "c.yaml:9: timeframe"}});
  REQUIRE(out.symbols == std::vector<std::string>{"A", "A@2h", "AB"});
  CHECK(out.base == std::vector<symbol_id>{0, 0, 2});
  CHECK(is_derived(out, 1));
  CHECK_FALSE(is_derived(out, 2));
  REQUIRE(out.bars.size() == 10);
  // At 02:00 the 2h bar of 00:00-02:00 comes between A's and AB's own.
  CHECK(out.bars[4].time == at(2021, 3, 1, 2));
  CHECK(out.bars[4].bar.symbol == 0);
  CHECK(out.bars[5].bar.symbol == 1);
  CHECK(out.bars[5].bar.volume == 2);
  CHECK(out.bars[6].bar.symbol == 2);
  CHECK(out.bars[9].time == at(2021, 3, 1, 4));
  CHECK(out.bars[9].bar.symbol == 1);
  CHECK_THROWS_WITH(with_series(data, {{"Z", hour * 2, "", "c.yaml:3: timeframe"}}),
                    "c.yaml:3: timeframe: unknown symbol 'Z' (the run has: A, AB)");
}

TEST_CASE("USD/CHF 30-minute bars resample as the reference script does", "[resample][reference]") {
  data_config config;
  data_source_config source;
  source.path = std::string(ADMF_SOURCE_DIR) + "/data/usdchf_30min_close.csv";
  source.symbol = "USDCHF";
  config.sources.push_back(source);
  const market_data data = load_market_data(config);
  const testing::temp_dir dir;
  for (const std::string tf : {"1h", "4h", "1d"}) {
    const std::string file = dir.file(tf + ".csv");
    const std::string command = std::string(ADMF_PYTHON) + " " + ADMF_SOURCE_DIR
                                + "/tests/reference/resample.py " + source.path + " " + tf
                                + " > " + file;
    REQUIRE(std::system(command.c_str()) == 0);
    const auto ours = resample(data.bars, *parse_duration(tf), "", 0, "test");
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    std::size_t i = 0;
    for (; std::getline(in, line); ++i) {
      REQUIRE(i < ours.size());
      std::stringstream row(line);
      std::string time, cell;
      std::getline(row, time, ',');
      double v[5];
      for (double& x : v) {
        std::getline(row, cell, ',');
        x = std::stod(cell);
      }
      INFO(tf << " row " << i + 1 << ": " << line);
      REQUIRE(format_timestamp(ours[i].time) == (time.substr(11) == "00:00:00" ? time.substr(0, 10) : time));
      CHECK(ours[i].bar.open == v[0]);
      CHECK(ours[i].bar.high == v[1]);
      CHECK(ours[i].bar.low == v[2]);
      CHECK(ours[i].bar.close == v[3]);
      CHECK(ours[i].bar.volume == v[4]);
    }
    CHECK(i == ours.size());
    CHECK(i > 100);
  }
}

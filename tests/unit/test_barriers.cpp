// Synchronization barriers: each barrier alone and composed, on hand-built slices and
// on the Dow Jones (daily) and USD/CHF (30 min) files, and every config error.
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "runtime/barriers/barrier.hpp"
#include "runtime/barriers/barrier_config.hpp"
#include "runtime/core/error.hpp"
#include "runtime/data/market_data.hpp"

using namespace admf;

namespace {

const std::string data_dir = std::string(ADMF_SOURCE_DIR) + "/data/";

/// Reads the `barriers:` key of a YAML document as the config loader will.
barrier_config parse(const std::string& yaml) {
  const YAML::Node doc = YAML::Load(yaml);
  return read_barrier_config(doc["barriers"], "b.yaml", "barriers");
}

barrier_set make_set(const std::string& yaml, const std::vector<std::string>& symbols) {
  return barrier_set(parse(yaml), symbols);
}

constexpr timestamp minute = 60 * ns_per_second;
constexpr timestamp hour = 60 * minute;

timestamp at(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
  return days_from_civil(y, m, d) * ns_per_day + h * hour + min * minute;
}

bar_data bar(symbol_id symbol, double close) { return {symbol, close, close + 1, close - 1, close, 100}; }

std::vector<symbol_id> symbols_of(const std::vector<timed_bar>& bars) {
  std::vector<symbol_id> out;
  for (const auto& b : bars)
    out.push_back(b.bar.symbol);
  return out;
}

market_data load_dow(std::vector<std::string> symbols) {
  data_source_config source;
  source.csv = source.path = data_dir + "dowjones30_1991_2001_daily_close.csv";
  source.format = csv_format::wide;
  source.symbols = std::move(symbols);
  return load_market_data(data_config{{source}});
}

market_data load_usdchf() {
  data_source_config source;
  source.csv = source.path = data_dir + "usdchf_30min_close.csv";
  source.symbol = "USDCHF";
  return load_market_data(data_config{{source}});
}

/// What a strategy actor would see: the slices that ran and the signals kept.
struct run_record {
  std::vector<timestamp> times;                 ///< of the slices the strategy ran on
  std::map<timestamp, std::vector<timed_bar>> slices;
  std::size_t kept = 0;
};

/// Feeds `data` slice by slice; the strategy emits `signals` signals per run.
run_record run(barrier_set& set, const market_data& data, std::size_t signals = 0) {
  run_record record;
  for (std::size_t begin = 0; begin < data.bars.size();) {
    const timestamp t = data.bars[begin].time;
    std::vector<bar_data> slice;
    for (; begin < data.bars.size() && data.bars[begin].time == t; ++begin)
      slice.push_back(data.bars[begin].bar);
    if (auto bars = set.admit(t, slice)) {
      record.times.push_back(t);
      record.slices[t] = *bars;
      record.kept += set.keep_signals(t, signals);
    }
  }
  return record;
}

std::vector<timestamp> times_on(const run_record& record, timestamp day) {
  std::vector<timestamp> out;
  for (timestamp t : record.times)
    if (t >= day && t < day + ns_per_day)
      out.push_back(t);
  return out;
}

/// Times from `first` to `last` every 30 minutes.
std::vector<timestamp> half_hours(timestamp first, timestamp last) {
  std::vector<timestamp> out;
  for (timestamp t = first; t <= last; t += 30 * minute)
    out.push_back(t);
  return out;
}

std::size_t distinct_days(const market_data& data) {
  std::set<timestamp> days;
  for (const auto& b : data.bars)
    days.insert(b.time / ns_per_day);
  return days.size();
}

} // namespace

// ---------------------------------------------------------------- data_alignment

TEST_CASE("data_alignment skip runs only when every listed symbol has a bar", "[barriers]") {
  auto set = make_set("barriers: {data_alignment: {symbols: [A, B], missing: skip}}", {"A", "B", "C"});
  CHECK_FALSE(set.admit(at(2000, 1, 3), {bar(0, 10)}));
  CHECK_FALSE(set.admit(at(2000, 1, 4), {bar(1, 20), bar(2, 30)}));
  const auto both = set.admit(at(2000, 1, 5), {bar(0, 11), bar(1, 21)});
  REQUIRE(both);
  CHECK(symbols_of(*both) == std::vector<symbol_id>{0, 1});
  CHECK((*both)[0].time == at(2000, 1, 5));
  CHECK((*both)[1].bar.high == 22);  // real bars pass unchanged
  // C is not listed: its bar rides along but is not needed.
  const auto all_three = set.admit(at(2000, 1, 6), {bar(0, 12), bar(1, 22), bar(2, 32)});
  REQUIRE(all_three);
  CHECK(symbols_of(*all_three) == std::vector<symbol_id>{0, 1, 2});
}

TEST_CASE("data_alignment carry_forward waits for every first bar, then repeats the last close",
          "[barriers]") {
  auto set = make_set("barriers: {data_alignment: {symbols: [A, B], missing: carry_forward}}",
                      {"A", "B", "C"});
  CHECK_FALSE(set.admit(at(2000, 1, 3), {bar(0, 10)}));  // B has never had a bar
  const auto first = set.admit(at(2000, 1, 4), {bar(1, 20)});
  REQUIRE(first);
  REQUIRE(symbols_of(*first) == std::vector<symbol_id>{0, 1});
  const timed_bar carried = (*first)[0];
  CHECK(carried.time == at(2000, 1, 4));
  CHECK(carried.bar.open == 10);
  CHECK(carried.bar.high == 10);
  CHECK(carried.bar.low == 10);
  CHECK(carried.bar.close == 10);
  CHECK(carried.bar.volume == 0);
  CHECK((*first)[1].bar.high == 21);

  const auto both_carried = set.admit(at(2000, 1, 5), {bar(2, 30)});
  REQUIRE(both_carried);
  CHECK(symbols_of(*both_carried) == std::vector<symbol_id>{0, 1, 2});
  // Only listed symbols are carried: C has had a bar but is not listed.
  const auto later = set.admit(at(2000, 1, 6), {bar(0, 13)});
  REQUIRE(later);
  CHECK(symbols_of(*later) == std::vector<symbol_id>{0, 1});
  CHECK((*later)[1].bar.close == 20);  // B's last real close, carried again
}

TEST_CASE("data_alignment without symbols covers every symbol of the run", "[barriers]") {
  auto skip = make_set("barriers: {data_alignment: {}}", {"A", "B", "C"});
  CHECK_FALSE(skip.admit(at(2000, 1, 3), {bar(0, 1), bar(1, 1)}));
  CHECK(skip.admit(at(2000, 1, 4), {bar(0, 1), bar(1, 1), bar(2, 1)}));

  auto carry = make_set("barriers: {data_alignment: {missing: carry_forward}}", {"A", "B", "C"});
  CHECK_FALSE(carry.admit(at(2000, 1, 3), {bar(0, 1), bar(1, 1)}));
  CHECK(carry.admit(at(2000, 1, 4), {bar(2, 1)}));
}

TEST_CASE("Dow Jones with gaps in KO: skip and carry_forward run at different times",
          "[barriers]") {
  const market_data full = load_dow({"KO", "MSFT", "IBM"});
  std::vector<timestamp> times;
  for (const auto& b : full.bars)
    if (times.empty() || times.back() != b.time)
      times.push_back(b.time);
  REQUIRE(times.size() == 2529);

  // KO starts three days late and misses every hundredth day after that.
  const symbol_id ko = symbol_named(full.symbols, "KO", "test");
  std::set<timestamp> dropped;
  for (std::size_t i = 0; i < times.size(); ++i)
    if (i < 3 || i % 100 == 50)
      dropped.insert(times[i]);
  REQUIRE(dropped.size() == 28);
  market_data gappy{full.symbols, {}, {}, {}, {}};
  for (const auto& b : full.bars)
    if (b.bar.symbol != ko || dropped.count(b.time) == 0)
      gappy.bars.push_back(b);

  const std::string aligned = "barriers: {data_alignment: {symbols: [KO, MSFT], missing: ";
  auto skip = make_set(aligned + "skip}}", gappy.symbols);
  auto carry = make_set(aligned + "carry_forward}}", gappy.symbols);
  const run_record skipped = run(skip, gappy);
  const run_record carried = run(carry, gappy);

  CHECK(skipped.times.size() == 2529 - 28);
  for (timestamp t : skipped.times)
    CHECK(dropped.count(t) == 0);
  // carry_forward loses only the days before KO's first bar.
  CHECK(carried.times.size() == 2529 - 3);
  CHECK(carried.times.front() == times[3]);

  // On a gap day KO's previous close stands in, flat and without volume.
  const timestamp gap = times[150];
  const auto& slice = carried.slices.at(gap);
  // Ids in name order: IBM 0, KO 1, MSFT 2.
  REQUIRE(symbols_of(slice) == std::vector<symbol_id>{0, 1, 2});
  const auto ko_before = std::find_if(full.bars.begin(), full.bars.end(), [&](const timed_bar& b) {
    return b.time == times[149] && b.bar.symbol == ko;
  });
  REQUIRE(ko_before != full.bars.end());
  CHECK(slice[ko].bar.close == ko_before->bar.close);
  CHECK(slice[ko].bar.open == ko_before->bar.close);
  CHECK(slice[ko].bar.volume == 0);
  CHECK(slice[ko].time == gap);
  // MSFT and IBM keep their real bars.
  const symbol_id msft_id = symbol_named(full.symbols, "MSFT", "test");
  const auto msft_real = std::find_if(full.bars.begin(), full.bars.end(), [&](const timed_bar& b) {
    return b.time == gap && b.bar.symbol == msft_id;
  });
  REQUIRE(msft_real != full.bars.end());
  CHECK(slice[msft_id].bar.close == msft_real->bar.close);

  // Listing only MSFT ignores KO's gaps altogether.
  auto msft = make_set("barriers: {data_alignment: {symbols: [MSFT]}}", gappy.symbols);
  CHECK(run(msft, gappy).times.size() == 2529);
}

// ---------------------------------------------------------------- trading_hours

TEST_CASE("trading_hours follows New York daylight saving on USD/CHF 30 min bars", "[barriers]") {
  const market_data data = load_usdchf();
  auto set = make_set(R"(barriers:
  trading_hours: {start: "09:30", end: "16:00", timezone: America/New_York})",
                      data.symbols);
  const run_record record = run(set, data);

  // 1996: EST (UTC-5) until Sunday April 7, EDT (UTC-4) until Sunday October 27.
  CHECK(times_on(record, at(1996, 4, 5)) == half_hours(at(1996, 4, 5, 14, 30), at(1996, 4, 5, 20, 30)));
  CHECK(times_on(record, at(1996, 4, 8)) == half_hours(at(1996, 4, 8, 13, 30), at(1996, 4, 8, 19, 30)));
  CHECK(times_on(record, at(1996, 10, 25)) == half_hours(at(1996, 10, 25, 13, 30), at(1996, 10, 25, 19, 30)));
  CHECK(times_on(record, at(1996, 10, 28)) == half_hours(at(1996, 10, 28, 14, 30), at(1996, 10, 28, 20, 30)));
  // The file has weekdays only: 13 half hours from 09:30 to 15:30 on each.
  CHECK(record.times.size() == 13 * distinct_days(data));
}

TEST_CASE("trading_hours checks the local day and the window's ends", "[barriers]") {
  auto tokyo = make_set(R"(barriers:
  trading_hours: {start: "09:00", end: "24:00", timezone: Asia/Tokyo, days: [Mon]})",
                        {"A"});
  // Sunday 2000-01-09 23:59 UTC is Monday 08:59 in Tokyo (UTC+9, no DST); 00:00 UTC is 09:00.
  CHECK_FALSE(tokyo.admit(at(2000, 1, 9, 23, 59), {bar(0, 1)}));
  CHECK(tokyo.admit(at(2000, 1, 10, 0, 0), {bar(0, 1)}));
  CHECK(tokyo.admit(at(2000, 1, 10, 14, 59), {bar(0, 1)}));  // Monday 23:59 local
  CHECK_FALSE(tokyo.admit(at(2000, 1, 10, 15, 0), {bar(0, 1)}));  // Tuesday 00:00 local

  auto weekend = make_set(R"(barriers:
  trading_hours: {start: "10:00", end: "11:00", timezone: UTC, days: [Sat, Sun]})",
                          {"A"});
  CHECK_FALSE(weekend.admit(at(2000, 1, 7, 10, 0), {bar(0, 1)}));  // Friday
  CHECK(weekend.admit(at(2000, 1, 8, 10, 0), {bar(0, 1)}));        // Saturday
  CHECK_FALSE(weekend.admit(at(2000, 1, 8, 11, 0), {bar(0, 1)}));  // end is exclusive
  CHECK(weekend.admit(at(2000, 1, 9, 10, 59), {bar(0, 1)}));       // Sunday
}

TEST_CASE("daily bars stamped at midnight UTC fall outside New York trading hours",
          "[barriers]") {
  const market_data data = load_dow({"KO"});
  auto set = make_set(R"(barriers:
  trading_hours: {start: "09:30", end: "16:00", timezone: America/New_York})",
                      data.symbols);
  // Midnight UTC is 19:00 or 20:00 of the day before in New York.
  CHECK(run(set, data).times.empty());
}

// ---------------------------------------------------------------- max_signals

TEST_CASE("max_signals lets N signals pass per day and closes the run when they have",
          "[barriers]") {
  auto set = make_set("barriers: {max_signals: {count: 2, period: 1d}}", {"A"});
  REQUIRE(set.admit(at(2000, 1, 3, 9), {bar(0, 1)}));
  CHECK(set.keep_signals(at(2000, 1, 3, 9), 0) == 0);
  REQUIRE(set.admit(at(2000, 1, 3, 10), {bar(0, 1)}));
  CHECK(set.keep_signals(at(2000, 1, 3, 10), 1) == 1);
  REQUIRE(set.admit(at(2000, 1, 3, 11), {bar(0, 1)}));
  CHECK(set.keep_signals(at(2000, 1, 3, 11), 3) == 1);  // only one left today
  CHECK_FALSE(set.admit(at(2000, 1, 3, 12), {bar(0, 1)}));
  CHECK_FALSE(set.admit(at(2000, 1, 3, 23, 59), {bar(0, 1)}));
  // A new UTC day, a new count.
  REQUIRE(set.admit(at(2000, 1, 4), {bar(0, 1)}));
  CHECK(set.keep_signals(at(2000, 1, 4), 5) == 2);
  CHECK_FALSE(set.admit(at(2000, 1, 4, 1), {bar(0, 1)}));
}

TEST_CASE("max_signals periods are aligned to the epoch in UTC", "[barriers]") {
  auto four_hours = make_set("barriers: {max_signals: {count: 1, period: 4h}}", {"A"});
  REQUIRE(four_hours.admit(at(2000, 1, 3, 7, 59), {bar(0, 1)}));
  CHECK(four_hours.keep_signals(at(2000, 1, 3, 7, 59), 1) == 1);
  CHECK(four_hours.admit(at(2000, 1, 3, 8, 0), {bar(0, 1)}));  // 08:00 starts a period

  // 1970-01-01 was a Thursday: weeks run from Thursday 00:00 UTC.
  auto week = make_set("barriers: {max_signals: {count: 1, period: 1w}}", {"A"});
  REQUIRE(week.admit(at(2000, 1, 5), {bar(0, 1)}));  // a Wednesday
  CHECK(week.keep_signals(at(2000, 1, 5), 1) == 1);
  CHECK_FALSE(week.admit(at(2000, 1, 5, 23, 59), {bar(0, 1)}));
  CHECK(week.admit(at(2000, 1, 6), {bar(0, 1)}));  // Thursday
}

TEST_CASE("max_signals per day on USD/CHF 30 min bars", "[barriers]") {
  const market_data data = load_usdchf();
  const std::size_t days = distinct_days(data);
  REQUIRE(days == 1302);

  auto alone = make_set("barriers: {max_signals: {count: 2, period: 1d}}", data.symbols);
  const run_record one_each = run(alone, data, 1);
  CHECK(one_each.times.size() == 2 * days);
  CHECK(one_each.kept == 2 * days);
  CHECK(times_on(one_each, at(1996, 4, 1)) == half_hours(at(1996, 4, 1, 0, 0), at(1996, 4, 1, 0, 30)));

  auto greedy = make_set("barriers: {max_signals: {count: 2, period: 1d}}", data.symbols);
  const run_record three_each = run(greedy, data, 3);
  CHECK(three_each.times.size() == days);  // the first run uses up the day
  CHECK(three_each.kept == 2 * days);
}

// ---------------------------------------------------------------- composition

TEST_CASE("all: every child must admit, and the carried bars of all are added", "[barriers]") {
  auto set = make_set(R"(barriers:
  all:
    - data_alignment: {symbols: [A], missing: carry_forward}
    - data_alignment: {symbols: [B], missing: carry_forward}
    - trading_hours: {start: "10:00", end: "12:00", timezone: UTC})",
                      {"A", "B", "C"});
  CHECK_FALSE(set.admit(at(2000, 1, 3, 10), {bar(0, 1)}));           // B never seen
  CHECK_FALSE(set.admit(at(2000, 1, 3, 12), {bar(1, 2)}));           // out of hours
  const auto both = set.admit(at(2000, 1, 4, 10), {bar(2, 3)});
  REQUIRE(both);
  CHECK(symbols_of(*both) == std::vector<symbol_id>{0, 1, 2});
  CHECK((*both)[0].bar.close == 1);
  CHECK((*both)[1].bar.close == 2);
}

TEST_CASE("any: some child must admit, and only admitting children carry bars", "[barriers]") {
  auto set = make_set(R"(barriers:
  any:
    - data_alignment: {symbols: [A, B], missing: carry_forward}
    - data_alignment: {symbols: [C], missing: carry_forward}
    - data_alignment: {symbols: [D], missing: skip})",
                      {"A", "B", "C", "D"});
  CHECK_FALSE(set.admit(at(2000, 1, 3), {bar(0, 1)}));  // no child admits
  // Only the C child admits: A is not carried although it has a last bar.
  const auto c_only = set.admit(at(2000, 1, 4), {bar(2, 3)});
  REQUIRE(c_only);
  CHECK(symbols_of(*c_only) == std::vector<symbol_id>{2});
  // D admits (skip, D present) and C carries; A has a bar, B has none yet.
  const auto c_and_d = set.admit(at(2000, 1, 5), {bar(3, 4)});
  REQUIRE(c_and_d);
  CHECK(symbols_of(*c_and_d) == std::vector<symbol_id>{2, 3});
  // B arrives: the A-B child admits too and carries A.
  const auto all = set.admit(at(2000, 1, 6), {bar(1, 2)});
  REQUIRE(all);
  CHECK(symbols_of(*all) == std::vector<symbol_id>{0, 1, 2});
  CHECK((*all)[0].bar.close == 1);
}

TEST_CASE("a group that does not admit carries nothing, whatever its children carry",
          "[barriers]") {
  auto set = make_set(R"(barriers:
  any:
    - all:
        - data_alignment: {symbols: [A], missing: carry_forward}
        - data_alignment: {symbols: [B], missing: skip}
    - data_alignment: {symbols: [C], missing: skip})",
                      {"A", "B", "C"});
  REQUIRE(set.admit(at(2000, 1, 3), {bar(0, 1), bar(1, 2)}));
  // The A child would carry A, but its group fails for want of B: only C runs.
  const auto c_only = set.admit(at(2000, 1, 4), {bar(2, 3)});
  REQUIRE(c_only);
  CHECK(symbols_of(*c_only) == std::vector<symbol_id>{2});
  const auto with_a = set.admit(at(2000, 1, 5), {bar(1, 2), bar(2, 3)});
  REQUIRE(with_a);
  CHECK(symbols_of(*with_a) == std::vector<symbol_id>{0, 1, 2});
}

TEST_CASE("keep_signals: all takes the minimum, any the maximum, gates allow all or none",
          "[barriers]") {
  const std::string limits = R"(
    - max_signals: {count: 3, period: 1d}
    - max_signals: {count: 1, period: 1d})";
  auto all = make_set("barriers:\n  all:" + limits, {"A"});
  REQUIRE(all.admit(at(2000, 1, 3, 1), {bar(0, 1)}));
  CHECK(all.keep_signals(at(2000, 1, 3, 1), 5) == 1);
  CHECK_FALSE(all.admit(at(2000, 1, 3, 2), {bar(0, 1)}));  // the 1-a-day limit is used up

  auto any = make_set("barriers:\n  any:" + limits, {"A"});
  REQUIRE(any.admit(at(2000, 1, 3, 1), {bar(0, 1)}));
  CHECK(any.keep_signals(at(2000, 1, 3, 1), 2) == 2);
  // Both limits count both signals: 2 of 3 and 2 of 1.
  REQUIRE(any.admit(at(2000, 1, 3, 2), {bar(0, 1)}));
  CHECK(any.keep_signals(at(2000, 1, 3, 2), 5) == 1);
  CHECK_FALSE(any.admit(at(2000, 1, 3, 3), {bar(0, 1)}));

  // In hours the gate allows every signal; out of hours it allows none and the limit rules.
  auto gated = make_set(R"(barriers:
  any:
    - trading_hours: {start: "10:00", end: "12:00", timezone: UTC}
    - max_signals: {count: 2, period: 1d})",
                        {"A"});
  REQUIRE(gated.admit(at(2000, 1, 3, 10), {bar(0, 1)}));
  CHECK(gated.keep_signals(at(2000, 1, 3, 10), 7) == 7);
  CHECK_FALSE(gated.admit(at(2000, 1, 3, 13), {bar(0, 1)}));  // 7 passed today: over 2
  REQUIRE(gated.admit(at(2000, 1, 4, 9), {bar(0, 1)}));
  CHECK(gated.keep_signals(at(2000, 1, 4, 9), 7) == 2);
}

TEST_CASE("nested all / any as in the documented example", "[barriers]") {
  auto set = make_set(R"(barriers:
  all:
    - data_alignment: {symbols: [KO, PEP], missing: carry_forward}
    - any:
        - trading_hours: {start: "09:30", end: "16:00", timezone: America/New_York}
        - max_signals: {count: 2, period: 1d})",
                      {"KO", "PEP"});
  // 2000-01-03 is a Monday; New York is UTC-5 in January.
  CHECK_FALSE(set.admit(at(2000, 1, 3, 1), {bar(0, 10)}));  // PEP not seen yet
  const auto night = set.admit(at(2000, 1, 3, 2), {bar(1, 20)});
  REQUIRE(night);
  CHECK(symbols_of(*night) == std::vector<symbol_id>{0, 1});
  CHECK(set.keep_signals(at(2000, 1, 3, 2), 3) == 2);  // out of hours: the limit rules
  CHECK_FALSE(set.admit(at(2000, 1, 3, 3), {bar(0, 11), bar(1, 21)}));
  REQUIRE(set.admit(at(2000, 1, 3, 15), {bar(0, 12)}));  // 10:00 in New York
  CHECK(set.keep_signals(at(2000, 1, 3, 15), 3) == 3);
  CHECK_FALSE(set.admit(at(2000, 1, 3, 21), {bar(0, 12)}));  // 16:00: closed, limit used
}

TEST_CASE("trading hours and a daily limit composed on USD/CHF 30 min bars", "[barriers]") {
  const market_data data = load_usdchf();
  const std::size_t days = distinct_days(data);
  const std::string hours =
    R"(        - trading_hours: {start: "09:30", end: "16:00", timezone: America/New_York}
        - max_signals: {count: 2, period: 1d})";

  auto both = make_set("barriers:\n  all:\n" + hours, data.symbols);
  const run_record first_two = run(both, data, 1);
  CHECK(first_two.times.size() == 2 * days);
  CHECK(times_on(first_two, at(1996, 4, 5)) == half_hours(at(1996, 4, 5, 14, 30), at(1996, 4, 5, 15, 0)));
  CHECK(times_on(first_two, at(1996, 4, 8)) == half_hours(at(1996, 4, 8, 13, 30), at(1996, 4, 8, 14, 0)));

  // Either: two runs after midnight UTC use the limit, then the 13 in-hours runs.
  auto either = make_set("barriers:\n  any:\n" + hours, data.symbols);
  const run_record record = run(either, data, 1);
  CHECK(record.times.size() == 15 * days);
  CHECK(record.kept == 15 * days);
}

// ---------------------------------------------------------------- lifecycle and misuse

TEST_CASE("reset forgets last bars and signal counts", "[barriers]") {
  auto set = make_set(R"(barriers:
  all:
    - data_alignment: {missing: carry_forward}
    - max_signals: {count: 1, period: 1d})",
                      {"A", "B"});
  REQUIRE(set.admit(at(2000, 1, 3, 1), {bar(0, 1), bar(1, 2)}));
  CHECK(set.keep_signals(at(2000, 1, 3, 1), 1) == 1);
  CHECK_FALSE(set.admit(at(2000, 1, 3, 2), {bar(0, 1)}));
  set.reset();
  // Earlier times are fine again, B must be seen again, and the day's count is back.
  CHECK_FALSE(set.admit(at(2000, 1, 3, 1), {bar(0, 1)}));
  REQUIRE(set.admit(at(2000, 1, 3, 2), {bar(0, 1), bar(1, 2)}));
  CHECK(set.keep_signals(at(2000, 1, 3, 2), 1) == 1);
}

TEST_CASE("barrier_set rejects calls out of order", "[barriers]") {
  auto set = make_set("barriers: {data_alignment: {symbols: [B]}}", {"A", "B"});
  CHECK_THROWS_AS(set.keep_signals(at(2000, 1, 3), 1), std::logic_error);
  CHECK_THROWS_AS(set.admit(at(2000, 1, 3), {bar(1, 1), bar(0, 1)}), std::invalid_argument);
  CHECK_THROWS_AS(set.admit(at(2000, 1, 3), {bar(2, 1)}), std::invalid_argument);
  REQUIRE_FALSE(set.admit(at(2000, 1, 3), {bar(0, 1)}));
  CHECK_THROWS_AS(set.keep_signals(at(2000, 1, 3), 1), std::logic_error);  // did not run
  CHECK_THROWS_AS(set.admit(at(2000, 1, 3), {bar(1, 1)}), std::invalid_argument);
  REQUIRE(set.admit(at(2000, 1, 4), {bar(1, 1)}));
  CHECK_THROWS_AS(set.keep_signals(at(2000, 1, 5), 1), std::logic_error);
  CHECK(set.keep_signals(at(2000, 1, 4), 1) == 1);
  CHECK_THROWS_AS(set.keep_signals(at(2000, 1, 4), 1), std::logic_error);  // twice
}

// ---------------------------------------------------------------- config

TEST_CASE("parse_duration takes a whole number and a unit", "[barriers]") {
  CHECK(parse_duration("15s") == 15 * ns_per_second);
  CHECK(parse_duration("30m") == 30 * minute);
  CHECK(parse_duration("4h") == 4 * hour);
  CHECK(parse_duration("1d") == ns_per_day);
  CHECK(parse_duration("2w") == 14 * ns_per_day);
  for (const char* bad : {"", "d", "0d", "-1d", "+1d", "1.5h", "1 d", "1D", "1y", "1dd",
                          "99999999999999w"})
    CHECK_FALSE(parse_duration(bad));
}

TEST_CASE("the reader fills every field", "[barriers]") {
  const barrier_config config = parse(R"(barriers:
  any:
    - data_alignment: {symbols: [KO, PEP], missing: carry_forward, timeframes: [1d, 30m]}
    - trading_hours:
        start: "09:30"
        end: "24:00"
        timezone: Europe/Zurich
        days: [Sat, Mon]
    - all:
        - max_signals: {count: 3, period: 4h})");
  const auto& any = std::get<barrier_group>(config.barrier);
  CHECK(config.location == "b.yaml:2: barriers.any");
  CHECK(any.combine == barrier_group::mode::any);
  REQUIRE(any.children.size() == 3);

  const auto& alignment = std::get<data_alignment_barrier>(any.children[0].barrier);
  CHECK(alignment.symbols == std::vector<std::string>{"KO", "PEP"});
  CHECK(alignment.symbol_locations[1] == "b.yaml:3: barriers.any[0].data_alignment.symbols[1]");
  CHECK(alignment.missing == missing_bars::carry_forward);
  CHECK(alignment.timeframes == std::vector<timestamp>{ns_per_day, 30 * minute});
  CHECK(alignment.timeframe_locations[1] == "b.yaml:3: barriers.any[0].data_alignment.timeframes[1]");
  CHECK(any.children[0].location == "b.yaml:3: barriers.any[0].data_alignment");

  const auto& hours = std::get<trading_hours_barrier>(any.children[1].barrier);
  CHECK(hours.start_minute == 9 * 60 + 30);
  CHECK(hours.end_minute == 24 * 60);
  CHECK(hours.timezone == "Europe/Zurich");
  CHECK(hours.days == (day_bit(weekday::sat) | day_bit(weekday::mon)));
  CHECK(any.children[1].location == "b.yaml:4: barriers.any[1].trading_hours");

  const auto& all = std::get<barrier_group>(any.children[2].barrier);
  CHECK(all.combine == barrier_group::mode::all);
  const auto& limit = std::get<max_signals_barrier>(all.children.at(0).barrier);
  CHECK(limit.count == 3);
  CHECK(limit.period == 4 * hour);

  // Defaults: skip, every symbol, Monday to Friday.
  const auto defaults = parse(R"(barriers:
  all:
    - data_alignment: {}
    - trading_hours: {start: "09:30", end: "16:00", timezone: UTC})");
  const auto& children = std::get<barrier_group>(defaults.barrier).children;
  const auto& skip = std::get<data_alignment_barrier>(children[0].barrier);
  CHECK(skip.missing == missing_bars::skip);
  CHECK(skip.symbols.empty());
  CHECK(skip.timeframes.empty());
  CHECK(std::get<trading_hours_barrier>(children[1].barrier).days == monday_to_friday);
}

TEST_CASE("every barrier config error names the file, line and key path", "[barriers]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
    // barrier nodes
    {"barriers: [a]", "b.yaml:1: barriers: expected a map, got a list"},
    {"barriers:", "b.yaml:1: barriers: expected a map, got nothing"},
    {"barriers: {}",
     "b.yaml:1: barriers: expected one barrier: all, any, data_alignment, trading_hours or "
     "max_signals"},
    {"barriers:\n  alignment: {}",
     "b.yaml:2: barriers.alignment: unknown key (expected one of: all, any, data_alignment, "
     "trading_hours, max_signals)"},
    {"barriers:\n  data_alignment: {}\n  max_signals: {count: 1, period: 1d}",
     "b.yaml:2: barriers: expected one barrier, got 2 keys (combine barriers with all: [...] or "
     "any: [...])"},
    {"barriers:\n  all: []", "b.yaml:2: barriers.all: expected a non-empty list, got an empty list"},
    {"barriers:\n  any: {data_alignment: {}}", "b.yaml:2: barriers.any: expected a non-empty list, got a map"},
    {"barriers:\n  all:\n    - data_alignment: {}\n    - 5",
     "b.yaml:4: barriers.all[1]: expected a map, got '5'"},
    {"barriers:\n  any:\n    - all:\n        - bogus: 1",
     "b.yaml:4: barriers.any[0].all[0].bogus: unknown key (expected one of: all, any, "
     "data_alignment, trading_hours, max_signals)"},
    // data_alignment
    {"barriers:\n  data_alignment:", "b.yaml:2: barriers.data_alignment: expected a map, got nothing"},
    {"barriers:\n  data_alignment: {mising: skip}",
     "b.yaml:2: barriers.data_alignment.mising: unknown key (expected one of: symbols, missing, "
     "timeframes)"},
    {"barriers:\n  data_alignment: {timeframe: 1d}",
     "b.yaml:2: barriers.data_alignment.timeframe: unknown key (expected one of: symbols, "
     "missing, timeframes)"},
    {"barriers:\n  data_alignment: {timeframes: [1h, 60m]}",
     "b.yaml:2: barriers.data_alignment.timeframes[1]: the same timeframe as "
     "barriers.data_alignment.timeframes[0]"},
    {"barriers:\n  data_alignment: {missing: drop}",
     "b.yaml:2: barriers.data_alignment.missing: expected one of: skip, carry_forward, got 'drop'"},
    {"barriers:\n  data_alignment: {symbols: []}",
     "b.yaml:2: barriers.data_alignment.symbols: expected a non-empty list, got an empty list"},
    {"barriers:\n  data_alignment: {symbols: KO}",
     "b.yaml:2: barriers.data_alignment.symbols: expected a non-empty list, got 'KO'"},
    {"barriers:\n  data_alignment:\n    symbols:\n      - KO\n      - [PEP]",
     "b.yaml:5: barriers.data_alignment.symbols[1]: expected a string, got a list"},
    {"barriers:\n  data_alignment:\n    symbols:\n      - KO\n      - KO",
     "b.yaml:5: barriers.data_alignment.symbols[1]: duplicate 'KO' (also at "
     "barriers.data_alignment.symbols[0])"},
    {"barriers:\n  data_alignment: {timeframes: [daily]}",
     "b.yaml:2: barriers.data_alignment.timeframes[0]: expected a duration such as 30m, 4h, 1d or 1w "
     "(a whole number > 0 and one of the units s, m, h, d, w), got 'daily'"},
    {"barriers:\n  data_alignment: {missing: skip, missing: skip}",
     "b.yaml:2: barriers.data_alignment.missing: duplicate key"},
    // trading_hours
    {"barriers:\n  trading_hours: {start: \"09:30\", end: \"16:00\"}",
     "b.yaml:2: barriers.trading_hours: missing key 'timezone'"},
    {"barriers:\n  trading_hours: {end: \"16:00\", timezone: UTC}",
     "b.yaml:2: barriers.trading_hours: missing key 'start'"},
    {"barriers:\n  trading_hours: {start: \"9:30\", end: \"16:00\", timezone: UTC}",
     "b.yaml:2: barriers.trading_hours.start: expected a time HH:MM from 00:00 to 23:59, got '9:30'"},
    {"barriers:\n  trading_hours: {start: \"24:00\", end: \"24:00\", timezone: UTC}",
     "b.yaml:2: barriers.trading_hours.start: expected a time HH:MM from 00:00 to 23:59, got '24:00'"},
    {"barriers:\n  trading_hours: {start: \"09:30\", end: \"16:60\", timezone: UTC}",
     "b.yaml:2: barriers.trading_hours.end: expected a time HH:MM from 00:00 to 24:00, got '16:60'"},
    {"barriers:\n  trading_hours: {start: \"09:30\", end: \"24:01\", timezone: UTC}",
     "b.yaml:2: barriers.trading_hours.end: expected a time HH:MM from 00:00 to 24:00, got '24:01'"},
    {"barriers:\n  trading_hours: {start: \"16:00\", end: \"09:30\", timezone: UTC}",
     "b.yaml:2: barriers.trading_hours.end: must be after start (windows across midnight are not "
     "supported: use two trading_hours under any)"},
    {"barriers:\n  trading_hours:\n    start: \"09:30\"\n    end: \"16:00\"\n    timezone: America/Gotham",
     "b.yaml:5: barriers.trading_hours.timezone: unknown time zone 'America/Gotham' (expected a "
     "name of the tz database, such as America/New_York or UTC)"},
    {"barriers:\n  trading_hours: {start: \"09:30\", end: \"16:00\", timezone: UTC, days: [Mon, Funday]}",
     "b.yaml:2: barriers.trading_hours.days[1]: expected one of: Mon, Tue, Wed, Thu, Fri, Sat, Sun, "
     "got 'Funday'"},
    {"barriers:\n  trading_hours: {start: \"09:30\", end: \"16:00\", timezone: UTC, days: []}",
     "b.yaml:2: barriers.trading_hours.days: expected a non-empty list, got an empty list"},
    {"barriers:\n  trading_hours: {start: \"09:30\", end: \"16:00\", timezone: UTC, days: [Mon, Mon]}",
     "b.yaml:2: barriers.trading_hours.days[1]: duplicate 'Mon' (also at "
     "barriers.trading_hours.days[0])"},
    {"barriers:\n  trading_hours: {start: \"09:30\", end: \"16:00\", timezone: UTC, hours: 2}",
     "b.yaml:2: barriers.trading_hours.hours: unknown key (expected one of: start, end, timezone, "
     "days)"},
    // max_signals
    {"barriers:\n  max_signals: {count: 0, period: 1d}",
     "b.yaml:2: barriers.max_signals.count: expected an integer >= 1, got '0'"},
    {"barriers:\n  max_signals: {count: two, period: 1d}",
     "b.yaml:2: barriers.max_signals.count: expected an integer >= 1, got 'two'"},
    {"barriers:\n  max_signals: {count: [2], period: 1d}",
     "b.yaml:2: barriers.max_signals.count: expected an integer, got a list"},
    {"barriers:\n  max_signals: {count: 2}", "b.yaml:2: barriers.max_signals: missing key 'period'"},
    {"barriers:\n  max_signals: {period: 1d}", "b.yaml:2: barriers.max_signals: missing key 'count'"},
    {"barriers:\n  max_signals:\n    count: 2\n    period: 0d",
     "b.yaml:4: barriers.max_signals.period: expected a duration such as 30m, 4h, 1d or 1w (a "
     "whole number > 0 and one of the units s, m, h, d, w), got '0d'"},
    {"barriers:\n  max_signals: {count: 2, period: 1d, per: symbol}",
     "b.yaml:2: barriers.max_signals.per: unknown key (expected one of: count, period)"},
  };
  for (const auto& [yaml, message] : cases) {
    INFO(yaml);
    CHECK_THROWS_MATCHES(parse(yaml), input_error, Catch::Matchers::Message(message));
  }
}

TEST_CASE("unknown symbols fail when the barrier set meets the run's symbols", "[barriers]") {
  const barrier_config config = parse(R"(barriers:
  all:
    - data_alignment:
        symbols: [KO, PEP]
    - max_signals: {count: 1, period: 1d})");
  CHECK_NOTHROW(barrier_set(config, {"KO", "PEP"}));
  CHECK_THROWS_MATCHES(barrier_set(config, {"KO", "IBM"}), input_error,
                       Catch::Matchers::Message("b.yaml:4: barriers.all[0].data_alignment.symbols[1]: "
                                                "unknown symbol 'PEP' (the run has: KO, IBM)"));
}

TEST_CASE("configs built in C++ are checked when the barrier set is made", "[barriers]") {
  trading_hours_barrier hours;
  hours.timezone = "Nowhere/City";
  CHECK_THROWS_MATCHES(barrier_set(barrier_config{hours, ""}, {"A"}), input_error,
                       Catch::Matchers::Message("barriers: unknown time zone 'Nowhere/City'"));
  hours.timezone = "UTC";
  hours.days = 0;
  CHECK_THROWS_MATCHES(barrier_set(barrier_config{hours, ""}, {"A"}), input_error,
                       Catch::Matchers::Message("barriers: trading hours need at least one day"));
  hours.days = monday_to_friday;
  hours.end_minute = hours.start_minute;
  CHECK_THROWS_MATCHES(barrier_set(barrier_config{hours, "x.yaml:3: s.barriers"}, {"A"}), input_error,
                       Catch::Matchers::Message("x.yaml:3: s.barriers: trading hours need 00:00 <= "
                                                "start < end <= 24:00"));
  CHECK_THROWS_MATCHES(barrier_set(barrier_config{barrier_group{}, ""}, {"A"}), input_error,
                       Catch::Matchers::Message("barriers: a barrier group needs at least one barrier"));
  CHECK_THROWS_MATCHES(barrier_set(barrier_config{max_signals_barrier{0, ns_per_day}, ""}, {"A"}),
                       input_error,
                       Catch::Matchers::Message("barriers: max_signals needs count >= 1 and a period > 0"));
  data_alignment_barrier alignment;
  alignment.symbols = {"B"};
  CHECK_THROWS_MATCHES(barrier_set(barrier_config{alignment, ""}, {"A"}), input_error,
                       Catch::Matchers::Message("barriers: unknown symbol 'B' (the run has: A)"));
}


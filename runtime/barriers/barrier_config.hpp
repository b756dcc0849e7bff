// Barrier configuration: plain values, read from a strategy's `barriers:` key or
// built in C++. Kept free of the run's other types so backtest_config.hpp can hold
// a barrier_config without an include cycle.
//
//   barriers:                      # ONE barrier node; all / any combine them
//     all:
//       - data_alignment: {symbols: [KO, PEP], missing: carry_forward, timeframes: [1h, 1d]}
//       - any:
//           - trading_hours: {start: "09:30", end: "16:00", timezone: America/New_York}
//           - max_signals: {count: 2, period: 1d}
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/core/time.hpp"

namespace YAML {
class Node;
}

namespace admf {

enum class missing_bars : std::uint8_t {
  skip,           ///< run only at times where every listed symbol has a bar
  carry_forward,  ///< once every listed symbol has had a bar, repeat the last one for gaps
};

/// `data_alignment: {symbols: [A, B], missing: skip | carry_forward, timeframes: [30m, 4h]}`.
/// A slice is always all bars of one timestamp: alignment is per timestamp.
struct data_alignment_barrier {
  /// Empty: the strategy's `symbols:` (none: every data symbol). A name may be a
  /// derived series, "EURUSD@4h" (runtime/data/resample.hpp).
  std::vector<std::string> symbols;
  std::vector<std::string> symbol_locations;  ///< where each symbol is written (file configs)
  missing_bars missing = missing_bars::skip;
  /// Each listed symbol must have a bar of every timeframe (ns) at the timestamp: the
  /// symbol at the strategy's own timeframe (its `timeframe:`, else the data's), its
  /// series "SYMBOL@T" at any other. Empty: the symbols as listed.
  std::vector<timestamp> timeframes;
  std::vector<std::string> timeframe_locations;  ///< where each is written (file configs)
};

/// Day numbers as C's tm_wday counts them.
enum class weekday : std::uint8_t { sun, mon, tue, wed, thu, fri, sat };

constexpr std::uint8_t day_bit(weekday d) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(d)); }
constexpr std::uint8_t monday_to_friday = day_bit(weekday::mon) | day_bit(weekday::tue)
                                          | day_bit(weekday::wed) | day_bit(weekday::thu)
                                          | day_bit(weekday::fri);

/// `trading_hours: {start: "09:30", end: "16:00", timezone: America/New_York, days: [Mon, ...]}`.
/// The window [start, end) is local wall-clock time, so in UTC it moves by an hour at
/// each daylight-saving change. Daily bars stamped at midnight UTC are at 19:00 or
/// 20:00 of the previous day in New York: a 09:30-16:00 window never admits them.
/// Use trading hours with intraday data.
struct trading_hours_barrier {
  int start_minute = 9 * 60 + 30;  ///< minutes after local midnight, 0..1439
  int end_minute = 16 * 60;        ///< exclusive, start_minute + 1..1440 (24:00)
  std::string timezone;            ///< a name of the system tz database
  std::uint8_t days = monday_to_friday;  ///< day_bit()s of the local days
};

/// `max_signals: {count: N, period: 1d}`: at most N signals pass per period. Periods
/// are aligned to the epoch in UTC: days start at 00:00 UTC, and weeks on Thursday
/// 00:00 UTC (1970-01-01 was a Thursday).
struct max_signals_barrier {
  std::size_t count = 1;          ///< >= 1
  timestamp period = ns_per_day;  ///< > 0
};

struct barrier_config;

/// `all: [...]` (every child admits) or `any: [...]` (some child admits).
struct barrier_group {
  enum class mode : std::uint8_t { all, any };
  mode combine = mode::all;
  std::vector<barrier_config> children;  ///< not empty
};

struct barrier_config {
  std::variant<data_alignment_barrier, trading_hours_barrier, max_signals_barrier, barrier_group>
    barrier;
  /// "file:line: key_path" of the barrier, for errors found when the run is known
  /// (unknown symbols, a time zone missing from this machine). Empty in C++ configs.
  std::string location;
};

/// "30m", "4h", "1d", "1w", "15s": a positive integer and a unit, in ns. nullopt for
/// anything else (no fractions, no sign, no spaces) and on overflow.
std::optional<timestamp> parse_duration(std::string_view text);

/// Reads the value of a strategy's `barriers:` key. `file` and `key_path` (for
/// instance "portfolios[0].strategies[1].barriers") place the errors: input_error
/// "file:line: key_path: what is wrong" for unknown keys, wrong types, bad durations,
/// times, days or time zones, and empty lists.
barrier_config read_barrier_config(const YAML::Node& node, const std::string& file,
                                   const std::string& key_path);

} // namespace admf

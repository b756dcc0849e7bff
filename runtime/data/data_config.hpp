// Where a run's bars come from, as the config's `data:` section describes it (read by
// runtime/config/; the data folder owns the settings it loads from).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "runtime/core/time.hpp"

namespace admf {

/// ohlcv: one symbol per file (time, open, high, low, close, volume); wide: a time
/// column then one close column per symbol.
enum class csv_format { ohlcv, wide };

/// `columns:` the file's names for each field (empty: the usual names, any case).
/// A close-only file maps just time and close.
struct column_names {
  std::string time, open, high, low, close, volume, adj_close;
};

/// `order:` how the file's rows are sorted by time.
enum class row_order { ascending, descending };

/// `on_missing:` a row whose prices are empty or null (as Yahoo writes them).
enum class missing_row_policy { error, skip };

/// `adjust:` none, or adj_close: open/high/low/close scaled by adj_close / close (the
/// ratio adjustment of backtrader's adjclose option).
enum class price_adjustment { none, adj_close };

struct data_source_config {
  std::string csv;   ///< path as written in the config
  std::string path;  ///< resolved path that exists
  csv_format format = csv_format::ohlcv;
  std::string symbol;                ///< ohlcv: the symbol this file holds
  std::vector<std::string> symbols;  ///< wide: columns to use (empty = all)

  char delimiter = 0;    ///< `delimiter:` 0 = detected from the header (, ; tab |)
  char decimal = '.';    ///< `decimal:` '.' or ','
  column_names columns{};  ///< `columns:`
  /// `time_format:` "" = ISO 8601 (date, date and time, optional UTC offset), a
  /// strftime-style pattern, or epoch_s / epoch_ms / epoch_us / epoch_ns.
  std::string time_format{};
  std::string timezone{};  ///< `timezone:` tz database zone of naive times; "" = UTC
  row_order order = row_order::ascending;
  missing_row_policy on_missing = missing_row_policy::error;
  std::optional<timestamp> start{};  ///< `start:` first time loaded (inclusive)
  std::optional<timestamp> end{};    ///< `end:` last time loaded (inclusive)
  price_adjustment adjust = price_adjustment::none;
  /// `corporate_actions:` resolved path of a splits/dividends file, "" none
  std::string corporate_actions{};
};

/// What loading does with a bar that cannot exist (a price outside [low, high], high
/// below low, a price that is not finite and positive, a negative volume):
///  reject: the load fails on the first one.
///  repair: open and close outside [low, high] are clipped into it; every other kind
///          still fails the load, since no price inside the bar is known to be right.
///  skip:   the bar is dropped.
/// Repaired and skipped bars are counted per file (market_data::bad_bars).
enum class bad_bar_policy { reject, repair, skip };

struct data_config {
  std::vector<data_source_config> sources;
  bad_bar_policy on_bad_bar = bad_bar_policy::reject;
  /// `cache:` directory of the automatic cache of parsed sources (runtime/data/bar_cache.hpp);
  /// "" = off, the default.
  std::string cache{};
};

}  // namespace admf

// Where a run's bars come from, as the config's `data:` section describes it (read by
// runtime/config/; the data folder owns the settings it loads from).
#pragma once
#include <string>
#include <vector>

namespace admf {

/// ohlcv: one symbol per file (time, open, high, low, close, volume); wide: a time
/// column then one close column per symbol.
enum class csv_format { ohlcv, wide };

struct data_source_config {
  std::string csv;   ///< path as written in the config
  std::string path;  ///< resolved path that exists
  csv_format format = csv_format::ohlcv;
  std::string symbol;                ///< ohlcv: the symbol this file holds
  std::vector<std::string> symbols;  ///< wide: columns to use (empty = all)
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
};

}  // namespace admf

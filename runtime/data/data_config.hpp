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

struct data_config {
  std::vector<data_source_config> sources;
};

}  // namespace admf

// Bars of every symbol of a run, merged into one stream ordered by (time, symbol).
#pragma once
#include <string>
#include <vector>

#include "runtime/data/data_config.hpp"
#include "runtime/events/event.hpp"

namespace admf {

struct timed_bar {
  timestamp time = 0;
  bar_data bar;
};

struct market_data {
  std::vector<std::string> symbols;  ///< symbol_id -> name, in config order
  std::vector<timed_bar> bars;       ///< sorted by time, then symbol id; no duplicates
};

/// Loads every source of `config` and merges them by time. Throws input_error
/// "file:line: what is wrong" for a missing file, a bad row, unsorted or duplicate
/// timestamps, non-positive prices, high < low, unknown columns.
market_data load_market_data(const data_config& config);

/// Deterministic random-walk OHLCV bars for benchmarks and tests.
market_data synthetic_market_data(std::size_t bars, std::uint64_t seed, std::string symbol = "SYN");

} // namespace admf

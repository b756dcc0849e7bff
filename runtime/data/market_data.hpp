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

/// The bars of one file that the on_bad_bar policy repaired or skipped. Never silent:
/// whoever loads the data prints describe() of each.
struct bad_bar_report {
  std::string path;
  bad_bar_policy action = bad_bar_policy::repair;  ///< repair or skip
  std::size_t count = 0;
  std::string first;  ///< the first one, as reject would have said it: "path:line: column ..."
};

/// The rows of one file that `on_missing: skip` dropped because a price cell was
/// empty, null, NA, N/A or NaN (any case). Printed like bad_bar_report.
struct missing_row_report {
  std::string path;
  std::size_t count = 0;
  std::string first;  ///< the first one: "path:line: column 'Close': missing price 'null'"
};

struct market_data {
  std::vector<std::string> symbols;      ///< symbol_id -> name, sorted by name
  std::vector<timed_bar> bars;           ///< sorted by time, then symbol id; no duplicates
  std::vector<bad_bar_report> bad_bars;  ///< files with bars repaired or skipped, config order
  std::vector<missing_row_report> missing_rows;  ///< files with rows skipped, config order
  /// Per symbol id: the id whose bars it is resampled from (runtime/data/resample.hpp),
  /// itself for a data symbol. Empty when the run has no derived series.
  std::vector<symbol_id> base;
  /// What the symbols and bars were made from, as a 64-bit hash taken once, so that a
  /// run id need not hash every bar of every run (run_context.hpp): load_market_data's
  /// is an XXH3 of each source's origin and symbol names in config order
  /// (load_source_bars: the CSV's bytes and the options that parse it, the same for a
  /// bar file imported from it or a cache entry), synthetic_market_data's
  /// is hash_bars() of what it made. 0: not known (data built in memory): a run id then
  /// takes hash_bars(). Whoever changes the bars or symbols of a loaded market_data
  /// must set it again (hash_bars(), or 0).
  std::uint64_t content_hash = 0;
};

/// XXH3-64 of the symbol names and every bar (time, symbol id and each price and
/// volume field), field by field so that padding bytes never count. Never 0.
std::uint64_t hash_bars(const market_data& data);

/// Loads every source of `config` with its options (README "Data files") and merges
/// them by time (runtime/data/bar_merge.hpp: O(N log S) for N bars in S sources, the
/// bars held about once at the peak). Throws input_error "file:line: what is wrong" (cells: "file:line:
/// column 'Name': what") for a missing file, malformed CSV, a file with a header and
/// no data rows ("file:1: no data rows"), a bad row, timestamps out
/// of the source's order or repeated, unknown or unmapped columns, a row with a
/// missing price under on_missing: error, a start/end range that leaves no bars, and
/// an impossible bar (a price that is not finite and positive, high < low, open or
/// close outside [low, high], a volume that is not finite and >= 0) unless
/// config.on_bad_bar repairs or skips it.
market_data load_market_data(const data_config& config);

/// "path: 2 bars repaired (on_bad_bar: repair), the first at path:5: column 'close': ..."
std::string describe(const bad_bar_report& report);

/// "path: 3 rows with a missing price skipped (on_missing: skip), the first at path:7: ..."
std::string describe(const missing_row_report& report);

/// Deterministic random-walk OHLCV bars for benchmarks and tests.
/// The id of the symbol called `name` among `symbols` (a run's symbol table). Throws
/// input_error "WHERE: unknown symbol 'NAME' (the run has: A, B, ...)".
symbol_id symbol_named(const std::vector<std::string>& symbols, const std::string& name,
                       const std::string& where);

market_data synthetic_market_data(std::size_t bars, std::uint64_t seed, std::string symbol = "SYN");

} // namespace admf

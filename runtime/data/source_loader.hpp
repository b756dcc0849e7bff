// Loading one data file of a run's `data:` section, with its source's options: what
// load_market_data does per file, and what `admf data inspect` looks at.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/data/csv_table.hpp"
#include "runtime/data/market_data.hpp"

namespace admf {

/// Numbers symbols in load order and rejects one loaded from two places.
class symbol_table {
public:
  explicit symbol_table(std::vector<std::string>& names) : names_(names) {}

  /// Throws input_error "WHERE: symbol 'X' is already loaded from OTHER".
  symbol_id add(const std::string& name, const std::string& where);

private:
  std::vector<std::string>& names_;
  std::map<std::string, std::string> origin_;
};

/// What loading one file saw besides its bars. Example lists hold the first few only.
struct source_info {
  std::string path;
  csv_dialect dialect;
  std::string time_format;  ///< timestamp_reader::describe()
  /// field (time, open, high, low, close, volume, adj_close; wide: each symbol) ->
  /// the header's name for it; a field the file lacks is left out.
  std::vector<std::pair<std::string, std::string>> columns;
  std::size_t rows = 0;          ///< data rows in the file
  std::size_t out_of_range = 0;  ///< rows before `start:` or after `end:`
  std::vector<std::string> bad_rows;      ///< "path:line: what" of repaired or skipped bars
  std::vector<std::string> missing_rows;  ///< "path:line: what" of rows on_missing skipped
  /// Only when loading with keep_going_on_order: rows dropped because their time
  /// repeats or goes back ("path:line: duplicate timestamp ..."), and how many.
  std::vector<std::string> order_problems;
  std::size_t duplicates = 0, unsorted = 0;
};

struct loaded_source {
  std::vector<timed_bar> bars;  ///< in time order (a descending file reversed)
  source_info info;
  std::optional<bad_bar_report> bad_bars;          ///< when some bar was repaired or skipped
  std::optional<missing_row_report> missing_rows;  ///< when some row was skipped
};

/// The order of market_data::bars: by time, then symbol id.
bool bar_before(const timed_bar& a, const timed_bar& b);

/// Loads `source` (format ohlcv or wide), adding its symbols to `symbols`. Throws
/// input_error "path:line: ..." as load_market_data says. keep_going_on_order (for
/// inspect): duplicate and unsorted timestamps are counted in info and their rows
/// dropped instead of failing the load. `on_read` sees the file's bytes (csv_table).
loaded_source load_source(const data_source_config& source, bad_bar_policy on_bad_bar,
                          symbol_table& symbols, bool keep_going_on_order = false,
                          const byte_sink& on_read = {});

}  // namespace admf

// The bars of one data source as parsed, before the loader merges the sources of a run.
#pragma once
#include <string>
#include <vector>

#include "runtime/data/market_data.hpp"

namespace admf {

struct source_bars {
  std::vector<std::string> symbols;      ///< local id -> name, in the order the source gives them
  std::vector<timed_bar> bars;           ///< sorted by time, then local symbol id
  std::vector<bad_bar_report> bad_bars;  ///< what on_bad_bar repaired or skipped in this source
  std::vector<missing_row_report> missing_rows;  ///< what on_missing: skip dropped
};

}  // namespace admf

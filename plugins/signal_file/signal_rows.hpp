// Reading a signals.csv (names: runtime/plugin/signal_csv.hpp): every row is checked
// when the file is read, so a bad cell stops the run before it starts.
#pragma once
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "runtime/plugin/signal_csv.hpp"

namespace admf::plugins {

struct signal_row {
  int line = 0;           ///< 1-based line in the file
  std::int64_t time = 0;  ///< ns since the epoch, UTC
  std::string time_text;  ///< as written, for messages
  std::string strategy, symbol;
  plugin::signal_csv::action action = plugin::signal_csv::action::order;
  plugin::order_signal order;   ///< action order; `symbol` is set once names are resolved
  plugin::order_change change;  ///< action replace: value, limit_price, stop_price
};

/// Every row of the CSV text `in`, in file order, after the header line. Throws
/// std::runtime_error "NAME:LINE: COLUMN: what" (without COLUMN for a whole row or
/// line) for a bad or missing header, a row with the wrong number of fields, an
/// unknown name, a bad number or time, or a row earlier than the one before it.
std::vector<signal_row> read_signal_rows(std::istream& in, const std::string& name);

}  // namespace admf::plugins

// signals.csv rows (`admf run --signals`): every SIGNAL a portfolio's strategies
// emitted, written so that plugins/signal_file replays the run exactly. Column and
// value names: runtime/plugin/signal_csv.hpp.
#pragma once
#include <string>
#include <string_view>

#include "runtime/events/event.hpp"

namespace admf {

/// The header line, with its newline.
std::string signals_csv_header();

/// Appends the row, with its newline, of signal `s` emitted at `time` (already written
/// in the file's time format) by `strategy` (its config id) for `symbol` (its name).
/// Numbers are the shortest that read back exactly; a 0 (a price, a trail, a value, no
/// expiry) is an empty cell, and so is every column the action does not use.
void append_signal_row(std::string& out, std::string_view time, const std::string& strategy,
                       const std::string& symbol, const signal_data& s);

}  // namespace admf

// A source's `corporate_actions:` file: splits and cash dividends of its one symbol,
// applied to the raw prices it loads. Splits back-adjust the bars before them (the
// series becomes continuous and positions count today's shares); dividends stay out
// of the prices and reach the portfolios as cash on their ex-date's bar
// (bar_data::dividend, booked by portfolio_book::pay_dividend).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "runtime/data/market_data.hpp"

namespace admf {

/// One row of the file.
struct corporate_action {
  timestamp date = 0;   ///< ex-date: the action takes effect at the first bar at or after it
  double split = 1;     ///< new shares per old share (4 for 4:1, 0.5 for 1:2); 1 = none
  double dividend = 0;  ///< cash per share of the ex-date, in the data's currency; 0 = none
  std::size_t line = 0; ///< its line in the file, for messages
};

struct corporate_actions {
  std::string path;
  std::vector<corporate_action> actions;  ///< by date, strictly increasing
};

/// Reads a CSV file (RFC 4180, via libcsv) with a header naming `date` and `split`
/// and/or `dividend`, in any case and order. `date` is ISO 8601 as timestamp_reader's
/// format "" reads it (YYYY-MM-DD, optionally followed by a time and an offset), local
/// to `timezone` (the source's `timezone:`, "" for UTC): a date is the start of that
/// calendar day there, so it meets daily bars stamped at local midnight. A local time a
/// DST change repeats is its earlier instant. An empty split or dividend cell means none.
/// Throws input_error "PATH:LINE: column 'NAME': what" for a cell that is not a date (or
/// a local time a DST change skips: the reader's message) or not a finite number, a
/// split <= 0, a dividend < 0, a row with neither, dates not strictly increasing; and
/// "PATH: ..." for a file that cannot be read, an unknown zone or a header without
/// those columns.
corporate_actions read_corporate_actions(const std::string& path, const std::string& timezone);

/// Applies `file` to one symbol's bars, sorted by time (load_market_data does it right
/// after parsing a source). An action takes effect at its ex-bar, the first bar at or
/// after its date (a weekend date: the next trading day's bar):
///  - every bar before the ex-bar has its prices divided and its volume multiplied by
///    the product of the splits at later ex-bars (CRSP's cumulative adjustment factor);
///  - the ex-bar's `dividend` is the dividend divided by the product of the splits at
///    later ex-bars, so it is per share of the adjusted series; prices are not adjusted
///    for dividends.
/// An action at or before the first bar changes nothing (no bar is before it, nobody
/// held the symbol at the close before). Throws input_error "PATH:LINE: column 'date':
/// ..." for an action after the last bar, and for two actions with the same ex-bar.
void apply_corporate_actions(std::vector<timed_bar>& bars, const corporate_actions& file);

}  // namespace admf

// Bars of a coarser timeframe built from a symbol's own bars (`timeframe: 1h` on a
// strategy, `EURUSD@4h` in a symbol list): the derived series of a run.
//
// A data bar stamped t belongs to the bucket [start, close) containing t (stamps are
// read as the bar's start, as daily dates and most intraday vendors write them). The
// derived bar is stamped at its bucket's close, so it holds only bars stamped before
// its own time: no look-ahead. Open first, high max, low min, close last, volume sum.
// Buckets:
//  - under a day: UTC multiples of the timeframe; with a time zone, the moments the
//    local clock first reads midnight + k x timeframe (the timeframe must divide a
//    day). The hour repeated when clocks go back stays in the bucket it began in; a
//    skipped hour makes no bucket.
//  - 1d: the calendar day (UTC or local, so a 23- or 25-hour DST day is one bucket),
//    stamped at the next midnight.
//  - 1w: weeks starting Monday 00:00 (UTC or local), stamped at the next Monday.
// Empty buckets make no bar; a partial last bucket is emitted at its close.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "runtime/data/market_data.hpp"

namespace admf {

/// "5m", "1h", "4h", "1d", "1w", "15s": the largest unit that divides `timeframe` (ns,
/// > 0), as parse_duration reads it back.
std::string format_timeframe(timestamp timeframe);

/// "EURUSD@4h": the name of symbol's series at `timeframe`.
std::string series_name(const std::string& symbol, timestamp timeframe);

/// Resamples `bars` (one symbol's, sorted by time, no duplicates) to `timeframe`,
/// buckets aligned in the tz database zone `zone` ("" = UTC). The result carries
/// symbol id `id`. Throws input_error "WHERE: what" when the timeframe is neither under
/// a day, 1d nor 1w, does not divide a day while a zone is set, or is not coarser than
/// the bars' own spacing (their smallest gap), and when the zone is unknown.
std::vector<timed_bar> resample(const std::vector<timed_bar>& bars, timestamp timeframe,
                                const std::string& zone, symbol_id id, const std::string& where);

/// One derived series a run needs.
struct series_request {
  std::string symbol;    ///< a data symbol of the run
  timestamp timeframe;   ///< ns
  std::string zone;      ///< tz database name of the symbol's source, "" = UTC
  std::string location;  ///< "file:line: key" of the config that asks for it
};

/// `data` plus the requested series (duplicates asked once), each named
/// series_name(symbol, timeframe) and merged into the bar stream; symbol ids are
/// renumbered in name order and market_data::base says what each id is built from.
/// Throws input_error as resample, and "LOCATION: unknown symbol ..." for a symbol the
/// data lacks or that is itself derived.
market_data with_series(const market_data& data, const std::vector<series_request>& requests);

/// Whether `id` is a derived series of `data`.
inline bool is_derived(const market_data& data, symbol_id id) {
  return !data.base.empty() && data.base[id] != id;
}

/// The data symbol whose bars `id`'s are built from (`id` itself for a data symbol).
inline symbol_id base_of(const market_data& data, symbol_id id) {
  return data.base.empty() ? id : data.base[id];
}

} // namespace admf

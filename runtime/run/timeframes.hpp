// How each strategy's `timeframe:`, derived series names ("EURUSD@4h") and
// data_alignment `timeframes:` become the series of a run and the bars the strategy
// receives (README "Timeframes"; the series themselves: runtime/data/resample.hpp).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "runtime/config/backtest_config.hpp"
#include "runtime/data/resample.hpp"

namespace admf {

/// The derived series the strategies of `config` need, each with its symbol's source
/// time zone. Throws input_error "LOCATION: what" for a malformed series name and for
/// a symbol whose source cannot be told (a wide file without a symbol list beside
/// another with a different time zone).
std::vector<series_request> series_requests(const backtest_config& config,
                                            const market_data& data);

/// One strategy's view of the run's series, resolved against `data` (which has every
/// series of series_requests()).
struct strategy_view {
  /// Ids whose bars it receives, sorted; empty: every symbol (only when the run has
  /// no derived series and nothing narrows it, so existing runs are unchanged).
  std::vector<symbol_id> subscribed;
  /// Ids of its `symbols:` as it sees them, sorted: what a data_alignment without a
  /// symbol list aligns. Empty: every symbol, as `subscribed`.
  std::vector<symbol_id> own;
  /// By id: the id its bars reach the strategy under (the series of its `timeframe:`
  /// under its base symbol's). Empty: each under its own.
  std::vector<symbol_id> deliver_as;
  /// Its `barriers:` with each data_alignment's `timeframes:` spelled out as series names.
  std::optional<barrier_config> barriers;
};

/// Throws input_error "LOCATION: unknown symbol ..." for a name the data lacks.
strategy_view view_of(const strategy_config& strategy, const market_data& data);

} // namespace admf

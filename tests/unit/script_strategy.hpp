// A strategy whose signals a test writes out, for hand-worked runs on several symbols.
// Its `script` param lists, for the n-th timestamp it sees (from 1), the signals it
// emits then, in order:  "1: X long; 3: Y long 1750, X flat; 5: Y short strength 0.5".
// A signal is SYMBOL then
//   long|short|flat [Q]        a side target, optionally an explicit quantity, or
//   qty Q | equity F | weight F  a target quantity (signed), equity fraction or weight,
// followed by any of `strength F`, `limit P`, `stop P` (both: a stop-limit), `trail A` or
// `trail P%` (trailing stop), `moc`, `day`, `ioc`, `fok`, `gtd YYYY-MM-DD`, `sl P`,
// `tp P` (bracket legs); or SYMBOL cancel; or SYMBOL replace [Q] [limit P] [stop P].
// What plugin API version 1 can say is emitted through it (emit), the rest through
// version 2 (submit, cancel, replace).
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/config/backtest_config.hpp"
#include "runtime/data/market_data.hpp"

namespace admf::test {

/// Registers the strategy type "test_script" (once per process).
void register_script_strategy();

/// Appends daily bars of a new symbol from 2021-01-04 on: {open, close} per day, high
/// and low spanning them.
void add_daily_bars(market_data& m, const std::string& symbol,
                    const std::vector<std::pair<double, double>>& rows);
/// The same with every field of each bar given ({symbol ignored, open, high, low, close,
/// volume}), for gaps and volume limits.
void add_daily_ohlcv(market_data& m, const std::string& symbol, const std::vector<bar_data>& rows);

/// The bars in stream order (time, then symbol id), as a run takes them.
std::shared_ptr<const market_data> in_stream_order(market_data m);

/// One portfolio "p" with `capital` and one test_script strategy "script".
backtest_config scripted_config(const std::string& script, double capital = 100000);

}  // namespace admf::test

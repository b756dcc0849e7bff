// A strategy whose signals a test writes out, for hand-worked runs on several symbols.
// Its `script` param lists, for the n-th timestamp it sees (from 1), the targets it
// emits then, in order:  "1: X long; 3: Y long 1750, X flat; 5: Y short strength 0.5".
// A target is SYMBOL long|short|flat, optionally followed by a quantity (units),
// `strength F`, `limit P` or `stop P` (the entry's order type).
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

/// The bars in stream order (time, then symbol id), as a run takes them.
std::shared_ptr<const market_data> in_stream_order(market_data m);

/// One portfolio "p" with `capital` and one test_script strategy "script".
backtest_config scripted_config(const std::string& script, double capital = 100000);

}  // namespace admf::test

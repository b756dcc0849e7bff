// A portfolio's accounting, free of actors: cash, positions per (strategy, symbol),
// last closes, equity, shorts' borrow fees, and the POSITION_OPEN / POSITION_CLOSE
// payloads fills cause.
#pragma once
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "runtime/config/backtest_config.hpp"
#include "runtime/events/event.hpp"

namespace admf {

struct position {
  double quantity = 0;  ///< signed
  double entry_price = 0;
  timestamp entry_time = 0;
  double commission = 0;  ///< paid so far on this round trip
  double realized = 0;    ///< gross pnl of partial reductions so far
  std::uint64_t trade_id = 0;
  double borrow_fee = 0;  ///< a short's borrow fees paid so far (accrue_borrow)
  double dividends = 0;   ///< booked so far (pay_dividend): + received, - paid by a short
};

class portfolio_book {
public:
  explicit portfolio_book(double initial_capital)
    : cash_(initial_capital), peak_(initial_capital) {}

  /// Applies a fill at `time`; returns the POSITION_OPEN / POSITION_CLOSE payloads it
  /// causes, in order (a fill that flips a position closes it and opens the other side).
  std::vector<std::pair<event_type, position_data>> apply(const fill_data& fill, timestamp time,
                                                          std::uint64_t trade_id);

  /// The borrow fees due at `now`, a close of the portfolio's calendar, before the fills
  /// of `now` take effect. Every short held over the previous such close pays, from cash,
  ///   |quantity| x its last close x rate x (UTC days from that close to now) / 360
  /// in currency, with `rate` its symbol's annual borrow_fee (`costs` by symbol id:
  /// run_context::symbol_costs), added to its round trip's costs. So a short held over a
  /// Friday close pays at Monday's, on Friday's value, for 3 days, even if it is covered at
  /// Monday's open: Interactive Brokers charges a short held over a close (its value date)
  /// on that close's value, (Value x Fee Rate) / 360 a day, weekend days included
  /// (ibkrguides.com/reportingreference/reportguide/borrowfeedetails.htm).
  /// Owed whatever the cash or equity: fees are cash out like any other.
  void accrue_borrow(timestamp now, const std::vector<execution_config>& costs);

  /// A dividend of `per_share` (currency) in `symbol` goes ex at the bar being handled,
  /// before its fills take effect: every position held in it (the holders at the close
  /// before) books quantity x per_share in cash, to its round trip's pnl. A long
  /// receives it, a short pays it to the lender, whatever the cash: on a margin account
  /// a short's dividend may take cash below zero (a cash account holds no shorts).
  void pay_dividend(symbol_id symbol, double per_share);

  void mark(symbol_id symbol, double close);
  /// Equity at the last marks; also moves the running peak.
  portfolio_update_data update(container_id portfolio);

  const position* find(container_id strategy, symbol_id symbol) const;
  double cash() const { return cash_; }
  double equity() const;
  double gross_exposure() const;
  const std::map<std::pair<container_id, symbol_id>, position>& positions() const {
    return positions_;
  }
  double peak() const { return peak_; }
  double last_close(symbol_id symbol) const {
    return symbol < closes_.size() ? closes_[symbol] : 0.0;
  }

private:
  double cash_, peak_;
  std::map<std::pair<container_id, symbol_id>, position> positions_;
  std::vector<double> closes_;
  std::optional<timestamp> last_close_time_;  // of the calendar: accrue_borrow's previous `now`
};

}  // namespace admf

// The simulated broker's rules as pure functions: when and at what price an order
// fills against a bar, what it costs, how many units a budget buys.
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "runtime/config/backtest_config.hpp"
#include "runtime/core/time.hpp"
#include "runtime/events/event.hpp"

namespace admf {

/// Price an order fills at on `bar` (the first bar after it was placed, or a later
/// one for resting orders), before slippage; nullopt if it does not fill. An order
/// fresh at the broker, whose stop (if any) has not been reached:
///  market: the open.  market_on_close: the close.
///  limit buy L: open if open <= L, else L if low <= L (sell mirrored).
///  stop (and trailing stop at its current stop) buy S: open if open >= S, else S if
///  high >= S (sell mirrored).
///  stop-limit buy S, L: when open >= S (gapped), as a limit L on the whole bar; when
///  high >= S, S if L >= S, else nothing on this bar (the low may have come before the
///  stop: from the next bar on it is a limit L) (sell mirrored; backtrader's rule).
std::optional<double> trigger_price(const order_data& order, const bar_data& bar);

/// An order working at the broker, with what its life has changed so far.
struct working_order {
  event placed;       ///< its ORDER event (causation and correlation of its outcomes)
  order_data order;   ///< quantity fixed at the first fill of a budget order; trailing stop moved
  double filled = 0;  ///< units filled so far
  bool triggered = false;  ///< its stop was reached: it now works as a market (stop-limit: limit) order
  bool started = false;    ///< it has met the first bar of its symbol (DAY, IOC, FOK count from it)
  timestamp expires = std::numeric_limits<timestamp>::max();  ///< last bar time it may fill on
};

/// trigger_price for a working order: once triggered, a stop or trailing stop fills at
/// the open and a stop-limit works as its limit. Marks the order triggered when its
/// stop is reached on `bar`.
std::optional<double> trade_price(working_order& w, const bar_data& bar);

/// After a bar on which a trailing stop did not fill, its stop follows the close: a
/// sell's to max(stop, close - trail), a buy's to min(stop, close + trail), the trail
/// being trail_amount or close x trail_percent. Other orders are left alone.
void follow_close(order_data& order, double close);

/// The initial stop of a trailing stop placed when `reference` was the last close.
double initial_trailing_stop(const order_data& order, double reference);

/// The last moment a working order may fill, from its time in force, once it has met
/// the first bar of its symbol at `first_bar`: GTC never ends, GTD at expire_time, DAY
/// at the end of that bar's UTC day, IOC and FOK on that bar itself.
timestamp expiry_of(const order_data& order, timestamp first_bar);

/// Slippage moves the price against the order: up for buys, down for sells, by a fixed
/// amount, a percent, or half the quoted spread (price x (1 +- spread / 2)).
/// Limit and stop-limit orders get none: their price is the limit or better.
double apply_slippage(const order_data& order, double price, const slippage_config& slippage);

/// The commission of one order of `quantity` units at `price`, in currency: 0 for no
/// units, else min(max(raw, minimum), maximum) with
///   flat:  raw = per_share x q + percent x q x price
///   tiers: raw = sum over tiers of n_i x (per_share_i + percent_i x price),
/// n_i being how many of the order's units fall in tier i: its units are the schedule's
/// month_to_date_units + 1 ... + q of the month, and tier i takes those above the previous
/// tier's up_to, up to its own. A fill across a boundary is split at it: IBKR's tiers are
/// "applied on a marginal basis for a given calendar month" on the volume "at the time of
/// the trade" (its example: one 30,000,000-share order pays 300,000 shares at the first
/// rate, 2,700,000 at the second, ...). `month_to_date_units`: month_volume::before.
double commission_for(double quantity, double price, const commission_config& commission,
                      double month_to_date_units = 0);

/// The units one commission schedule priced for one portfolio in the current UTC calendar
/// month: the volume its tiers count, back to 0 at each month's start.
class month_volume {
public:
  /// Units priced before a fill at `time` in its month.
  double before(timestamp time) const { return utc_month(time) == month_ ? units_ : 0; }
  /// Counts a fill of `units` at `time` (at or after every fill counted before).
  void add(timestamp time, double units) {
    units_ = before(time) + units;
    month_ = utc_month(time);
  }

private:
  std::int64_t month_ = 0;
  double units_ = 0;
};

/// Whole lots in `quantity` (units), rounded down. For lots of 1/n units (0.0001) it
/// counts in n-ths, so 0.2941 is 2941 lots of 0.0001, not 2940 from rounding noise.
double lots_in(double quantity, double lot_size);
/// `lots` lots as units: exact for whole units and for lots of 1/n.
double lots_to_units(double lots, double lot_size);

/// The largest whole n in [0, max_lots] with fits(n), for a `fits` that holds up to some
/// n and fails above it (0 when none fits). Bisection: a handful of steps whatever the
/// count, and counts beyond 2^53 (where n - 1 == n) are capped there.
template <class Fits>
double most_lots(double max_lots, Fits fits) {
  double lo = 0, hi = std::min(std::floor(max_lots), 9007199254740992.0);  // 2^53
  while (lo < hi) {
    const double mid = std::floor(lo + (hi - lo + 1) / 2);
    if (fits(mid))
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

/// The most units, in whole lots of `lot_size`, that `budget` buys at `price`
/// including commission (0 if not one lot).
double units_for_budget(double budget, double price, const commission_config& commission,
                        double lot_size = 1, double month_to_date_units = 0);

/// A fill price kept within the prices that traded: clamped into [bar.low, bar.high].
/// Slippage models getting a worse price than the trigger, but never one at which
/// nobody traded in that bar, so it cannot push a fill past the high (buys) or below
/// the low (sells). On a valid bar the trigger price always lies within the bar, so
/// limit fills (no slippage) are never moved: they stay at the limit or better.
double within_bar(double price, const bar_data& bar);

/// The whole model: a fill of `order` on `bar`, or nullopt if it does not fill there,
/// at the costs of the order's symbol (run_context::costs).
/// The price is the trigger price, moved by slippage, then kept within the bar.
/// A budget order that affords no lot fills with quantity 0 (the caller cancels it).
std::optional<fill_data> try_fill(const order_data& order, const bar_data& bar,
                                  const execution_config& costs,
                                  const instrument_config& instrument = {});

}  // namespace admf

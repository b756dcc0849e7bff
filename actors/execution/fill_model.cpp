#include "actors/execution/fill_model.hpp"

#include <algorithm>
#include <cmath>

namespace admf {

namespace {

/// A limit at `limit`: the open if it is as good, else the limit if the bar reached it.
std::optional<double> limit_fill(bool buy, double limit, const bar_data& bar) {
  if (buy ? bar.open <= limit : bar.open >= limit)
    return bar.open;
  if (buy ? bar.low <= limit : bar.high >= limit)
    return limit;
  return std::nullopt;
}

bool gapped_through_stop(bool buy, double stop, const bar_data& bar) {
  return buy ? bar.open >= stop : bar.open <= stop;
}

bool reached_stop(bool buy, double stop, const bar_data& bar) {
  return buy ? bar.high >= stop : bar.low <= stop;
}

}  // namespace

std::optional<double> trigger_price(const order_data& o, const bar_data& bar) {
  const bool buy = o.action == side::buy;
  switch (o.kind) {
    case order_kind::market:
      return bar.open;
    case order_kind::market_on_close:
      return bar.close;
    case order_kind::limit:
      return limit_fill(buy, o.limit_price, bar);
    case order_kind::stop:
    case order_kind::trailing_stop:
      if (gapped_through_stop(buy, o.stop_price, bar))
        return bar.open;
      if (reached_stop(buy, o.stop_price, bar))
        return o.stop_price;
      return std::nullopt;
    case order_kind::stop_limit:
      if (gapped_through_stop(buy, o.stop_price, bar))
        return limit_fill(buy, o.limit_price, bar);
      if (reached_stop(buy, o.stop_price, bar)
          && (buy ? o.limit_price >= o.stop_price : o.limit_price <= o.stop_price))
        return o.stop_price;
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<double> trade_price(working_order& w, const bar_data& bar) {
  const auto& o = w.order;
  const bool stops = o.kind == order_kind::stop || o.kind == order_kind::trailing_stop
                     || o.kind == order_kind::stop_limit;
  if (w.triggered)
    return o.kind == order_kind::stop_limit ? limit_fill(o.action == side::buy, o.limit_price, bar)
                                            : std::optional<double>{bar.open};
  if (stops && reached_stop(o.action == side::buy, o.stop_price, bar))
    w.triggered = true;  // also when open is past it: reaching means the high/low got there
  return trigger_price(o, bar);
}

void follow_close(order_data& o, double close) {
  if (o.kind != order_kind::trailing_stop)
    return;
  const double trail = o.trail_amount > 0 ? o.trail_amount : close * o.trail_percent;
  o.stop_price = o.action == side::sell ? std::max(o.stop_price, close - trail)
                                        : std::min(o.stop_price, close + trail);
}

double initial_trailing_stop(const order_data& o, double reference) {
  const double trail = o.trail_amount > 0 ? o.trail_amount : reference * o.trail_percent;
  return o.action == side::sell ? reference - trail : reference + trail;
}

timestamp expiry_of(const order_data& o, timestamp first_bar) {
  switch (o.tif) {
    case time_in_force::gtc: return std::numeric_limits<timestamp>::max();
    case time_in_force::gtd: return o.expire_time;
    case time_in_force::day: {
      const timestamp day = first_bar >= 0 ? first_bar / ns_per_day
                                           : (first_bar - ns_per_day + 1) / ns_per_day;
      return (day + 1) * ns_per_day - 1;
    }
    case time_in_force::ioc:
    case time_in_force::fok: return first_bar;
  }
  return first_bar;
}

double apply_slippage(const order_data& o, double price, const slippage_config& s) {
  if (o.kind == order_kind::limit || o.kind == order_kind::stop_limit
      || s.kind == slippage_kind::none)
    return price;
  const double sign = o.action == side::buy ? 1.0 : -1.0;
  // With a spread, the bar's price is the mid: a buy pays the ask, half the spread above.
  const double delta = s.kind == slippage_kind::fixed     ? s.amount
                       : s.kind == slippage_kind::percent ? price * s.amount
                                                          : price * s.amount / 2;
  return std::max(price + sign * delta, 0.0);
}

double within_bar(double price, const bar_data& bar) {
  // Not std::clamp: a bar from the C++ API is not validated, and low > high would be UB.
  return std::min(std::max(price, bar.low), bar.high);
}

double commission_for(double quantity, double price, const commission_config& c,
                      double month_to_date_units) {
  if (quantity <= 0)
    return 0;
  double raw = c.tiers.empty() ? c.per_share * quantity + c.percent * quantity * price : 0;
  const double first = month_to_date_units, last = month_to_date_units + quantity;
  double floor = 0;  // the previous tier's up_to
  for (const auto& tier : c.tiers) {
    const double units = std::min(last, tier.up_to) - std::max(first, floor);
    if (units > 0)
      raw += tier.per_share * units + tier.percent * units * price;
    floor = tier.up_to;
  }
  return std::min(std::max(raw, c.minimum), c.maximum);
}

namespace {

/// n when a lot is 1/n units (n integral), else 0.
double lots_per_unit(double lot_size) {
  const double n = std::round(1 / lot_size);
  return n >= 1 && std::abs(n * lot_size - 1) < 1e-12 ? n : 0;
}

}  // namespace

double lots_in(double quantity, double lot_size) {
  if (lot_size == 1)
    return std::floor(quantity);
  // Decimal lots are inexact in binary: 0.2941 / 0.0001 = 2940.9999999999995. A
  // billionth of a lot of slack counts it as the 2941 lots it was written as.
  const double n = lots_per_unit(lot_size);
  return std::floor((n > 0 ? quantity * n : quantity / lot_size) + 1e-9);
}

double lots_to_units(double lots, double lot_size) {
  const double n = lots_per_unit(lot_size);
  return n > 0 ? lots / n : lots * lot_size;
}

double units_for_budget(double budget, double price, const commission_config& c,
                        double lot_size, double month_to_date_units) {
  if (budget <= 0 || price <= 0)
    return 0;
  // Commission can only lower what the budget buys.
  return lots_to_units(most_lots(lots_in(budget / price, lot_size),
                                 [&](double n) {
                                   const double units = lots_to_units(n, lot_size);
                                   return units * price
                                            + commission_for(units, price, c,
                                                             month_to_date_units)
                                          <= budget;
                                 }),
                       lot_size);
}

std::optional<fill_data> try_fill(const order_data& o, const bar_data& bar,
                                  const execution_config& costs,
                                  const instrument_config& instrument) {
  const auto trigger = trigger_price(o, bar);
  if (!trigger)
    return std::nullopt;
  fill_data f;
  f.order_id = o.order_id;
  f.portfolio = o.portfolio;
  f.strategy = o.strategy;
  f.symbol = o.symbol;
  f.action = o.action;
  f.price = within_bar(apply_slippage(o, *trigger, costs.slippage), bar);
  f.quantity = o.quantity > 0 ? o.quantity
                              : units_for_budget(o.budget, f.price, costs.commission,
                                                 instrument.lot_size);
  f.commission = commission_for(f.quantity, f.price, costs.commission);
  return f;
}

}  // namespace admf

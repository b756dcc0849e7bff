#include "actors/execution/fill_model.hpp"

#include <algorithm>
#include <cmath>

namespace admf {

std::optional<double> trigger_price(const order_data& o, const bar_data& bar) {
  const bool buy = o.action == side::buy;
  switch (o.kind) {
    case order_kind::market:
      return bar.open;
    case order_kind::limit:
      if (buy ? bar.open <= o.limit_price : bar.open >= o.limit_price)
        return bar.open;
      if (buy ? bar.low <= o.limit_price : bar.high >= o.limit_price)
        return o.limit_price;
      return std::nullopt;
    case order_kind::stop:
      if (buy ? bar.open >= o.stop_price : bar.open <= o.stop_price)
        return bar.open;
      if (buy ? bar.high >= o.stop_price : bar.low <= o.stop_price)
        return o.stop_price;
      return std::nullopt;
  }
  return std::nullopt;
}

double apply_slippage(const order_data& o, double price, const slippage_config& s) {
  if (o.kind == order_kind::limit || s.kind == slippage_kind::none)
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

double commission_for(double quantity, double price, const commission_config& c) {
  if (quantity <= 0)
    return 0;
  const double raw = c.per_share * quantity + c.percent * quantity * price;
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
                        double lot_size) {
  if (budget <= 0 || price <= 0)
    return 0;
  // Commission can only lower what the budget buys.
  return lots_to_units(most_lots(lots_in(budget / price, lot_size),
                                 [&](double n) {
                                   const double units = lots_to_units(n, lot_size);
                                   return units * price + commission_for(units, price, c)
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

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
  const double delta = s.kind == slippage_kind::fixed ? s.amount : price * s.amount;
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
  return std::max(raw, c.minimum);
}

double units_for_budget(double budget, double price, const commission_config& c) {
  if (budget <= 0 || price <= 0)
    return 0;
  double units = std::floor(budget / price);
  // Commission can only lower what the budget buys; step down until it fits. The
  // first guess is within a few units of the answer for any sane commission.
  const double per_unit = price + c.per_share + c.percent * price;
  units = std::min(units, std::floor(std::max(budget - c.minimum, 0.0) / per_unit) + 1);
  while (units > 0 && units * price + commission_for(units, price, c) > budget)
    units -= 1;
  return units;
}

std::optional<fill_data> try_fill(const order_data& o, const bar_data& bar,
                                  const execution_config& config) {
  const auto trigger = trigger_price(o, bar);
  if (!trigger)
    return std::nullopt;
  fill_data f;
  f.order_id = o.order_id;
  f.portfolio = o.portfolio;
  f.strategy = o.strategy;
  f.symbol = o.symbol;
  f.action = o.action;
  f.price = within_bar(apply_slippage(o, *trigger, config.slippage), bar);
  f.quantity = o.quantity > 0 ? o.quantity : units_for_budget(o.budget, f.price, config.commission);
  f.commission = commission_for(f.quantity, f.price, config.commission);
  return f;
}

}  // namespace admf

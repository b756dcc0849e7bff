#include "actors/portfolio/order_targets.hpp"

#include <cmath>

#include "actors/execution/fill_model.hpp"

namespace admf {

double target_quantity(const signal_data& s, double equity, double allocation, double price,
                       double lot_size) {
  if (s.sizing == target_kind::quantity)
    return s.target_value;
  if (!(price > 0))
    return 0;
  const double base = s.sizing == target_kind::equity_fraction ? equity : allocation;
  const double units = std::abs(s.target_value) * base / price;
  const double whole = lots_to_units(lots_in(std::max(units, 0.0), lot_size), lot_size);
  return s.target_value < 0 ? -whole : whole;
}

position_change change_towards(double held, double target) {
  position_change c;
  if (held != 0 && (target == 0 || (held > 0) != (target > 0) || std::abs(target) < std::abs(held))) {
    c.exit_side = held > 0 ? side::sell : side::buy;
    // Down to the target when it keeps the side, else all of it.
    c.exit_quantity = (target != 0 && (held > 0) == (target > 0)) ? std::abs(held) - std::abs(target)
                                                                    : std::abs(held);
  }
  const bool same_side = held == 0 || (held > 0) == (target > 0);
  const double from = same_side ? std::abs(held) : 0;
  if (target != 0 && std::abs(target) > from) {
    c.entry_side = target > 0 ? side::buy : side::sell;
    c.entry_quantity = std::abs(target) - from;
  }
  return c;
}

std::vector<order_data> bracket_legs(const order_data& entry, double quantity,
                                     std::uint64_t group, std::uint64_t& next_id) {
  std::vector<order_data> legs;
  auto leg = [&](order_kind kind) {
    order_data o;
    o.order_id = next_id++;
    o.portfolio = entry.portfolio;
    o.strategy = entry.strategy;
    o.symbol = entry.symbol;
    o.action = entry.action == side::buy ? side::sell : side::buy;
    o.kind = kind;
    o.quantity = quantity;
    o.oco_group = group;
    return o;
  };
  if (entry.stop_loss > 0) {
    auto stop = leg(order_kind::stop);
    stop.stop_price = entry.stop_loss;
    legs.push_back(stop);
  }
  if (entry.take_profit > 0) {
    auto take = leg(order_kind::limit);
    take.limit_price = entry.take_profit;
    legs.push_back(take);
  }
  return legs;
}

}  // namespace admf

// What a signal asks the portfolio to hold, and the orders of a bracket, free of
// actors (README "Orders").
#pragma once
#include <utility>

#include "runtime/events/event.hpp"

namespace admf {

/// The signed quantity (units) a quantity, equity-fraction or weight target asks to
/// hold in its symbol: `target_value` units; target_value x equity / price; or
/// target_value x allocation / price (allocation: the strategy's share, leverage x
/// equity / strategies). Fractions and weights are rounded toward zero to whole lots
/// of `lot_size`; a quantity is taken as given (the account checks its lots at the fill).
/// 0 when the price is not positive.
double target_quantity(const signal_data& s, double equity, double allocation, double price,
                       double lot_size);

/// The orders that move a position of `held` units (signed) to `target` units: a
/// reduction (`exit`, at most down to flat) and an addition (`entry`, from flat or
/// from what is held onward), each as a side and a quantity, 0 when not needed.
struct position_change {
  side exit_side = side::sell;
  double exit_quantity = 0;
  side entry_side = side::buy;
  double entry_quantity = 0;
};
position_change change_towards(double held, double target);

/// The two legs of a bracket around a fill of `entry`: a stop at entry.stop_loss and a
/// limit at entry.take_profit (each only if set) that close `quantity` units, stop first
/// (its lower order id makes it fill first when both are reached inside one bar).
/// Both are GTC and share `group` as their oco_group. Ids are taken from `next_id`.
std::vector<order_data> bracket_legs(const order_data& entry, double quantity,
                                     std::uint64_t group, std::uint64_t& next_id);

}  // namespace admf

#include "actors/risk/risk_rules.hpp"

#include <algorithm>

namespace admf {

std::variant<order_data, risk_reject_data> judge(const order_proposal& p,
                                                 const portfolio_snapshot& s,
                                                 const risk_config& limits, account_type account,
                                                 reservations& reserved) {
  order_data order = p.order;
  if (p.exit) {
    // What it closes no longer counts against exposure, and its value is free again:
    // a long's sale brings it in cash, a short's cover releases what it held.
    reserved.exposure -= p.position_value;
    reserved.buying_power -= p.position_value;
    return order;
  }
  auto reject = [&](reject_reason why, double limit, double observed) {
    return risk_reject_data{order.portfolio, order.strategy, order.symbol, why, limit, observed};
  };
  if (s.ruined)
    return reject(reject_reason::account_ruined, 0, s.equity);
  const double drawdown = s.peak_equity > 0 ? (s.peak_equity - s.equity) / s.peak_equity : 0;
  if (drawdown >= limits.max_drawdown)
    return reject(reject_reason::max_drawdown_halt, limits.max_drawdown, drawdown);
  // A cash account borrows nothing, and a short sale borrows the shares: it would
  // owe whatever a gap makes them cost (README, Accounts).
  if (account == account_type::cash && order.action == side::sell)
    return reject(reject_reason::short_sale, 0, order.quantity);

  const double wanted = order.quantity > 0 ? order.quantity * p.reference_price : order.budget;
  const double available = s.buying_power - reserved.buying_power;
  const auto no_buying_power = account == account_type::cash ? reject_reason::insufficient_cash
                                                             : reject_reason::insufficient_margin;
  // Nothing left to spend says more than a limit that nothing could meet anyway.
  if (order.quantity == 0 && available <= 0)
    return reject(no_buying_power, available, wanted);
  const double position_room = limits.max_position_size * s.equity - p.position_value;
  const double exposure_room =
    limits.max_gross_exposure * s.equity - s.gross_exposure - reserved.exposure;
  if (order.quantity > 0) {
    // An explicit quantity is the strategy's decision: reject rather than resize it
    // (cash is checked at the fill, where the account cuts what it cannot pay).
    if (wanted > position_room)
      return reject(reject_reason::max_position_size, limits.max_position_size,
                    (p.position_value + wanted) / s.equity);
    if (wanted > exposure_room)
      return reject(reject_reason::max_gross_exposure, limits.max_gross_exposure,
                    (s.gross_exposure + reserved.exposure + wanted) / s.equity);
  } else {
    if (position_room <= 0)
      return reject(reject_reason::max_position_size, limits.max_position_size,
                    p.position_value / s.equity);
    if (exposure_room <= 0)
      return reject(reject_reason::max_gross_exposure, limits.max_gross_exposure,
                    (s.gross_exposure + reserved.exposure) / s.equity);
    order.budget = std::min({order.budget, available, position_room, exposure_room});
    if (order.budget <= 0)
      return reject(no_buying_power, available, wanted);
  }
  const double taken = order.quantity > 0 ? wanted : order.budget;
  reserved.exposure += taken;
  reserved.buying_power += taken;
  return order;
}

}  // namespace admf

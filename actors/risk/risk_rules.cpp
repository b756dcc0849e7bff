#include "actors/risk/risk_rules.hpp"

#include <algorithm>

namespace admf {

std::variant<order_data, risk_reject_data> judge(const order_proposal& p,
                                                 const portfolio_snapshot& s,
                                                 const risk_config& limits, double& reserved) {
  order_data order = p.order;
  if (p.exit) {
    reserved -= p.position_value;  // what it closes no longer counts against exposure
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

  const double wanted = order.quantity > 0 ? order.quantity * p.reference_price : order.budget;
  const double position_room = limits.max_position_size * s.equity - p.position_value;
  const double exposure_room = limits.max_gross_exposure * s.equity - s.gross_exposure - reserved;
  if (order.quantity > 0) {
    // An explicit quantity is the strategy's decision: reject rather than resize it.
    if (wanted > position_room)
      return reject(reject_reason::max_position_size, limits.max_position_size,
                    (p.position_value + wanted) / s.equity);
    if (wanted > exposure_room)
      return reject(reject_reason::max_gross_exposure, limits.max_gross_exposure,
                    (s.gross_exposure + reserved + wanted) / s.equity);
  } else {
    if (position_room <= 0)
      return reject(reject_reason::max_position_size, limits.max_position_size,
                    p.position_value / s.equity);
    if (exposure_room <= 0)
      return reject(reject_reason::max_gross_exposure, limits.max_gross_exposure,
                    (s.gross_exposure + reserved) / s.equity);
    order.budget = std::min({order.budget, position_room, exposure_room});
    if (order.budget <= 0)
      return reject(reject_reason::insufficient_cash, 0, order.budget);
  }
  reserved += order.quantity > 0 ? wanted : order.budget;
  return order;
}

}  // namespace admf

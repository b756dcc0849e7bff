#include "runtime/events/event.hpp"

namespace admf {

std::string_view to_string(event_type t) {
  switch (t) {
    case event_type::bar: return "BAR";
    case event_type::signal: return "SIGNAL";
    case event_type::order: return "ORDER";
    case event_type::fill: return "FILL";
    case event_type::order_cancel: return "ORDER_CANCEL";
    case event_type::position_open: return "POSITION_OPEN";
    case event_type::position_close: return "POSITION_CLOSE";
    case event_type::portfolio_update: return "PORTFOLIO_UPDATE";
    case event_type::risk_reject: return "RISK_REJECT";
    case event_type::liquidation: return "LIQUIDATION";
    case event_type::position_snapshot: return "POSITION_SNAPSHOT";
  }
  return "UNKNOWN";
}

std::optional<event_type> event_type_from(std::string_view name) {
  for (std::size_t i = 0; i < event_type_count; ++i)
    if (to_string(static_cast<event_type>(i)) == name)
      return static_cast<event_type>(i);
  return std::nullopt;
}

std::string_view to_string(reject_reason r) {
  switch (r) {
    case reject_reason::max_position_size: return "max_position_size";
    case reject_reason::max_gross_exposure: return "max_gross_exposure";
    case reject_reason::max_drawdown_halt: return "max_drawdown_halt";
    case reject_reason::insufficient_cash: return "insufficient_cash";
    case reject_reason::account_ruined: return "account_ruined";
    case reject_reason::short_sale: return "short_sale";
    case reject_reason::insufficient_margin: return "insufficient_margin";
    case reject_reason::order_pending: return "order_pending";
    case reject_reason::no_resting_order: return "no_resting_order";
    case reject_reason::superseded: return "superseded";
  }
  return "unknown";
}

std::string_view to_string(cancel_reason r) {
  switch (r) {
    case cancel_reason::end_of_data: return "end_of_data";
    case cancel_reason::expired: return "expired";
    case cancel_reason::zero_quantity: return "zero_quantity";
    case cancel_reason::below_min_quantity: return "below_min_quantity";
    case cancel_reason::lot_size: return "lot_size";
    case cancel_reason::short_sale: return "short_sale";
    case cancel_reason::account_ruined: return "account_ruined";
    case cancel_reason::insufficient_cash: return "insufficient_cash";
    case cancel_reason::insufficient_margin: return "insufficient_margin";
    case cancel_reason::max_gross_exposure: return "max_gross_exposure";
    case cancel_reason::max_position_size: return "max_position_size";
    case cancel_reason::cancelled: return "cancelled";
    case cancel_reason::replaced: return "replaced";
    case cancel_reason::superseded: return "superseded";
    case cancel_reason::fill_or_kill: return "fill_or_kill";
    case cancel_reason::oco: return "oco";
    case cancel_reason::position_closed: return "position_closed";
    case cancel_reason::liquidation: return "liquidation";
    case cancel_reason::no_bar: return "no_bar";
  }
  return "unknown";
}

std::string_view to_string(liquidation_reason r) {
  switch (r) {
    case liquidation_reason::margin_call: return "margin_call";
    case liquidation_reason::ruined: return "ruined";
  }
  return "unknown";
}

} // namespace admf

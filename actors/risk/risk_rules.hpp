// Risk limits as a pure function: an order proposal in, an approved order (its
// budget perhaps capped to the limit) or a reject with the limit and the value out.
#pragma once
#include <variant>

#include "runtime/bus/messages.hpp"
#include "runtime/config/backtest_config.hpp"

namespace admf {

/// What the proposals judged so far at one timestamp hold back (currency): exits free
/// the value they close, approved entries take their budget (or quantity x last close).
struct reservations {
  double exposure = 0;  ///< against max_gross_exposure
  double buying_power = 0;  ///< against the snapshot's buying power
};

/// Judges proposals of one timestamp in order. Exits always pass. An entry is rejected
/// when the account is ruined, when drawdown has reached max_drawdown, when it sells
/// short in a cash account, and when an explicit quantity breaks a limit; a budget is
/// capped to the buying power not yet reserved and to both exposure limits (rejected
/// when nothing is left).
std::variant<order_data, risk_reject_data> judge(const order_proposal& proposal,
                                                 const portfolio_snapshot& snapshot,
                                                 const risk_config& limits, account_type account,
                                                 reservations& reserved);

}  // namespace admf

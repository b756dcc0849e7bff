// Risk limits as a pure function: an order proposal in, an approved order (its
// budget perhaps capped to the limit) or a reject with the limit and the value out.
#pragma once
#include <variant>

#include "runtime/bus/messages.hpp"
#include "runtime/config/backtest_config.hpp"

namespace admf {

/// Judges proposals of one timestamp in order; `reserved` is the budget already
/// approved at this timestamp (it counts against the exposure headroom).
std::variant<order_data, risk_reject_data> judge(const order_proposal& proposal,
                                                 const portfolio_snapshot& snapshot,
                                                 const risk_config& limits, double& reserved);

}  // namespace admf

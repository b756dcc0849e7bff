// The portfolio container: parent of its strategies and its risk container. It
// routes BAR batches down to its strategies, turns their SIGNALs into order
// proposals for risk, publishes approved ORDERs up, applies the FILLs routed back to
// it, marks to market at every timestamp and publishes what it did.
//
// Determinism: it handles bar position p only when every strategy has answered
// through p and, while an order is open, when execution's watermark has passed p.
// Arrival order between its inputs never changes what it computes.
#pragma once
#include "runtime/bus/actors.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

portfolio_actor::behavior_type portfolio_behavior(portfolio_actor::pointer self, context_ptr ctx,
                                                  std::size_t index, portfolio_parent_actor parent);

}  // namespace admf

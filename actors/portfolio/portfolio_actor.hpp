// The portfolio container: parent of its strategies and its risk container. It
// routes BAR batches down to its strategies, turns their SIGNALs into order
// proposals for risk, sends approved ORDERs to execution, applies the FILLs execution
// reports back to it, marks to market at every timestamp and publishes what it did
// (execution's outcomes included) up to the root.
//
// Determinism: it handles bar position p only when every strategy has answered
// through p and, while an order is open, when execution's watermark has passed p.
// Arrival order between its inputs never changes what it computes.
#pragma once
#include "runtime/bus/actors.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

portfolio_actor::behavior_type portfolio_behavior(portfolio_actor::pointer self, context_ptr ctx,
                                                  std::size_t index, portfolio_parent_actor parent,
                                                  execution_actor execution);

}  // namespace admf

// The portfolio container: parent of its strategies and its risk container. It
// routes BAR batches down to its strategies, turns their SIGNALs into order
// proposals for risk, publishes approved ORDERs up, applies the FILLs routed back to
// it, marks to market at every timestamp and publishes what it did.
//
// Determinism: it handles bar position p only when every strategy has answered
// through p and, while an order is open, when execution's watermark has passed p.
// Arrival order between its inputs never changes what it computes.
#pragma once
#include <caf/fwd.hpp>

#include "runtime/engine/run_context.hpp"

namespace admf {

caf::behavior portfolio_actor(caf::event_based_actor* self, context_ptr ctx, std::size_t index,
                              caf::actor parent);

} // namespace admf

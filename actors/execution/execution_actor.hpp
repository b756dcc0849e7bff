// The execution container: a simulated broker shared by all portfolios. It keeps
// the bars that an order could still fill on, matches ORDERs against them with the
// fill model, and publishes FILL / ORDER_CANCEL events. Each report to a portfolio
// carries a watermark: no further fill of its orders can happen at or before it.
#pragma once
#include <caf/fwd.hpp>

#include "runtime/engine/run_context.hpp"

namespace admf {

caf::behavior execution_actor(caf::event_based_actor* self, context_ptr ctx, caf::actor parent);

} // namespace admf

// The execution container: a simulated broker shared by all portfolios. It keeps
// the bars that an order could still fill on, matches ORDERs against them with the
// fill model, and publishes FILL / ORDER_CANCEL events. Each report to a portfolio
// carries a watermark: no further fill of its orders can happen at or before it.
#pragma once
#include "runtime/bus/actors.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

/// Reports go to each order_batch's `reply_to`; the root only supervises it (linked).
execution_actor::behavior_type execution_behavior(execution_actor::pointer self, context_ptr ctx);

}  // namespace admf

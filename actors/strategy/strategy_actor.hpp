// The strategy container: hosts one strategy instance. BAR batches in from its
// parent portfolio, one SIGNAL batch back per BAR batch (possibly empty), whose
// watermark tells the portfolio how far the strategy has got.
#pragma once
#include "runtime/bus/actors.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

strategy_actor::behavior_type strategy_behavior(strategy_actor::pointer self, context_ptr ctx,
                                                std::size_t portfolio, std::size_t index,
                                                strategy_parent_actor parent);

}  // namespace admf

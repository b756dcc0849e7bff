// The strategy container: hosts one strategy instance. BAR batches in from its
// parent portfolio, one SIGNAL batch back per BAR batch (possibly empty), whose
// watermark tells the portfolio how far the strategy has got.
#pragma once
#include <caf/fwd.hpp>

#include "runtime/engine/run_context.hpp"

namespace admf {

caf::behavior strategy_actor(caf::event_based_actor* self, context_ptr ctx, std::size_t portfolio,
                             std::size_t index, caf::actor parent);

} // namespace admf

// The data container: turns the run's bars into BAR events and publishes them to its
// parent in batches, as fast as the parent grants credit (flow control bounds memory).
#pragma once
#include <caf/fwd.hpp>

#include "runtime/engine/run_context.hpp"

namespace admf {

caf::behavior data_actor(caf::event_based_actor* self, context_ptr ctx, caf::actor parent);

} // namespace admf

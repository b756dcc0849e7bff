// The root of one backtest: spawns and supervises the container tree, routes events
// between its children through subscriptions, runs the flow control between data
// and consumers, and answers `start` with the run's result when every portfolio is
// done (or stopped by its failure policy).
#pragma once
#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include "runtime/engine/run_context.hpp"

namespace admf {

using start_atom = caf::atom_constant<caf::atom("start")>;

caf::behavior backtest_actor(caf::event_based_actor* self, context_ptr ctx);

} // namespace admf

// The recorder of one portfolio: subscribed (with that portfolio's filters) to what
// the portfolio publishes, it folds PORTFOLIO_UPDATE and POSITION_CLOSE events into
// the metrics and streams equity.csv and trades.csv. The portfolio keeps no metrics.
#pragma once
#include <caf/fwd.hpp>

#include "runtime/engine/run_context.hpp"

namespace admf {

caf::behavior recorder_actor(caf::event_based_actor* self, context_ptr ctx, std::size_t portfolio);

} // namespace admf

// The recorder of one portfolio: subscribed (with that portfolio's filters) to what
// the portfolio publishes, it folds PORTFOLIO_UPDATE and POSITION_CLOSE events into
// the metrics and streams equity.csv and trades.csv (and, when asked, signals.csv:
// actors/recorder/signals_csv.hpp). The portfolio keeps no metrics.
#pragma once
#include "runtime/bus/actors.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

/// Tells `parent` how far it has recorded the portfolio's output (recorded_msg).
recorder_actor::behavior_type recorder_behavior(recorder_actor::pointer self, context_ptr ctx,
                                                std::size_t portfolio,
                                                recorder_parent_actor parent);

}  // namespace admf

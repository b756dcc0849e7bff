// The root of one backtest: spawns and supervises the container tree, routes events
// between its children through subscriptions, runs the flow control between data
// and consumers, and answers `start` with the run's result when every portfolio is
// done (or stopped by its failure policy).
#pragma once
#include "runtime/bus/actors.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

backtest_actor::behavior_type backtest_behavior(backtest_actor::pointer self, context_ptr ctx);

}  // namespace admf

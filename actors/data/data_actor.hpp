// The data container: turns the run's bars into BAR events and publishes them to its
// parent in batches, as fast as the parent grants credit (flow control bounds memory).
#pragma once
#include "runtime/bus/actors.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

data_actor::behavior_type data_behavior(data_actor::pointer self, context_ptr ctx,
                                        data_parent_actor parent);

}  // namespace admf

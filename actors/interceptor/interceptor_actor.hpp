// The interceptor attached to one container by configuration: a tracer (filter,
// retention in memory, optional streaming to DIR/<container>/events.pb) and/or a
// console observer printing chosen event types live. It sees the container's
// batches through its bus port; the container's code knows nothing of it.
#pragma once
#include <caf/typed_event_based_actor.hpp>

#include "runtime/bus/tap_channel.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

struct interceptor_options {
  std::optional<trace_rule> trace;  ///< nullopt: console only
  std::uint32_t console_events = 0;
};

/// Reads its taps from `tap`. Answers interceptor_finish_msg (with true) once every
/// container attached to the channel has ended and its last taps are handled.
interceptor_actor::behavior_type interceptor_behavior(interceptor_actor::pointer self,
                                                      context_ptr ctx, container_id at,
                                                      interceptor_options options,
                                                      std::shared_ptr<tap_channel> tap);

/// Where a container's trace files go, relative to the results directory.
std::string trace_dir_of(const run_context& ctx, container_id c);

}  // namespace admf

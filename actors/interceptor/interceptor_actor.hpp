// The interceptor attached to one container by configuration: a tracer (filter,
// retention in memory, optional streaming to DIR/<container>/events.pb) and/or a
// console observer printing chosen event types live. It sees the container's
// batches through its bus port; the container's code knows nothing of it.
#pragma once
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>

#include "runtime/run/run_context.hpp"

namespace admf {

/// Root -> interceptor: the run is over; flush, write stats, answer with true.
struct interceptor_finish_msg {};

struct interceptor_options {
  std::optional<trace_rule> trace;  ///< nullopt: console only
  std::uint32_t console_events = 0;
};

/// Reads its taps from `tap`. Answers interceptor_finish_msg (with true) once every
/// container attached to the channel has ended and its last taps are handled.
caf::behavior interceptor_actor(caf::event_based_actor* self, context_ptr ctx, container_id at,
                                interceptor_options options, std::shared_ptr<tap_channel> tap);

/// Where a container's trace files go, relative to the results directory.
std::string trace_dir_of(const run_context& ctx, container_id c);

} // namespace admf

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::interceptor_finish_msg)

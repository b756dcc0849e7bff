#include "runtime/bus/port.hpp"

namespace admf {

caf::behavior intercept_inbound(caf::event_based_actor* self, caf::behavior inner,
                                caf::actor interceptor, container_id at) {
  auto container = std::make_shared<caf::behavior>(std::move(inner));
  caf::message_handler tap{[=](const events_msg& in) {
    const auto received = wall_clock_ns();
    auto copy = caf::make_message(in);
    (*container)(copy);
    self->send(interceptor, tap_msg{in.events, at, true, in.emitted_ns, received, wall_clock_ns()});
  }};
  return tap.or_else(*container);
}

} // namespace admf

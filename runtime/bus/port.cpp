#include "runtime/bus/port.hpp"

namespace admf {

caf::behavior intercept_inbound(caf::event_based_actor* self, caf::behavior inner,
                                std::shared_ptr<tap_channel> tap, container_id at) {
  tap->container_started();
  self->attach_functor([tap] { tap->container_ended(); });
  auto container = std::make_shared<caf::behavior>(std::move(inner));
  caf::message_handler inbound{[=](const events_msg& in) {
    const auto received = wall_clock_ns();
    auto copy = caf::make_message(in);
    (*container)(copy);
    tap->push(tap_msg{in.events, at, true, in.emitted_ns, received, wall_clock_ns()});
  }};
  return inbound.or_else(*container);
}

} // namespace admf

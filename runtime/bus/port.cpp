#include "runtime/bus/port.hpp"

#include <caf/make_message.hpp>
#include <caf/message_handler.hpp>

namespace admf {

namespace {

/// Handles a batch of type Batch by the container's own behaviour, then taps it.
template <class Batch>
auto tap_after(std::shared_ptr<caf::behavior> container, std::shared_ptr<tap_channel> tap,
               container_id at) {
  return [=](const Batch& in) {
    const auto received = wall_clock_ns();
    auto copy = caf::make_message(in);
    (*container)(copy);
    tap->push(tap_msg{in.events, at, true, in.emitted_ns, received, wall_clock_ns()});
  };
}

}  // namespace

caf::behavior intercept_inbound(caf::local_actor* self, caf::behavior inner,
                                std::shared_ptr<tap_channel> tap, container_id at) {
  tap->container_started();
  self->attach_functor([tap] { tap->container_ended(); });
  auto container = std::make_shared<caf::behavior>(std::move(inner));
  // Requests (risk checks, finish) and control messages pass untapped: they carry no events.
  caf::message_handler inbound{
    tap_after<bar_batch>(container, tap, at),        tap_after<signal_batch>(container, tap, at),
    tap_after<portfolio_output>(container, tap, at), tap_after<order_batch>(container, tap, at),
    tap_after<execution_report>(container, tap, at), tap_after<recorder_input>(container, tap, at),
  };
  return inbound.or_else(*container);
}

}  // namespace admf

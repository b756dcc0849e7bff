// A container's connection to its bus: it stamps the events the container creates
// and sends its batches. When configuration attached an interceptor (tracer,
// console) to the container, the port also records hop times and hands the
// interceptor a copy; when not, that costs one branch per batch. Container code is
// the same either way.
#pragma once
#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message_handler.hpp>

#include "runtime/engine/run_context.hpp"
#include "runtime/messages.hpp"
#include "runtime/tracing/tap_channel.hpp"
#include "runtime/tracing/trace_record.hpp"

namespace admf {

class bus_port {
public:
  bus_port() = default;
  bus_port(const run_context& ctx, container_id me)
    : stamper_(me, ctx.run_id), tap_(ctx.taps[me]) {}

  event make(event_type type, timestamp time, std::uint64_t causation, event_payload payload,
             std::uint64_t correlation = 0) {
    event e = stamper_.make(type, time, causation, std::move(payload), correlation);
    if (tap_)
      e.header.created_ns = wall_clock_ns();
    return e;
  }

  /// Marks `msg` as leaving now and shows it to the interceptor, if any.
  void emitted(events_msg& msg) const {
    if (!tap_)
      return;
    msg.emitted_ns = wall_clock_ns();
    tap_->push(tap_msg{msg.events, stamper_.source(), false, msg.emitted_ns, 0, 0});
  }

  void publish(caf::event_based_actor* self, const caf::actor& to, events_msg msg) const {
    emitted(msg);
    self->send(to, std::move(msg));
  }

  container_id id() const { return stamper_.source(); }

private:
  event_stamper stamper_;
  std::shared_ptr<tap_channel> tap_;
};

/// Attaches container `at`'s interceptor to the actor `self` runs: every events_msg
/// it handles is shown with its received and processed times, and its end is
/// reported so the interceptor finishes after the container's last tap.
caf::behavior intercept_inbound(caf::event_based_actor* self, caf::behavior inner,
                                std::shared_ptr<tap_channel> tap, container_id at);

/// Spawns a container linked to `parent`, with its interceptor (if configured) attached.
template <class F, class... Ts>
caf::actor spawn_container(caf::event_based_actor* parent, const run_context& ctx, container_id id,
                           F fn, Ts... xs) {
  auto tap = ctx.taps[id];
  if (!tap)
    return parent->spawn<caf::linked>(fn, xs...);
  return parent->spawn<caf::linked>([=](caf::event_based_actor* self) {
    return intercept_inbound(self, fn(self, xs...), tap, id);
  });
}

} // namespace admf

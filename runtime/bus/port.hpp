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
#include "runtime/tracing/trace_record.hpp"

namespace admf {

class bus_port {
public:
  bus_port() = default;
  bus_port(const run_context& ctx, container_id me)
    : stamper_(me, ctx.run_id), interceptor_((*ctx.interceptors)[me]) {}

  event make(event_type type, timestamp time, std::uint64_t causation, event_payload payload,
             std::uint64_t correlation = 0) {
    event e = stamper_.make(type, time, causation, std::move(payload), correlation);
    if (interceptor_)
      e.header.created_ns = wall_clock_ns();
    return e;
  }

  /// Marks `msg` as leaving now and shows it to the interceptor, if any.
  void emitted(caf::event_based_actor* self, events_msg& msg) const {
    if (!interceptor_)
      return;
    msg.emitted_ns = wall_clock_ns();
    self->send(interceptor_, tap_msg{msg.events, stamper_.source(), false, msg.emitted_ns, 0, 0});
  }

  void publish(caf::event_based_actor* self, const caf::actor& to, events_msg msg) const {
    emitted(self, msg);
    self->send(to, std::move(msg));
  }

  container_id id() const { return stamper_.source(); }

private:
  event_stamper stamper_;
  caf::actor interceptor_;
};

/// Wraps a container's behavior so that every events_msg it handles is shown to the
/// container's interceptor with its received and processed times.
caf::behavior intercept_inbound(caf::event_based_actor* self, caf::behavior inner,
                                caf::actor interceptor, container_id at);

/// Spawns a container linked to `parent`, with its interceptor (if configured) attached.
template <class F, class... Ts>
caf::actor spawn_container(caf::event_based_actor* parent, const run_context& ctx, container_id id,
                           F fn, Ts... xs) {
  caf::actor interceptor = (*ctx.interceptors)[id];
  if (!interceptor)
    return parent->spawn<caf::linked>(fn, xs...);
  return parent->spawn<caf::linked>([=](caf::event_based_actor* self) {
    return intercept_inbound(self, fn(self, xs...), interceptor, id);
  });
}

} // namespace admf

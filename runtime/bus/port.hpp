// A container's connection to its bus: it stamps the events the container creates
// and sends its batches. When configuration attached an interceptor (tracer,
// console) to the container, the port also records hop times and hands the
// interceptor a copy through the tap channel; when not, that costs one branch per
// batch. Container code is the same either way.
#pragma once
#include <memory>
#include <utility>

#include <caf/behavior.hpp>
#include <caf/infer_handle.hpp>
#include <caf/local_actor.hpp>
#include <caf/typed_behavior.hpp>

#include "runtime/bus/messages.hpp"
#include "runtime/bus/tap_channel.hpp"

namespace admf {

class bus_port {
public:
  bus_port() = default;
  /// `tap`: the channel to the container's interceptor, null when none is attached.
  bus_port(container_id me, std::uint64_t run_id, std::shared_ptr<tap_channel> tap)
    : stamper_(me, run_id), tap_(std::move(tap)) {}

  event make(event_type type, timestamp time, std::uint64_t causation, event_payload payload,
             std::uint64_t correlation = 0) {
    event e = stamper_.make(type, time, causation, std::move(payload), correlation);
    if (tap_)
      e.header.created_ns = wall_clock_ns();
    return e;
  }

  /// Marks `msg` as leaving now and shows it to the interceptor, if any.
  void emitted(batch_msg& msg) const {
    if (!tap_)
      return;
    msg.emitted_ns = wall_clock_ns();
    tap_->push(tap_msg{msg.events, stamper_.source(), false, msg.emitted_ns, 0, 0});
  }

  /// Sends a batch to `to`; the compiler checks that `to`'s interface accepts it.
  template <class Self, class Handle, class Batch>
  void publish(Self* self, const Handle& to, Batch msg) const {
    emitted(msg);
    self->send(to, std::move(msg));
  }

  container_id id() const { return stamper_.source(); }

private:
  event_stamper stamper_;
  std::shared_ptr<tap_channel> tap_;
};

/// Attaches container `at`'s interceptor to the actor `self` runs: every batch it
/// handles is shown with its received and processed times, and its end is reported
/// so the interceptor finishes after the container's last tap.
caf::behavior intercept_inbound(caf::local_actor* self, caf::behavior inner,
                                std::shared_ptr<tap_channel> tap, container_id at);

/// The same for a typed container: its interface does not change.
template <class... Sigs>
caf::typed_behavior<Sigs...> intercept_inbound(caf::local_actor* self,
                                               caf::typed_behavior<Sigs...> inner,
                                               std::shared_ptr<tap_channel> tap, container_id at) {
  using typed = caf::typed_behavior<Sigs...>;
  return typed{typename typed::unsafe_init{},
               intercept_inbound(self, std::move(inner.unbox()), std::move(tap), at)};
}

/// `fn` (a function `behavior_type(pointer self, xs...)`) bound to `xs`, as a function
/// `behavior_type(pointer self, std::shared_ptr<tap_channel> tap)` that attaches container
/// `id`'s interceptor when `tap` is not null: what a parent spawns, passing the
/// container's tap (null or not) as the spawn argument, so that every container, the
/// root included, is observed the same way. The tap is an argument, not captured: CAF
/// 0.17 dereferences a null argument tuple when a function is spawned with no
/// arguments (caf/detail/init_fun_factory.hpp), undefined behaviour.
template <class F, class... Ts>
auto intercepted(container_id id, F fn, Ts... xs) {
  using handle = typename caf::infer_handle_from_fun<F>::type;
  return [=](typename handle::pointer self,
             std::shared_ptr<tap_channel> tap) -> typename handle::behavior_type {
    auto inner = fn(self, xs...);
    if (!tap)
      return inner;
    return intercept_inbound(self, std::move(inner), std::move(tap), id);
  };
}

}  // namespace admf

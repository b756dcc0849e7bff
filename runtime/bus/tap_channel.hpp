// The hook the bus calls when configuration attached an interceptor (tracer, console)
// to a container: the channel from its interception point to the interceptor. Taps are
// queued under a mutex and the interceptor is woken once per `wake_every` taps
// rather than sent a message per batch: on the order round trip a message per batch
// doubled a traced run's message count. The channel also counts the containers
// attached to it, so the interceptor finishes only after their last tap.
//
// Back pressure: a queued tap keeps its whole batch alive, so a lagging interceptor
// (a disk writer) would hold ever more of the run in memory. The channel weighs the
// taps pushed and not yet handled (events + 1 each); from `congested_at` on it is
// congested, and the root withholds data's credit (registering as the waiter) until
// the interceptor has handled enough to bring the weight down to `free_at`, when the
// channel tells the root with tap_drained_atom. Pushers never wait and the
// interceptor never waits on the root: it drains whatever is queued, so the run
// cannot deadlock; memory stays within the credit window plus `congested_at` per channel.
#pragma once
#include <atomic>
#include <cstddef>
#include <mutex>
#include <vector>

#include "runtime/bus/actors.hpp"


namespace admf {

/// Interception point -> interceptor: a copy of a batch a container emitted
/// (inbound = false) or received and handled (inbound = true), with hop times
/// (wall clock, ns since the epoch).
struct tap_msg {
  shared_batch events;
  container_id at = 0;
  bool inbound = false;
  std::int64_t emitted_ns = 0, received_ns = 0, processed_ns = 0;
};


class tap_channel {
public:
  static constexpr std::size_t wake_every = 64;
  /// Weights (events + 1 per tap) of the taps pushed and not yet handled: congested
  /// from congested_at on; the waiter is told at free_at or below. 16k events are ~16
  /// default bar batches, a few MB.
  static constexpr std::size_t congested_at = 16384, free_at = congested_at / 2;
  // The waiter is never forgotten (see handled()) only while two loads over free_at
  // make a congestion.
  static_assert(2 * free_at <= congested_at);

  void bind(interceptor_actor interceptor) { interceptor_ = std::move(interceptor); }
  const interceptor_actor& interceptor() const { return interceptor_; }

  void push(tap_msg tap);
  /// The interceptor: everything queued. Call handled() with the result once done with
  /// it, before the next take().
  std::vector<tap_msg> take();
  /// The interceptor is done with `taps` (written, or dropped after a failure): their
  /// weight leaves the channel, and a waiting root is told when it fell to free_at.
  void handled(const std::vector<tap_msg>& taps);

  /// The root: true when the channel is congested, and then `waiter` gets one
  /// tap_drained_atom once it is free again; false (nothing registered) otherwise.
  bool congested(const tap_waiter_actor& waiter);
  /// Weight of the taps pushed and not yet handled.
  std::size_t pending() const;

  void container_started() { ++live_; }
  void container_ended();
  std::size_t live_containers() const { return live_.load(); }

private:
  static std::size_t weight(const tap_msg& tap) { return tap.events->size() + 1; }

  interceptor_actor interceptor_;
  mutable std::mutex mutex_;
  std::vector<tap_msg> queue_;
  std::size_t pending_ = 0;   // weight of queue_ and of the taps taken, not yet handled
  bool wake_sent_ = false;    // a drain was asked for since the last take
  tap_waiter_actor waiter_;   // set while the root waits for the channel to drain
  std::atomic<std::size_t> live_{0};
};

}  // namespace admf

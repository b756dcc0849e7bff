// The hook the bus calls when configuration attached an interceptor (tracer, console)
// to a container: the channel from its interception point to the interceptor. Taps are
// queued under a mutex and the interceptor is woken once per `wake_every` taps
// rather than sent a message per batch: on the order round trip a message per batch
// doubled a traced run's message count. The channel also counts the containers
// attached to it, so the interceptor finishes only after their last tap.
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

  void bind(interceptor_actor interceptor) { interceptor_ = std::move(interceptor); }
  const interceptor_actor& interceptor() const { return interceptor_; }

  void push(tap_msg tap);
  std::vector<tap_msg> take();

  void container_started() { ++live_; }
  void container_ended();
  std::size_t live_containers() const { return live_.load(); }

private:
  interceptor_actor interceptor_;
  std::mutex mutex_;
  std::vector<tap_msg> queue_;
  std::atomic<std::size_t> live_{0};
};

}  // namespace admf

#include "runtime/bus/tap_channel.hpp"

#include <caf/send.hpp>

namespace admf {

void tap_channel::push(tap_msg tap) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    pending_ += weight(tap);
    queue_.push_back(std::move(tap));
    // Also woken at congestion, however few the taps: the root then waits on this
    // interceptor, which must drain without another push.
    if (!wake_sent_ && (queue_.size() >= wake_every || pending_ >= congested_at))
      wake = wake_sent_ = true;
  }
  if (wake)
    caf::anon_send(interceptor_, tap_drain_atom::value);
}

std::vector<tap_msg> tap_channel::take() {
  std::vector<tap_msg> out;
  out.reserve(wake_every);
  std::lock_guard<std::mutex> guard{mutex_};
  out.swap(queue_);
  wake_sent_ = false;
  return out;
}

void tap_channel::handled(const std::vector<tap_msg>& taps) {
  std::size_t done = 0;
  for (const auto& t : taps)
    done += weight(t);
  tap_waiter_actor tell;
  bool wake = false;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    pending_ -= done;
    if (!waiter_) {
      // Nobody waits.
    } else if (pending_ <= free_at) {
      std::swap(tell, waiter_);
    } else if (!wake_sent_) {
      // Still above free_at with the rest queued (nothing else is taken): drain it
      // even if it is fewer than wake_every taps, or the waiting root would wait forever.
      wake = wake_sent_ = true;
    }
  }
  if (tell)
    caf::anon_send(tell, tap_drained_atom::value);
  if (wake)
    caf::anon_send(interceptor_, tap_drain_atom::value);
}

bool tap_channel::congested(const tap_waiter_actor& waiter) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (pending_ < congested_at)
    return false;
  waiter_ = waiter;
  return true;
}

std::size_t tap_channel::pending() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return pending_;
}

void tap_channel::container_ended() {
  --live_;
  caf::anon_send(interceptor_, tap_drain_atom::value);
}

}  // namespace admf

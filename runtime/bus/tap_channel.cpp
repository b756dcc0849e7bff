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
  {
    std::lock_guard<std::mutex> guard{mutex_};
    pending_ -= done;
    // Above free_at a drain is always coming: what is left was pushed since the last
    // take, while the taps taken then were still counted. Either the weight reached
    // congested_at at one of those pushes (the waiter registered meanwhile), or those
    // taps weighed over free_at too (left over a handled() before), so the weight
    // passed 2 * free_at <= congested_at: a push that makes it congested asks for a drain.
    if (waiter_ && pending_ <= free_at)
      std::swap(tell, waiter_);
  }
  if (tell)
    caf::anon_send(tell, tap_drained_atom::value);
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

#include "runtime/bus/tap_channel.hpp"

#include <caf/send.hpp>

namespace admf {

void tap_channel::push(tap_msg tap) {
  bool wake;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    queue_.push_back(std::move(tap));
    wake = queue_.size() == wake_every;
  }
  if (wake)
    caf::anon_send(interceptor_, tap_drain_atom::value);
}

std::vector<tap_msg> tap_channel::take() {
  std::vector<tap_msg> out;
  out.reserve(wake_every);
  std::lock_guard<std::mutex> guard{mutex_};
  out.swap(queue_);
  return out;
}

void tap_channel::container_ended() {
  --live_;
  caf::anon_send(interceptor_, tap_drain_atom::value);
}

}  // namespace admf

// The tap channel's wake-ups and back pressure (issue 13): the interceptor is woken
// every wake_every taps or at congestion, a waiting root is told exactly once when
// the channel drained to free_at, and a pusher that waits while it is congested
// always gets to go on.
#include <algorithm>
#include <chrono>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <catch2/catch.hpp>

#include "runtime/bus/tap_channel.hpp"

using namespace admf;

namespace {

tap_msg tap_of(std::size_t events) {
  return tap_msg{std::make_shared<const event_batch>(events), 0, false, 0, 0, 0};
}

/// Messages of type Atom in `self`'s mailbox (local sends are enqueued before they return).
template <class Atom>
int received(caf::scoped_actor& self) {
  int n = 0;
  for (bool more = true; more;)
    self->receive([&](Atom) { ++n; }, caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
  return n;
}

struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  caf::scoped_actor interceptor{system}, root{system};
  tap_channel channel;
  fixture() { channel.bind(caf::actor_cast<interceptor_actor>(interceptor)); }
  tap_waiter_actor waiter() { return caf::actor_cast<tap_waiter_actor>(root); }
};

}  // namespace

TEST_CASE("tap channel: the interceptor is woken once per wake_every taps", "[tap_channel]") {
  fixture f;
  for (std::size_t i = 1; i < tap_channel::wake_every; ++i)
    f.channel.push(tap_of(0));
  CHECK(received<tap_drain_atom>(f.interceptor) == 0);
  f.channel.push(tap_of(0));
  CHECK(received<tap_drain_atom>(f.interceptor) == 1);
  // Not again before it took them, however many more come.
  for (std::size_t i = 0; i < 3 * tap_channel::wake_every; ++i)
    f.channel.push(tap_of(0));
  CHECK(received<tap_drain_atom>(f.interceptor) == 0);
  const auto taps = f.channel.take();
  CHECK(taps.size() == 4 * tap_channel::wake_every);
  // Taken but not handled: still pending (events + 1 each).
  CHECK(f.channel.pending() == 4 * tap_channel::wake_every);
  f.channel.handled(taps);
  CHECK(f.channel.pending() == 0);
  for (std::size_t i = 0; i < tap_channel::wake_every; ++i)
    f.channel.push(tap_of(0));
  CHECK(received<tap_drain_atom>(f.interceptor) == 1);
}

TEST_CASE("tap channel: one tap heavy enough to congest wakes the interceptor at once",
          "[tap_channel]") {
  fixture f;
  f.channel.push(tap_of(tap_channel::congested_at - 2));  // weight congested_at - 1
  CHECK(received<tap_drain_atom>(f.interceptor) == 0);
  CHECK_FALSE(f.channel.congested(f.waiter()));
  f.channel.push(tap_of(0));  // weight congested_at
  CHECK(received<tap_drain_atom>(f.interceptor) == 1);
  CHECK(f.channel.congested(f.waiter()));
}

TEST_CASE("tap channel: a waiting root is told once, when the weight falls to free_at",
          "[tap_channel]") {
  fixture f;
  f.channel.push(tap_of(tap_channel::congested_at - 1));  // weight congested_at
  REQUIRE(f.channel.congested(f.waiter()));
  REQUIRE(f.channel.congested(f.waiter()));  // asked twice: still told once
  auto first = f.channel.take();
  // Pushed while the first taps are written: free_at + 1, enough to keep it waiting.
  f.channel.push(tap_of(tap_channel::free_at));
  CHECK(received<tap_drain_atom>(f.interceptor) == 2);  // congested, before and after the take
  f.channel.handled(first);
  CHECK(f.channel.pending() == tap_channel::free_at + 1);
  CHECK(received<tap_drained_atom>(f.root) == 0);
  CHECK_FALSE(f.channel.congested(f.waiter()));  // between the marks: no new waiter
  auto second = f.channel.take();
  f.channel.handled(second);
  CHECK(f.channel.pending() == 0);
  CHECK(received<tap_drained_atom>(f.root) == 1);
  // Nobody waits any more: handling more tells nobody.
  f.channel.push(tap_of(0));
  f.channel.handled(f.channel.take());
  CHECK(received<tap_drained_atom>(f.root) == 0);
}

TEST_CASE("tap channel: a pusher waiting out congestion against a real interceptor always "
          "goes on, and the weight stays bounded",
          "[tap_channel]") {
  fixture f;
  auto ch = std::make_shared<tap_channel>();
  // The interceptor as the real one drains: take everything, then say it is handled.
  // (The channel is a spawn argument: CAF 0.17 dereferences its null argument tuple
  // when a function takes none, which UBSan reports.)
  auto drainer = f.system.spawn(
    [](interceptor_actor::pointer, std::shared_ptr<tap_channel> channel)
      -> interceptor_actor::behavior_type {
      return {
        [channel](tap_drain_atom) { channel->handled(channel->take()); },
        [](interceptor_finish_msg) { return true; },
      };
    },
    ch);
  ch->bind(drainer);
  constexpr std::size_t events = 1000;
  std::size_t peak = 0;
  for (int i = 0; i < 2000; ++i) {
    // The root's rule: no more work while the channel is congested.
    while (ch->congested(f.waiter()))
      f.root->receive([](tap_drained_atom) {});
    ch->push(tap_of(events));
    peak = std::max(peak, ch->pending());
  }
  // 2M events went through; a push comes only below congested_at.
  CHECK(peak < tap_channel::congested_at + events + 1);
  caf::anon_send_exit(drainer, caf::exit_reason::user_shutdown);
}

#include <algorithm>
#include <map>
#include <random>

#include <catch2/catch.hpp>

#include "runtime/bus/router.hpp"

using namespace admf;

namespace {

event make(event_type type, event_payload payload) {
  event e;
  e.header.type = type;
  e.payload = std::move(payload);
  return e;
}

shared_batch batch(std::vector<event> events) {
  return std::make_shared<event_batch>(std::move(events));
}

using deliveries = std::map<int, std::vector<event_type>>;

deliveries route(const router<int>& r, const shared_batch& b, container_id about = router<int>::nobody) {
  deliveries out;
  r.route(b, about, [&](int who, const shared_batch& got) {
    auto& list = out[who];
    for (const auto& e : *got)
      list.push_back(e.header.type);
  });
  return out;
}

} // namespace

TEST_CASE("fills reach only the portfolio their container filter names") {
  router<int> r;
  r.subscribe<event_type::fill>(1, container_filter{10});
  r.subscribe<event_type::fill>(2, container_filter{20});
  fill_data f;
  f.portfolio = 20;
  auto got = route(r, batch({make(event_type::fill, f)}));
  CHECK(got.count(1) == 0);
  REQUIRE(got.count(2) == 1);
  CHECK(got[2].size() == 1);
}

TEST_CASE("signals reach only subscribers of their strategy") {
  router<int> r;
  r.subscribe<event_type::signal>(1, strategy_filter{std::vector<container_id>{3, 4}});
  r.subscribe<event_type::signal>(2, strategy_filter{5});
  signal_data s;
  s.strategy = 4;
  signal_data t;
  t.strategy = 5;
  auto got = route(r, batch({make(event_type::signal, s), make(event_type::signal, t),
                             make(event_type::signal, s)}));
  CHECK(got[1].size() == 2);
  CHECK(got[2].size() == 1);
}

TEST_CASE("a batch a subscriber takes whole is shared, not copied") {
  router<int> r;
  r.subscribe<event_type::fill>(1, container_filter{std::vector<container_id>{7, 8}});
  r.subscribe<event_type::fill>(2, container_filter{7});
  fill_data a, b;
  a.portfolio = 7;
  b.portfolio = 8;
  auto in = batch({make(event_type::fill, a), make(event_type::fill, b)});
  std::map<int, shared_batch> got;
  r.route(in, router<int>::nobody, [&](int who, const shared_batch& x) { got[who] = x; });
  CHECK(got[1] == in);
  REQUIRE(got[2] != in);
  CHECK(got[2]->size() == 1);
  CHECK(got[2]->front().as<fill_data>().portfolio == 7);
}

TEST_CASE("a container filter over several portfolios takes each of theirs, no other") {
  router<int> r;
  r.subscribe<event_type::order>(1, container_filter{std::vector<container_id>{3, 5}});
  order_data o3, o4, o5;
  o3.portfolio = 3;
  o4.portfolio = 4;
  o5.portfolio = 5;
  auto got = route(r, batch({make(event_type::order, o3), make(event_type::order, o4),
                             make(event_type::order, o5)}));
  CHECK(got[1].size() == 2);
  CHECK(route(r, batch({}), 5).count(1) == 1);  // an empty report about 5 concerns it
  CHECK(route(r, batch({}), 4).count(1) == 0);
  CHECK_THROWS_AS(container_filter{std::vector<container_id>{}}, std::invalid_argument);
}

TEST_CASE("an empty report still reaches the container it is about") {
  router<int> r;
  r.subscribe<event_type::fill>(1, container_filter{10});
  r.subscribe<event_type::fill>(2, container_filter{20});
  auto got = route(r, batch({}), 20);
  CHECK(got.count(1) == 0);
  CHECK(got.count(2) == 1);
}

TEST_CASE("unsubscribe drops every subscription of a container") {
  router<int> r;
  r.subscribe<event_type::bar>(1);
  r.subscribe<event_type::fill>(1, container_filter{10});
  r.unsubscribe(1);
  CHECK(r.empty());
  CHECK(route(r, batch({make(event_type::bar, bar_data{})})).empty());
}

TEST_CASE("event types other than the subscribed ones are not delivered") {
  router<int> r;
  r.subscribe<event_type::portfolio_update>(1, container_filter{10});
  portfolio_update_data u;
  u.portfolio = 10;
  fill_data f;
  f.portfolio = 10;
  auto got = route(r, batch({make(event_type::fill, f), make(event_type::portfolio_update, u)}));
  REQUIRE(got[1].size() == 1);
  CHECK(got[1][0] == event_type::portfolio_update);
}

TEST_CASE("a symbol filter takes its symbols' bars, and every batch for its watermark") {
  router<int> r;
  r.subscribe<event_type::bar>(1, symbol_filter{{0, 2}});
  r.subscribe<event_type::bar>(2);
  const auto bar_of = [](symbol_id s) {
    bar_data b;
    b.symbol = s;
    return make(event_type::bar, b);
  };
  std::map<int, std::vector<symbol_id>> got;
  const auto in = batch({bar_of(0), bar_of(1), bar_of(2)});
  r.route(in, router<int>::nobody, [&](int who, const shared_batch& x) {
    for (const auto& e : *x)
      got[who].push_back(e.as<bar_data>().symbol);
  });
  CHECK(got[1] == std::vector<symbol_id>{0, 2});
  CHECK(got[2] == std::vector<symbol_id>{0, 1, 2});
  // A batch without its symbols still reaches it, empty: the strategy must answer its
  // watermark or its portfolio would wait for it forever.
  const auto other = route(r, batch({bar_of(1)}));
  REQUIRE(other.count(1) == 1);
  CHECK(other.at(1).empty());
  CHECK_THROWS_AS(symbol_filter{std::vector<symbol_id>{}}, std::invalid_argument);
}

TEST_CASE("subscribers are reached in the order they subscribed whatever events come first") {
  router<int> r;
  r.subscribe<event_type::fill>(5, container_filter{20});
  r.subscribe<event_type::fill>(3, container_filter{10});
  fill_data a, b;
  a.portfolio = 10;
  b.portfolio = 20;
  std::vector<int> order;
  r.route(batch({make(event_type::fill, a), make(event_type::fill, b)}), router<int>::nobody,
          [&](int who, const shared_batch&) { order.push_back(who); });
  CHECK(order == std::vector<int>{5, 3});
}

TEST_CASE("a filter naming an id twice takes its events once") {
  router<int> r;
  r.subscribe<event_type::fill>(1, container_filter{std::vector<container_id>{7, 7}});
  r.subscribe<event_type::signal>(1, strategy_filter{std::vector<container_id>{2, 2}});
  fill_data f;
  f.portfolio = 7;
  signal_data s;
  s.strategy = 2;
  const auto in = batch({make(event_type::fill, f), make(event_type::signal, s)});
  std::vector<shared_batch> got;
  r.route(in, 7, [&](int, const shared_batch& x) { got.push_back(x); });
  REQUIRE(got.size() == 1);  // matched and concerned: one delivery
  CHECK(got[0] == in);       // both events, shared
}

TEST_CASE("routing after unsubscribe or a late subscribe uses the current subscriptions") {
  router<int> r;
  r.subscribe<event_type::bar>(1);
  r.subscribe<event_type::bar>(2);
  r.subscribe<event_type::fill>(3, container_filter{9});
  fill_data f;
  f.portfolio = 9;
  const auto in = batch({make(event_type::bar, bar_data{}), make(event_type::fill, f)});
  CHECK(route(r, in).size() == 3);
  r.unsubscribe(2);  // the one in the middle: the others keep theirs
  auto got = route(r, in);
  CHECK(got.size() == 2);
  CHECK(got[1] == std::vector<event_type>{event_type::bar});
  CHECK(got[3] == std::vector<event_type>{event_type::fill});
  r.subscribe<event_type::fill>(4, container_filter{9});
  CHECK(route(r, in).count(4) == 1);
}

namespace {

/// What a route must deliver, by the rule's definition, subscriber by subscriber: the
/// router's index must agree with this scan.
struct model_rule {
  int who;
  event_type type;
  int kind;  // 0 any, 1 ids
  std::vector<std::uint32_t> ids;
};

std::uint32_t id_of(const event& e) {
  if (e.header.type == event_type::bar)
    return e.as<bar_data>().symbol;
  if (e.header.type == event_type::signal)
    return e.as<signal_data>().strategy;
  return e.as<fill_data>().portfolio;
}

using delivery = std::pair<int, std::vector<std::uint64_t>>;  // who, event ids

std::vector<delivery> model_route(const std::vector<model_rule>& rules, const event_batch& in,
                                  container_id about) {
  std::vector<int> order;
  for (const auto& r : rules)
    if (std::find(order.begin(), order.end(), r.who) == order.end())
      order.push_back(r.who);
  std::vector<delivery> out;
  for (const int who : order) {
    std::vector<std::uint64_t> taken;
    bool concerned = false;
    for (const auto& r : rules) {
      if (r.who != who)
        continue;
      const bool named = std::find(r.ids.begin(), r.ids.end(), about) != r.ids.end();
      concerned |= r.kind == 1 && (r.type == event_type::bar || (r.type == event_type::fill && named));
    }
    for (const auto& e : in)
      for (const auto& r : rules)
        if (r.who == who && r.type == e.header.type
            && (r.kind == 0 || std::find(r.ids.begin(), r.ids.end(), id_of(e)) != r.ids.end()))
          taken.push_back(e.header.id);
    if (!taken.empty() || concerned)
      out.push_back({who, taken});
  }
  return out;
}

}  // namespace

TEST_CASE("the router's index delivers what a scan of every subscriber would") {
  std::mt19937 rng(13);
  for (int round = 0; round < 300; ++round) {
    router<int> r;
    std::vector<model_rule> rules;
    const auto ids = [&] {
      std::vector<std::uint32_t> v(1 + rng() % 3);
      for (auto& x : v)
        x = rng() % 5;
      return v;
    };
    for (int i = 0; i < 6; ++i) {
      const int who = static_cast<int>(rng() % 5);
      const auto pick = rng() % 4;
      // A later subscription of the same type replaces the earlier one in place: the
      // subscriber keeps its place in the order.
      const auto replace = [&](model_rule m) {
        const auto it = std::find_if(rules.begin(), rules.end(), [&](const model_rule& x) {
          return x.who == who && x.type == m.type;
        });
        if (it != rules.end())
          *it = std::move(m);
        else
          rules.push_back(std::move(m));
      };
      if (pick == 0) {
        r.subscribe<event_type::bar>(who);
        replace({who, event_type::bar, 0, {}});
      } else if (pick == 1) {
        const auto v = ids();
        r.subscribe<event_type::bar>(who, symbol_filter{v});
        replace({who, event_type::bar, 1, v});
      } else if (pick == 2) {
        const auto v = ids();
        r.subscribe<event_type::signal>(who, strategy_filter{v});
        replace({who, event_type::signal, 1, v});
      } else {
        const auto v = ids();
        r.subscribe<event_type::fill>(who, container_filter{v});
        replace({who, event_type::fill, 1, v});
      }
    }
    if (rng() % 4 == 0) {
      const int gone = static_cast<int>(rng() % 5);
      r.unsubscribe(gone);
      rules.erase(std::remove_if(rules.begin(), rules.end(),
                                 [&](const model_rule& x) { return x.who == gone; }),
                  rules.end());
    }
    for (int batch_no = 0; batch_no < 3; ++batch_no) {
      std::vector<event> events(rng() % 6);
      for (std::size_t i = 0; i < events.size(); ++i) {
        const auto kind = rng() % 3;
        const auto id = static_cast<std::uint32_t>(rng() % 5);
        if (kind == 0) {
          bar_data b;
          b.symbol = id;
          events[i] = make(event_type::bar, b);
        } else if (kind == 1) {
          signal_data s;
          s.strategy = id;
          events[i] = make(event_type::signal, s);
        } else {
          fill_data f;
          f.portfolio = id;
          events[i] = make(event_type::fill, f);
        }
        events[i].header.id = i;
      }
      const auto in = batch(events);
      const container_id about = rng() % 2 ? router<int>::nobody : rng() % 5;
      std::vector<delivery> got;
      r.route(in, about, [&](int who, const shared_batch& x) {
        std::vector<std::uint64_t> taken;
        for (const auto& e : *x)
          taken.push_back(e.header.id);
        // Shared exactly when it takes every event of a non-empty batch.
        CHECK((x == in) == (!in->empty() && taken.size() == in->size()));
        got.push_back({who, taken});
      });
      CHECK(got == model_route(rules, *in, about));
    }
  }
}

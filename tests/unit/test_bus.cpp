#include <map>

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

#include <catch2/catch.hpp>

#include "actors/execution/fill_model.hpp"

using namespace admf;

namespace {

bar_data bar(double open, double high, double low, double close) {
  return bar_data{0, open, high, low, close, 0};
}

order_data order(side s, order_kind k, double limit = 0, double stop = 0) {
  order_data o;
  o.action = s;
  o.kind = k;
  o.quantity = 10;
  o.limit_price = limit;
  o.stop_price = stop;
  return o;
}

} // namespace

TEST_CASE("market orders fill at the open") {
  CHECK(trigger_price(order(side::buy, order_kind::market), bar(100, 110, 90, 105)) == 100);
}

TEST_CASE("limit orders fill at the limit or better, only when the bar reaches it") {
  const auto b = bar(100, 110, 90, 105);
  CHECK(trigger_price(order(side::buy, order_kind::limit, 95), b) == 95);    // trades through
  CHECK(trigger_price(order(side::buy, order_kind::limit, 101), b) == 100);  // open is better
  CHECK_FALSE(trigger_price(order(side::buy, order_kind::limit, 89), b));    // never reached
  CHECK(trigger_price(order(side::sell, order_kind::limit, 108), b) == 108);
  CHECK(trigger_price(order(side::sell, order_kind::limit, 99), b) == 100);
  CHECK_FALSE(trigger_price(order(side::sell, order_kind::limit, 111), b));
}

TEST_CASE("stop orders trigger when the price crosses the stop, gapping fills at the open") {
  const auto b = bar(100, 110, 90, 105);
  CHECK(trigger_price(order(side::buy, order_kind::stop, 0, 108), b) == 108);
  CHECK(trigger_price(order(side::buy, order_kind::stop, 0, 95), b) == 100);  // gapped above
  CHECK_FALSE(trigger_price(order(side::buy, order_kind::stop, 0, 111), b));
  CHECK(trigger_price(order(side::sell, order_kind::stop, 0, 92), b) == 92);
  CHECK(trigger_price(order(side::sell, order_kind::stop, 0, 101), b) == 100);
  CHECK_FALSE(trigger_price(order(side::sell, order_kind::stop, 0, 89), b));
}

TEST_CASE("slippage moves the price against the order, never for limits") {
  slippage_config fixed{slippage_kind::fixed, 0.05};
  slippage_config pct{slippage_kind::percent, 0.01};
  CHECK(apply_slippage(order(side::buy, order_kind::market), 100, fixed) == Approx(100.05));
  CHECK(apply_slippage(order(side::sell, order_kind::market), 100, fixed) == Approx(99.95));
  CHECK(apply_slippage(order(side::buy, order_kind::stop), 100, pct) == Approx(101));
  CHECK(apply_slippage(order(side::sell, order_kind::market), 100, pct) == Approx(99));
  CHECK(apply_slippage(order(side::buy, order_kind::limit), 100, pct) == 100);
}

TEST_CASE("commission: per share plus percent of notional, with a minimum") {
  commission_config c{0.01, 0.001, 1.0};
  CHECK(commission_for(1000, 50, c) == Approx(10 + 50));  // 1000*0.01 + 0.001*50000
  CHECK(commission_for(10, 50, c) == Approx(1.0));        // 0.1 + 0.5 < minimum
  CHECK(commission_for(0, 50, c) == 0);
}

TEST_CASE("a budget buys the most whole units that fit with their commission") {
  CHECK(units_for_budget(1000, 33, {}) == 30);  // floor(1000/33)
  commission_config c{0, 0, 10};
  CHECK(units_for_budget(1000, 33, c) == 30);   // 30*33 + 10 = 1000 fits exactly
  commission_config pct{0, 0.01, 0};
  CHECK(units_for_budget(1000, 10, pct) == 99);  // 99*10*1.01 = 999.9
  CHECK(units_for_budget(5, 10, {}) == 0);
}

TEST_CASE("try_fill sizes budget orders at the fill price, after slippage") {
  order_data o = order(side::buy, order_kind::market);
  o.quantity = 0;
  o.budget = 1000;
  execution_config cfg;
  cfg.slippage = {slippage_kind::fixed, 1};
  cfg.commission = {0.5, 0, 0};
  auto f = try_fill(o, bar(99, 100, 98, 99), cfg);
  REQUIRE(f);
  CHECK(f->price == 100);
  CHECK(f->quantity == 9);  // 9*100 + 4.5 <= 1000 < 10*100 + 5
  CHECK(f->commission == Approx(4.5));
}

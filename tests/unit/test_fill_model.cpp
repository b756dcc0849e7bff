#include <catch2/catch.hpp>

#include <limits>

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

TEST_CASE("commission: a maximum caps it per order, after the minimum") {
  // IB-like: 0.005 per share, minimum 1.00, capped here at 5.00.
  commission_config c{0.005, 0, 1.0, 5.0};
  CHECK(commission_for(100, 20, c) == Approx(1.0));    // 0.50 < minimum
  CHECK(commission_for(600, 20, c) == Approx(3.0));    // 600 * 0.005, between the two
  CHECK(commission_for(2000, 20, c) == Approx(5.0));   // 10.00 > maximum
  CHECK(commission_for(0, 20, c) == 0);                // no order, no fee
  // The cap counts in sizing: at 0.01 a share, 1,002 units at 20 cost 20,040 + 10.02
  // uncapped (1,001 fit in 20,050), but 20,040 + 5.00 capped.
  CHECK(units_for_budget(20050, 20, {0.01, 0, 1.0}) == 1001);
  CHECK(units_for_budget(20050, 20, {0.01, 0, 1.0, 5.0}) == 1002);
}

TEST_CASE("commission tiers: IBKR's example, a 30,000,000-share order split across tiers") {
  // IBKR Pro tiered, US stocks: 0.0035 a share up to 300,000 shares a month, 0.002 to
  // 3,000,000, 0.0015 to 20,000,000, 0.001 to 100,000,000, 0.0005 above; minimum 0.35.
  // Its example of one such order at the month's start: 300,000 x 0.0035 = 1,050, then
  // 2,700,000 x 0.002 = 5,400, 17,000,000 x 0.0015 = 25,500, 10,000,000 x 0.001 = 10,000.
  commission_config ibkr{0, 0, 0.35};
  ibkr.tiers = {{300000, 0.0035}, {3000000, 0.002}, {20000000, 0.0015}, {100000000, 0.001},
                {std::numeric_limits<double>::infinity(), 0.0005}};
  CHECK(commission_for(30000000, 5, ibkr) == Approx(1050 + 5400 + 25500 + 10000));
  // 200 shares with 299,900 traded this month: 100 x 0.0035 + 100 x 0.002 = 0.55.
  CHECK(commission_for(200, 5, ibkr, 299900) == Approx(0.55));
  // The 300,000th share is still the first tier's (<= 300,000): 0.0035 + 99 x 0.002 = 0.2015,
  // below the minimum.
  CHECK(commission_for(100, 5, ibkr, 299999) == Approx(0.35));
  CHECK(commission_for(1000, 5, ibkr, 299999) == Approx(0.0035 + 999 * 0.002));
  // Past 100,000,000: the last tier's 0.0005.
  CHECK(commission_for(10000, 5, ibkr, 2e8) == Approx(5));
  CHECK(commission_for(0, 5, ibkr, 299999) == 0);
}

TEST_CASE("commission tiers: percent rates, and the order's minimum and maximum") {
  commission_config c{0, 0, 1, 6};
  c.tiers = {{1000, 0, 0.001}, {std::numeric_limits<double>::infinity(), 0.01, 0.0005}};
  // 900 units done: 100 at 0.1 % of 50 (5.00), 100 at 0.01 + 0.05 % of 50 (1.00 + 2.50).
  CHECK(commission_for(200, 50, c, 900) == Approx(6));  // 8.50, capped
  CHECK(commission_for(10, 50, c, 900) == Approx(1));   // 0.50, the minimum
  CHECK(commission_for(100, 50, c, 5000) == Approx(3.5));
}

TEST_CASE("commission tiers: a budget buys more once the month's volume is cheaper") {
  // 1.00 a unit for the month's first 100 units, then nothing. At 10 a unit, 10,000
  // buys 990 units at the month's start (9,900 + 100), 995 once 50 are done (9,950 + 50),
  // 1,000 once 100 are.
  commission_config c;
  c.tiers = {{100, 1}, {std::numeric_limits<double>::infinity(), 0}};
  CHECK(units_for_budget(10000, 10, c) == 990);
  CHECK(commission_for(990, 10, c) == 100);
  CHECK(units_for_budget(10000, 10, c, 1, 50) == 995);
  CHECK(commission_for(995, 10, c, 50) == 50);
  CHECK(units_for_budget(10000, 10, c, 1, 100) == 1000);
}

TEST_CASE("commission tiers: the month's volume starts again each UTC calendar month") {
  month_volume v;
  const timestamp jan31 = *parse_timestamp("2021-01-31 23:00");
  CHECK(v.before(jan31) == 0);
  v.add(jan31, 100);
  v.add(jan31, 50);
  CHECK(v.before(*parse_timestamp("2021-01-31 23:59")) == 150);
  CHECK(v.before(*parse_timestamp("2021-02-01")) == 0);
  v.add(*parse_timestamp("2021-02-01"), 10);
  CHECK(v.before(*parse_timestamp("2021-02-28 12:00")) == 10);
  CHECK(v.before(*parse_timestamp("2022-02-01")) == 0);  // February of another year
}

TEST_CASE("spread slippage pays half the quoted spread, kept within the bar") {
  slippage_config spread{slippage_kind::spread, 0.002};  // 20 bp bid-ask
  CHECK(apply_slippage(order(side::buy, order_kind::market), 100, spread) == Approx(100.1));
  CHECK(apply_slippage(order(side::sell, order_kind::stop), 100, spread) == Approx(99.9));
  CHECK(apply_slippage(order(side::buy, order_kind::limit), 100, spread) == 100);
  execution_config cfg;
  cfg.slippage = spread;
  // Inside the bar in full: 50 * 1.001 = 50.05 < high 50.2; 50 * 0.999 = 49.95 > low 49.9.
  CHECK(try_fill(order(side::buy, order_kind::market), bar(50, 50.2, 49.9, 50), cfg)->price
        == Approx(50.05));
  CHECK(try_fill(order(side::sell, order_kind::market), bar(50, 50.2, 49.9, 50), cfg)->price
        == Approx(49.95));
  // Past the bar: 50 * 1.001 = 50.05 > high 50.02, so 50.02; 49.95 < low 49.98, so 49.98.
  CHECK(try_fill(order(side::buy, order_kind::market), bar(50, 50.02, 49.98, 50), cfg)->price
        == 50.02);
  CHECK(try_fill(order(side::sell, order_kind::market), bar(50, 50.02, 49.98, 50), cfg)->price
        == 49.98);
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

TEST_CASE("a fill never lies outside its bar: slippage stops at the high or the low") {
  order_data buy = order(side::buy, order_kind::market);
  order_data sell = order(side::sell, order_kind::market);
  const auto b = bar(21.70, 21.75, 21.20, 21.50);
  execution_config cfg;
  cfg.slippage = {slippage_kind::fixed, 0.10};
  // 21.70 + 0.10 = 21.80 is above the high: nobody traded there.
  CHECK(try_fill(buy, b, cfg)->price == 21.75);
  // 21.30 - 0.10 = 21.20 is the low itself; 21.25 - 0.10 = 21.15 is below it.
  CHECK(try_fill(sell, bar(21.30, 21.75, 21.20, 21.50), cfg)->price == Approx(21.20));
  CHECK(try_fill(sell, bar(21.25, 21.75, 21.20, 21.50), cfg)->price == 21.20);
  // Inside the bar slippage applies in full: 21.50 + 0.10.
  CHECK(try_fill(buy, bar(21.50, 21.75, 21.20, 21.50), cfg)->price == Approx(21.60));
  // Percent too: 100 * 1.01 = 101 > high 100.5; a stop gapping past 99 fills at the open.
  cfg.slippage = {slippage_kind::percent, 0.01};
  CHECK(try_fill(order(side::buy, order_kind::stop, 0, 99), bar(100, 100.5, 99.5, 100), cfg)
          ->price
        == 100.5);
}

TEST_CASE("keeping a fill within its bar leaves limit fills at the limit or better") {
  execution_config cfg;
  cfg.slippage = {slippage_kind::fixed, 0.10};
  const auto b = bar(100, 110, 90, 105);
  CHECK(try_fill(order(side::buy, order_kind::limit, 95), b, cfg)->price == 95);
  CHECK(try_fill(order(side::buy, order_kind::limit, 101), b, cfg)->price == 100);
  CHECK(try_fill(order(side::sell, order_kind::limit, 110), b, cfg)->price == 110);
}

TEST_CASE("a budget order is sized at the price kept within the bar") {
  order_data o = order(side::buy, order_kind::market);
  o.quantity = 0;
  o.budget = 1087.5;
  execution_config cfg;
  cfg.slippage = {slippage_kind::fixed, 0.10};
  const auto f = try_fill(o, bar(21.70, 21.75, 21.20, 21.50), cfg);
  REQUIRE(f);
  CHECK(f->price == 21.75);
  CHECK(f->quantity == 50);  // 1087.5 / 21.75; at 21.80 it would be 49
}

TEST_CASE("even a bar loading would reject cannot fill a stop above its high") {
  // Open 21.80 above high 21.75: the stop buy at 21.72 gaps and would fill at the open.
  const auto impossible = bar(21.80, 21.75, 21.20, 21.50);
  const auto f = try_fill(order(side::buy, order_kind::stop, 0, 21.72), impossible, {});
  REQUIRE(f);
  CHECK(f->price == 21.75);
  CHECK(within_bar(21.10, bar(21.70, 21.75, 21.20, 21.50)) == 21.20);
}

TEST_CASE("stop-limit: a gap through the stop makes it a limit on that bar") {
  // Buy stop 100 limit 103; the bar opens at 102 (above the stop): a limit 103 -> the open.
  CHECK(trigger_price(order(side::buy, order_kind::stop_limit, 103, 100), bar(102, 106, 101, 105))
        == 102);
  // Opens at 104, above the limit, trades down to 102.5: the limit 103 is reached.
  CHECK(trigger_price(order(side::buy, order_kind::stop_limit, 103, 100), bar(104, 106, 102.5, 105))
        == 103);
  // Opens at 104 and never comes back to 103: triggered, nothing filled.
  CHECK_FALSE(
    trigger_price(order(side::buy, order_kind::stop_limit, 103, 100), bar(104, 106, 103.5, 105)));
  // Sell stop 50 limit 48, gapping down to 49: the open is within the limit.
  CHECK(trigger_price(order(side::sell, order_kind::stop_limit, 48, 50), bar(49, 49.5, 47, 48))
        == 49);
}

TEST_CASE("stop-limit reached inside the bar fills at the stop only when the limit allows it") {
  // Buy stop 100 limit 101: the price passed 100 on its way up, 100 <= 101.
  CHECK(trigger_price(order(side::buy, order_kind::stop_limit, 101, 100), bar(98, 102, 97, 101))
        == 100);
  // Buy stop 100 limit 99: reaching 99 after the stop is not known from the bar (the low of
  // 97 may have come first): nothing on this bar...
  const auto b = bar(98, 102, 97, 101);
  CHECK_FALSE(trigger_price(order(side::buy, order_kind::stop_limit, 99, 100), b));
  // ...but it is triggered, and from the next bar on it is a limit 99.
  working_order w;
  w.order = order(side::buy, order_kind::stop_limit, 99, 100);
  CHECK_FALSE(trade_price(w, b));
  CHECK(w.triggered);
  CHECK(trade_price(w, bar(99.5, 100, 98.5, 99)) == 99);   // reaches 99
  CHECK(trade_price(w, bar(98, 99, 97, 98.5)) == 98);      // opens below: the open
  CHECK_FALSE(trade_price(w, bar(99.5, 104, 99.2, 103)));  // stays above 99 (and 100 again)
}

TEST_CASE("a triggered stop works as a market order: the next bar's open") {
  working_order w;
  w.order = order(side::sell, order_kind::stop, 0, 95);
  CHECK(trade_price(w, bar(97, 98, 94, 96)) == 95);
  CHECK(w.triggered);
  CHECK(trade_price(w, bar(99, 100, 98, 99.5)) == 99);  // the rest, if any, at the open
}

TEST_CASE("a trailing stop follows the close by its trail, never back") {
  auto sell = order(side::sell, order_kind::trailing_stop);
  sell.trail_amount = 2;
  sell.stop_price = initial_trailing_stop(sell, 100);
  CHECK(sell.stop_price == 98);
  follow_close(sell, 103);  // the close rises: 101
  CHECK(sell.stop_price == 101);
  follow_close(sell, 102);  // falls: the stop stays
  CHECK(sell.stop_price == 101);
  CHECK(trigger_price(sell, bar(102, 102.5, 100.5, 101)) == 101);
  auto buy = order(side::buy, order_kind::trailing_stop);
  buy.trail_percent = 0.05;
  buy.stop_price = initial_trailing_stop(buy, 40);  // 42
  CHECK(buy.stop_price == Approx(42));
  follow_close(buy, 38);  // 38 x 1.05 = 39.9
  CHECK(buy.stop_price == Approx(39.9));
  follow_close(buy, 39);  // 40.95 > 39.9: stays
  CHECK(buy.stop_price == Approx(39.9));
  // Other orders are left alone.
  auto stop = order(side::sell, order_kind::stop, 0, 90);
  follow_close(stop, 120);
  CHECK(stop.stop_price == 90);
}

TEST_CASE("market-on-close fills at the close") {
  CHECK(trigger_price(order(side::buy, order_kind::market_on_close), bar(100, 110, 90, 105)) == 105);
}

TEST_CASE("time in force: the last moment an order may fill") {
  const timestamp monday = 18'631 * ns_per_day, tuesday_noon = monday + ns_per_day + ns_per_day / 2;
  auto o = order(side::buy, order_kind::limit, 10);
  CHECK(expiry_of(o, monday) == std::numeric_limits<timestamp>::max());  // GTC
  o.tif = time_in_force::day;  // through the end of the first bar's UTC day
  CHECK(expiry_of(o, monday) == monday + ns_per_day - 1);
  CHECK(expiry_of(o, tuesday_noon) == monday + 2 * ns_per_day - 1);
  o.tif = time_in_force::ioc;
  CHECK(expiry_of(o, tuesday_noon) == tuesday_noon);
  o.tif = time_in_force::fok;
  CHECK(expiry_of(o, monday) == monday);
  o.tif = time_in_force::gtd;
  o.expire_time = monday + 3 * ns_per_day;
  CHECK(expiry_of(o, monday) == monday + 3 * ns_per_day);
  // Before 1970 the day still ends at the next UTC midnight.
  o.tif = time_in_force::day;
  CHECK(expiry_of(o, -ns_per_day / 2) == -1);
}

TEST_CASE("stop-limit fills take no slippage: the limit is the price or better") {
  const slippage_config fixed{slippage_kind::fixed, 0.5};
  CHECK(apply_slippage(order(side::buy, order_kind::stop_limit, 101, 100), 100, fixed) == 100);
  CHECK(apply_slippage(order(side::buy, order_kind::trailing_stop, 0, 100), 100, fixed) == 100.5);
  CHECK(apply_slippage(order(side::sell, order_kind::market_on_close), 100, fixed) == 99.5);
}

// The order model (README "Orders") in whole runs on hand-made bars, with hand-worked
// values: limit, stop, stop-limit, trailing stop and market-on-close fill prices and
// their gap rules, time in force, and volume limits with partial fills. Each run is
// traced (debug, to a temporary directory) to read its FILL, ORDER_CANCEL and
// PORTFOLIO_UPDATE events, and is checked to give the same events with 1 and 4
// scheduler threads and the same metrics untraced.
//
// Bars are daily from 2021-01-04 (a Monday), one a calendar day, UTC midnight: bar n
// (from 1) is day(n). A script's "n:" signals are decided at bar n's close and act from
// bar n + 1 (market-on-close: at bar n's close).
#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "apps/engine/backtest.hpp"
#include "runtime/tracing/trace_file.hpp"
#include "runtime/tracing/trace_settings.hpp"
#include "script_strategy.hpp"
#include "temp_dir.hpp"

using namespace admf;
namespace fs = std::filesystem;

namespace {

using test::add_daily_ohlcv;
using test::in_stream_order;
using test::scripted_config;

/// The time of bar n (from 1): 2021-01-04 + n - 1 days.
constexpr timestamp day(int n) { return (18'631 + n - 1) * ns_per_day; }

/// A bar of X: open, high, low, close, volume.
bar_data bar(double open, double high, double low, double close, double volume = 1000) {
  return {0, open, high, low, close, volume};
}

std::shared_ptr<const market_data> x_bars(const std::vector<bar_data>& rows) {
  market_data m;
  add_daily_ohlcv(m, "X", rows);
  return in_stream_order(std::move(m));
}

template <class T>
struct timed {
  timestamp time;
  T data;
};

/// What a run did, from its trace: the portfolio's and execution's events.
struct order_run {
  portfolio_result result;
  std::vector<timed<order_data>> orders;
  std::vector<timed<fill_data>> fills;
  std::vector<timed<order_cancel_data>> cancels;
  std::vector<timed<portfolio_update_data>> updates;

  /// The PORTFOLIO_UPDATE at bar time t.
  const portfolio_update_data& update_at(timestamp t) const {
    const auto it = std::find_if(updates.begin(), updates.end(),
                                 [t](const auto& u) { return u.time == t; });
    REQUIRE(it != updates.end());
    return it->data;
  }
};

/// Everything that decides the results, as text: equal texts, equal runs.
std::string describe(const order_run& r) {
  std::ostringstream s;
  s.precision(17);
  for (const auto& o : r.orders)
    s << "ORDER " << o.time << ' ' << o.data.order_id << ' ' << int(o.data.action) << ' '
      << int(o.data.kind) << ' ' << o.data.quantity << ' ' << o.data.stop_price << '\n';
  for (const auto& f : r.fills)
    s << "FILL " << f.time << ' ' << f.data.order_id << ' ' << f.data.quantity << ' '
      << f.data.price << ' ' << f.data.commission << ' ' << f.data.remaining << '\n';
  for (const auto& c : r.cancels)
    s << "CANCEL " << c.time << ' ' << c.data.order_id << ' ' << to_string(c.data.reason) << ' '
      << c.data.cut_quantity << '\n';
  for (const auto& u : r.updates)
    s << "UPDATE " << u.time << ' ' << u.data.equity << ' ' << u.data.cash << '\n';
  return s.str();
}

order_run traced_run(const backtest_config& c, const std::shared_ptr<const market_data>& data,
                     std::size_t threads) {
  admf::testing::temp_dir dir;
  order_run out;
  out.result = run_backtest(c, data, {dir.path().string(), threads}).portfolios.at(0);
  // Each event once, though both the portfolio and execution may have seen it.
  std::map<std::uint64_t, event> events;
  for (const char* container : {"p", "execution"}) {
    trace_reader reader{(dir.path() / container / "events.pb").string()};
    while (auto record = reader.next())
      events.emplace(record->ev.header.id, record->ev);
    REQUIRE_FALSE(reader.damage());
  }
  std::vector<event> sorted;
  for (auto& [id, e] : events)
    sorted.push_back(e);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const event& a, const event& b) { return a.header.time < b.header.time; });
  for (const auto& e : sorted) {
    const auto t = e.header.time;
    switch (e.header.type) {
      case event_type::order: out.orders.push_back({t, e.as<order_data>()}); break;
      case event_type::fill: out.fills.push_back({t, e.as<fill_data>()}); break;
      case event_type::order_cancel: out.cancels.push_back({t, e.as<order_cancel_data>()}); break;
      case event_type::portfolio_update:
        out.updates.push_back({t, e.as<portfolio_update_data>()});
        break;
      default: break;
    }
  }
  return out;
}

/// The run's events and result, the same with 1 and 4 threads, and its metrics the
/// same untraced.
order_run run(backtest_config c, const std::shared_ptr<const market_data>& data) {
  const auto untraced = run_backtest(c, data, {"", 1}).portfolios.at(0);
  c.tracing = trace_level("debug", "");
  const auto one = traced_run(c, data, 1);
  const auto four = traced_run(c, data, 4);
  REQUIRE(untraced.ok);
  REQUIRE(one.result.ok);
  CHECK(describe(four) == describe(one));
  CHECK(four.result.metrics.to_json() == one.result.metrics.to_json());
  CHECK(one.result.metrics.to_json() == untraced.metrics.to_json());
  CHECK(one.result.counts == untraced.counts);
  return one;
}

using cancel_counts = std::map<std::string, std::uint64_t>;

constexpr double cents = 1e-9;  // money sums: exact up to rounding of decimal fractions

}  // namespace

// ---------------------------------------------------------------------------------------
// Limit orders

TEST_CASE("orders: a limit buy rests while the low stays above it and fills at the limit "
          "when the low reaches it, without slippage",
          "[orders]") {
  auto c = scripted_config("1: X long 100 limit 95");
  c.execution.slippage = {slippage_kind::fixed, 0.5};  // market-like fills only
  c.execution.commission = {0.01, 0, 0};
  // 01-05: low 97 > 95, it rests. 01-06: opens at 99 > 95, the low 94 reaches 95: 100 @
  // 95 (no slippage), commission 100 x 0.01 = 1. Cash 100,000 - 9,500 - 1 = 90,499.
  // Equity at 01-06's close 96: 90,499 + 9,600 = 100,099; at 01-07's close 98: 100,299.
  const auto r = run(c, x_bars({bar(100, 101, 99, 100), bar(100, 102, 97, 101),
                                bar(99, 100, 94, 96), bar(96, 99, 95, 98)}));
  REQUIRE(r.fills.size() == 1);
  CHECK(r.fills[0].time == day(3));
  CHECK(r.fills[0].data.action == side::buy);
  CHECK(r.fills[0].data.quantity == 100);
  CHECK(r.fills[0].data.price == 95);
  CHECK(r.fills[0].data.commission == Approx(1).margin(cents));
  CHECK(r.fills[0].data.remaining == 0);
  CHECK(r.update_at(day(2)).equity == 100000);
  CHECK(r.update_at(day(3)).cash == Approx(90499).margin(cents));
  CHECK(r.update_at(day(3)).equity == Approx(100099).margin(cents));
  CHECK(r.result.metrics.final_equity == Approx(100299).margin(cents));
  CHECK(r.result.metrics.cancelled.empty());
}

TEST_CASE("orders: a limit buy fills at the open when the bar opens below the limit",
          "[orders]") {
  auto c = scripted_config("1: X long 100 limit 95");
  c.execution.commission = {0.01, 0, 0};
  // 01-05: low 97, rests. 01-06 gaps down to 93 <= 95: 100 @ 93, the better price.
  // Cash 100,000 - 9,300 - 1 = 90,699; equity at 01-07's close 97: 100,399.
  const auto r = run(c, x_bars({bar(100, 101, 99, 100), bar(100, 102, 97, 101),
                                bar(93, 96, 92, 95), bar(95, 97, 94, 97)}));
  REQUIRE(r.fills.size() == 1);
  CHECK(r.fills[0].time == day(3));
  CHECK(r.fills[0].data.price == 93);
  CHECK(r.fills[0].data.quantity == 100);
  CHECK(r.update_at(day(3)).cash == Approx(90699).margin(cents));
  CHECK(r.result.metrics.final_equity == Approx(100399).margin(cents));
}

TEST_CASE("orders: a limit sell exit fills at the limit when the high reaches it, at the "
          "open when the bar opens above it",
          "[orders]") {
  // Mirrored: a sell limit at 110 fills at the open if it is >= 110, else at 110 if the
  // high reaches it. Bought 100 @ 100 on 01-05; the exit is placed at its close.
  auto c = scripted_config("1: X long 100; 2: X flat limit 110");
  c.execution.slippage = {slippage_kind::fixed, 0.5};  // not for limit fills
  SECTION("reached inside the bar") {
    // 01-06: opens 100, high 111: 110. Cash 100,000 - 10,000 + 11,000 = 101,000.
    const auto r = run(c, x_bars({bar(100, 100, 100, 100), bar(100, 100, 100, 100),
                                  bar(100, 111, 99, 108), bar(108, 108, 108, 108)}));
    REQUIRE(r.fills.size() == 2);
    CHECK(r.fills[1].time == day(3));
    CHECK(r.fills[1].data.action == side::sell);
    CHECK(r.fills[1].data.price == 110);
    CHECK(r.result.metrics.final_equity == Approx(101000).margin(cents));
  }
  SECTION("opened above") {
    // 01-06: high 109 < 110, rests. 01-07 opens at 112 >= 110: 112, the better price.
    // Cash 100,000 - 10,000 + 11,200 = 101,200.
    const auto r = run(c, x_bars({bar(100, 100, 100, 100), bar(100, 100, 100, 100),
                                  bar(100, 109, 99, 108), bar(112, 113, 111, 112),
                                  bar(112, 112, 112, 112)}));
    REQUIRE(r.fills.size() == 2);
    CHECK(r.fills[1].time == day(4));
    CHECK(r.fills[1].data.price == 112);
    CHECK(r.result.metrics.final_equity == Approx(101200).margin(cents));
  }
}

// ---------------------------------------------------------------------------------------
// Stop orders

TEST_CASE("orders: a stop buy fills at the stop inside the bar, a protective stop sell "
          "gapped through fills at the open, both slipped",
          "[orders]") {
  // The exit: `X flat stop 100` while long is a stop sell of the whole position.
  auto c = scripted_config("1: X long 100 stop 105; 4: X flat stop 100");
  c.execution.slippage = {slippage_kind::fixed, 0.5};
  c.execution.commission = {0.01, 0, 0};
  // 01-05: high 104 < 105, rests. 01-06: opens 103 < 105, high 107 reaches it: 105 +
  // 0.5 = 105.5 (within the high 107), commission 1: cash 100,000 - 10,550 - 1 =
  // 89,449, equity at close 106: 100,049. At 01-07's close (107, equity 100,149) a sell
  // stop at 100: 01-08's low 101 > 100, rests (equity 89,449 + 10,200 = 99,649). 01-09
  // opens at 97, below 100: gapped through, 97 - 0.5 = 96.5 (the low is 95), the worse
  // price; cash 89,449 + 9,650 - 1 = 99,098, flat. Round trip (96.5 - 105.5) x 100 - 2.
  const auto r =
    run(c, x_bars({bar(100, 101, 99, 100), bar(101, 104, 100, 103), bar(103, 107, 102, 106),
                   bar(106, 108, 104, 107), bar(106, 107, 101, 102), bar(97, 99, 95, 96),
                   bar(96, 96, 96, 96)}));
  REQUIRE(r.orders.size() == 2);
  CHECK(r.orders[1].time == day(4));
  CHECK(r.orders[1].data.action == side::sell);
  CHECK(r.orders[1].data.kind == order_kind::stop);
  CHECK(r.orders[1].data.stop_price == 100);
  CHECK(r.orders[1].data.quantity == 100);  // the whole position
  REQUIRE(r.fills.size() == 2);
  CHECK(r.fills[0].time == day(3));
  CHECK(r.fills[0].data.action == side::buy);
  CHECK(r.fills[0].data.price == 105.5);
  CHECK(r.fills[0].data.quantity == 100);
  CHECK(r.fills[1].time == day(6));
  CHECK(r.fills[1].data.action == side::sell);
  CHECK(r.fills[1].data.price == 96.5);
  CHECK(r.fills[1].data.quantity == 100);
  CHECK(r.update_at(day(3)).equity == Approx(100049).margin(cents));
  CHECK(r.update_at(day(5)).equity == Approx(99649).margin(cents));
  CHECK(r.update_at(day(6)).cash == Approx(99098).margin(cents));
  CHECK(r.result.metrics.trades == 1);
  CHECK(r.result.metrics.win_rate == 0.0);
  CHECK(r.result.metrics.final_equity == Approx(99098).margin(cents));
  CHECK(r.result.metrics.cancelled.empty());
}

TEST_CASE("orders: a stop buy gapped through fills at the open, a stop sell reached inside "
          "the bar at the stop",
          "[orders]") {
  auto c = scripted_config("1: X long 100 stop 105; 3: X flat stop 100");
  c.execution.slippage = {slippage_kind::fixed, 0.5};
  c.execution.commission = {0.01, 0, 0};
  // 01-05 opens at 106 >= 105: 106 + 0.5 = 106.5, worse than the stop; cash 100,000 -
  // 10,650 - 1 = 89,349. At 01-06's close a sell stop at 100. 01-07 opens 104 > 100,
  // low 99 reaches it: 100 - 0.5 = 99.5 (low 99); cash 89,349 + 9,950 - 1 = 99,298.
  const auto r = run(c, x_bars({bar(100, 101, 99, 100), bar(106, 108, 105, 107),
                                bar(107, 108, 104, 105), bar(104, 105, 99, 101),
                                bar(101, 101, 101, 101)}));
  REQUIRE(r.fills.size() == 2);
  CHECK(r.fills[0].time == day(2));
  CHECK(r.fills[0].data.price == 106.5);
  CHECK(r.fills[1].time == day(4));
  CHECK(r.fills[1].data.price == 99.5);
  CHECK(r.update_at(day(2)).equity == Approx(89349 + 10700).margin(cents));
  CHECK(r.result.metrics.final_equity == Approx(99298).margin(cents));
}

// ---------------------------------------------------------------------------------------
// Stop-limit orders (stop 105 for a buy; slippage set, and never applied)

namespace {

order_run stop_limit_run(const std::string& script, const std::vector<bar_data>& after_first) {
  auto c = scripted_config(script);
  c.execution.slippage = {slippage_kind::fixed, 0.5};
  std::vector<bar_data> rows{bar(100, 101, 99, 100)};
  rows.insert(rows.end(), after_first.begin(), after_first.end());
  rows.push_back(bar(100, 100, 100, 100));
  return run(c, x_bars(rows));
}

}  // namespace

TEST_CASE("orders: a stop-limit buy reached inside the bar with its limit at or above the "
          "stop fills at the stop",
          "[orders]") {
  // 01-05 opens 102 < 105, high 107 reaches the stop, limit 106 >= 105: 105.
  const auto r = stop_limit_run("1: X long 100 stop 105 limit 106", {bar(102, 107, 101, 106)});
  REQUIRE(r.fills.size() == 1);
  CHECK(r.fills[0].time == day(2));
  CHECK(r.fills[0].data.price == 105);
  CHECK(r.fills[0].data.quantity == 100);
  // Cash 100,000 - 10,500; at the last close 100: 99,500.
  CHECK(r.result.metrics.final_equity == Approx(99500).margin(cents));
}

TEST_CASE("orders: a stop-limit buy reached inside the bar with its limit below the stop "
          "does not fill on that bar and works as a plain limit from the next",
          "[orders]") {
  // 01-05: high 106 reaches the stop 105; the limit 104 is below it, so nothing on this
  // bar although its low 101 is under 104 (that low may have come before the stop).
  // 01-06 opens at 103 <= 104: as a limit, 103. (Not triggered again: its high 104 is
  // below the stop, so an order still waiting for its stop would not fill there.)
  const auto r = stop_limit_run("1: X long 100 stop 105 limit 104",
                                {bar(102, 106, 101, 105), bar(103, 104, 102, 103)});
  REQUIRE(r.fills.size() == 1);
  CHECK(r.fills[0].time == day(3));
  CHECK(r.fills[0].data.price == 103);
  CHECK(r.fills[0].data.quantity == 100);
}

TEST_CASE("orders: a stop-limit buy gapped through its stop is a limit on that whole bar",
          "[orders]") {
  SECTION("the open within the limit: the open") {
    // Opens 107 >= 105 and <= the limit 108: 107 (no slippage).
    const auto r = stop_limit_run("1: X long 100 stop 105 limit 108", {bar(107, 109, 106, 108)});
    REQUIRE(r.fills.size() == 1);
    CHECK(r.fills[0].time == day(2));
    CHECK(r.fills[0].data.price == 107);
  }
  SECTION("the open above the limit, the low reaching it: the limit") {
    // Opens 108 > 106; the low 105.5 reaches 106: 106.
    const auto r =
      stop_limit_run("1: X long 100 stop 105 limit 106", {bar(108, 109, 105.5, 107)});
    REQUIRE(r.fills.size() == 1);
    CHECK(r.fills[0].time == day(2));
    CHECK(r.fills[0].data.price == 106);
  }
  SECTION("the limit not reached: it rests as a limit") {
    // 01-05 opens 108 > 106, low 107 > 106: nothing. 01-06 opens at 104 <= 106: as a
    // limit, 104. (Waiting for its stop again it would fill at the stop: open 104 < 105,
    // high 105 reaches 105, limit 106 >= 105: 105.)
    const auto r = stop_limit_run("1: X long 100 stop 105 limit 106",
                                  {bar(108, 110, 107, 109), bar(104, 105, 103, 104)});
    REQUIRE(r.fills.size() == 1);
    CHECK(r.fills[0].time == day(3));
    CHECK(r.fills[0].data.price == 104);
  }
}

TEST_CASE("orders: a stop-limit sell mirrors the buy's rules", "[orders]") {
  // Bought 100 @ 100 on 01-05; at its close a sell stop-limit (stop 95). Slippage is set
  // and never applied.
  SECTION("gapped below the stop: a sell limit on that bar, the limit when the high "
          "reaches it") {
    // Limit 94. 01-06 opens at 93 <= 95: a limit sell at 94 on the whole bar; the open
    // 93 is below 94, the high 94.5 reaches it: 94. Cash 100,000 - 10,000 + 9,400.
    const auto r = stop_limit_run("1: X long 100; 2: X flat stop 95 limit 94",
                                  {bar(100, 100, 100, 100), bar(93, 94.5, 92, 93)});
    REQUIRE(r.fills.size() == 2);
    CHECK(r.fills[1].time == day(3));
    CHECK(r.fills[1].data.action == side::sell);
    CHECK(r.fills[1].data.price == 94);
    CHECK(r.result.metrics.final_equity == Approx(99400).margin(cents));
  }
  SECTION("reached inside the bar with the limit above the stop: a limit from the next "
          "bar") {
    // Limit 96 (a sell's limit above its stop: the buy's limit below its stop). 01-06
    // opens 97, its low 94 reaches 95: nothing on this bar, though its high 98 is above
    // 96. 01-07 opens at 96.5 >= 96: as a limit, 96.5. (Still waiting for its stop it
    // would be reached again inside the bar, low 95, and fill nothing.)
    const auto r = stop_limit_run("1: X long 100; 2: X flat stop 95 limit 96",
                                  {bar(100, 100, 100, 100), bar(97, 98, 94, 95),
                                   bar(96.5, 97, 95, 96)});
    REQUIRE(r.fills.size() == 2);
    CHECK(r.fills[1].time == day(4));
    CHECK(r.fills[1].data.price == 96.5);
    CHECK(r.result.metrics.final_equity == Approx(99650).margin(cents));
  }
}

// ---------------------------------------------------------------------------------------
// Trailing stops

TEST_CASE("orders: a trailing sell stop follows the closes up, never down, and fills when "
          "crossed",
          "[orders]") {
  auto c = scripted_config("1: X long 100; 2: X flat trail 2");
  c.execution.commission = {0.01, 0, 0};
  // 01-05: buys 100 @ 100 (the open), commission 1. At its close 100 the exit is a
  // trailing sell stop at 100 - 2 = 98.
  // 01-06: low 99 > 98, no fill; close 103: the stop rises to 101.
  // 01-07: low 101.5 > 101, no fill; close 102 - 2 = 100 < 101: the stop stays at 101.
  // 01-08: opens 102 > 101, low 100.5 <= 101: sells 100 @ 101 (had the stop fallen to
  // 100, nothing would fill). Cash 100,000 - 10,001 + 10,100 - 1 = 100,098.
  const auto r =
    run(c, x_bars({bar(100, 100, 100, 100), bar(100, 101, 99, 100), bar(100, 103, 99, 103),
                   bar(103, 104, 101.5, 102), bar(102, 103, 100.5, 101), bar(101, 101, 101, 101)}));
  REQUIRE(r.fills.size() == 2);
  CHECK(r.fills[0].time == day(2));
  CHECK(r.fills[0].data.price == 100);
  CHECK(r.fills[1].time == day(5));
  CHECK(r.fills[1].data.action == side::sell);
  CHECK(r.fills[1].data.quantity == 100);
  CHECK(r.fills[1].data.price == 101);
  REQUIRE(r.orders.size() == 2);
  CHECK(r.orders[1].data.kind == order_kind::trailing_stop);
  CHECK(r.orders[1].data.stop_price == 98);  // the initial stop: the last close 100 - 2
  CHECK(r.result.metrics.trades == 1);
  CHECK(r.result.metrics.final_equity == Approx(100098).margin(cents));
  CHECK(r.result.metrics.cancelled.empty());
}

TEST_CASE("orders: a trailing sell stop by percent follows the closes by that fraction",
          "[orders]") {
  // 01-05: buys 100 @ 100; the stop starts at 100 - 5% = 95.
  // 01-06: low 96 > 95; close 120: the stop rises to 120 - 6 = 114.
  // 01-07: low 115 > 114; 116 - 5.8 = 110.2 < 114: stays.
  // 01-08: opens 115 > 114, low 113: sells 100 @ 114. Cash 100,000 + 1,400 = 101,400.
  const auto r =
    run(scripted_config("1: X long 100; 2: X flat trail 5%"),
        x_bars({bar(100, 100, 100, 100), bar(100, 100, 100, 100), bar(100, 120, 96, 120),
                bar(118, 119, 115, 116), bar(115, 116, 113, 113), bar(113, 113, 113, 113)}));
  REQUIRE(r.fills.size() == 2);
  CHECK(r.fills[1].time == day(5));
  CHECK(r.fills[1].data.price == Approx(114).margin(cents));
  CHECK(r.result.metrics.final_equity == Approx(101400).margin(cents));
}

TEST_CASE("orders: a trailing buy stop covering a short follows the closes down, never up",
          "[orders]") {
  // A margin account (leverage 1) sells 100 short @ 100 on 01-05: cash 110,000. At its
  // close 100 the cover is a trailing buy stop at 100 + 2 = 102.
  // 01-06: high 101 < 102; close 97: the stop falls to 99.
  // 01-07: high 98.5 < 99; close 98 + 2 = 100 > 99: it stays at 99.
  // 01-08: opens 98 < 99, high 99.5 >= 99: buys 100 @ 99 (a stop risen to 100 would
  // not fill). Cash 110,000 - 9,900 = 100,100, flat.
  auto c = scripted_config("1: X short 100; 2: X flat trail 2");
  c.portfolios[0].account = {account_type::margin, 1, 0.25, shortfall_policy::cut};
  const auto r =
    run(c, x_bars({bar(100, 100, 100, 100), bar(100, 101, 99, 100), bar(100, 101, 97, 97),
                   bar(97, 98.5, 96, 98), bar(98, 99.5, 97, 99), bar(99, 99, 99, 99)}));
  REQUIRE(r.fills.size() == 2);
  CHECK(r.fills[0].data.action == side::sell);
  CHECK(r.fills[1].time == day(5));
  CHECK(r.fills[1].data.action == side::buy);
  CHECK(r.fills[1].data.quantity == 100);
  CHECK(r.fills[1].data.price == 99);
  CHECK(r.result.metrics.final_equity == Approx(100100).margin(cents));
}

// ---------------------------------------------------------------------------------------
// Market-on-close

TEST_CASE("orders: market-on-close fills at the close of its own bar, and that close's "
          "equity includes the fill and its commission",
          "[orders]") {
  auto c = scripted_config("2: X long 100 moc; 3: X flat moc");
  c.execution.slippage = {slippage_kind::fixed, 0.5};
  c.execution.commission = {0.05, 0, 0};
  // Decided at 01-05's close, filled at that close 102: + 0.5 slippage = 102.5 (high
  // 103), commission 100 x 0.05 = 5. Cash 100,000 - 10,250 - 5 = 89,745; equity at that
  // close 89,745 + 100 x 102 = 99,945 (100,000 without the fill).
  // Sold at 01-06's close 104 - 0.5 = 103.5 (low 101), commission 5: cash 89,745 +
  // 10,350 - 5 = 100,090, flat. Round trip (103.5 - 102.5) x 100 - 10 = 90.
  const auto r = run(c, x_bars({bar(100, 100, 100, 100), bar(101, 103, 100, 102),
                                bar(102, 105, 101, 104), bar(104, 104, 104, 104)}));
  REQUIRE(r.fills.size() == 2);
  CHECK(r.fills[0].time == day(2));
  CHECK(r.fills[0].data.price == 102.5);
  CHECK(r.fills[0].data.commission == Approx(5).margin(cents));
  CHECK(r.fills[1].time == day(3));
  CHECK(r.fills[1].data.price == 103.5);
  CHECK(r.update_at(day(2)).cash == Approx(89745).margin(cents));
  CHECK(r.update_at(day(2)).equity == Approx(99945).margin(cents));
  CHECK(r.update_at(day(3)).equity == Approx(100090).margin(cents));
  CHECK(r.result.metrics.trades == 1);
  CHECK(r.result.metrics.win_rate == 1.0);
  CHECK(r.result.metrics.final_equity == Approx(100090).margin(cents));
  CHECK(r.result.metrics.cancelled.empty());
}

TEST_CASE("orders: the part of a market-on-close its close does not fill is cancelled",
          "[orders][volume]") {
  // 100 of the 250 fit in 0.1 x 1,000 at 01-05's close 102; the other 150 are cancelled
  // (expired), not carried to 01-06. Cash 100,000 - 10,200 = 89,800; equity at 01-06's
  // close 104: 89,800 + 10,400 = 100,200.
  auto c = scripted_config("2: X long 250 moc");
  c.execution.max_volume_fraction = 0.1;
  const auto r = run(c, x_bars({bar(100, 100, 100, 100), bar(101, 103, 100, 102),
                                bar(102, 105, 101, 104)}));
  REQUIRE(r.fills.size() == 1);
  CHECK(r.fills[0].time == day(2));
  CHECK(r.fills[0].data.quantity == 100);
  CHECK(r.fills[0].data.price == 102);
  CHECK(r.result.metrics.cancelled == cancel_counts{{"expired", 1}});
  CHECK(r.update_at(day(2)).equity == Approx(100000).margin(cents));
  CHECK(r.result.metrics.final_equity == Approx(100200).margin(cents));
}

TEST_CASE("orders: a market-on-close shares its bar's volume limit with the orders that "
          "filled earlier on that bar",
          "[orders][volume]") {
  // The README: max_volume_fraction "caps what one portfolio's orders fill on a bar at
  // F x its volume". Cap 0.1 x 1,000 = 100 units on 01-05: what filled at its open, and
  // the other market-on-close orders of that close, count against it.
  auto c = scripted_config("");
  c.execution.max_volume_fraction = 0.1;
  const auto bars = x_bars({bar(100, 100, 100, 100), bar(100, 103, 99, 102),
                            bar(102, 103, 101, 102)});
  SECTION("after a market order at the open") {
    // Target 100 at the first close: 100 @ 100 at 01-05's open, the whole cap. Target
    // 180 at 01-05's close, market-on-close: its 80 find nothing left of the cap on
    // that bar, fill nothing and are cancelled (expired). Cash 100,000 - 10,000 =
    // 90,000 at 01-05's close (80 more at 102 would leave 81,840).
    c.portfolios[0].strategies[0].params.values["script"] = "1: X qty 100; 2: X qty 180 moc";
    const auto r = run(c, bars);
    CHECK(r.fills.size() == 1);
    CHECK(r.result.metrics.cancelled == cancel_counts{{"expired", 1}});
    CHECK(r.update_at(day(2)).cash == Approx(90000).margin(cents));
  }
  SECTION("two market-on-close orders of one close") {
    // Both placed at 01-05's close (on_new_signal: add), 80 each: the first (lower id)
    // fills 80 at the close 102, the second the 20 left of the cap; its other 60 are
    // cancelled (expired). Cash 100,000 - 100 x 102 = 89,800.
    c.portfolios[0].on_new_signal = new_signal_policy::add;
    c.portfolios[0].strategies[0].params.values["script"] = "2: X long 80 moc, X long 80 moc";
    const auto r = run(c, bars);
    REQUIRE(r.fills.size() == 2);
    CHECK(r.fills[0].data.quantity == 80);
    CHECK(r.fills[1].data.quantity == 20);
    CHECK(r.result.metrics.cancelled == cancel_counts{{"expired", 1}});
    CHECK(r.update_at(day(2)).cash == Approx(89800).margin(cents));
  }
}

TEST_CASE("orders: a market-on-close in a symbol without a bar at that close is cancelled "
          "no_bar",
          "[orders]") {
  // Y has no bar on 01-05, the second timestamp (X's bar makes it one): its
  // market-on-close there cannot fill, and is not carried to 01-06.
  market_data m;
  add_daily_ohlcv(m, "X", {bar(100, 100, 100, 100), bar(100, 100, 100, 100),
                           bar(100, 100, 100, 100)});
  add_daily_ohlcv(m, "Y", {bar(50, 50, 50, 50), bar(50, 50, 50, 50), bar(50, 50, 50, 50)});
  m.bars.erase(std::remove_if(m.bars.begin(), m.bars.end(),
                              [](const timed_bar& b) {
                                return b.bar.symbol == 1 && b.time == day(2);
                              }),
               m.bars.end());
  const auto r = run(scripted_config("2: Y long 10 moc"), in_stream_order(std::move(m)));
  CHECK(r.fills.empty());
  CHECK(r.result.metrics.cancelled == cancel_counts{{"no_bar", 1}});
  CHECK(r.result.metrics.final_equity == 100000);
}

// ---------------------------------------------------------------------------------------
// Time in force (the limit 95 is first reached on 01-06, the third bar)

namespace {

/// 01-05's low 97 and 01-06's low 94 around a limit buy at 95.
std::vector<bar_data> limit_95_bars() {
  return {bar(100, 101, 99, 100), bar(100, 102, 97, 101), bar(99, 100, 94, 96),
          bar(96, 97, 95.5, 96)};
}

}  // namespace

TEST_CASE("orders: a DAY order on daily bars works one bar and expires at the next",
          "[orders][tif]") {
  // Its first bar is 01-05 (low 97: no fill). On 01-06, the first bar after its day, it
  // is cancelled (expired), though that bar reaches 95.
  const auto r = run(scripted_config("1: X long 100 limit 95 day"), x_bars(limit_95_bars()));
  CHECK(r.fills.empty());
  REQUIRE(r.cancels.size() == 1);
  CHECK(r.cancels[0].time == day(3));
  CHECK(r.result.metrics.cancelled == cancel_counts{{"expired", 1}});
  CHECK(r.result.metrics.final_equity == 100000);
}

TEST_CASE("orders: a GTD order fills on bars up to its expire time and expires after it",
          "[orders][tif]") {
  // gtd 2021-01-07: through 01-07 00:00 UTC, the fourth bar's time.
  SECTION("reached on the expire time's bar: filled") {
    // Lows 97, 96, then 94 on 01-07: 100 @ 95 on 01-07.
    const auto r = run(scripted_config("1: X long 100 limit 95 gtd 2021-01-07"),
                       x_bars({bar(100, 101, 99, 100), bar(100, 102, 97, 101),
                               bar(99, 100, 96, 97), bar(97, 98, 94, 96)}));
    REQUIRE(r.fills.size() == 1);
    CHECK(r.fills[0].time == day(4));
    CHECK(r.fills[0].data.price == 95);
    CHECK(r.result.metrics.cancelled.empty());
  }
  SECTION("reached only after it: expired at the first bar after it") {
    // Lows 97, 96, 96; 01-08 would fill (low 90) but the order has expired.
    const auto r = run(scripted_config("1: X long 100 limit 95 gtd 2021-01-07"),
                       x_bars({bar(100, 101, 99, 100), bar(100, 102, 97, 101),
                               bar(99, 100, 96, 97), bar(97, 98, 96, 97), bar(95, 96, 90, 92)}));
    CHECK(r.fills.empty());
    REQUIRE(r.cancels.size() == 1);
    CHECK(r.cancels[0].time == day(5));
    CHECK(r.result.metrics.cancelled == cancel_counts{{"expired", 1}});
  }
}

TEST_CASE("orders: an IOC limit that does not fill on its first bar is cancelled",
          "[orders][tif]") {
  // 01-05's low 97 does not reach 95: cancelled; 01-06 (low 94) fills nothing. The
  // README gives FOK its own reason only, so the rest of an IOC is past its time:
  // expired.
  const auto r = run(scripted_config("1: X long 100 limit 95 ioc"), x_bars(limit_95_bars()));
  CHECK(r.fills.empty());
  CHECK(r.result.metrics.cancelled == cancel_counts{{"expired", 1}});
  CHECK(r.result.metrics.final_equity == 100000);
}

TEST_CASE("orders: under a volume limit a FOK larger than the bar allows is killed, an IOC "
          "fills what the bar allows",
          "[orders][tif][volume]") {
  // max_volume_fraction 0.1 of 1,000 units: 100 a bar for the portfolio.
  const auto bars = x_bars({bar(100, 100, 100, 100), bar(100, 101, 99, 100),
                            bar(101, 103, 100, 102), bar(102, 102, 102, 102)});
  SECTION("FOK 250: nothing, fill_or_kill") {
    auto c = scripted_config("1: X long 250 fok");
    c.execution.max_volume_fraction = 0.1;
    const auto r = run(c, bars);
    CHECK(r.fills.empty());
    CHECK(r.result.metrics.cancelled == cancel_counts{{"fill_or_kill", 1}});
    CHECK(r.result.metrics.final_equity == 100000);
  }
  SECTION("FOK 80, within the limit: all of it") {
    auto c = scripted_config("1: X long 80 fok");
    c.execution.max_volume_fraction = 0.1;
    const auto r = run(c, bars);
    REQUIRE(r.fills.size() == 1);
    CHECK(r.fills[0].time == day(2));
    CHECK(r.fills[0].data.quantity == 80);
    CHECK(r.fills[0].data.price == 100);
    CHECK(r.result.metrics.cancelled.empty());
  }
  SECTION("IOC 250: 100 at the open, the other 150 cancelled") {
    // 100 @ 100 on 01-05: cash 90,000; nothing on 01-06 (it would have had 100 more).
    // Equity at the closes 102: 90,000 + 10,200 = 100,200.
    auto c = scripted_config("1: X long 250 ioc");
    c.execution.max_volume_fraction = 0.1;
    const auto r = run(c, bars);
    REQUIRE(r.fills.size() == 1);
    CHECK(r.fills[0].time == day(2));
    CHECK(r.fills[0].data.quantity == 100);
    CHECK(r.fills[0].data.price == 100);
    CHECK(r.result.metrics.cancelled == cancel_counts{{"expired", 1}});
    CHECK(r.result.metrics.final_equity == Approx(100200).margin(cents));
  }
}

// ---------------------------------------------------------------------------------------
// Volume limits

TEST_CASE("orders: a volume limit fills a market order over several bars at their opens, "
          "a gapped open too",
          "[orders][volume]") {
  auto c = scripted_config("1: X long 250");
  c.execution.max_volume_fraction = 0.1;  // 0.1 x 1,000 = 100 units a bar
  c.execution.commission = {0.01, 0, 0};
  // 01-05: 100 @ 100, 150 left, commission 1: cash 89,999, equity 99,999.
  // 01-06: 100 @ 101, 50 left, commission 1: cash 79,898, equity 79,898 + 200 x 101 =
  //        100,098.
  // 01-07 gaps from 101 to 110: the last 50 @ 110, commission 0.5: cash 74,397.5,
  //        equity 74,397.5 + 250 x 110 = 101,897.5.
  const auto r = run(c, x_bars({bar(100, 100, 100, 100), bar(100, 101, 99, 100),
                                bar(101, 102, 100, 101), bar(110, 111, 109, 110),
                                bar(110, 110, 110, 110)}));
  REQUIRE(r.orders.size() == 1);
  REQUIRE(r.fills.size() == 3);
  const std::vector<timestamp> times{day(2), day(3), day(4)};
  const std::vector<double> prices{100, 101, 110}, quantities{100, 100, 50},
    remaining{150, 50, 0}, commissions{1, 1, 0.5};
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("fill " << i);
    CHECK(r.fills[i].data.order_id == r.orders[0].data.order_id);
    CHECK(r.fills[i].time == times[i]);
    CHECK(r.fills[i].data.price == prices[i]);
    CHECK(r.fills[i].data.quantity == quantities[i]);
    CHECK(r.fills[i].data.remaining == remaining[i]);
    CHECK(r.fills[i].data.commission == Approx(commissions[i]).margin(cents));
  }
  CHECK(r.update_at(day(2)).equity == Approx(99999).margin(cents));
  CHECK(r.update_at(day(3)).equity == Approx(100098).margin(cents));
  CHECK(r.update_at(day(4)).cash == Approx(74397.5).margin(cents));
  CHECK(r.result.metrics.final_equity == Approx(101897.5).margin(cents));
  CHECK(r.result.metrics.cancelled.empty());
}

TEST_CASE("orders: a bar with no volume fills nothing under a volume limit",
          "[orders][volume]") {
  auto c = scripted_config("1: X long 150");
  c.execution.max_volume_fraction = 0.1;
  // 01-05 has volume 0: nothing. 01-06: 100 @ 101. 01-07: 50 @ 102.
  const auto r = run(c, x_bars({bar(100, 100, 100, 100), bar(100, 101, 99, 100, 0),
                                bar(101, 102, 100, 101), bar(102, 103, 101, 102),
                                bar(102, 102, 102, 102)}));
  REQUIRE(r.fills.size() == 2);
  CHECK(r.fills[0].time == day(3));
  CHECK(r.fills[0].data.quantity == 100);
  CHECK(r.fills[0].data.price == 101);
  CHECK(r.fills[1].time == day(4));
  CHECK(r.fills[1].data.quantity == 50);
  CHECK(r.fills[1].data.price == 102);
  // Cash 100,000 - 10,100 - 5,100 = 84,800; equity at the last close 84,800 + 15,300.
  CHECK(r.result.metrics.final_equity == Approx(100100).margin(cents));
}

TEST_CASE("orders: a volume limit fills whole lots", "[orders][volume]") {
  // Lots of 10 units; 0.1 x 950 = 95 units a bar, 9 whole lots: 90. An order of 200:
  // 90 @ 100, 90 @ 101, 20 @ 102. Cash 100,000 - 9,000 - 9,090 - 2,040 = 79,870;
  // equity at the last close 79,870 + 200 x 102 = 100,270.
  auto c = scripted_config("1: X long 200");
  c.execution.max_volume_fraction = 0.1;
  c.instruments["X"].lot_size = 10;
  const auto r = run(c, x_bars({bar(100, 100, 100, 100, 950), bar(100, 101, 99, 100, 950),
                                bar(101, 102, 100, 101, 950), bar(102, 103, 101, 102, 950),
                                bar(102, 102, 102, 102, 950)}));
  REQUIRE(r.fills.size() == 3);
  CHECK(r.fills[0].data.quantity == 90);
  CHECK(r.fills[0].data.remaining == 110);
  CHECK(r.fills[1].data.quantity == 90);
  CHECK(r.fills[1].data.price == 101);
  CHECK(r.fills[2].data.quantity == 20);
  CHECK(r.fills[2].data.price == 102);
  CHECK(r.fills[2].data.remaining == 0);
  CHECK(r.result.metrics.final_equity == Approx(100270).margin(cents));
}

TEST_CASE("orders: two orders of a portfolio in one bar share its volume limit, the lower "
          "order id first",
          "[orders][volume]") {
  auto c = scripted_config("1: X long 60, X long 80");
  c.portfolios[0].on_new_signal = new_signal_policy::add;  // both orders stay
  c.execution.max_volume_fraction = 0.1;                   // 100 a bar
  // 01-05: the first order (60) fills whole at the open 100, the second gets the other
  // 40 (40 left). 01-06: the second's last 40 @ 101. Cash 100,000 - 6,000 - 4,000 -
  // 4,040 = 85,960; equity at 01-06's close 85,960 + 140 x 101 = 100,100.
  const auto r = run(c, x_bars({bar(100, 100, 100, 100), bar(100, 101, 99, 100),
                                bar(101, 102, 100, 101)}));
  REQUIRE(r.orders.size() == 2);
  const auto first = std::min(r.orders[0].data.order_id, r.orders[1].data.order_id);
  const auto second = std::max(r.orders[0].data.order_id, r.orders[1].data.order_id);
  const auto quantity_of = [&](std::uint64_t id) {
    for (const auto& o : r.orders)
      if (o.data.order_id == id)
        return o.data.quantity;
    return 0.0;
  };
  CHECK(quantity_of(first) == 60);
  CHECK(quantity_of(second) == 80);
  REQUIRE(r.fills.size() == 3);
  CHECK(r.fills[0].time == day(2));
  CHECK(r.fills[0].data.order_id == first);
  CHECK(r.fills[0].data.quantity == 60);
  CHECK(r.fills[0].data.remaining == 0);
  CHECK(r.fills[1].time == day(2));
  CHECK(r.fills[1].data.order_id == second);
  CHECK(r.fills[1].data.quantity == 40);
  CHECK(r.fills[1].data.remaining == 40);
  CHECK(r.fills[2].time == day(3));
  CHECK(r.fills[2].data.order_id == second);
  CHECK(r.fills[2].data.quantity == 40);
  CHECK(r.fills[2].data.price == 101);
  CHECK(r.fills[2].data.remaining == 0);
  CHECK(r.result.metrics.final_equity == Approx(100100).margin(cents));
}

TEST_CASE("orders: under a volume limit orders filling at the open go before an earlier "
          "order filling inside the bar",
          "[orders][volume]") {
  // Order 1: a limit buy of 80 at 99; order 2: a market buy of 80. 01-05 opens at 100
  // (above the limit) and its low 98 reaches 99. At the open first: the market order's
  // 80 @ 100; the limit gets the other 20 @ 99 (60 left). 01-06 opens at 99 <= 99: the
  // limit's 60 @ 99 (the open). Cash 100,000 - 8,000 - 1,980 - 5,940 = 84,080; equity
  // at 01-06's close 99: 84,080 + 160 x 99 = 99,920.
  auto c = scripted_config("1: X long 80 limit 99, X long 80");
  c.portfolios[0].on_new_signal = new_signal_policy::add;
  c.execution.max_volume_fraction = 0.1;
  const auto r = run(c, x_bars({bar(100, 100, 100, 100), bar(100, 101, 98, 100),
                                bar(99, 100, 98, 99)}));
  REQUIRE(r.orders.size() == 2);
  const auto& limit = r.orders[0].data.kind == order_kind::limit ? r.orders[0] : r.orders[1];
  const auto& market = r.orders[0].data.kind == order_kind::limit ? r.orders[1] : r.orders[0];
  CHECK(limit.data.order_id < market.data.order_id);
  REQUIRE(r.fills.size() == 3);
  CHECK(r.fills[0].time == day(2));
  CHECK(r.fills[0].data.order_id == market.data.order_id);
  CHECK(r.fills[0].data.quantity == 80);
  CHECK(r.fills[0].data.price == 100);
  CHECK(r.fills[1].time == day(2));
  CHECK(r.fills[1].data.order_id == limit.data.order_id);
  CHECK(r.fills[1].data.quantity == 20);
  CHECK(r.fills[1].data.price == 99);
  CHECK(r.fills[1].data.remaining == 60);
  CHECK(r.fills[2].time == day(3));
  CHECK(r.fills[2].data.order_id == limit.data.order_id);
  CHECK(r.fills[2].data.quantity == 60);
  CHECK(r.fills[2].data.price == 99);
  CHECK(r.result.metrics.final_equity == Approx(99920).margin(cents));
}

TEST_CASE("orders: a budget order under a volume limit is sized at its first fill and a "
          "later fill the cash no longer pays is cut",
          "[orders][volume]") {
  // Capital 25,000, all of it: at 01-05's open 100 it buys 250 units, of which 100 fill
  // (cash 15,000). 01-06: 100 @ 101 (cash 4,900). 01-07 gaps to 110: the last 50 would
  // cost 5,500; the account keeps floor(4,900 / 110) = 44 (4,840, cash 60) and cuts 6
  // (insufficient_cash). Equity at 01-07's close: 60 + 244 x 110 = 26,900.
  auto c = scripted_config("1: X long", 25000);
  c.execution.max_volume_fraction = 0.1;
  const auto r = run(c, x_bars({bar(100, 100, 100, 100), bar(100, 101, 99, 100),
                                bar(101, 102, 100, 101), bar(110, 111, 109, 110),
                                bar(110, 110, 110, 110)}));
  REQUIRE(r.fills.size() == 3);
  CHECK(r.fills[0].data.quantity == 100);
  CHECK(r.fills[0].data.remaining == 150);
  CHECK(r.fills[1].data.quantity == 100);
  CHECK(r.fills[1].data.remaining == 50);
  CHECK(r.fills[2].data.quantity == 50);
  CHECK(r.fills[2].data.price == 110);
  REQUIRE(r.cancels.size() == 1);
  CHECK(r.cancels[0].time == day(4));
  CHECK(r.cancels[0].data.reason == cancel_reason::insufficient_cash);
  CHECK(r.cancels[0].data.cut_quantity == 6);
  CHECK(r.update_at(day(4)).cash == Approx(60).margin(cents));
  CHECK(r.result.metrics.final_equity == Approx(26900).margin(cents));
}

TEST_CASE("orders: commission tiers count the portfolio's month-to-date units, fill by fill",
          "[orders][costs]") {
  // Tiers: the first 100 units of a month pay 1 each, the rest nothing. X is flat at 10.
  // 01-05: 60 units, none before: 60 x 1 = 60.   01-07: 60 more, 60 before: 40 of them in
  // the first tier = 40.   02-01 (bar 29): a new month: 60 x 1 = 60. Cash 100,000 -
  // 3 x 600 - 160 = 98,040.
  auto c = scripted_config("1: X qty 60; 3: X qty 120; 28: X qty 180");
  c.execution.commission.tiers = {{100, 1, 0}, {std::numeric_limits<double>::infinity(), 0, 0}};
  const auto r = run(c, x_bars(std::vector<bar_data>(30, bar(10, 10, 10, 10))));
  REQUIRE(r.fills.size() == 3);
  CHECK(r.fills[0].time == day(2));
  CHECK(r.fills[0].data.month_to_date == 0);
  CHECK(r.fills[0].data.commission == 60);
  CHECK(r.fills[1].data.month_to_date == 60);
  CHECK(r.fills[1].data.commission == 40);
  CHECK(r.fills[2].time == day(29));  // 2021-02-01
  CHECK(r.fills[2].data.month_to_date == 0);
  CHECK(r.fills[2].data.commission == 60);
  CHECK(r.result.metrics.final_equity == Approx(99840).margin(cents));
  CHECK(r.update_at(day(29)).cash == Approx(98040).margin(cents));
}

TEST_CASE("orders: a bracket leg filled in part shrinks the other leg instead of cancelling it",
          "[orders][volume][bracket]") {
  // Cap 0.04 x volume. 01-05 (volume 10,000: cap 400): the entry buys 100 @ 100; its legs
  // (stop 90, limit 110, 100 each) work from 01-06.
  // 01-06 (cap 40) reaches 111: the take-profit sells 40 @ 110; the stop now covers 60.
  // 01-07 (cap 40) falls to 85: the stop sells 40 @ 90; the take-profit covers 20 more.
  // 01-08 (cap 40): the triggered stop sells its last 20 at the open, 87; nothing is left
  // for the take-profit: cancelled (oco). Cash 100,000 - 10,000 + 4,400 + 3,600 + 1,740.
  auto c = scripted_config("1: X long 100 sl 90 tp 110");
  c.execution.max_volume_fraction = 0.04;
  const auto r = run(c, x_bars({bar(100, 100, 100, 100), bar(100, 101, 99, 100, 10000),
                                bar(105, 111, 104, 108), bar(95, 96, 85, 88),
                                bar(87, 88, 86, 87)}));
  REQUIRE(r.fills.size() == 4);
  CHECK(r.fills[1].time == day(3));
  CHECK(r.fills[1].data.price == 110);
  CHECK(r.fills[1].data.quantity == 40);
  CHECK(r.fills[1].data.remaining == 60);
  CHECK(r.fills[2].time == day(4));
  CHECK(r.fills[2].data.price == 90);
  CHECK(r.fills[2].data.quantity == 40);
  CHECK(r.fills[2].data.remaining == 20);  // of the stop's 60
  CHECK(r.fills[3].time == day(5));
  CHECK(r.fills[3].data.price == 87);
  CHECK(r.fills[3].data.quantity == 20);
  CHECK(r.fills[3].data.remaining == 0);
  CHECK(r.result.metrics.cancelled == cancel_counts{{"oco", 1}});
  CHECK(r.result.metrics.final_equity == Approx(99740).margin(cents));
  CHECK(r.result.open_positions.empty());
}

// The order model (README "Orders") in whole runs on hand-made daily bars, with
// hand-worked values: brackets and the stop-first rule, scaling with targets,
// on_new_signal, cancel, replace, and liquidation's cancels. Each run is checked with
// 1 and 4 scheduler threads. No commission or slippage anywhere: a fill costs exactly
// price x quantity.
//
// Days: bar n is 2021-01-04 + (n - 1) days, so bar 2 is 2021-01-05, bar 3 2021-01-06, ...
// A script's "n:" signals are made at bar n's close and act from bar n + 1.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "apps/engine/backtest.hpp"
#include "script_strategy.hpp"
#include "temp_dir.hpp"
#include "result_rows.hpp"

using namespace admf;
using admf::testing::csv_rows;

namespace {

using test::add_daily_bars;
using test::add_daily_ohlcv;
using test::in_stream_order;
using test::scripted_config;
using counts_by_reason = std::map<std::string, std::uint64_t>;

/// One trades.csv row (a closed round trip).
struct trade_row {
  std::string symbol, side;
  double quantity = 0;
  std::string entry_time;
  double entry_price = 0;
  std::string exit_time;
  double exit_price = 0, pnl = 0;
};

/// One equity.csv row (a close).
struct equity_row {
  std::string time;
  double equity = 0, cash = 0, gross = 0, net = 0;
};

struct outcome {
  portfolio_result result;
  std::vector<trade_row> trades;
  std::vector<equity_row> equity;

  std::uint64_t count(event_type t) const { return result.counts[static_cast<std::size_t>(t)]; }
  const metrics_report& metrics() const { return result.metrics; }
};

/// Runs `c` with result files (1 thread) and without (4 threads); both must agree.
outcome run(const backtest_config& c, std::shared_ptr<const market_data> data) {
  admf::testing::temp_dir dir;
  const auto one = run_backtest(c, data, {dir.path().string(), 1}).portfolios.at(0);
  const auto four = run_backtest(c, data, {"", 4}).portfolios.at(0);
  CHECK(four.metrics.to_json() == one.metrics.to_json());
  CHECK(four.counts == one.counts);
  REQUIRE(one.ok);
  outcome o{one, {}, {}};
  const auto out = dir.path() / c.portfolios.at(0).id;
  // trade_id,strategy,symbol,side,quantity,entry_time,entry_price,exit_time,exit_price,
  // commission,borrow_fee,dividends,pnl
  for (const auto& f : csv_rows(out / "trades.csv")) {
    REQUIRE(f.size() == 13);
    o.trades.push_back({f[2], f[3], std::stod(f[4]), f[5], std::stod(f[6]), f[7],
                        std::stod(f[8]), std::stod(f[12])});
  }
  // time,equity,cash,gross_exposure,net_exposure
  for (const auto& f : csv_rows(out / "equity.csv")) {
    REQUIRE(f.size() == 5);
    o.equity.push_back({f[0], std::stod(f[1]), std::stod(f[2]), std::stod(f[3]),
                        std::stod(f[4])});
  }
  return o;
}

bar_data ohlc(double open, double high, double low, double close) {
  return {0, open, high, low, close, 1000};
}

std::shared_ptr<const market_data> x_bars(std::vector<bar_data> bars) {
  market_data m;
  add_daily_ohlcv(m, "X", bars);
  return in_stream_order(std::move(m));
}

/// A bracket bought at bar 1's close, "X long 100 sl 95 tp 110": bar 1 at 100; on bar 2
/// the entry fills at the open, 100 x 100 (cash 90,000), and the bar spans 94..112, so
/// it reaches both legs' prices; the legs are placed at bar 2's close and work from bar
/// 3 on, so neither may fill on bar 2. Then `later`.
std::shared_ptr<const market_data> bracket_market(std::vector<bar_data> later) {
  std::vector<bar_data> bars{ohlc(100, 100, 100, 100), ohlc(100, 112, 94, 100)};
  bars.insert(bars.end(), later.begin(), later.end());
  return x_bars(bars);
}

const std::string bracket = "1: X long 100 sl 95 tp 110";

/// The one round trip of a bracket run: 100 X bought at 100 on 2021-01-05, sold at `exit`
/// on `exit_time`; pnl 100 x (exit - 100); nothing held afterwards.
void check_bracket_exit(const outcome& o, double exit, const std::string& exit_time) {
  REQUIRE(o.trades.size() == 1);
  const auto& t = o.trades[0];
  CHECK(t.side == "long");
  CHECK(t.quantity == 100);
  CHECK(t.entry_time == "2021-01-05");
  CHECK(t.entry_price == 100);
  CHECK(t.exit_time == exit_time);
  CHECK(t.exit_price == exit);
  CHECK(t.pnl == 100 * (exit - 100));
  CHECK(o.count(event_type::fill) == 2);  // the entry and one leg, never both legs
  CHECK(o.metrics().open_positions == 0);
  CHECK(o.metrics().final_equity == 90000 + 100 * exit);
}

}  // namespace

// --- brackets -----------------------------------------------------------------------

TEST_CASE("bracket: the take-profit fills at its limit, the stop-loss is cancelled oco",
          "[orders][bracket]") {
  // Bar 3 (01-06) opens at 106 below the take-profit and reaches 111: a limit sell at 110
  // fills at 110. Cash 90,000 + 11,000 = 101,000. Bar 4 falls to 90, below the stop at
  // 95: the stop was cancelled with bar 3's fill and does nothing.
  const auto o = run(scripted_config(bracket),
                     bracket_market({ohlc(106, 111, 105, 109), ohlc(109, 109, 90, 92)}));
  check_bracket_exit(o, 110, "2021-01-06");
  CHECK(o.metrics().cancelled == counts_by_reason{{"oco", 1}});
  CHECK(o.count(event_type::order) == 3);  // the entry and its two legs
}

TEST_CASE("bracket: the stop-loss fills at its stop, the take-profit is cancelled oco",
          "[orders][bracket]") {
  // Bar 3 opens at 98 above the stop and falls to 93: a stop sell at 95 fills at 95.
  // Cash 90,000 + 9,500 = 99,500. Bar 4 rises to 112 past the cancelled take-profit.
  const auto o = run(scripted_config(bracket),
                     bracket_market({ohlc(98, 98, 93, 94), ohlc(100, 112, 100, 111)}));
  check_bracket_exit(o, 95, "2021-01-06");
  CHECK(o.metrics().cancelled == counts_by_reason{{"oco", 1}});
}

TEST_CASE("bracket: a stop-loss gapped through fills at the open", "[orders][bracket]") {
  // Bar 3 opens at 92, below the stop at 95: the stop fills at the open, 92 (not 95).
  // Cash 90,000 + 9,200 = 99,200; pnl -800.
  const auto o = run(scripted_config(bracket), bracket_market({ohlc(92, 93, 90, 91)}));
  check_bracket_exit(o, 92, "2021-01-06");
  CHECK(o.metrics().cancelled == counts_by_reason{{"oco", 1}});
}

TEST_CASE("bracket: both legs reached inside one bar: the stop-loss fills, the take-profit "
          "is cancelled",
          "[orders][bracket]") {
  // Bar 3 opens at 100, between the legs, and spans 94..111: both are reached, neither at
  // the open. The path inside the bar is unknown, so the stop-loss fills at 95 (README:
  // the conservative rule), cash 99,500, and the take-profit is cancelled oco.
  const auto o = run(scripted_config(bracket), bracket_market({ohlc(100, 111, 94, 100)}));
  check_bracket_exit(o, 95, "2021-01-06");
  CHECK(o.metrics().cancelled == counts_by_reason{{"oco", 1}});
}

TEST_CASE("bracket: a gap through the take-profit at the open comes before a dip through "
          "the stop-loss",
          "[orders][bracket]") {
  // Bar 3 opens at 112, above the take-profit at 110, and later falls to 90, below the
  // stop at 95. The open came first: the limit sell fills at the open, 112 (better than
  // its limit), cash 90,000 + 11,200 = 101,200; the stop is cancelled oco.
  const auto o = run(scripted_config(bracket), bracket_market({ohlc(112, 113, 90, 92)}));
  check_bracket_exit(o, 112, "2021-01-06");
  CHECK(o.metrics().cancelled == counts_by_reason{{"oco", 1}});
}

TEST_CASE("bracket: a gap through the stop-loss at the open comes before a rise through "
          "the take-profit",
          "[orders][bracket]") {
  // The mirror: bar 3 opens at 92 below the stop and later rises to 112 above the
  // take-profit. The stop fills at the open, 92; cash 99,200; the take-profit is
  // cancelled oco.
  const auto o = run(scripted_config(bracket), bracket_market({ohlc(92, 112, 90, 100)}));
  check_bracket_exit(o, 92, "2021-01-06");
  CHECK(o.metrics().cancelled == counts_by_reason{{"oco", 1}});
}

TEST_CASE("bracket: a flat signal's exit cancels the resting legs, and only it fills",
          "[orders][bracket]") {
  // Entry at bar 2's open, 100 (cash 90,000); bar 3 (98..102) reaches neither leg; at its
  // close the strategy goes flat. Bar 4 opens at 102: the market exit sells the 100 at
  // 102 (cash 100,200). Bar 4 also spans 94..112 and bar 5 90..115: had the legs kept
  // working, the stop would have sold 100 more. The legs are cancelled position_closed.
  const auto o = run(scripted_config(bracket + "; 3: X flat"),
                     x_bars({ohlc(100, 100, 100, 100), ohlc(100, 101, 99, 100),
                             ohlc(100, 102, 98, 101), ohlc(102, 112, 94, 100),
                             ohlc(100, 115, 90, 100)}));
  REQUIRE(o.trades.size() == 1);
  CHECK(o.trades[0].exit_price == 102);
  CHECK(o.trades[0].exit_time == "2021-01-07");
  CHECK(o.trades[0].pnl == 200);
  CHECK(o.count(event_type::fill) == 2);  // the entry and the one exit
  CHECK(o.metrics().cancelled == counts_by_reason{{"position_closed", 2}});
  CHECK(o.metrics().open_positions == 0);
  CHECK(o.metrics().final_equity == 100200);
}

// --- targets: scaling in and out ------------------------------------------------------

TEST_CASE("targets: quantity targets scale in at an average entry, scale out, and flip to "
          "a short",
          "[orders][targets]") {
  market_data m;
  add_daily_bars(m, "X", {{50, 50}, {50, 52}, {56, 55}, {60, 58}, {57, 54}});
  auto config = scripted_config("1: X qty 100; 2: X qty 150; 3: X qty 40; 4: X qty -20");
  config.portfolios[0].account = {account_type::margin, 1, 0.25, shortfall_policy::cut};
  const auto o = run(config, in_stream_order(std::move(m)));
  // Bar 2: buy 100 at 50: cash 100,000 - 5,000 = 95,000; close 52: equity 95,000 + 5,200
  //   = 100,200.
  // Bar 3: buy 50 more at 56: cash 95,000 - 2,800 = 92,200; held 150 at an average of
  //   (100 x 50 + 50 x 56) / 150 = 7,800 / 150 = 52; close 55: 92,200 + 8,250 = 100,450.
  // Bar 4: sell 110 at 60: cash 92,200 + 6,600 = 98,800; realized 110 x (60 - 52) = 880;
  //   40 held, still at 52; close 58: 98,800 + 2,320 = 101,120.
  // Bar 5: sell 40 at 57 to close (realized 40 x (57 - 52) = 200) and 20 at 57 to open a
  //   short: cash 98,800 + 60 x 57 = 102,220; close 54: 102,220 - 20 x 54 = 101,140.
  REQUIRE(o.equity.size() == 5);
  CHECK(o.equity[0].cash == 100000);
  CHECK(o.equity[1].cash == 95000);
  CHECK(o.equity[1].equity == 100200);
  CHECK(o.equity[1].net == 5200);
  CHECK(o.equity[2].cash == 92200);
  CHECK(o.equity[2].equity == 100450);
  CHECK(o.equity[2].net == 8250);
  CHECK(o.equity[3].cash == 98800);
  CHECK(o.equity[3].equity == 101120);
  CHECK(o.equity[3].net == 2320);
  CHECK(o.equity[4].cash == 102220);
  CHECK(o.equity[4].equity == 101140);
  CHECK(o.equity[4].net == -1080);
  CHECK(o.equity[4].gross == 1080);
  // Five orders, five fills: +100, +50, -110, and the flip's exit (-40) and entry (-20).
  CHECK(o.count(event_type::order) == 5);
  CHECK(o.count(event_type::fill) == 5);
  // One round trip, the long: entered at the average 52, pnl 880 + 200 = 1,080.
  REQUIRE(o.trades.size() == 1);
  CHECK(o.trades[0].side == "long");
  CHECK(o.trades[0].entry_price == 52);
  CHECK(o.trades[0].exit_time == "2021-01-08");
  CHECK(o.trades[0].pnl == 1080);
  // The short of 20 at 57 is held at the end: unrealized 20 x (57 - 54) = 60; 100,000 +
  // 1,080 + 60 = 101,140.
  REQUIRE(o.result.open_positions.size() == 1);
  CHECK(o.result.open_positions[0].quantity == -20);
  CHECK(o.result.open_positions[0].entry_price == 57);
  CHECK(o.metrics().unrealized_pnl == 60);
  CHECK(o.metrics().final_equity == 101140);
  CHECK(o.metrics().cancelled.empty());
  CHECK(o.metrics().rejected.empty());
}

TEST_CASE("targets: equity fractions become whole units at the last close, rounded toward "
          "zero",
          "[orders][targets]") {
  market_data m;
  add_daily_bars(m, "X", {{50, 50}, {50, 60}, {61, 61}, {60, 62}});
  auto config = scripted_config("1: X equity 0.5; 2: X equity 0.2; 3: X equity -0.1");
  config.portfolios[0].account = {account_type::margin, 1, 0.25, shortfall_policy::cut};
  const auto o = run(config, in_stream_order(std::move(m)));
  // Close 1: 0.5 x 100,000 / 50 = 1,000 units, bought at bar 2's open, 50: cash 50,000;
  //   close 60: equity 50,000 + 60,000 = 110,000.
  // Close 2: 0.2 x 110,000 / 60 = 366.67 -> 366: sell 634 at 61: cash 50,000 + 38,674 =
  //   88,674; close 61: 88,674 + 366 x 61 = 88,674 + 22,326 = 111,000.
  // Close 3: -0.1 x 111,000 / 61 = -181.97 -> -181 (toward zero, not -182): sell 366 + 181
  //   = 547 at 60: cash 88,674 + 32,820 = 121,494; close 62: 121,494 - 181 x 62 = 121,494
  //   - 11,222 = 110,272.
  REQUIRE(o.equity.size() == 4);
  CHECK(o.equity[1].cash == 50000);
  CHECK(o.equity[1].equity == 110000);
  CHECK(o.equity[2].cash == 88674);
  CHECK(o.equity[2].net == 22326);
  CHECK(o.equity[2].equity == 111000);
  CHECK(o.equity[3].cash == 121494);
  CHECK(o.equity[3].net == -11222);
  CHECK(o.equity[3].equity == 110272);
  // The long's round trip: 634 x (61 - 50) + 366 x (60 - 50) = 6,974 + 3,660 = 10,634.
  REQUIRE(o.trades.size() == 1);
  CHECK(o.trades[0].entry_price == 50);
  CHECK(o.trades[0].pnl == 10634);
  REQUIRE(o.result.open_positions.size() == 1);
  CHECK(o.result.open_positions[0].quantity == -181);
  CHECK(o.result.open_positions[0].entry_price == 60);
  CHECK(o.count(event_type::fill) == 4);  // +1,000, -634, and the flip's -366 and -181
}

TEST_CASE("targets: a weight is a fraction of the strategy's allocation, leverage x equity "
          "/ strategies",
          "[orders][targets]") {
  market_data m;
  add_daily_bars(m, "X", {{40, 40}, {40, 44}});
  add_daily_bars(m, "Y", {{30, 30}, {30, 28}});
  auto config = scripted_config("1: X weight 0.5");
  auto second = config.portfolios[0].strategies[0];
  second.id = "script_b";
  second.params.values = {{"script", "1: Y weight -0.25"}};
  config.portfolios[0].strategies.push_back(second);
  config.portfolios[0].account = {account_type::margin, 1.5, 0.25, shortfall_policy::cut};
  const auto o = run(config, in_stream_order(std::move(m)));
  // Allocation: 1.5 x 100,000 / 2 = 75,000 per strategy.
  // X: 0.5 x 75,000 / 40 = 937.5 -> 937 units. Y: -0.25 x 75,000 / 30 = -625 units.
  // (An equity fraction would give 1,250 / -833; no leverage 468 / -312; one strategy
  // 1,875 / -1,250.)
  // Bar 2: 937 X bought at 40 (37,480), 625 Y sold short at 30 (18,750): cash 100,000 -
  // 37,480 + 18,750 = 81,270. Closes 44 and 28: net 41,228 - 17,500 = 23,728, gross
  // 58,728, equity 81,270 + 23,728 = 104,998.
  std::map<std::string, double> held;
  for (const auto& p : o.result.open_positions)
    held[p.strategy + "/" + p.symbol] = p.quantity;
  CHECK(held == std::map<std::string, double>{{"script/X", 937}, {"script_b/Y", -625}});
  REQUIRE(o.equity.size() == 2);
  CHECK(o.equity[1].cash == 81270);
  CHECK(o.equity[1].net == 23728);
  CHECK(o.equity[1].gross == 58728);
  CHECK(o.metrics().final_equity == 104998);
}

// --- resting orders and new signals -------------------------------------------------

namespace {

/// Bar 2 (99..101) does not reach a limit buy at 95; bar 3 opens at 98 and reaches 94.
std::shared_ptr<const market_data> limit_then_dip() {
  return x_bars({ohlc(100, 100, 100, 100), ohlc(100, 101, 99, 100), ohlc(98, 99, 94, 97)});
}

const std::string limit_then_market = "1: X long 100 limit 95; 2: X long 100";

}  // namespace

TEST_CASE("on_new_signal replace: a new signal cancels the resting limit (superseded) and "
          "is acted on",
          "[orders][on_new_signal]") {
  // The limit buy at 95 rests through bar 2; at bar 2's close a market long replaces it.
  // Bar 3: the market order fills at the open, 98 (the limit would have filled at 95).
  // Cash 100,000 - 9,800 = 90,200; close 97: 90,200 + 9,700 = 99,900.
  const auto o = run(scripted_config(limit_then_market), limit_then_dip());
  CHECK(o.metrics().cancelled == counts_by_reason{{"superseded", 1}});
  CHECK(o.metrics().rejected.empty());
  CHECK(o.count(event_type::fill) == 1);
  REQUIRE(o.result.open_positions.size() == 1);
  CHECK(o.result.open_positions[0].quantity == 100);
  CHECK(o.result.open_positions[0].entry_price == 98);
  CHECK(o.metrics().final_equity == 99900);
}

TEST_CASE("on_new_signal keep: a new signal is turned down (order_pending) and the limit "
          "keeps resting",
          "[orders][on_new_signal]") {
  // The market long is rejected; bar 3 opens at 98 above the limit and reaches 94: the
  // limit buy fills at 95. Cash 90,500; close 97: 90,500 + 9,700 = 100,200.
  auto config = scripted_config(limit_then_market);
  config.portfolios[0].on_new_signal = new_signal_policy::keep;
  const auto o = run(config, limit_then_dip());
  CHECK(o.metrics().rejected == counts_by_reason{{"order_pending", 1}});
  CHECK(o.metrics().cancelled.empty());
  CHECK(o.count(event_type::fill) == 1);
  REQUIRE(o.result.open_positions.size() == 1);
  CHECK(o.result.open_positions[0].quantity == 100);
  CHECK(o.result.open_positions[0].entry_price == 95);
  CHECK(o.metrics().final_equity == 100200);
}

TEST_CASE("on_new_signal add: the resting limit and the new order both work",
          "[orders][on_new_signal]") {
  // Bar 3: the market order buys 100 at the open, 98, and the limit 100 at 95: 200 held
  // at (9,800 + 9,500) / 200 = 96.5; cash 100,000 - 19,300 = 80,700; close 97: 80,700 +
  // 19,400 = 100,100.
  auto config = scripted_config(limit_then_market);
  config.portfolios[0].on_new_signal = new_signal_policy::add;
  const auto o = run(config, limit_then_dip());
  CHECK(o.metrics().rejected.empty());
  CHECK(o.metrics().cancelled.empty());
  CHECK(o.count(event_type::fill) == 2);
  REQUIRE(o.result.open_positions.size() == 1);
  CHECK(o.result.open_positions[0].quantity == 200);
  CHECK(o.result.open_positions[0].entry_price == 96.5);
  CHECK(o.metrics().final_equity == 100100);
}

TEST_CASE("on_new_signal: signals of one close meet each other as they meet resting orders",
          "[orders][on_new_signal]") {
  // Both at bar 2's close, limit 95 then market 100 units. Bar 3 opens at 98, dips to 94.
  const std::string both = "2: X long 100 limit 95, X long 100";
  SECTION("replace: the second takes the first's place") {
    // Only the market order is placed: 100 @ 98; the limit's signal is turned down
    // (superseded). Cash 90,200; close 97: 99,900.
    const auto o = run(scripted_config(both), limit_then_dip());
    CHECK(o.metrics().rejected == counts_by_reason{{"superseded", 1}});
    CHECK(o.count(event_type::order) == 1);
    CHECK(o.count(event_type::fill) == 1);
    CHECK(o.metrics().final_equity == 99900);
  }
  SECTION("keep: the second is turned down") {
    // Only the limit: 100 @ 95. Cash 90,500; close 97: 100,200.
    auto config = scripted_config(both);
    config.portfolios[0].on_new_signal = new_signal_policy::keep;
    const auto o = run(config, limit_then_dip());
    CHECK(o.metrics().rejected == counts_by_reason{{"order_pending", 1}});
    CHECK(o.count(event_type::order) == 1);
    CHECK(o.metrics().final_equity == 100200);
  }
  SECTION("a cancel withdraws what the close proposed before it") {
    const auto o = run(scripted_config("2: X long 100, X cancel"), limit_then_dip());
    CHECK(o.metrics().rejected == counts_by_reason{{"superseded", 1}});
    CHECK(o.count(event_type::order) == 0);
    CHECK(o.metrics().final_equity == 100000);
  }
}

// --- cancel -----------------------------------------------------------------------

TEST_CASE("cancel: a cancelled limit never fills, even on the very next bar that reaches it",
          "[orders][cancel]") {
  // The limit buy at 95 rests through bar 2 (99..101) and is cancelled at bar 2's close.
  // Bar 3 opens at 97 and falls to 90, bar 4 to 93: either would have filled it at 95.
  const auto o = run(scripted_config("1: X long 100 limit 95; 2: X cancel"),
                     x_bars({ohlc(100, 100, 100, 100), ohlc(100, 101, 99, 100),
                             ohlc(97, 98, 90, 96), ohlc(96, 97, 93, 95)}));
  CHECK(o.metrics().cancelled == counts_by_reason{{"cancelled", 1}});
  CHECK(o.metrics().rejected.empty());
  CHECK(o.count(event_type::order) == 1);
  CHECK(o.count(event_type::fill) == 0);
  CHECK(o.metrics().open_positions == 0);
  CHECK(o.metrics().final_equity == 100000);
}

TEST_CASE("cancel: with nothing resting, a cancel is turned down (no_resting_order)",
          "[orders][cancel]") {
  const auto data = x_bars({ohlc(100, 100, 100, 100), ohlc(100, 101, 99, 100),
                            ohlc(97, 98, 90, 96), ohlc(96, 97, 93, 95)});
  // No order at all.
  const auto none = run(scripted_config("1: X cancel"), data);
  CHECK(none.metrics().rejected == counts_by_reason{{"no_resting_order", 1}});
  CHECK(none.count(event_type::order) == 0);
  CHECK(none.metrics().final_equity == 100000);
  // A market buy that filled at bar 2's open, 100: nothing rests at bar 2's close, and
  // the position stays: cash 90,000 + 100 x 95 at the last close = 99,500.
  const auto filled = run(scripted_config("1: X long 100; 2: X cancel"), data);
  CHECK(filled.metrics().rejected == counts_by_reason{{"no_resting_order", 1}});
  CHECK(filled.metrics().cancelled.empty());
  CHECK(filled.count(event_type::fill) == 1);
  CHECK(filled.metrics().open_positions == 1);
  CHECK(filled.metrics().final_equity == 99500);
}

TEST_CASE("cancel: cancelling while a bracket's legs rest cancels both legs, the position "
          "stays",
          "[orders][cancel][bracket]") {
  // Entry at bar 2's open, 100 (cash 90,000); the legs rest through bar 3 (99..101) and
  // are cancelled at its close. Bar 4 spans 90..112, through both old legs: nothing
  // fills. Held 100 at the last close 100: equity 90,000 + 10,000 = 100,000.
  const auto o = run(scripted_config(bracket + "; 3: X cancel"),
                     x_bars({ohlc(100, 100, 100, 100), ohlc(100, 101, 99, 100),
                             ohlc(100, 101, 99, 100), ohlc(100, 112, 90, 100)}));
  CHECK(o.metrics().cancelled == counts_by_reason{{"cancelled", 2}});
  CHECK(o.metrics().rejected.empty());
  CHECK(o.count(event_type::fill) == 1);
  CHECK(o.trades.empty());
  REQUIRE(o.result.open_positions.size() == 1);
  CHECK(o.result.open_positions[0].quantity == 100);
  CHECK(o.metrics().final_equity == 100000);
}

// --- replace ----------------------------------------------------------------------

namespace {

/// Bar 2 (99..101) reaches no limit at or below 95; bar 3 (94..99) reaches 95 but not
/// 93; bar 4 opens at 95 and reaches 92.
std::shared_ptr<const market_data> stepping_down() {
  return x_bars({ohlc(100, 100, 100, 100), ohlc(100, 101, 99, 100), ohlc(99, 99, 94, 96),
                 ohlc(95, 96, 92, 94)});
}

}  // namespace

TEST_CASE("replace: a limit moved to a new price fills there, never at the old one",
          "[orders][replace]") {
  // The limit buy at 95 is moved to 93 at bar 2's close (replaced). Bar 3 reaches 94: the
  // old order would have filled at 95, the new one does not. Bar 4 opens at 95 (the old
  // one would have filled at the open) and reaches 92: the new one fills at 93. Cash
  // 100,000 - 9,300 = 90,700; close 94: 90,700 + 9,400 = 100,100.
  const auto o = run(scripted_config("1: X long 100 limit 95; 2: X replace limit 93"),
                     stepping_down());
  CHECK(o.metrics().cancelled == counts_by_reason{{"replaced", 1}});
  CHECK(o.count(event_type::order) == 2);  // the first and its replacement
  CHECK(o.count(event_type::fill) == 1);
  REQUIRE(o.result.open_positions.size() == 1);
  CHECK(o.result.open_positions[0].quantity == 100);
  CHECK(o.result.open_positions[0].entry_price == 93);
  REQUIRE(o.equity.size() == 4);
  CHECK(o.equity[2].cash == 100000);  // nothing filled on bar 3
  CHECK(o.equity[3].cash == 90700);
  CHECK(o.metrics().final_equity == 100100);
}

TEST_CASE("replace: a new quantity keeps the limit price", "[orders][replace]") {
  // The limit buy of 100 at 95 becomes one of 30 at 95; bar 3 reaches 94: 30 bought at 95.
  // Cash 100,000 - 2,850 = 97,150; last close 94: 97,150 + 2,820 = 99,970.
  const auto o = run(scripted_config("1: X long 100 limit 95; 2: X replace 30"), stepping_down());
  CHECK(o.metrics().cancelled == counts_by_reason{{"replaced", 1}});
  CHECK(o.count(event_type::fill) == 1);
  REQUIRE(o.result.open_positions.size() == 1);
  CHECK(o.result.open_positions[0].quantity == 30);
  CHECK(o.result.open_positions[0].entry_price == 95);
  CHECK(o.metrics().final_equity == 99970);
}

TEST_CASE("replace: with nothing resting, a replace is turned down (no_resting_order)",
          "[orders][replace]") {
  const auto o = run(scripted_config("1: X replace limit 93"), stepping_down());
  CHECK(o.metrics().rejected == counts_by_reason{{"no_resting_order", 1}});
  CHECK(o.count(event_type::order) == 0);
  CHECK(o.metrics().final_equity == 100000);
}

namespace {

/// A bracket entered at bar 2's open, 100; bar 3 (99..101) reaches neither leg; at its
/// close the script replaces a leg; then `later` from bar 4.
std::shared_ptr<const market_data> bracket_then(std::vector<bar_data> later) {
  std::vector<bar_data> bars{ohlc(100, 100, 100, 100), ohlc(100, 101, 99, 100),
                             ohlc(100, 101, 99, 100)};
  bars.insert(bars.end(), later.begin(), later.end());
  return x_bars(bars);
}

}  // namespace

TEST_CASE("replace: a stop price moves a bracket's stop-loss leg", "[orders][replace][bracket]") {
  // "X replace stop 97" at bar 3's close: the newest resting order with a stop is the
  // stop-loss leg (95), now at 97. Bar 4 opens at 99 and reaches 96: the new stop sells
  // the 100 at 97 (the old one at 95 would not have filled); the take-profit is cancelled
  // oco. Cash 90,000 + 9,700 = 99,700; pnl -300. Bar 5 spans 90..112: nothing is left.
  const auto o = run(scripted_config(bracket + "; 3: X replace stop 97"),
                     bracket_then({ohlc(99, 99, 96, 97), ohlc(100, 112, 90, 100)}));
  REQUIRE(o.trades.size() == 1);
  CHECK(o.trades[0].exit_price == 97);
  CHECK(o.trades[0].exit_time == "2021-01-07");
  CHECK(o.trades[0].pnl == -300);
  CHECK(o.count(event_type::fill) == 2);
  CHECK(o.metrics().cancelled == counts_by_reason{{"replaced", 1}, {"oco", 1}});
  CHECK(o.metrics().open_positions == 0);
  CHECK(o.metrics().final_equity == 99700);
}

TEST_CASE("replace: a limit price moves a bracket's take-profit leg",
          "[orders][replace][bracket]") {
  // "X replace limit 105" at bar 3's close: the newest resting order with a limit is the
  // take-profit leg (110), now at 105. Bar 4 opens at 104 and reaches 106: it sells the
  // 100 at 105 (the old one at 110 would not have filled); the stop is cancelled oco.
  // Cash 90,000 + 10,500 = 100,500; pnl 500. Bar 5 spans 90..112: nothing is left.
  const auto o = run(scripted_config(bracket + "; 3: X replace limit 105"),
                     bracket_then({ohlc(104, 106, 103, 105), ohlc(100, 112, 90, 100)}));
  REQUIRE(o.trades.size() == 1);
  CHECK(o.trades[0].exit_price == 105);
  CHECK(o.trades[0].exit_time == "2021-01-07");
  CHECK(o.trades[0].pnl == 500);
  CHECK(o.count(event_type::fill) == 2);
  CHECK(o.metrics().cancelled == counts_by_reason{{"replaced", 1}, {"oco", 1}});
  CHECK(o.metrics().final_equity == 100500);
}

// --- liquidation --------------------------------------------------------------------

namespace {

/// A margin account with leverage 2 (maintenance 0.25) whose limits let it use it.
backtest_config margin_config(const std::string& script) {
  auto config = scripted_config(script);
  auto& p = config.portfolios[0];
  p.account = {account_type::margin, 2, 0.25, shortfall_policy::cut};
  p.risk.max_position_size = 2;
  p.risk.max_gross_exposure = 2;
  return config;
}

}  // namespace

TEST_CASE("liquidation: a margin call cancels a resting limit entry, which never fills",
          "[orders][liquidation]") {
  market_data m;
  add_daily_bars(m, "X", {{100, 100}, {100, 100}, {100, 40}, {40, 40}, {40, 50}});
  // Y's limit buy at 5 is out of reach until bar 4, which dips to 4.
  add_daily_ohlcv(m, "Y", {ohlc(10, 10, 10, 10), ohlc(10, 10, 10, 10), ohlc(10, 10, 10, 10),
                           ohlc(10, 10, 4, 6), ohlc(6, 6, 6, 6)});
  // Close 1: 1,500 X (150,000 at the close, within 2 x 100,000) and a limit buy of 10 Y
  // at 5 (50). Bar 2: X bought at 100: cash -50,000. Bar 3 closes X at 40: equity
  // -50,000 + 60,000 = 10,000 < 0.25 x 60,000 = 15,000: margin call. The resting Y limit
  // is cancelled (liquidation) and X sold at bar 4's open, 40: cash 10,000. Bar 4's dip
  // to 4 would have filled the limit at 5.
  const auto o = run(margin_config("1: X long 1500, Y long 10 limit 5"),
                     in_stream_order(std::move(m)));
  CHECK(o.metrics().liquidations == 1);
  CHECK(o.metrics().cancelled == counts_by_reason{{"liquidation", 1}});
  CHECK(o.count(event_type::fill) == 2);  // X in, X out
  REQUIRE(o.trades.size() == 1);
  CHECK(o.trades[0].symbol == "X");
  CHECK(o.trades[0].exit_price == 40);
  CHECK(o.trades[0].pnl == -90000);
  CHECK(o.metrics().open_positions == 0);
  CHECK(o.metrics().final_equity == 10000);
}

TEST_CASE("liquidation: a margin call cancels a position's bracket legs too",
          "[orders][liquidation][bracket]") {
  // As above with a bracket on X (stop 30, take-profit 200) instead of Y's limit. Bar 3
  // (40..100) reaches neither leg; the margin call at its close cancels both legs
  // (liquidation: README "A liquidation first cancels every resting order") and sells
  // the 1,500 at bar 4's open, 40. Bar 4 dips to 25: a stop still resting would have
  // sold 1,500 more at 30.
  const auto o = run(margin_config("1: X long 1500 sl 30 tp 200"),
                     x_bars({ohlc(100, 100, 100, 100), ohlc(100, 100, 100, 100),
                             ohlc(100, 100, 40, 40), ohlc(40, 40, 25, 40), ohlc(40, 40, 40, 40)}));
  CHECK(o.metrics().liquidations == 1);
  CHECK(o.metrics().cancelled == counts_by_reason{{"liquidation", 2}});
  CHECK(o.count(event_type::fill) == 2);
  REQUIRE(o.trades.size() == 1);
  CHECK(o.trades[0].exit_price == 40);
  CHECK(o.trades[0].pnl == -90000);
  CHECK(o.metrics().final_equity == 10000);
}

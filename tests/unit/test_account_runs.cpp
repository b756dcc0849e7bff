// The account's rules in whole runs on hand-made bars, with hand-worked values:
// cash never goes below zero at a fill, exits fill before entries, lot sizes, costs per
// symbol, borrow fees, margin calls and ruin. Each run is checked with 1 and 4 scheduler
// threads.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "apps/engine/backtest.hpp"
#include "script_strategy.hpp"
#include "temp_dir.hpp"
#include "result_rows.hpp"

using namespace admf;
using admf::testing::csv_rows;

namespace {

using test::add_daily_bars;
using test::in_stream_order;

using test::scripted_config;

/// The portfolio's result, the same with 1 and 4 threads.
portfolio_result run(const backtest_config& c, std::shared_ptr<const market_data> data) {
  const auto one = run_backtest(c, data, {"", 1}).portfolios.at(0);
  const auto four = run_backtest(c, data, {"", 4}).portfolios.at(0);
  CHECK(four.metrics.to_json() == one.metrics.to_json());
  CHECK(four.counts == one.counts);
  REQUIRE(one.ok);
  return one;
}

std::uint64_t count(const portfolio_result& r, event_type t) {
  return r.counts[static_cast<std::size_t>(t)];
}

/// X gaps from 100 to 70 on 2021-01-07; Y trades at 40 and closes at 50 on the last day.
std::shared_ptr<const market_data> rotation_market() {
  market_data m;
  add_daily_bars(m, "X", {{100, 100}, {100, 100}, {100, 100}, {70, 70}, {70, 70}});
  add_daily_bars(m, "Y", {{40, 40}, {40, 40}, {40, 40}, {40, 40}, {40, 50}});
  return in_stream_order(std::move(m));
}

}  // namespace

TEST_CASE("account: an entry budgeted from an exit's value at the last close is cut to the "
          "cash the exit brings at the fill",
          "[account]") {
  // All in X at the first close: 1000 @ 100 on 01-05, cash 0. At the third close, flat X
  // and long Y: Y's budget counts X at its close, 100,000 (2,500 Y). On 01-07 X opens at
  // 70: the exit fills first, cash 70,000, so Y gets 70,000 / 40 = 1,750 units, cash 0,
  // and 750 are cut. Y closes at 50: equity 1,750 x 50 = 87,500 (2,500 units and cash
  // -30,000 would read 95,000).
  auto config = scripted_config("1: X long; 3: X flat, Y long");
  const auto cut = run(config, rotation_market());
  CHECK(cut.metrics.final_equity == 87500.0);
  CHECK(count(cut, event_type::order_cancel) == 1);

  // Rejecting instead: Y is not bought at all; X's 70,000 stays cash.
  config.portfolios[0].account.on_shortfall = shortfall_policy::reject;
  const auto rejected = run(config, rotation_market());
  CHECK(rejected.metrics.final_equity == 70000.0);
  CHECK(count(rejected, event_type::order_cancel) == 1);
}

TEST_CASE("account: an exit frees its value for an entry the strategy emitted before it",
          "[account]") {
  // As the rotation above, with Y's signal first: exits are judged first too, so Y is
  // budgeted X's 100,000 (not the 0 cash left) and cut at the fill to 1,750.
  const auto r = run(scripted_config("1: X long; 3: Y long, X flat"), rotation_market());
  CHECK(count(r, event_type::risk_reject) == 0);
  CHECK(r.metrics.final_equity == 87500.0);
}

TEST_CASE("account: exits at a timestamp fill before entries, whatever the order ids", "[account]") {
  // Y's entry (1,750 units, explicit) is ordered before X's exit at the same close; both
  // fill on 01-07. Exit first: cash 70,000 pays exactly for 1,750 x 40. Entry first,
  // the account would have had no cash for it.
  auto config = scripted_config("1: X long; 3: Y long 1750, X flat");
  config.portfolios[0].risk.max_gross_exposure = 2;  // at the close Y comes before X's exit
  const auto r = run(config, rotation_market());
  CHECK(count(r, event_type::order_cancel) == 0);
  CHECK(r.metrics.final_equity == 87500.0);
}

TEST_CASE("account: a resting limit order keeps its budget, but not the cash others spent",
          "[account]") {
  market_data m;
  add_daily_bars(m, "X", {{100, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 110}});
  add_daily_bars(m, "Y", {{40, 40}, {40, 40}, {40, 40}, {36, 34}, {34, 34}});
  // Close 1: a limit buy of Y at 35 with all 100,000 (it rests: Y trades at 40). Close
  // 2: X long; the resting order's budget is not held back, so X gets 100,000 too:
  // 1,000 @ 100 on 01-06, cash 0. On 01-07 Y reaches 35: the limit fills for
  // floor(100,000 / 35) = 2,857 units, which the account cuts to none. X closes at 110:
  // equity 110,000 (2,857 Y at 34 and cash -99,995 would read 107,143).
  auto config = scripted_config("1: Y long limit 35; 2: X long");
  const auto r = run(config, in_stream_order(std::move(m)));
  CHECK(count(r, event_type::fill) == 2);
  CHECK(count(r, event_type::order_cancel) == 1);
  CHECK(count(r, event_type::position_open) == 1);
  CHECK(r.metrics.final_equity == 110000.0);
  CHECK(r.metrics.cancelled == std::map<std::string, std::uint64_t>{{"insufficient_cash", 1}});
}

TEST_CASE("account: an entry capped by a risk limit leaves the rest of the cash to the next",
          "[account]") {
  market_data m;
  add_daily_bars(m, "A", {{100, 100}, {100, 100}, {100, 110}});
  add_daily_bars(m, "B", {{100, 100}, {100, 100}, {100, 120}});
  // Both wanted with the whole 1,000; max_position_size 0.4 caps each to 400: 4 A and
  // 4 B, cash 200. At the last closes: 200 + 440 + 480 = 1,120.
  auto config = scripted_config("1: A long, B long", 1000);
  config.portfolios[0].risk.max_position_size = 0.4;
  const auto r = run(config, in_stream_order(std::move(m)));
  CHECK(count(r, event_type::position_open) == 2);
  CHECK(count(r, event_type::risk_reject) == 0);
  CHECK(r.metrics.final_equity == 1120.0);
}

TEST_CASE("account: a symbol with its own commission pays it, the others the execution "
          "section's",
          "[account]") {
  market_data m;
  add_daily_bars(m, "X", {{100, 100}, {100, 100}, {100, 110}});
  add_daily_bars(m, "Y", {{50, 50}, {50, 50}, {50, 60}});
  // Budgets of 5,000 each (max_position_size 0.5), filled at the second opens.
  // X: 2.00 a share, minimum 10, capped at 20: 49 units for 4,900 + 20 (98 uncapped).
  // Y: execution's 0.01 a share: 99 units for 4,950 + 0.99 (100 would cost 5,001).
  // Cash 10,000 - 4,920 - 4,950.99 = 129.01; at the last closes 129.01 + 49 x 110 +
  // 99 x 60 = 11,459.01.
  auto config = scripted_config("1: X long, Y long", 10000);
  config.portfolios[0].risk.max_position_size = 0.5;
  config.execution.commission = {0.01, 0, 0};
  config.instruments["X"].commission = commission_config{2, 0, 10, 20};
  const auto r = run(config, in_stream_order(std::move(m)));
  CHECK(count(r, event_type::position_open) == 2);
  CHECK(r.metrics.final_equity == Approx(11459.01).margin(1e-9));
}

TEST_CASE("account: a cut entry's commission is the symbol's own", "[account]") {
  // As the rotation above, but Y pays a minimum of 100 a fill. Execution sizes Y on
  // 100,000: 2,497 units (99,880 + 100). X's exit brings 70,000: the account keeps the
  // most that fit with Y's commission, 1,747 (69,880 + 100), cash 20. Y closes at 50:
  // 20 + 1,747 x 50 = 87,370 (87,500 at the execution section's zero commission).
  auto config = scripted_config("1: X long; 3: X flat, Y long");
  config.instruments["Y"].commission = commission_config{0, 0, 100};
  const auto r = run(config, rotation_market());
  CHECK(r.metrics.final_equity == Approx(87370.0).margin(1e-9));
  CHECK(count(r, event_type::order_cancel) == 1);
}

TEST_CASE("account: a cash account refuses short sales, before and at the fill", "[account]") {
  market_data m;
  add_daily_bars(m, "X", {{100, 100}, {100, 100}, {100, 100}});
  const auto r = run(scripted_config("1: X short"), in_stream_order(std::move(m)));
  CHECK(r.metrics.rejected == std::map<std::string, std::uint64_t>{{"short_sale", 1}});
  CHECK(count(r, event_type::order) == 0);
  CHECK(r.metrics.final_equity == 100000.0);
}

TEST_CASE("account: lot sizes let a budget below one unit's price trade", "[account]") {
  market_data m;
  add_daily_bars(m, "BTC", {{34000, 34000}, {34000, 34000}, {34500, 35000}});
  const auto data = in_stream_order(std::move(m));
  auto config = scripted_config("1: BTC long", 10000);
  // Whole units: 10,000 buys no BTC at 34,000: the order is cancelled, and says why.
  const auto whole = run(config, data);
  CHECK(whole.metrics.final_equity == 10000.0);
  CHECK(count(whole, event_type::order_cancel) == 1);
  CHECK(count(whole, event_type::position_open) == 0);
  // Lots of 0.0001: floor(10,000 / 34,000 / 0.0001) = 2,941 lots = 0.2941 BTC for 9,999.40;
  // cash 0.60; marked at 35,000: 0.60 + 10,293.50 = 10,294.10.
  config.instruments["BTC"] = {0.0001, 0.0001, "", {}, {}};
  const auto lots = run(config, data);
  CHECK(count(lots, event_type::position_open) == 1);
  CHECK(count(lots, event_type::position_snapshot) == 1);  // still open at the end
  CHECK(lots.metrics.final_equity == Approx(10294.1).margin(1e-9));
  // A minimum of 0.5 BTC: 0.2941 is below it.
  config.instruments["BTC"].min_quantity = 0.5;
  const auto minimum = run(config, data);
  CHECK(count(minimum, event_type::position_open) == 0);
  CHECK(count(minimum, event_type::order_cancel) == 1);
}

TEST_CASE("account: a margin account borrows up to its leverage and is liquidated on a "
          "margin call",
          "[account]") {
  market_data m;
  add_daily_bars(m, "X", {{100, 100}, {100, 100}, {90, 70}, {65, 60}, {60, 60}, {60, 80}});
  const auto data = in_stream_order(std::move(m));
  auto config = scripted_config("1: X long");
  auto& p = config.portfolios[0];
  p.account = {account_type::margin, 2, 0.25, shortfall_policy::cut};
  p.risk.max_position_size = 2;
  p.risk.max_gross_exposure = 2;
  // Budget 2 x 100,000: 2,000 X @ 100 on 01-05, cash -100,000. Close 70 (01-06): equity
  // 40,000 >= 0.25 x 140,000. Close 60 (01-07): equity 20,000 < 30,000: margin call,
  // 2,000 sold at 01-08's open, 60: cash 20,000, one round trip of pnl -80,000; X's
  // rise to 80 afterwards is not the account's.
  const auto r = run(config, data);
  CHECK(count(r, event_type::liquidation) == 1);
  CHECK(r.metrics.trades == 1);
  CHECK(r.metrics.final_equity == 20000.0);
}

TEST_CASE("account: equity at or below zero liquidates and stops all new entries", "[account]") {
  market_data m;
  add_daily_bars(m, "X", {{100, 100}, {100, 100}, {100, 250}, {250, 250}, {250, 250}, {200, 200}});
  const auto data = in_stream_order(std::move(m));
  // A margin account without leverage. Short 1,000 X @ 100 (01-05): cash 200,000 (the
  // proceeds, held), equity 100,000. X closes at 250 on 01-06: equity 200,000 - 250,000 =
  // -50,000: ruined. The short is covered at 01-07's open, 250: cash -50,000. The long at
  // the fourth close is rejected.
  auto config = scripted_config("1: X short; 4: X long");
  config.portfolios[0].account = {account_type::margin, 1, 0.25, shortfall_policy::cut};
  const auto r = run(config, data);
  CHECK(count(r, event_type::liquidation) == 1);
  CHECK(count(r, event_type::risk_reject) == 1);
  CHECK(count(r, event_type::position_open) == 1);
  CHECK(r.metrics.final_equity == -50000.0);
}

namespace {

/// X on Thu 01-07, Fri 01-08, Mon 01-11, Tue 01-12 and Wed 01-13, at 50 until Monday's
/// close of 40.
std::shared_ptr<const market_data> weekend_market() {
  market_data m;
  m.symbols = {"X"};
  const std::pair<const char*, std::pair<double, double>> days[] = {
    {"2021-01-07", {50, 50}}, {"2021-01-08", {50, 50}}, {"2021-01-11", {50, 40}},
    {"2021-01-12", {40, 40}}, {"2021-01-13", {40, 40}}};
  for (const auto& [day, prices] : days)
    m.bars.push_back({*parse_timestamp(day),
                      {0, prices.first, std::max(prices.first, prices.second),
                       std::min(prices.first, prices.second), prices.second, 1000}});
  return std::make_shared<const market_data>(std::move(m));
}

}  // namespace

TEST_CASE("account: a short pays its borrow fee per calendar day, weekends included, to its "
          "round trip and the equity curve",
          "[account]") {
  // weekend_market: short 100 at Friday's open, 50, covered at Tuesday's open, 40; commission
  // 0.01 a share (1.00 a fill); X's own borrow fee 3.6 % a year (the execution section's
  // 1 % is not X's). Held over Friday's close (50) for 3 days: 100 x 50 x 0.036 x 3 / 360
  // = 1.50 at Monday's close; over Monday's (40) for 1: 100 x 40 x 0.036 / 360 = 0.40 at
  // Tuesday's, though covered at its open.
  //   Fri: cash 10,000 + 5,000 - 1 = 14,999, equity 14,999 - 5,000 = 9,999
  //   Mon: cash 14,999 - 1.50 = 14,997.50, equity 14,997.50 - 4,000 = 10,997.50
  //   Tue: cash 14,997.50 - 0.40 - 4,000 - 1 = 10,996.10 = equity
  // The round trip: 100 x (50 - 40) - 2.00 commission - 1.90 borrow fees = 996.10.
  auto config = scripted_config("1: X short 100; 3: X flat", 10000);
  config.portfolios[0].account = {account_type::margin, 1, 0.25, shortfall_policy::cut};
  config.execution.commission = {0.01, 0, 0};
  config.execution.borrow_fee = 0.01;
  config.instruments["X"].borrow_fee = 0.036;
  const auto data = weekend_market();
  const auto r = run(config, data);
  CHECK(r.metrics.final_equity == Approx(10996.1).margin(1e-9));
  CHECK(r.metrics.borrow_fees == Approx(1.9).margin(1e-9));

  admf::testing::temp_dir dir;
  REQUIRE(run_backtest(config, data, {dir.path().string(), 1}).portfolios.at(0).ok);
  const auto equity = csv_rows(dir.path() / "p" / "equity.csv");
  REQUIRE(equity.size() == 5);
  const double expected[][2] = {  // equity, cash
    {10000, 10000}, {9999, 14999}, {10997.5, 14997.5}, {10996.1, 10996.1}, {10996.1, 10996.1}};
  for (std::size_t i = 0; i < 5; ++i) {
    INFO(equity[i][0]);
    CHECK(std::stod(equity[i][1]) == Approx(expected[i][0]).margin(1e-9));
    CHECK(std::stod(equity[i][2]) == Approx(expected[i][1]).margin(1e-9));
  }
  const auto trades = csv_rows(dir.path() / "p" / "trades.csv");
  REQUIRE(trades.size() == 1);
  REQUIRE(trades[0].size() == 13);
  CHECK(trades[0][3] == "short");
  CHECK(trades[0][5] == "2021-01-08");
  CHECK(trades[0][7] == "2021-01-12");
  CHECK(std::stod(trades[0][9]) == Approx(2).margin(1e-9));     // commission
  CHECK(std::stod(trades[0][10]) == Approx(1.9).margin(1e-9));  // borrow_fee
  CHECK(trades[0][11] == "0");                                  // dividends
  CHECK(std::stod(trades[0][12]) == Approx(996.1).margin(1e-9));
}

TEST_CASE("account: a short opened at a close is borrowed over it, one covered at a close is "
          "not",
          "[account]") {
  // Market-on-close: short 100 at Friday's close, 50, covered at Monday's close, 40; 3.6 %
  // a year. Held over Friday's close only: 100 x 50 x 0.036 x 3 / 360 = 1.50 at Monday's
  // close, nothing at Tuesday's. pnl 100 x (50 - 40) - 1.50 = 998.50; equity 10,998.50.
  auto config = scripted_config("2: X short 100 moc; 3: X flat moc", 10000);
  config.portfolios[0].account = {account_type::margin, 1, 0.25, shortfall_policy::cut};
  config.execution.borrow_fee = 0.036;
  const auto r = run(config, weekend_market());
  CHECK(r.metrics.trades == 1);
  CHECK(r.metrics.win_rate == 1.0);
  CHECK(r.metrics.borrow_fees == Approx(1.5).margin(1e-9));
  CHECK(r.metrics.final_equity == Approx(10998.5).margin(1e-9));
}

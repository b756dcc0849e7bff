// A source's corporate_actions: file: reading it, back-adjusting raw prices for splits,
// dividends on their ex-date's bar, and dividends booked as cash by the portfolios that
// hold the symbol, all with hand-worked numbers.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "actors/portfolio/portfolio_book.hpp"
#include "apps/cluster/protocol.hpp"
#include "apps/engine/backtest.hpp"
#include "runtime/strategy/checked_config.hpp"
#include "runtime/core/error.hpp"
#include "runtime/data/corporate_actions.hpp"
#include "script_strategy.hpp"
#include "temp_dir.hpp"
#include "result_rows.hpp"

using namespace admf;
using admf::testing::csv_rows;
using admf::testing::temp_dir;
using Catch::Matchers::Contains;

namespace {

timestamp day(const char* text) { return *parse_timestamp(text); }

/// One bar a day of close `close` (open, high and low too) and volume 100.
std::vector<timed_bar> closes(const std::vector<std::pair<const char*, double>>& rows) {
  std::vector<timed_bar> bars;
  for (const auto& [date, close] : rows)
    bars.push_back({day(date), bar_data{0, close, close, close, close, 100}});
  return bars;
}

corporate_actions actions(std::vector<corporate_action> rows) {
  std::size_t line = 1;
  for (auto& a : rows)
    a.line = ++line;
  return {"ca.csv", std::move(rows)};
}

corporate_action split(const char* date, double ratio) { return {day(date), ratio, 0, 0}; }
corporate_action dividend(const char* date, double cash) { return {day(date), 1, cash, 0}; }

}  // namespace

TEST_CASE("corporate actions: splits back-adjust earlier bars by the cumulative factor, "
          "dividends are divided by later splits only",
          "[corporate_actions]") {
  // Raw closes 400, 404 (ex 2.00 a pre-split share), 101 (4:1 split), 102 (ex 0.50),
  // 210 (1:2 reverse split). Splits after each bar: 01-04 and 01-05: 4 x 0.5 = 2;
  // 01-06 and 01-07: 0.5; 01-08: none. Adjusted closes 200, 202, 202, 204, 210 (the
  // series is continuous); volumes 100 x 2 and 100 x 0.5. The dividends in shares of
  // today: 2.00 / 2 = 1.00 and 0.50 / 0.5 = 1.00.
  auto bars = closes({{"2021-01-04", 400}, {"2021-01-05", 404}, {"2021-01-06", 101},
                      {"2021-01-07", 102}, {"2021-01-08", 210}});
  apply_corporate_actions(bars, actions({dividend("2021-01-05", 2), split("2021-01-06", 4),
                                         dividend("2021-01-07", 0.5), split("2021-01-08", 0.5)}));
  const double close[] = {200, 202, 202, 204, 210};
  const double volume[] = {200, 200, 50, 50, 100};
  const double paid[] = {0, 1, 0, 1, 0};
  for (std::size_t i = 0; i < 5; ++i) {
    INFO(format_timestamp(bars[i].time));
    CHECK(bars[i].bar.open == close[i]);
    CHECK(bars[i].bar.high == close[i]);
    CHECK(bars[i].bar.low == close[i]);
    CHECK(bars[i].bar.close == close[i]);
    CHECK(bars[i].bar.volume == volume[i]);
    CHECK(bars[i].bar.dividend == paid[i]);
  }
}

TEST_CASE("corporate actions: an action between bars takes effect at the next bar, one at or "
          "before the first bar nowhere",
          "[corporate_actions]") {
  // A 2:1 split dated Sunday 01-10 goes ex on Monday 01-11: Friday's 100 becomes 50.
  // The split and dividend before the data (and the dividend at its first bar, whose
  // holders at the close before do not exist) change nothing.
  auto bars = closes({{"2021-01-07", 100}, {"2021-01-08", 100}, {"2021-01-11", 50}});
  apply_corporate_actions(bars, actions({split("2020-06-01", 3), dividend("2020-12-01", 5),
                                         dividend("2021-01-07", 7), split("2021-01-10", 2)}));
  CHECK(bars[0].bar.close == 50);
  CHECK(bars[1].bar.close == 50);
  CHECK(bars[2].bar.close == 50);
  CHECK(bars[0].bar.dividend == 0);
  CHECK(bars[1].bar.volume == 200);
  CHECK(bars[2].bar.volume == 100);
}

TEST_CASE("corporate actions: after the last bar, or two on one bar, is an error",
          "[corporate_actions][errors]") {
  auto bars = closes({{"2021-01-07", 100}, {"2021-01-08", 100}, {"2021-01-11", 50}});
  REQUIRE_THROWS_WITH(apply_corporate_actions(bars, actions({split("2021-01-12", 2)})),
                      "ca.csv:2: column 'date': 2021-01-12 is after the last bar (2021-01-11)");
  REQUIRE_THROWS_WITH(
    apply_corporate_actions(bars, actions({dividend("2021-01-09", 1), split("2021-01-10", 2)})),
    "ca.csv:3: column 'date': 2021-01-10 takes effect at the same bar (2021-01-11) as line 2");
  std::vector<timed_bar> none;
  REQUIRE_THROWS_WITH(apply_corporate_actions(none, actions({split("2021-01-12", 2)})),
                      "ca.csv:2: column 'date': 2021-01-12 is after the last bar (the data has "
                      "none)");
}

TEST_CASE("corporate actions: a split that leaves earlier bars impossible is an error",
          "[corporate_actions][errors]") {
  // 100 / 1e-320 overflows to inf: the bars before 01-08 could not exist.
  auto bars = closes({{"2021-01-07", 100}, {"2021-01-08", 100}, {"2021-01-11", 50}});
  REQUIRE_THROWS_WITH(apply_corporate_actions(bars, actions({split("2021-01-08", 1e-320)})),
                      Catch::StartsWith("ca.csv:2: column 'split': the splits from this line on "
                                        "divide earlier prices by ")
                        && Catch::EndsWith(", which leaves bars that cannot exist"));
  // Two sane splits before it stay fine.
  bars = closes({{"2021-01-07", 100}, {"2021-01-08", 100}, {"2021-01-11", 50}});
  apply_corporate_actions(bars, actions({split("2021-01-08", 2), split("2021-01-11", 0.5)}));
  CHECK(bars[0].bar.close == 100);  // divided by 2 x 0.5
}

TEST_CASE("corporate actions file: header in any case and order, quoting, BOM, CRLF, empty "
          "cells, trailing blank lines",
          "[corporate_actions]") {
  temp_dir dir;
  const auto path = dir.write("ca.csv", "\xEF\xBB\xBF\"Dividend\",\"Date\",\"Split\"\r\n"
                                        "0.25,2020-08-07,\r\n"
                                        ",2020-08-31,4\r\n"
                                        "0.205,2020-11-06 00:00,\r\n"
                                        "\r\n");
  const auto file = read_corporate_actions(path, "");
  CHECK(file.path == path);
  REQUIRE(file.actions.size() == 3);
  CHECK(file.actions[0].date == day("2020-08-07"));
  CHECK(file.actions[0].split == 1);
  CHECK(file.actions[0].dividend == 0.25);
  CHECK(file.actions[0].line == 2);
  CHECK(file.actions[1].split == 4);
  CHECK(file.actions[1].dividend == 0);
  CHECK(file.actions[2].dividend == 0.205);
  CHECK(file.actions[2].line == 4);
  // A splits-only file.
  const auto splits = read_corporate_actions(dir.write("s.csv", "date,split\n2020-08-31,4\n"), "");
  REQUIRE(splits.actions.size() == 1);
  CHECK(splits.actions[0].split == 4);
}

TEST_CASE("corporate actions file: every bad row names file, line and column",
          "[corporate_actions][errors]") {
  temp_dir dir;
  const auto fails = [&](const std::string& body) {
    const auto path = dir.write("ca.csv", "date,split,dividend\n2020-01-02,,0.5\n" + body);
    try {
      read_corporate_actions(path, "");
    } catch (const input_error& e) {
      const std::string what = e.what();
      REQUIRE(what.compare(0, path.size(), path) == 0);
      return what.substr(path.size());
    }
    FAIL("no error for " << body);
    return std::string();
  };
  CHECK(fails("2020-03-02,0,\n") == ":3: column 'split': must be positive (new shares per old "
                                    "share), got 0");
  CHECK(fails("2020-03-02,-4,\n") == ":3: column 'split': must be positive (new shares per "
                                     "old share), got -4");
  CHECK(fails("2020-03-02,,-0.1\n") == ":3: column 'dividend': must not be negative, got -0.1");
  CHECK(fails("2020-03-02,,abc\n") == ":3: column 'dividend': 'abc' is not a finite number");
  CHECK(fails("2020-03-02,inf,\n") == ":3: column 'split': 'inf' is not a finite number");
  CHECK_THAT(fails("02.03.2020,2,\n"), Catch::StartsWith(":3: column 'date': bad timestamp "
                                                         "'02.03.2020' (expected YYYY-MM-DD"));
  CHECK(fails("2020-03-02,,\n") == ":3: neither a split nor a dividend");
  CHECK(fails("2020-03-02,2\n") == ":3: expected 3 fields, found 2");
  CHECK(fails("2020-01-02,2,\n") == ":3: column 'date': duplicate date 2020-01-02, same as on "
                                    "line 2 (put a split and a dividend of one date on one row)");
  CHECK(fails("2020-01-01,2,\n") == ":3: column 'date': unsorted date 2020-01-01 is before "
                                    "2020-01-02 on line 2");
  CHECK(fails("2020-03-02,\"2,\n") == ":3: malformed CSV: a quoted field is not closed");
  // As in a data file, a blank line before more rows is an error, not a skipped row.
  CHECK(fails("\n2020-03-02,2,\n") == ":3: blank line");

  const auto header = [&](const std::string& text) {
    const auto path = dir.write("h.csv", text);
    REQUIRE_THROWS_AS(read_corporate_actions(path, ""), input_error);
    try {
      read_corporate_actions(path, "");
    } catch (const input_error& e) {
      return std::string(e.what()).substr(path.size());
    }
    return std::string();
  };
  CHECK(header("") == ":1: empty file, expected a header row");
  CHECK(header("date,ratio\n") == ":1: unknown column 'ratio' (expected date, split, dividend)");
  CHECK(header("date\n") == ":1: the header must name date and split and/or dividend");
  CHECK(header("split,dividend\n") == ":1: the header must name date and split and/or dividend");
  CHECK(header("date,Split,split\n") == ":1: column 'split' appears twice");
  REQUIRE_THROWS_WITH(read_corporate_actions(dir.file("none.csv"), ""),
                      dir.file("none.csv") + ": cannot open file");
}

TEST_CASE("portfolio_book: a dividend is booked by every position in its symbol, long or "
          "short, to cash and the round trip",
          "[corporate_actions][portfolio_book]") {
  // Strategy 1 holds 30 X, strategy 2 is short 10 X, strategy 1 holds 5 Y, all bought or
  // sold at 10: cash 1,000 - 300 + 100 - 50 = 750. X pays 0.40: +12 and -4, cash 758; Y's
  // position books nothing.
  portfolio_book book{1000};
  const auto fill = [&](container_id strategy, symbol_id symbol, side s, double qty) {
    fill_data f;
    f.strategy = strategy;
    f.symbol = symbol;
    f.action = s;
    f.quantity = qty;
    f.price = 10;
    book.apply(f, 0, 1);
  };
  fill(1, 0, side::buy, 30);
  fill(2, 0, side::sell, 10);
  fill(1, 1, side::buy, 5);
  CHECK(book.cash() == 750);
  book.pay_dividend(0, 0.4);
  CHECK(book.cash() == Approx(758).margin(1e-12));
  CHECK(book.find(1, 0)->dividends == Approx(12).margin(1e-12));
  CHECK(book.find(2, 0)->dividends == Approx(-4).margin(1e-12));
  CHECK(book.find(1, 1)->dividends == 0);
  // Covering the short at 10 closes a round trip of pnl -4: the dividend it paid.
  fill_data cover;
  cover.strategy = 2;
  cover.action = side::buy;
  cover.quantity = 10;
  cover.price = 10;
  const auto closed = book.apply(cover, 1, 2);
  REQUIRE(closed.size() == 1);
  CHECK(closed[0].second.dividends == Approx(-4).margin(1e-12));
  CHECK(closed[0].second.pnl == Approx(-4).margin(1e-12));
}

namespace {

/// X, raw (unadjusted) daily prices across a 4:1 split on 01-07, {open, close}:
///   01-04 400/400, 01-05 400/400, 01-06 400/408 (ex 2.00 a pre-split share),
///   01-07 102/104 (split), 01-08 104/100 (ex 0.25), 01-11 100/110.
/// Adjusted (/4 before 01-07): 100/100, 100/100, 100/102, 102/104, 104/100, 100/110,
/// dividends 0.50 on 01-06 and 0.25 on 01-08.
struct split_files {
  temp_dir dir;
  std::string bars = dir.write("x.csv", "date,open,high,low,close,volume\n"
                                        "2021-01-04,400,400,400,400,1000\n"
                                        "2021-01-05,400,400,400,400,1000\n"
                                        "2021-01-06,400,408,400,408,1000\n"
                                        "2021-01-07,102,104,102,104,4000\n"
                                        "2021-01-08,104,104,100,100,4000\n"
                                        "2021-01-11,100,110,100,110,4000\n");
  std::string actions = dir.write("x_actions.csv", "date,split,dividend\n"
                                                   "2021-01-06,,2.00\n"
                                                   "2021-01-07,4,\n"
                                                   "2021-01-08,,0.25\n");

  std::shared_ptr<const market_data> load() const {
    data_source_config source;
    source.csv = source.path = bars;
    source.symbol = "X";
    source.corporate_actions = actions;
    return std::make_shared<const market_data>(load_market_data(data_config{{source}, {}}));
  }
};

/// The portfolio's result with its files in `out`, the same with 1 and 4 threads.
portfolio_result run(const backtest_config& c, std::shared_ptr<const market_data> data,
                     const temp_dir& out) {
  const auto one = run_backtest(c, data, {out.path().string(), 1}).portfolios.at(0);
  const auto four = run_backtest(c, data, {"", 4}).portfolios.at(0);
  CHECK(four.metrics.to_json() == one.metrics.to_json());
  REQUIRE(one.ok);
  return one;
}

void check_equity(const temp_dir& out, const std::vector<std::pair<double, double>>& expected) {
  const auto rows = csv_rows(out.file("p/equity.csv"));
  REQUIRE(rows.size() == expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i][0]);
    CHECK(std::stod(rows[i][1]) == Approx(expected[i].first).margin(1e-9));
    CHECK(std::stod(rows[i][2]) == Approx(expected[i].second).margin(1e-9));
  }
}

}  // namespace

TEST_CASE("corporate actions: the loader applies a source's file to its raw bars",
          "[corporate_actions]") {
  const split_files files;
  const auto data = files.load();
  REQUIRE(data->bars.size() == 6);
  const double open[] = {100, 100, 100, 102, 104, 100};
  const double close[] = {100, 100, 102, 104, 100, 110};
  const double volume[] = {4000, 4000, 4000, 4000, 4000, 4000};
  const double paid[] = {0, 0, 0.5, 0, 0.25, 0};
  for (std::size_t i = 0; i < 6; ++i) {
    INFO(format_timestamp(data->bars[i].time));
    CHECK(data->bars[i].bar.open == open[i]);
    CHECK(data->bars[i].bar.close == close[i]);
    CHECK(data->bars[i].bar.volume == volume[i]);
    CHECK(data->bars[i].bar.dividend == paid[i]);
  }
}

TEST_CASE("corporate actions: a run cut by end: before a split leaves its raw prices as they are",
          "[corporate_actions]") {
  const split_files files;
  data_source_config source;
  source.csv = source.path = files.bars;
  source.symbol = "X";
  source.corporate_actions = files.actions;
  source.end = days_from_civil(2021, 1, 6) * ns_per_day;
  const market_data data = load_market_data(data_config{{source}, {}});
  // The split of 01-07 and the dividend of 01-08 are after the run: no back-adjustment,
  // the raw 400s stay; the dividend of 01-06 is paid at its own bar, per raw share.
  REQUIRE(data.bars.size() == 3);
  CHECK(data.bars[0].bar.open == 400);
  CHECK(data.bars[2].bar.close == 408);
  CHECK(data.bars[2].bar.dividend == 2.0);
  CHECK(data.bars[1].bar.dividend == 0);
}

TEST_CASE("corporate actions: buy and hold across a 4:1 split and two dividends",
          "[corporate_actions][account]") {
  // 10,000 all in X at the first close (100): 100 shares at 01-05's open, 100; cash 0.
  //   01-05: equity 100 x 100 = 10,000
  //   01-06: ex 0.50: cash 50; close 102: 50 + 10,200 = 10,250
  //   01-07: the split is already in the prices: 50 + 10,400 = 10,450
  //   01-08: ex 0.25: cash 75; close 100: 75 + 10,000 = 10,075
  //   01-11: close 110: 75 + 11,000 = 11,075
  // (Unadjusted, 25 shares bought at 400 would show 25 x 110 = 2,750 at the end.)
  const split_files files;
  temp_dir out;
  const auto r = run(test::scripted_config("1: X long", 10000), files.load(), out);
  CHECK(r.metrics.final_equity == Approx(11075).margin(1e-9));
  CHECK(r.metrics.dividends == Approx(75).margin(1e-9));
  CHECK(r.metrics.unrealized_pnl == Approx(100 * 10 + 75).margin(1e-9));
  check_equity(out, {{10000, 10000}, {10000, 0}, {10250, 50}, {10450, 50}, {10075, 75},
                     {11075, 75}});
}

TEST_CASE("corporate actions: a dividend goes to the holders at the close before its ex-date, "
          "before that bar's fills",
          "[corporate_actions][account]") {
  // Long at the second close (100): bought at the ex-date's open (01-06, 100), so the
  // 0.50 is not its. Flat at 01-07's close: sold at the next ex-date's open (01-08, 104)
  // while still held at the close before, so the 0.25 is: cash 100 x 104 + 25 = 10,425.
  // The round trip: 100 x (104 - 100) + 25 = 425, dividends 25.
  const split_files files;
  temp_dir out;
  const auto r = run(test::scripted_config("2: X long; 4: X flat", 10000), files.load(), out);
  CHECK(r.metrics.final_equity == Approx(10425).margin(1e-9));
  CHECK(r.metrics.dividends == Approx(25).margin(1e-9));
  check_equity(out, {{10000, 10000}, {10000, 10000}, {10200, 0}, {10400, 0}, {10425, 10425},
                     {10425, 10425}});
  const auto trades = csv_rows(out.file("p/trades.csv"));
  REQUIRE(trades.size() == 1);
  REQUIRE(trades[0].size() == 13);
  CHECK(trades[0][5] == "2021-01-06");
  CHECK(trades[0][7] == "2021-01-08");
  CHECK(trades[0][11] == "25");   // dividends
  CHECK(trades[0][12] == "425");  // pnl
}

TEST_CASE("corporate actions: a short pays the dividends to the lender", "[corporate_actions][account]") {
  // A margin account shorts 100 at 01-05's open, 100: cash 20,000.
  //   01-06: pays 0.50 x 100: cash 19,950; close 102: 19,950 - 10,200 = 9,750
  //   01-07: close 104: 9,550
  //   01-08: still short at the close before: pays 25, cash 19,925; covered at the open,
  //          104: cash 9,525 = equity
  // The round trip: 100 x (100 - 104) - 75 = -475, dividends -75.
  const split_files files;
  temp_dir out;
  auto config = test::scripted_config("1: X short 100; 4: X flat", 10000);
  config.portfolios[0].account = {account_type::margin, 1, 0.25, shortfall_policy::cut};
  const auto r = run(config, files.load(), out);
  CHECK(r.metrics.final_equity == Approx(9525).margin(1e-9));
  CHECK(r.metrics.dividends == Approx(-75).margin(1e-9));
  check_equity(out, {{10000, 10000}, {10000, 20000}, {9750, 19950}, {9550, 19950},
                     {9525, 9525}, {9525, 9525}});
  const auto trades = csv_rows(out.file("p/trades.csv"));
  REQUIRE(trades.size() == 1);
  CHECK(trades[0][3] == "short");
  CHECK(trades[0][11] == "-75");
  CHECK(trades[0][12] == "-475");
}

TEST_CASE("corporate actions: the config key, its path and what it does not go with",
          "[corporate_actions][config][errors]") {
  const split_files files;
  const std::string portfolio = "portfolios:\n  - id: p\n    initial_capital: 1000\n"
                                "    strategies:\n"
                                "      - {id: s, type: buy_and_hold}\n";
  const auto config = load_config(files.dir.write(
    "ok.yaml", "data:\n  csv: x.csv\n  symbol: X\n  corporate_actions: x_actions.csv\n"
               + portfolio));
  CHECK(config.data.sources.at(0).corporate_actions == files.actions);

  const auto missing = files.dir.write(
    "missing.yaml", "data:\n  csv: x.csv\n  symbol: X\n  corporate_actions: nope.csv\n" + portfolio);
  REQUIRE_THROWS_WITH(load_config(missing),
                      missing + ":4: data.corporate_actions: data file 'nope.csv' not found "
                                "(looked in the working directory and next to the config)");
  const auto wide = files.dir.write(
    "wide.yaml",
    "data:\n  csv: x.csv\n  format: wide\n  corporate_actions: x_actions.csv\n" + portfolio);
  REQUIRE_THROWS_WITH(load_config(wide), wide + ":4: data.corporate_actions: only for format "
                                                "ohlcv (a file of one symbol's splits and "
                                                "dividends)");
  // The data reaching past the file is an error of the file, at load.
  const std::string late = files.dir.write("late.csv", "date,dividend\n2021-01-12,1\n");
  data_source_config source;
  source.csv = source.path = files.bars;
  source.symbol = "X";
  source.corporate_actions = late;
  REQUIRE_THROWS_WITH(load_market_data(data_config{{source}, {}}),
                      late + ":2: column 'date': 2021-01-12 is after the last bar (2021-01-11)");
}

TEST_CASE("corporate actions: a cluster worker's data checksum covers the file",
          "[corporate_actions][cluster]") {
  const split_files files;
  data_source_config source;
  source.csv = source.path = files.bars;
  source.symbol = "X";
  const auto raw = data_checksum(data_config{{source}, {}});
  source.corporate_actions = files.actions;
  const auto with_actions = data_checksum(data_config{{source}, {}});
  CHECK(with_actions != raw);
  files.dir.write("x_actions.csv", "date,split,dividend\n2021-01-07,4,\n");
  CHECK(data_checksum(data_config{{source}, {}}) != with_actions);
}

TEST_CASE("corporate actions: dates are local calendar days in the source's timezone, so daily "
          "bars at local midnight meet them",
          "[corporate_actions][account]") {
  // Raw Berlin daily bars (08-24..09-03, local midnight = 22:00 UTC the day before in
  // summer) with a 4:1 split on 08-31 and dividends 0.82 (pre-split) on 08-27, 0.205 on
  // 09-02. Read as UTC midnight the split would land on 09-01's bar and divide the
  // post-split 27.5 of 08-31 again (6.875). In Berlin time:
  //   adjusted closes 25, 25.5, 26, 26.5, 27 | 27.5, 28, 28.5, 29; dividend 0.82/4 = 0.205
  //   on 08-27's bar, 0.205 on 09-02's.
  //   Long at the first close (25): 400 shares at 08-25's open (25), cash 0; dividends
  //   400 x 0.205 twice = 164; final 400 x 29 + 164 = 11,764 (as the same data in UTC).
  temp_dir dir;
  data_source_config source;
  source.csv = source.path = dir.write("x.csv", "date,open,high,low,close,volume\n"
                                                "2020-08-24,100,100,100,100,1000\n"
                                                "2020-08-25,100,102,100,102,1000\n"
                                                "2020-08-26,104,104,104,104,1000\n"
                                                "2020-08-27,106,106,106,106,1000\n"
                                                "2020-08-28,108,108,108,108,1000\n"
                                                "2020-08-31,27.5,27.5,27.5,27.5,4000\n"
                                                "2020-09-01,28,28,28,28,4000\n"
                                                "2020-09-02,28.5,28.5,28.5,28.5,4000\n"
                                                "2020-09-03,29,29,29,29,4000\n");
  source.symbol = "X";
  source.timezone = "Europe/Berlin";
  source.corporate_actions = dir.write("a.csv", "date,split,dividend\n"
                                                "2020-08-27,,0.82\n"
                                                "2020-08-31,4,\n"
                                                "2020-09-02,,0.205\n");
  const auto data =
    std::make_shared<const market_data>(load_market_data(data_config{{source}, {}}));
  REQUIRE(data->bars.size() == 9);
  CHECK(data->bars[0].time == day("2020-08-23 22:00"));
  const double close[] = {25, 25.5, 26, 26.5, 27, 27.5, 28, 28.5, 29};
  const double paid[] = {0, 0, 0, 0.205, 0, 0, 0, 0.205, 0};
  for (std::size_t i = 0; i < 9; ++i) {
    INFO(format_timestamp(data->bars[i].time));
    CHECK(data->bars[i].bar.close == close[i]);
    CHECK(data->bars[i].bar.dividend == paid[i]);
  }
  temp_dir out;
  const auto r = run(test::scripted_config("1: X long", 10000), data, out);
  CHECK(r.metrics.final_equity == Approx(11764).margin(1e-9));
  CHECK(r.metrics.dividends == Approx(164).margin(1e-9));
  CHECK(r.metrics.max_drawdown == 0);

  // A date and time is local too; one a DST change repeats (Berlin 2020-10-25 02:30,
  // first at +02:00) is its earlier instant, 00:30 UTC; one it skips (2021-03-28 02:30)
  // is an error with the reader's message.
  const auto file = read_corporate_actions(
    dir.write("t.csv", "date,split\n2020-08-31 09:00,2\n2020-10-25 02:30,2\n"), "Europe/Berlin");
  REQUIRE(file.actions.size() == 2);
  CHECK(file.actions[0].date == day("2020-08-31 07:00"));
  CHECK(file.actions[1].date == day("2020-10-25 00:30"));
  const auto skipped = dir.write("s.csv", "date,split\n2021-03-28 02:30,2\n");
  REQUIRE_THROWS_WITH(read_corporate_actions(skipped, "Europe/Berlin"),
                      skipped + ":2: column 'date': 2021-03-28 02:30 does not exist in "
                                "Europe/Berlin (clocks jump from 02:00 to 03:00)");
}

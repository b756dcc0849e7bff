// The signal_file plugin (the real plugins/signal_file, loaded by name) in runs: which
// strategy's rows it replays, and how a row that cannot be replayed fails the strategy
// or stops the run before it starts, naming the file and line.
#include <catch2/catch.hpp>

#include "apps/engine/backtest.hpp"
#include "runtime/core/error.hpp"
#include "runtime/strategy/checked_config.hpp"
#include "script_strategy.hpp"
#include "temp_dir.hpp"
#include "signals_csv_text.hpp"

using namespace admf;
using admf::testing::temp_dir;

namespace {

const std::string& header = test::signals_header;

/// A: one bar a day from 2021-01-04, {open, close}.
std::shared_ptr<const market_data> daily_a() {
  market_data m;
  test::add_daily_bars(m, "A", {{10, 10}, {10, 11}, {12, 12}, {12, 13}, {14, 14}});
  return test::in_stream_order(std::move(m));
}

/// One portfolio "p" of 1,000 replaying `file`, only `strategy`'s rows when given; as
/// if read from line 9 of c.yaml, for the messages.
backtest_config replay(const std::string& file, const std::string& strategy = "") {
  backtest_config c;
  c.name = "replay";
  portfolio_config p;
  p.id = "p";
  p.initial_capital = 1000;
  strategy_config s;
  s.id = "replay";
  s.plugin = "signal_file";
  s.params.values = {{"file", file}};
  s.params.file = "c.yaml";
  s.params.key_path = "portfolios[0].strategies[0].params";
  s.params.lines = {{"file", 9}};
  if (!strategy.empty())
    s.params.values["strategy"] = strategy;
  p.strategies.push_back(s);
  c.portfolios.push_back(p);
  return c;
}

/// The message of the input_error building the config's strategy throws.
std::string build_error(const backtest_config& c) {
  try {
    check_strategy(c.portfolios[0].strategies[0]);
  } catch (const input_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("signal_file: the strategy param picks one strategy's rows", "[signal_file]") {
  temp_dir dir;
  const auto file = dir.write("s.csv", header
                                         + "2021-01-04,a,A,order,side,long,,,,,,,,,,,\n"
                                           "2021-01-05,b,A,order,side,long,,,,,,,,,,,\n"
                                           "2021-01-06,a,A,order,side,flat,,,,,,,,,,,\n");
  // a: long at the first close, 100 A bought at 10 on the second day's open, sold at 12
  // on the fourth's: 1,200.
  const auto a = run_backtest(replay(file, "a"), daily_a(), {"", 2}).portfolios.at(0);
  REQUIRE(a.ok);
  CHECK(a.metrics.trades == 1);
  CHECK(a.metrics.final_equity == 1200.0);
  // b: long at the second close, 83 A at 12 (996), held to the last close at 14: 1,166.
  const auto b = run_backtest(replay(file, "b"), daily_a(), {"", 2}).portfolios.at(0);
  REQUIRE(b.ok);
  CHECK(b.metrics.trades == 0);
  CHECK(b.metrics.final_equity == 1166.0);
  // A strategy the file does not hold is a typo, not a silent replay...
  CHECK_THAT(build_error(replay(file, "c")),
             Catch::Contains("params.strategy: " + file
                             + " has no rows of strategy 'c' (it has: a, b)"));
  // ...which a file with the header alone gives: it still counts in its portfolio.
  const auto empty = dir.write("e.csv", header);
  const auto c = run_backtest(replay(empty, "c"), daily_a(), {"", 2}).portfolios.at(0);
  REQUIRE(c.ok);
  CHECK(c.silent_strategies == std::vector<std::string>{"replay"});
  CHECK_THAT(build_error(replay(file)),
             Catch::Equals("c.yaml:9: portfolios[0].strategies[0].params.file: " + file
                           + " holds rows of several strategies (a, b): choose one with the "
                             "parameter strategy (plugin 'signal_file')"));
}

TEST_CASE("signal_file: a row at a time without a bar for the strategy fails it, naming the line",
          "[signal_file]") {
  temp_dir dir;
  const auto file = dir.write("s.csv", header
                                         + "2021-01-04,a,A,order,side,long,,,,,,,,,,,\n"
                                           "2021-01-05 12:00:00,a,A,order,side,flat,,,,,,,,,,,\n");
  const auto r = run_backtest(replay(file), daily_a(), {"", 2}).portfolios.at(0);
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.error, Catch::Contains(file
                                      + ":3: no bar at 2021-01-05 12:00:00 for this "
                                        "strategy: the row cannot be replayed"));
}

TEST_CASE("signal_file: an unknown symbol fails the run and a refused order stops it first, naming the line",
          "[signal_file]") {
  temp_dir dir;
  const auto unknown = dir.write("u.csv", header
                                            + "2021-01-04,a,A,order,side,long,,,,,,,,,,,\n"
                                              "2021-01-06,a,ZZZ,order,side,flat,,,,,,,,,,,\n");
  const auto u = run_backtest(replay(unknown), daily_a(), {"", 2}).portfolios.at(0);
  CHECK_FALSE(u.ok);
  CHECK_THAT(u.error, Catch::Contains(unknown
                                      + ":3: symbol: unknown symbol 'ZZZ' (not in the "
                                        "run's data)"));

  const auto refused =
    dir.write("r.csv", header + "2021-01-05,a,A,order,side,long,,,limit,,,,,,,,\n");
  // Refused before the run starts, as a bad cell is: the runtime's own checks.
  CHECK_THAT(build_error(replay(refused)),
             Catch::Contains(refused + ":2: a limit or stop-limit order without a limit price"));
}

TEST_CASE("signal_file: a missing or bad file stops the run before it starts", "[signal_file]") {
  temp_dir dir;
  CHECK_THAT(build_error(replay(dir.file("none.csv"))),
             Catch::Equals("c.yaml:9: portfolios[0].strategies[0].params.file: cannot open "
                           + dir.file("none.csv")
                           + ": No such file or directory (plugin 'signal_file')"));
  CHECK(build_error(replay(""))
        == "c.yaml:9: portfolios[0].strategies[0].params.file: required: "
           "the signals.csv to replay (plugin 'signal_file')");
  const auto bad = dir.write("bad.csv", header + "2021-01-05,a,A,order,side,long,,,,,,,,gtx,,,\n");
  CHECK(build_error(replay(bad))
        == bad
             + ":2: tif: unknown value 'gtx' (one of: gtc, day, gtd, ioc, fok) (plugin "
               "'signal_file')");
}

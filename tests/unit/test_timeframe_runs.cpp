// Timeframes in whole runs (README "Timeframes"): a strategy with `timeframe:` gets the
// resampled bars under its symbols' ids, its orders fill on the next data bar, series
// named "X@4h" reach it under their own ids and trade their base symbol, and
// data_alignment `timeframes:` align several timeframes of one symbol. Hand-worked on
// hourly bars of X from 2021-01-04 00:00 (a Monday): bar n (from 0) has every price 100 + n.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "apps/engine/backtest.hpp"
#include "runtime/strategy/checked_config.hpp"
#include "runtime/core/error.hpp"
#include "runtime/run/run_context.hpp"
#include "runtime/strategy/strategy.hpp"
#include "script_strategy.hpp"
#include "temp_dir.hpp"

using namespace admf;

namespace {

constexpr timestamp hour = 3600 * ns_per_second;
const timestamp monday = days_from_civil(2021, 1, 4) * ns_per_day;

/// What test_record_bars saw: one line per slice, "time: SYMBOL o h l c v; ...".
std::vector<std::string>& recorded() {
  static std::vector<std::string> lines;
  return lines;
}

std::string number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

class record_bars final : public plugin::strategy {
public:
  void on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) override {
    std::string line = format_timestamp(bars[0].time) + ":";
    for (std::size_t i = 0; i < count; ++i) {
      const auto& b = bars[i];
      line += std::string(i ? ";" : "") + " " + ctx.symbol_name(b.symbol);
      for (double x : {b.open, b.high, b.low, b.close, b.volume})
        line += " " + number(x);
    }
    recorded().push_back(line);
  }
  void reset() override {}
};

void register_record_bars() {
  static const bool registered = [] {
    register_strategy("test_record_bars", [](const plugin::params&) {
      return strategy_ptr{new record_bars, [](plugin::strategy* s) { delete s; }};
    });
    return true;
  }();
  (void)registered;
}

/// 72 hourly bars of X (three days), volume 1000.
std::shared_ptr<const market_data> hourly_x() {
  auto m = std::make_shared<market_data>();
  m->symbols = {"X"};
  for (int n = 0; n < 72; ++n) {
    const double p = 100 + n;
    m->bars.push_back({monday + n * hour, bar_data{0, p, p, p, p, 1000}});
  }
  return m;
}

strategy_config from_yaml(const std::string& yaml) {
  backtest_config c = load_config_text("data: {csv: data/sp500_2000_daily_ohlcv.csv, symbol: X}\n"
                                       "portfolios:\n  - id: p\n    initial_capital: 100000\n"
                                       "    strategies:\n      - " + yaml + "\n",
                                       "t.yaml");
  return c.portfolios.at(0).strategies.at(0);
}

/// One portfolio "p" with these strategies, on the data section of from_yaml.
backtest_config portfolio_of(std::vector<strategy_config> strategies) {
  backtest_config c = load_config_text(
    "data: {csv: data/sp500_2000_daily_ohlcv.csv, symbol: X}\n"
    "portfolios:\n  - id: p\n    initial_capital: 100000\n    strategies:\n"
    "      - {id: none, type: buy_and_hold}\n",
    "t.yaml");
  c.portfolios[0].strategies = std::move(strategies);
  return c;
}

std::vector<std::string> record(const std::string& yaml) {
  register_record_bars();
  recorded().clear();
  run_backtest(portfolio_of({from_yaml(yaml)}), hourly_x(), {"", 2});
  return recorded();
}

/// The rows of trades.csv of portfolio p after running `config` on hourly X, the same
/// with 1 and 4 scheduler threads.
std::vector<std::string> trades(const backtest_config& config) {
  std::vector<std::string> runs[2];
  for (std::size_t threads : {1, 4}) {
    const testing::temp_dir dir;
    run_backtest(config, hourly_x(), {dir.path().string(), threads});
    std::ifstream in(dir.file("p/trades.csv"));
    for (std::string line; std::getline(in, line);)
      runs[threads == 4].push_back(line);
  }
  CHECK(runs[0] == runs[1]);
  return runs[0];
}

} // namespace

TEST_CASE("a 1d strategy on hourly data gets exactly the daily bars, under X's id", "[timeframe_runs]") {
  const auto seen = record("{id: r, type: test_record_bars, timeframe: 1d}");
  CHECK(seen == std::vector<std::string>{"2021-01-05: X 100 123 100 123 24000",
                                         "2021-01-06: X 124 147 124 147 24000",
                                         "2021-01-07: X 148 171 148 171 24000"});
}

TEST_CASE("orders of a 1d strategy fill on the next data bar", "[timeframe_runs]") {
  test::register_script_strategy();
  // Decided at the daily bars of 2021-01-05 and -06 00:00; filled at the opens of the
  // hourly bars after them, 01:00 (bar 25: 125; bar 49: 149).
  const auto s = from_yaml("{id: s, type: test_script, timeframe: 1d, params: {script: \"1: X long 10; 2: X flat\"}}");
  const auto rows = trades(portfolio_of({s}));
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].find(",s,X,long,10,2021-01-05 01:00:00,125,2021-01-06 01:00:00,149,") != std::string::npos);
  // The same through the series' own name: a signal for X@1d trades X.
  const auto named = from_yaml("{id: s, type: test_script, symbols: [X@1d], params: {script: \"1: X@1d long 10; 2: X@1d flat\"}}");
  const auto same = trades(portfolio_of({named}));
  REQUIRE(same.size() == 2);
  CHECK(same[1] == rows[1]);
}

TEST_CASE("1d in the source's time zone: New York days of UTC-stamped hourly bars",
          "[timeframe_runs]") {
  register_record_bars();
  recorded().clear();
  auto config = portfolio_of({from_yaml("{id: r, type: test_record_bars, timeframe: 1d}")});
  config.data.sources.at(0).timezone = "America/New_York";
  run_backtest(config, hourly_x(), {"", 2});
  // 00:00-04:00 UTC is 2021-01-03 in New York (EST, UTC-5): that day closes at 05:00 UTC.
  CHECK(recorded() == std::vector<std::string>{"2021-01-04 05:00:00: X 100 104 100 104 5000",
                                               "2021-01-05 05:00:00: X 105 128 105 128 24000",
                                               "2021-01-06 05:00:00: X 129 152 129 152 24000",
                                               "2021-01-07 05:00:00: X 153 171 153 171 19000"});
}

TEST_CASE("data_alignment timeframes: hourly and 4h bars of X in one slice", "[timeframe_runs]") {
  // No timeframe of its own: 1h is the data's, so X; 4h is X@4h, received under its id.
  const auto seen = record("{id: r, type: test_record_bars, symbols: [X], barriers: "
                           "{data_alignment: {timeframes: [1h, 4h]}}}");
  REQUIRE(seen.size() == 17);  // 04:00 to 2021-01-06 20:00; X has no bar at 2021-01-07 00:00
  CHECK(seen[0] == "2021-01-04 04:00:00: X 104 104 104 104 1000; X@4h 100 103 100 103 4000");
  CHECK(seen[16] == "2021-01-06 20:00:00: X 168 168 168 168 1000; X@4h 164 167 164 167 4000");
  // carry_forward runs at every time once both have had a bar: X's 68 from 04:00, then
  // the last 4h bar (X carried at its last close).
  const auto carried = record("{id: r, type: test_record_bars, symbols: [X], barriers: "
                              "{data_alignment: {timeframes: [1h, 4h], missing: carry_forward}}}");
  REQUIRE(carried.size() == 69);
  CHECK(carried[1] == "2021-01-04 05:00:00: X 105 105 105 105 1000; X@4h 103 103 103 103 0");
  CHECK(carried[68] == "2021-01-07: X 171 171 171 171 0; X@4h 168 171 168 171 4000");
}

TEST_CASE("a 4h strategy aligned with 1d gets its 4h bars as X and the daily as X@1d",
          "[timeframe_runs]") {
  const auto seen = record("{id: r, type: test_record_bars, timeframe: 4h, barriers: "
                           "{data_alignment: {symbols: [X], timeframes: [4h, 1d]}}}");
  CHECK(seen == std::vector<std::string>{
                  "2021-01-05: X 120 123 120 123 4000; X@1d 100 123 100 123 24000",
                  "2021-01-06: X 144 147 144 147 4000; X@1d 124 147 124 147 24000",
                  "2021-01-07: X 168 171 168 171 4000; X@1d 148 171 148 171 24000"});
}

TEST_CASE("timeframe config errors name the key", "[timeframe_runs]") {
  CHECK_THROWS_WITH(from_yaml("{id: s, type: buy_and_hold, timeframe: 1x}"),
                    "t.yaml:6: portfolios[0].strategies[0].timeframe: expected a timeframe such "
                    "as 5m, 1h, 4h, 1d or 1w, got '1x'");
  const auto not_coarser =
    portfolio_of({from_yaml("{id: s, type: buy_and_hold, timeframe: 1h}")});
  CHECK_THROWS_WITH(make_run_context(not_coarser, hourly_x()),
                    "t.yaml:6: portfolios[0].strategies[0].timeframe: X@1h: timeframe 1h is not "
                    "coarser than the data's own 1h (bars 2021-01-04 and 2021-01-04 01:00:00)");
  auto in_new_york = portfolio_of({from_yaml("{id: s, type: buy_and_hold, timeframe: 5h}")});
  CHECK_NOTHROW(make_run_context(in_new_york, hourly_x()));  // UTC multiples of 5h
  in_new_york.data.sources.at(0).timezone = "America/New_York";
  CHECK_THROWS_WITH(make_run_context(in_new_york, hourly_x()),
                    Catch::StartsWith("t.yaml:6: portfolios[0].strategies[0].timeframe: X@5h: "
                                      "timeframe 5h does not divide a day"));
  CHECK_THROWS_WITH(
    make_run_context(portfolio_of({from_yaml("{id: s, type: buy_and_hold, symbols: [X@4q]}")}),
                     hourly_x()),
    "t.yaml:6: portfolios[0].strategies[0].symbols[0]: 'X@4q': expected SYMBOL@TIMEFRAME, such "
    "as EURUSD@4h (a timeframe such as 5m, 1h, 4h, 1d or 1w)");
  CHECK_THROWS_WITH(
    make_run_context(portfolio_of({from_yaml("{id: s, type: buy_and_hold, symbols: [Y@4h]}")}),
                     hourly_x()),
    "t.yaml:6: portfolios[0].strategies[0].symbols[0]: unknown symbol 'Y' (the run has: X)");
  CHECK_THROWS_WITH(
    make_run_context(portfolio_of({from_yaml("{id: s, type: buy_and_hold, barriers: "
                                             "{data_alignment: {timeframes: [30m]}}}")}),
                     hourly_x()),
    Catch::StartsWith("t.yaml:6: portfolios[0].strategies[0].barriers.data_alignment.timeframes[0]: "
                      "X@30m: timeframe 30m is not coarser than the data's own 1h"));
}

TEST_CASE("derived series are never traded and add nothing to runs without timeframes",
          "[timeframe_runs]") {
  const auto ctx = make_run_context(
    portfolio_of({from_yaml("{id: a, type: buy_and_hold}"),
                  from_yaml("{id: b, type: buy_and_hold, timeframe: 1d}")}),
    hourly_x());
  REQUIRE(ctx->data->symbols == std::vector<std::string>{"X", "X@1d"});
  const auto& p = ctx->portfolios.at(0);
  // "Every symbol" is every data symbol: X, not X@1d.
  CHECK(p.strategy_symbols == std::vector<std::vector<symbol_id>>{{0}, {1}});
  CHECK(p.strategy_deliver_as[1] == std::vector<symbol_id>{0, 0});
  CHECK(p.calendar == std::vector<bool>{true, true});
  const auto plain = make_run_context(portfolio_of({from_yaml("{id: a, type: buy_and_hold}")}),
                                      hourly_x());
  CHECK(plain->data->symbols == std::vector<std::string>{"X"});
  CHECK(plain->data->base.empty());
  CHECK(plain->portfolios.at(0).strategy_symbols == std::vector<std::vector<symbol_id>>{{}});
}

// A SIGNAL is caused by its own symbol's bar in the time slice the strategy ran on (the
// strategy finds it by binary search in the slice, issue 13): checked against the bars
// of a debug trace, by (time, symbol).
#include <algorithm>
#include <map>
#include <string>
#include <vector>
#include <utility>

#include <catch2/catch.hpp>

#include "script_strategy.hpp"
#include "temp_dir.hpp"

#include "apps/engine/backtest.hpp"
#include "runtime/tracing/trace_file.hpp"
#include "runtime/tracing/trace_plan.hpp"

using namespace admf;

namespace {

/// A debug-traced run of one portfolio "pf" with strategy `s`.
backtest_config traced_config(strategy_config s) {
  backtest_config c;
  c.name = "cause";
  c.tracing = trace_level("debug", "");
  portfolio_config p;
  p.id = "pf";
  p.strategies.push_back(std::move(s));
  c.portfolios.push_back(p);
  return c;
}

}  // namespace

TEST_CASE("each signal is caused by the bar of its symbol at its time", "[signal_cause]") {
  // Three symbols on the same days: every slice holds three bars.
  market_data data;
  for (symbol_id s = 0; s < 3; ++s) {
    const std::string name = "S" + std::to_string(s);
    for (auto b : synthetic_market_data(400, 5 + s, name).bars) {
      b.bar.symbol = s;
      data.bars.push_back(b);
    }
    data.symbols.push_back(name);
  }
  std::stable_sort(data.bars.begin(), data.bars.end(),
                   [](const timed_bar& a, const timed_bar& b) { return a.time < b.time; });
  strategy_config s;
  s.id = "sma";
  s.type = "sma_crossover";
  s.params.values = {{"fast", "5"}, {"slow", "20"}};
  const backtest_config c = traced_config(s);
  admf::testing::temp_dir dir;
  const auto r = run_backtest(c, std::make_shared<const market_data>(std::move(data)),
                              {dir.path().string()});
  REQUIRE(r.portfolios.at(0).ok);

  trace_reader reader{(dir.path() / "pf" / "events.pb").string()};
  std::map<std::pair<timestamp, symbol_id>, std::uint64_t> bar_ids;
  std::vector<event> signals;
  while (auto record = reader.next()) {
    const auto& e = record->ev;
    if (e.header.type == event_type::bar)
      bar_ids[{e.header.time, e.as<bar_data>().symbol}] = e.header.id;
    else if (e.header.type == event_type::signal)
      signals.push_back(e);
  }
  std::map<symbol_id, int> per_symbol;
  for (const auto& e : signals) {
    const auto symbol = e.as<signal_data>().symbol;
    const auto bar = bar_ids.find({e.header.time, symbol});
    REQUIRE(bar != bar_ids.end());
    CHECK(e.header.causation == bar->second);
    ++per_symbol[symbol];
  }
  // Symbols 0 and 1 are never their slice's last bar: their causes are found, not the
  // fallback.
  CHECK(per_symbol[0] > 0);
  CHECK(per_symbol[1] > 0);
}

TEST_CASE("a signal for a symbol with a derived series in the slice is caused by the later bar",
          "[signal_cause]") {
  // 48 hourly bars of X from 2021-01-04 00:00; the daily bars are derived from them.
  auto data = std::make_shared<market_data>();
  data->symbols = {"X"};
  const timestamp monday = days_from_civil(2021, 1, 4) * ns_per_day;
  for (int n = 0; n < 48; ++n)
    data->bars.push_back({monday + n * 3600 * ns_per_second, bar_data{0, 100, 100, 100, 100, 1}});
  test::register_script_strategy();
  strategy_config s;
  s.id = "both";
  s.type = "test_script";
  s.symbols = {"X", "X@1d"};
  // Its 25th timestamp, 2021-01-05 00:00: X's hourly bar and the first daily bar.
  s.params.values = {{"script", "25: X long 10"}};
  const backtest_config c = traced_config(s);
  admf::testing::temp_dir dir;
  REQUIRE(run_backtest(c, data, {dir.path().string()}).portfolios.at(0).ok);

  trace_reader reader{(dir.path() / "pf" / "events.pb").string()};
  const auto& names = reader.header().symbols;
  std::map<std::uint64_t, event> bars;
  std::vector<event> signals;
  while (auto record = reader.next()) {
    const auto& e = record->ev;
    if (e.header.type == event_type::bar)
      bars[e.header.id] = e;
    else if (e.header.type == event_type::signal)
      signals.push_back(e);
  }
  // Both bars trade X; the daily one comes later in the slice (ids in name order) and
  // is the cause.
  REQUIRE(signals.size() == 1);
  const auto cause = bars.find(signals[0].header.causation);
  REQUIRE(cause != bars.end());
  CHECK(cause->second.header.time == monday + ns_per_day);
  CHECK(names.at(cause->second.as<bar_data>().symbol) == "X@1d");
  CHECK(names.at(signals[0].as<signal_data>().symbol) == "X");
}

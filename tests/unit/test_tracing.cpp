// Tracing as interceptors: pattern resolution, retention bounds, and the promise
// that tracing changes no result and that a trace on disk replays to the metrics.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include "runtime/core/error.hpp"
#include "apps/engine/backtest.hpp"
#include "runtime/metrics/metrics.hpp"
#include "runtime/tracing/retention.hpp"
#include "runtime/tracing/trace_file.hpp"
#include "runtime/tracing/trace_plan.hpp"

using namespace admf;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t run_id = 99;

trace_record rec(event_type type, std::uint64_t correlation, event_payload payload = bar_data{}) {
  trace_record r;
  r.ev.header.type = type;
  r.ev.header.correlation = correlation;
  r.ev.payload = std::move(payload);
  return r;
}

fill_data fill_of(side s, double qty) {
  fill_data f;
  f.action = s;
  f.quantity = qty;
  return f;
}

using admf::testing::read_text;
using admf::testing::temp_dir;

backtest_config sma_config(trace_settings tracing) {
  backtest_config c;
  c.name = "tracing";
  c.engine.batch_size = 512;
  c.tracing = std::move(tracing);
  portfolio_config p;
  p.id = "portfolio_sma";
  p.initial_capital = 100000;
  strategy_config s;
  s.id = "sma";
  s.type = "sma_crossover";
  s.params.values = {{"fast", "5"}, {"slow", "20"}};
  p.strategies.push_back(s);
  c.portfolios.push_back(p);
  return c;
}

std::shared_ptr<const market_data> bars(std::size_t n) {
  return std::make_shared<const market_data>(synthetic_market_data(n, 11));
}

std::uint64_t stat(const fs::path& stats_file, const std::string& key) {
  const auto text = read_text(stats_file);
  const auto at = text.find("\"" + key + "\": ");
  REQUIRE(at != std::string::npos);
  return std::stoull(text.substr(at + key.size() + 4));
}

} // namespace

TEST_CASE("patterns: globs, the most specific wins, a pattern matching nothing is an error",
          "[tracing]") {
  CHECK(matches_pattern("portfolio_*", "portfolio_sma"));
  CHECK(matches_pattern("*/risk", "portfolio_sma/risk"));
  CHECK(matches_pattern("*", "data"));
  CHECK_FALSE(matches_pattern("portfolio_*", "execution"));
  CHECK_FALSE(matches_pattern("data", "data2"));

  trace_settings s = trace_level("minimal", "");
  trace_rule off;
  off.enabled = false;
  trace_rule window;
  window.retention = retention_policy::sliding_window;
  s.containers = {{"portfolio_*", "f.yaml:3: p", window}, {"portfolio_sma", "f.yaml:4: q", off}};
  const auto rules = resolve_trace_rules(s, {"data", "portfolio_sma", "portfolio_b", "portfolio_b/risk"});
  REQUIRE(rules[0]);
  CHECK(rules[0]->retention == retention_policy::trade_complete);  // the default
  CHECK_FALSE(rules[1]);                                            // exact name beats the glob
  REQUIRE(rules[2]);
  CHECK(rules[2]->retention == retention_policy::sliding_window);
  REQUIRE(rules[3]);

  s.containers.push_back({"strategy_*", "f.yaml:9: trace_settings.container_settings.strategy_*", off});
  CHECK_THROWS_WITH(resolve_trace_rules(s, {"data", "portfolio_sma"}),
                    Catch::StartsWith("f.yaml:9: trace_settings.container_settings.strategy_*: "
                                      "pattern 'strategy_*' matches no container"));
}

TEST_CASE("trace levels are presets, an unknown one is an error", "[tracing]") {
  CHECK_FALSE(trace_level("none", "").enabled);
  CHECK(trace_level("debug", "").defaults.storage == storage_backend::disk);
  CHECK(trace_level("normal", "").defaults.retention == retention_policy::sliding_window);
  CHECK_THROWS_WITH(trace_level("verbose", "c.yaml:2: trace_settings.level"),
                    Catch::StartsWith("c.yaml:2: trace_settings.level: unknown trace level"));
}

TEST_CASE("sliding_window holds the last max_events", "[tracing]") {
  retention r{retention_policy::sliding_window, 100, run_id};
  for (int i = 0; i < 1000; ++i)
    r.add(rec(event_type::bar, run_id));
  CHECK(r.stats().held == 100);
  CHECK(r.stats().peak == 100);
  CHECK(r.stats().dropped == 900);
}

TEST_CASE("trade_complete keeps a trade's events while it is open, then prunes them",
          "[tracing]") {
  retention r{retention_policy::trade_complete, 10, run_id};
  r.add(rec(event_type::bar, run_id));  // not part of a trade
  CHECK(r.stats().held == 0);
  r.add(rec(event_type::order, 5, order_data{}));
  r.add(rec(event_type::fill, 5, fill_of(side::buy, 10)));
  r.add(rec(event_type::position_open, 5, position_data{}));
  CHECK(r.stats().held == 3);
  r.add(rec(event_type::order, 6, order_data{}));
  r.add(rec(event_type::risk_reject, 6, risk_reject_data{}));  // never opened
  CHECK(r.stats().held == 3);
  position_data closed;
  closed.pnl = 12.5;
  r.add(rec(event_type::position_close, 5, closed));
  CHECK(r.stats().held == 0);
  CHECK(r.stats().trades_completed == 2);
  CHECK(r.stats().completed_pnl == 12.5);
  // The exit fill seen after the close it caused does not reopen the trade.
  r.add(rec(event_type::fill, 5, fill_of(side::sell, 10)));
  CHECK(r.stats().held == 0);
}

TEST_CASE("trade_complete holds at most max_events when trades never end in its view",
          "[tracing]") {
  // Like risk's tracer: it sees each trade's ORDER, never its fills or its close.
  retention r{retention_policy::trade_complete, 5, run_id};
  for (std::uint64_t trade = 1001; trade <= 1100; ++trade)
    r.add(rec(event_type::order, trade, order_data{}));
  CHECK(r.stats().held == 5);
  CHECK(r.stats().peak == 5);
  CHECK(r.stats().dropped == 95);
  // The oldest went first: trade 1096, still held, ends (making room by dropping 1097)
  // and frees its two events.
  r.add(rec(event_type::risk_reject, 1096, risk_reject_data{}));
  CHECK(r.stats().held == 3);
  CHECK(r.stats().dropped == 96);
  CHECK(r.stats().trades_completed == 1);
  // A trade evicted earlier that ends now: completed, and nothing of it is held after.
  r.add(rec(event_type::risk_reject, 1003, risk_reject_data{}));
  CHECK(r.stats().held == 3);
  CHECK(r.stats().peak == 5);
  CHECK(r.stats().trades_completed == 2);
}

TEST_CASE("trade_complete: fills netting out end a trade where no position events pass",
          "[tracing]") {
  retention r{retention_policy::trade_complete, 10, run_id};
  for (std::uint64_t trade = 1000; trade < 2000; ++trade) {
    r.add(rec(event_type::order, trade, order_data{}));
    r.add(rec(event_type::fill, trade, fill_of(side::buy, 3)));
    r.add(rec(event_type::order, trade, order_data{}));
    r.add(rec(event_type::fill, trade, fill_of(side::sell, 3)));
  }
  CHECK(r.stats().held == 0);
  CHECK(r.stats().peak == 4);
  CHECK(r.stats().trades_completed == 1000);
}

TEST_CASE("trade_complete: an entry fill the account cuts to nothing ends its trade, a cut "
          "in part keeps it open",
          "[tracing]") {
  retention r{retention_policy::trade_complete, 10, run_id};
  auto cut = [](double units) {
    order_cancel_data c;
    c.reason = cancel_reason::insufficient_cash;
    c.action = side::buy;
    c.cut_quantity = units;
    return c;
  };
  r.add(rec(event_type::order, 7, order_data{}));
  r.add(rec(event_type::fill, 7, fill_of(side::buy, 2500)));
  r.add(rec(event_type::order_cancel, 7, cut(2500)));  // all of it: never a position
  CHECK(r.stats().held == 0);
  CHECK(r.stats().trades_completed == 1);
  r.add(rec(event_type::order, 8, order_data{}));
  r.add(rec(event_type::fill, 8, fill_of(side::buy, 2500)));
  r.add(rec(event_type::order_cancel, 8, cut(750)));  // 1,750 kept: the trade is open
  CHECK(r.stats().held == 3);
  // An exit order cancelled unfilled at the end of the data changes nothing held.
  order_cancel_data unfilled;
  unfilled.action = side::sell;
  r.add(rec(event_type::order_cancel, 8, unfilled));
  CHECK(r.stats().held == 4);
  CHECK(r.stats().trades_completed == 1);
}

TEST_CASE("minimal keeps only open positions", "[tracing]") {
  retention r{retention_policy::minimal, 10, run_id};
  r.add(rec(event_type::order, 5, order_data{}));
  r.add(rec(event_type::position_open, 5, position_data{}));
  r.add(rec(event_type::position_open, 6, position_data{}));
  CHECK(r.stats().held == 2);
  r.add(rec(event_type::position_close, 5, position_data{}));
  CHECK(r.stats().held == 1);
  // The one held is trade 6's open: closing it empties the store.
  r.add(rec(event_type::position_close, 6, position_data{}));
  CHECK(r.stats().held == 0);
  CHECK(r.stats().trades_completed == 2);
}

TEST_CASE("a long traced run: memory stays at the policy's bound, results unchanged",
          "[tracing]") {
  temp_dir dir;
  const auto data = bars(200'000);
  const auto untraced = run_backtest(sma_config({}), data, {});
  REQUIRE(untraced.portfolios[0].metrics.trades > 1000);

  auto tracing = trace_level("minimal", "");
  trace_rule window = tracing.defaults;
  window.retention = retention_policy::sliding_window;
  window.max_events = 500;
  tracing.containers = {{"data", "", window}};
  const auto traced = run_backtest(sma_config(tracing), data, {dir.path().string()});
  CHECK(traced.portfolios[0].metrics.to_json() == untraced.portfolios[0].metrics.to_json());

  // trade_complete: one open trade at a time, whatever the number of trades.
  const auto portfolio_stats = dir.path() / "portfolio_sma" / "trace_stats.json";
  CHECK(stat(portfolio_stats, "events_traced") > 200'000);
  CHECK(stat(portfolio_stats, "trades_completed") > 1000);
  CHECK(stat(portfolio_stats, "events_held_peak") <= 4);
  const auto execution_stats = dir.path() / "execution" / "trace_stats.json";
  CHECK(stat(execution_stats, "events_held_peak") <= 4);
  // sliding_window: exactly its bound once full.
  const auto data_stats = dir.path() / "data" / "trace_stats.json";
  CHECK(stat(data_stats, "events_held_peak") == 500);
  CHECK(stat(data_stats, "events_held") == 500);
}

TEST_CASE("a full trace on disk replays through the metrics collector to identical metrics",
          "[tracing]") {
  temp_dir dir;
  const auto data = bars(20'000);
  for (bool compress : {false, true}) {
    auto tracing = trace_level("debug", "");
    tracing.defaults.compress = compress;
    const auto r = run_backtest(sma_config(tracing), data, {dir.path().string()});
    const auto file = dir.path() / "portfolio_sma" / (compress ? "events.pb.zst" : "events.pb");
    trace_reader reader{file.string()};
    metrics_accumulator replay{100000, metrics_config{}, time_format_of(*data, {true})};
    std::uint64_t n = 0;
    while (auto record = reader.next()) {
      // The portfolio's own output: what the collector was fed during the run.
      if (!record->times.received)
        replay.observe(record->ev);
      ++n;
    }
    CHECK_FALSE(reader.damage());
    CHECK(n > 40'000);
    CHECK(replay.report().to_json() == r.portfolios[0].metrics.to_json());
    CHECK(replay.report().to_json() == read_text(dir.path() / "portfolio_sma" / "metrics.json"));
  }
}

TEST_CASE("tracing to disk without an output directory is a clear error", "[tracing]") {
  CHECK_THROWS_WITH(run_backtest(sma_config(trace_level("debug", "")), bars(100), {}),
                    Catch::Contains("storage_backend disk needs an output directory"));
}

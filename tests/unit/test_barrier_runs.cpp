// Barriers in real runs: each one changes what happens, and results stay the same
// whatever the thread count.
#include <catch2/catch.hpp>

#include "runtime/core/error.hpp"
#include "apps/engine/backtest.hpp"
#include "runtime/strategy/strategy.hpp"

using namespace admf;

namespace {

std::string repo(const std::string& path) { return std::string(ADMF_SOURCE_DIR) + "/" + path; }

std::shared_ptr<const market_data> load(const std::string& file, csv_format format,
                                        std::vector<std::string> symbols, std::string symbol = "") {
  data_config d;
  data_source_config s;
  s.csv = s.path = repo(file);
  s.format = format;
  s.symbols = std::move(symbols);
  s.symbol = std::move(symbol);
  d.sources.push_back(s);
  return std::make_shared<const market_data>(load_market_data(d));
}

/// Drops every `every`-th bar of `symbol` (and its first `late` bars): gaps to align.
std::shared_ptr<const market_data> with_gaps(const market_data& in, symbol_id symbol, int every,
                                             int late) {
  auto out = std::make_shared<market_data>(in);
  out->bars.clear();
  int n = 0;
  for (const auto& b : in.bars) {
    if (b.bar.symbol == symbol && (n++ < late || n % every == 0))
      continue;
    out->bars.push_back(b);
  }
  return out;
}

backtest_config one_strategy(strategy_config s) {
  backtest_config c;
  c.name = "barriers";
  portfolio_config p;
  p.id = "p";
  p.initial_capital = 100000;
  p.strategies.push_back(std::move(s));
  c.portfolios.push_back(std::move(p));
  return c;
}

strategy_config sma(int fast, int slow) {
  strategy_config s;
  s.id = "sma";
  s.type = "sma_crossover";
  s.params.values = {{"fast", std::to_string(fast)}, {"slow", std::to_string(slow)}};
  return s;
}

std::string outcome(const run_result& r) {
  const auto& p = r.portfolios.at(0);
  return p.metrics.to_json() + std::to_string(p.counts[static_cast<int>(event_type::signal)])
         + "/" + std::to_string(p.counts[static_cast<int>(event_type::order)]);
}

/// Same result with 1 and 4 scheduler threads; returns it.
std::string deterministic(const backtest_config& c, std::shared_ptr<const market_data> data) {
  const auto one = outcome(run_backtest(c, data, {"", 1}));
  CHECK(outcome(run_backtest(c, data, {"", 4})) == one);
  return one;
}

std::uint64_t count(const run_result& r, event_type t) {
  return r.portfolios.at(0).counts[static_cast<std::size_t>(t)];
}

} // namespace

TEST_CASE("data alignment: skip and carry_forward change which times a pairs-like strategy runs",
          "[barrier_runs]") {
  const auto dow = load("data/dowjones30_1991_2001_daily_close.csv", csv_format::wide, {"KO", "PG"});
  const auto gappy = with_gaps(*dow, 0, 50, 5);  // KO misses its first 5 days and 1 in 50
  auto make = [&](std::optional<missing_bars> missing) {
    auto s = sma(5, 20);
    if (missing) {
      data_alignment_barrier a;
      a.symbols = {"KO", "PG"};
      a.missing = *missing;
      s.barriers = barrier_config{a, ""};
    }
    return one_strategy(s);
  };
  const auto none = deterministic(make(std::nullopt), gappy);
  const auto skip = deterministic(make(missing_bars::skip), gappy);
  const auto carry = deterministic(make(missing_bars::carry_forward), gappy);
  CHECK(skip != none);
  CHECK(carry != skip);
  CHECK(carry != none);
  // Without gaps, aligning changes nothing: every time has both symbols.
  CHECK(deterministic(make(missing_bars::skip), dow) == deterministic(make(std::nullopt), dow));
}

TEST_CASE("timing: trading hours and max signals per period gate an intraday strategy",
          "[barrier_runs]") {
  const auto fx = load("data/usdchf_30min_close.csv", csv_format::ohlcv, {}, "USDCHF");
  const auto base = one_strategy(sma(4, 16));
  const auto free_run = run_backtest(base, fx, {});

  auto hours = base;
  trading_hours_barrier h;
  h.start_minute = 8 * 60;
  h.end_minute = 12 * 60;
  h.timezone = "Europe/Zurich";
  hours.portfolios[0].strategies[0].barriers = barrier_config{h, ""};
  const auto in_hours = run_backtest(hours, fx, {});
  deterministic(hours, fx);
  CHECK(count(in_hours, event_type::signal) < count(free_run, event_type::signal) / 2);
  CHECK(count(in_hours, event_type::signal) > 0);

  auto capped = base;
  capped.portfolios[0].strategies[0].barriers = barrier_config{max_signals_barrier{1, ns_per_day}, ""};
  const auto one_a_day = run_backtest(capped, fx, {});
  deterministic(capped, fx);
  // ~1300 trading days in the file: never more than one signal a day.
  CHECK(count(one_a_day, event_type::signal) <= 1310);
  CHECK(count(one_a_day, event_type::signal) < count(free_run, event_type::signal));

  // Composed: inside the hours everything passes, outside at most one a day.
  barrier_group any;
  any.combine = barrier_group::mode::any;
  any.children = {barrier_config{h, ""}, barrier_config{max_signals_barrier{1, ns_per_day}, ""}};
  auto either = base;
  either.portfolios[0].strategies[0].barriers = barrier_config{any, ""};
  const auto composed = run_backtest(either, fx, {});
  CHECK(count(composed, event_type::signal) > count(in_hours, event_type::signal));
  CHECK(count(composed, event_type::signal) < count(free_run, event_type::signal));
}

namespace {

/// Wants to be long every bar through a limit order at half the close, which rests
/// for years (S&P 500 halves only in 2009): it keeps signalling while it is pending.
class limit_every_bar final : public plugin::strategy {
public:
  void on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) override {
    for (std::size_t i = 0; i < count; ++i) {
      plugin::signal s;
      s.symbol = bars[i].symbol;
      s.target = plugin::direction::long_;
      s.strength = 0.1;
      s.type = plugin::order_type::limit;
      s.limit_price = bars[i].close * 0.5;
      ctx.emit(s);
    }
  }
  void reset() override {}
};

} // namespace

TEST_CASE("on_new_signal: a resting limit order is replaced, kept or joined by the next signal",
          "[barrier_runs]") {
  register_strategy("test_limit_every_bar", [](const plugin::params&) {
    return strategy_ptr{new limit_every_bar, [](plugin::strategy* s) { delete s; }};
  });
  const auto spx = load("data/sp500_2000_daily_ohlcv.csv", csv_format::ohlcv, {}, "SPX");
  strategy_config s;
  s.id = "limits";
  s.type = "test_limit_every_bar";
  auto replace = one_strategy(s);  // the default
  auto keep = replace, add = replace;
  keep.portfolios[0].on_new_signal = new_signal_policy::keep;
  add.portfolios[0].on_new_signal = new_signal_policy::add;
  const auto r = run_backtest(replace, spx, {});
  const auto k = run_backtest(keep, spx, {});
  const auto a = run_backtest(add, spx, {});
  const auto signals = count(r, event_type::signal);
  CHECK(count(k, event_type::signal) == signals);
  CHECK(count(a, event_type::signal) == signals);
  // Replace: a limit at half the last close lives one bar (no day's low is half the
  // previous close), then the next signal supersedes it. Every signal places an order;
  // the last two end with the data (the one placed before the last bar has had its
  // last chance once that bar is matched, before the last close), the rest are
  // superseded.
  const auto& replaced = r.portfolios.at(0).metrics;
  CHECK(count(r, event_type::order) == signals);
  CHECK(count(r, event_type::fill) == 0);
  CHECK(replaced.cancelled.at("superseded") == signals - 2);
  CHECK(replaced.cancelled.at("end_of_data") == 2);
  // Keep: the first order rests until it fills in 2009 (the index halved); every signal
  // while it rests is turned down (order_pending), and after the fill the position is
  // already long, so the rest place nothing.
  const auto& kept = k.portfolios.at(0).metrics;
  CHECK(count(k, event_type::order) == 1);
  CHECK(count(k, event_type::fill) == 1);
  CHECK(kept.rejected.at("order_pending") > 2000);
  CHECK(kept.rejected.at("order_pending") < signals);
  // Add: a new order every bar until the first fills, hundreds of which fill.
  CHECK(count(a, event_type::order) > 2000);
  CHECK(count(a, event_type::fill) > 100);
  deterministic(replace, spx);
  deterministic(add, spx);
}

TEST_CASE("a barrier naming an unknown symbol fails before the run", "[barrier_runs]") {
  const auto spx = load("data/sp500_2000_daily_ohlcv.csv", csv_format::ohlcv, {}, "SPX");
  auto s = sma(5, 20);
  data_alignment_barrier a;
  a.symbols = {"SPX", "NDX"};
  s.barriers = barrier_config{a, "b.yaml:4: portfolios[0].strategies[0].barriers.data_alignment"};
  CHECK_THROWS_AS(run_backtest(one_strategy(s), spx, {}), input_error);
}

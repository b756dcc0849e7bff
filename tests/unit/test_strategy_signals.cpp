// What a strategy may signal: with `symbols:` it lives on those symbols (its barriers
// align them by default; a signal for any other symbol is its failure, not a trade at
// times it never saw); a strength outside (0, 1] is its failure too; a strategy that
// never signals is named in the result.
#include <catch2/catch.hpp>

#include "apps/engine/backtest.hpp"
#include "runtime/barriers/barrier_config.hpp"
#include "script_strategy.hpp"

using namespace admf;

namespace {

/// A trades every day; B (another portfolio's, say) only on the first two.
std::shared_ptr<const market_data> two_calendars() {
  market_data m;
  test::add_daily_bars(m, "A", {{10, 10}, {10, 10}, {10, 10}, {10, 12}, {12, 12}});
  test::add_daily_bars(m, "B", {{5, 5}, {5, 5}});
  return test::in_stream_order(std::move(m));
}

}  // namespace

TEST_CASE("strategy symbols: an alignment without a symbol list aligns the strategy's own",
          "[strategy_signals]") {
  // Long A at its third timestamp. Aligning every symbol of the run with `skip` would
  // never run it after B stops (day 3 on): no trade. Aligning its own, A: it runs daily.
  auto config = test::scripted_config("3: A long");
  auto& s = config.portfolios[0].strategies[0];
  s.symbols = {"A"};
  data_alignment_barrier align;
  align.missing = missing_bars::skip;
  s.barriers = barrier_config{align, ""};
  const auto r = run_backtest(config, two_calendars(), {"", 2}).portfolios.at(0);
  REQUIRE(r.ok);
  // Budget 100,000 at the third close; 10,000 A @ 10 on day 4, which closes at 12.
  CHECK(r.metrics.final_equity == 120000.0);
}

TEST_CASE("strategy symbols: a signal for a symbol outside them fails the strategy",
          "[strategy_signals]") {
  auto config = test::scripted_config("1: B long");
  config.portfolios[0].strategies[0].symbols = {"A"};
  const auto r = run_backtest(config, two_calendars(), {"", 2}).portfolios.at(0);
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.error, Catch::Contains("signal for B, which is not among the strategy's symbols"));
}

TEST_CASE("a strategy that never signalled is named in the result", "[strategy_signals]") {
  const auto silent =
    run_backtest(test::scripted_config("99: A long"), two_calendars(), {"", 2}).portfolios.at(0);
  CHECK(silent.silent_strategies == std::vector<std::string>{"script"});
  const auto active =
    run_backtest(test::scripted_config("1: A long"), two_calendars(), {"", 2}).portfolios.at(0);
  CHECK(active.silent_strategies.empty());
}

TEST_CASE("a signal strength of 0 or less, or above 1, fails the strategy", "[strategy_signals]") {
  for (const char* strength : {"0", "-0.5", "1.5"}) {
    const auto r = run_backtest(test::scripted_config(std::string("1: A long strength ") + strength),
                                two_calendars(), {"", 2})
                     .portfolios.at(0);
    INFO(strength);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("it must be in (0, 1]"));
  }
}

TEST_CASE("a malformed version-2 order fails the strategy with what is wrong",
          "[strategy_signals]") {
  const std::pair<const char*, const char*> cases[] = {
    {"1: A long limit 9 trail 2", "a limit price on an order type that has none"},
    {"1: A long stop 11 limit 12 ioc", ""},  // well formed: a stop-limit IOC
    {"1: A long trail 0", "a trailing stop needs exactly one of trail_amount and trail_percent"},
    {"1: A long trail 150%", "trail_percent is a fraction (0.05 = 5%) and must be below 1"},
    {"1: A long fok", "fill-or-kill needs an explicit quantity"},
    {"1: A long 100 fok", ""},
    {"1: A long moc day", "a market-on-close order fills at this close or not at all"},
    {"1: A long gtd 2021-01-04", "a GTD expire_time at or before the bar it is emitted on"},
    {"1: A long gtd 2021-01-05", ""},
    {"1: A flat sl 9", "bracket legs belong to a long or short entry (target_kind::side)"},
    {"1: A qty 10 tp 12", "bracket legs belong to a long or short entry (target_kind::side)"},
    {"1: A long sl 12 tp 11", "a long bracket needs stop_loss below take_profit"},
    {"1: A short sl 9 tp 11", "a short bracket needs stop_loss above take_profit"},
    {"1: A long sl 9 tp 12", ""},
    {"1: A long -5 sl 9", "a negative quantity for a side target"},
    {"1: A replace", "a replace that changes nothing"},
  };
  for (const auto& [script, error] : cases) {
    INFO(script);
    const auto r =
      run_backtest(test::scripted_config(script), two_calendars(), {"", 2}).portfolios.at(0);
    if (*error == '\0') {
      CHECK(r.ok);
    } else {
      CHECK_FALSE(r.ok);
      CHECK_THAT(r.error, Catch::Contains(std::string("signal for A: ") + error));
    }
  }
}

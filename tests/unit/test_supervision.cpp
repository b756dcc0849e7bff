// Supervision through the real actor tree: a strategy that throws is observed by its
// portfolio, which restarts it or stops per config, while other portfolios go on.
#include <atomic>

#include <catch2/catch.hpp>

#include "runtime/core/error.hpp"
#include "apps/engine/backtest.hpp"
#include "runtime/strategy/strategy.hpp"

using namespace admf;

namespace {

// Throws at bar `at` while the shared budget of failures lasts, then behaves like
// buy_and_hold: a transient fault when the budget is 1, a permanent one when huge.
std::atomic<int> failures_left{0};

class throw_at final : public plugin::strategy {
public:
  explicit throw_at(long long at) : at_(at) {}
  void on_bars(const plugin::bar* bars, std::size_t, plugin::context& ctx) override {
    if (++bars_ == at_ && failures_left.fetch_sub(1) > 0)
      throw std::runtime_error("injected fault at bar " + std::to_string(at_));
    if (bars_ == 1) {
      plugin::signal s;
      s.symbol = bars[0].symbol;
      s.target = plugin::direction::long_;
      ctx.emit(s);
    }
  }
  void reset() override { bars_ = 0; }

private:
  long long at_, bars_ = 0;
};

strategy_config strategy_of(std::string id, std::string type,
                            std::map<std::string, std::string> params = {}) {
  strategy_config s;
  s.id = std::move(id);
  s.type = std::move(type);
  s.params.values = std::move(params);
  return s;
}

portfolio_config portfolio_of(std::string id, strategy_config s, failure_policy policy) {
  portfolio_config p;
  p.id = std::move(id);
  p.initial_capital = 100000;
  p.strategies.push_back(std::move(s));
  p.supervision = {policy, 2};
  return p;
}

backtest_config base_config() {
  static bool registered = [] {
    register_strategy("test_throw_at", [](const plugin::params& p) {
      return strategy_ptr{new throw_at(static_cast<long long>(p.number("at"))),
                          [](plugin::strategy* s) { delete s; }};
    });
    return true;
  }();
  (void)registered;
  backtest_config c;
  c.name = "supervision";
  c.engine.batch_size = 256;
  return c;
}

std::shared_ptr<const market_data> data() {
  static auto d = std::make_shared<const market_data>(synthetic_market_data(5000, 7));
  return d;
}

const portfolio_result& find(const run_result& r, const std::string& id) {
  for (const auto& p : r.portfolios)
    if (p.id == id)
      return p;
  FAIL("no portfolio " << id);
  throw;
}

} // namespace

TEST_CASE("a failing strategy stops its portfolio, the other portfolio finishes unchanged") {
  auto healthy = portfolio_of("healthy", strategy_of("sma", "sma_crossover", {{"fast", "5"}, {"slow", "20"}}),
                              failure_policy::stop_portfolio);
  auto alone = base_config();
  alone.portfolios = {healthy};
  const auto solo = run_backtest(alone, data(), {});

  auto both = base_config();
  both.portfolios = {portfolio_of("faulty", strategy_of("bad", "test_throw_at", {{"at", "1000"}}),
                                  failure_policy::stop_portfolio),
                     healthy};
  failures_left = 1'000'000;
  const auto r = run_backtest(both, data(), {});
  const auto& faulty = find(r, "faulty");
  CHECK_FALSE(faulty.ok);
  CHECK_THAT(faulty.error, Catch::Contains("strategy 'bad' failed")
                             && Catch::Contains("injected fault at bar 1000"));
  CHECK(faulty.restarts == 0);
  const auto& ok = find(r, "healthy");
  REQUIRE(ok.ok);
  CHECK(ok.metrics.to_json() == solo.portfolios[0].metrics.to_json());
  CHECK(ok.metrics.trades > 0);
}

TEST_CASE("restart policy: a transient fault is restarted and the run completes") {
  auto c = base_config();
  c.portfolios = {portfolio_of("p", strategy_of("flaky", "test_throw_at", {{"at", "1000"}}),
                               failure_policy::restart)};
  failures_left = 1;
  const auto r = run_backtest(c, data(), {});
  REQUIRE(r.portfolios.size() == 1);
  CHECK(r.portfolios[0].ok);
  CHECK(r.portfolios[0].restarts == 1);
  CHECK(r.portfolios[0].metrics.bars == 5000);
}

TEST_CASE("restart policy: a permanent fault is restarted max_restarts times, then stops") {
  auto c = base_config();
  c.portfolios = {portfolio_of("p", strategy_of("broken", "test_throw_at", {{"at", "1000"}}),
                               failure_policy::restart),
                  portfolio_of("q", strategy_of("hold", "buy_and_hold"), failure_policy::restart)};
  failures_left = 1'000'000;
  const auto r = run_backtest(c, data(), {});
  CHECK_FALSE(find(r, "p").ok);
  CHECK(find(r, "p").restarts == 2);
  CHECK(find(r, "q").ok);
  CHECK(find(r, "q").metrics.bars == 5000);
}

TEST_CASE("results do not depend on the number of scheduler threads") {
  auto c = base_config();
  c.portfolios = {portfolio_of("a", strategy_of("s1", "sma_crossover", {{"fast", "3"}, {"slow", "11"}}),
                               failure_policy::stop_portfolio),
                  portfolio_of("b", strategy_of("s2", "sma_crossover", {{"fast", "8"}, {"slow", "40"}}),
                               failure_policy::stop_portfolio)};
  std::vector<std::string> outputs;
  for (std::size_t threads : {1, 2, 4, 1, 4}) {
    const auto r = run_backtest(c, data(), {"", threads});
    outputs.push_back(r.portfolios[0].metrics.to_json() + r.portfolios[1].metrics.to_json());
  }
  for (const auto& o : outputs)
    CHECK(o == outputs.front());
  CHECK(outputs.front().find("\"trades\": 0") == std::string::npos);
}

TEST_CASE("an unknown strategy type in a C++-built config is a clear error") {
  auto c = base_config();
  c.portfolios = {portfolio_of("p", strategy_of("x", "no_such_type"), failure_policy::restart)};
  CHECK_THROWS_WITH(run_backtest(c, data(), {}),
                    Catch::Contains("strategy 'x': unknown strategy type 'no_such_type'"));
}

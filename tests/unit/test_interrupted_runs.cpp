// SIGINT / SIGTERM end a run cleanly: the signal watcher turns the signal into a stop
// flag, and a run whose flag is set ends its stream early, publishes nothing, removes
// its staging directory and ends its trace files as interrupted.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include "apps/engine/backtest.hpp"
#include "runtime/core/error.hpp"
#include "runtime/core/stop_signal.hpp"
#include "runtime/strategy/strategy.hpp"
#include "runtime/tracing/trace_file.hpp"

using namespace admf;
namespace fs = std::filesystem;
using admf::testing::files_in;
using admf::testing::read_text;
using admf::testing::temp_dir;

namespace {

// The strategy below asks this flag to stop when it sees bar `stop_at_bar`: a stop
// landing mid-run at a known bar, as a signal would (the flag is what the handler sets).
stop_flag* flag_to_set = nullptr;
std::size_t stop_at_bar = 0;

class stops_the_run final : public plugin::strategy {
public:
  void on_bars(const plugin::bar*, std::size_t, plugin::context&) override {
    if (++seen_ == stop_at_bar)
      flag_to_set->request(SIGINT);
  }
  void reset() override { seen_ = 0; }

private:
  std::size_t seen_ = 0;
};

backtest_config stopping_config() {
  static const bool registered = [] {
    register_strategy("test_stops_run", [](const plugin::params&) {
      return strategy_ptr{new stops_the_run, [](plugin::strategy* s) { delete s; }};
    });
    return true;
  }();
  (void)registered;
  backtest_config c;
  c.name = "interrupted";
  c.engine.batch_size = 64;
  c.engine.max_batches_in_flight = 2;
  // The data container's trace on disk: one BAR record per bar it sent.
  c.tracing.enabled = true;
  c.tracing.defaults.enabled = false;
  trace_rule data_rule;
  data_rule.retention = retention_policy::full;
  data_rule.storage = storage_backend::disk;
  c.tracing.containers.push_back({"data", "test: data", data_rule});
  portfolio_config p;
  p.id = "p";
  p.initial_capital = 100000;
  strategy_config s;
  s.id = "stopper";
  s.type = "test_stops_run";
  p.strategies.push_back(s);
  c.portfolios.push_back(p);
  return c;
}

}  // namespace

TEST_CASE("a stop mid-run ends the stream early: nothing published, staging removed, "
          "the trace ends as interrupted", "[interrupt]") {
  temp_dir dir;
  const auto out = dir.path() / "out";
  // What an earlier complete run published there must stay as it was.
  fs::create_directories(out / "p");
  std::ofstream(out / "run.json") << "{\"entries\": [\"p\"]}\n";
  std::ofstream(out / "p" / "metrics.json") << "earlier\n";

  stop_flag stop;
  flag_to_set = &stop;
  stop_at_bar = 1000;
  const std::size_t total = 20000;
  run_options options{out.string(), 2, false, &stop};
  std::string message;
  int signo = 0;
  try {
    run_backtest(stopping_config(), std::make_shared<const market_data>(synthetic_market_data(total, 5)),
                 options);
    FAIL("the run was not interrupted");
  } catch (const interrupted& e) {
    message = e.what();
    signo = e.signal();
  }
  CHECK(signo == SIGINT);
  std::smatch m;
  const std::regex want("interrupted by SIGINT at bar ([0-9]+) of 20000 \\([0-9 :-]+\\); "
                        "results not published, staging removed; traces so far in "
                        + std::regex_replace((out / "interrupted.traces").string(),
                                             std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)")
                        + "/");
  REQUIRE(std::regex_match(message, m, want));
  const std::size_t bars = std::stoul(m[1]);
  // Bar 1000 set the flag; data sees it at its next credit: at most the batches in flight
  // (2) and the one being handled (64 bars each) later.
  CHECK(bars >= 1000);
  CHECK(bars <= 1000 + 3 * 64);

  CHECK(files_in(out) == std::vector<std::string>{"interrupted.traces", "p", "run.json"});
  CHECK(read_text(out / "run.json") == "{\"entries\": [\"p\"]}\n");
  CHECK(files_in(out / "p") == std::vector<std::string>{"metrics.json"});
  CHECK(read_text(out / "p" / "metrics.json") == "earlier\n");

  trace_reader reader((out / "interrupted.traces" / "data" / "events.pb").string());
  std::size_t records = 0;
  while (reader.next())
    ++records;
  CHECK_FALSE(reader.damage());
  REQUIRE(reader.end());
  CHECK(reader.end()->interrupted);
  CHECK(reader.end()->reason == "SIGINT");
  CHECK(reader.end()->records == bars);
  CHECK(records == bars);  // the data container traced every bar it sent, no more
  CHECK(fs::exists(out / "interrupted.traces" / "data" / "trace_stats.json"));

  SECTION("a complete run afterwards publishes and drops the interrupted traces") {
    stop_at_bar = 0;  // never
    stop_flag unset;
    run_options again{out.string(), 2, false, &unset};
    run_backtest(stopping_config(), std::make_shared<const market_data>(synthetic_market_data(300, 5)),
                 again);
    CHECK_FALSE(fs::exists(out / "interrupted.traces"));
    CHECK(fs::exists(out / "p" / "metrics.json"));
    trace_reader complete((out / "data" / "events.pb").string());
    while (complete.next()) {
    }
    CHECK_FALSE(complete.damage());
    REQUIRE(complete.end());
    CHECK_FALSE(complete.end()->interrupted);
    CHECK(complete.end()->records == 300);
  }
}

TEST_CASE("a stop before the first bar ends the run after the first credit's batches",
          "[interrupt]") {
  temp_dir dir;
  stop_flag stop;
  stop.request(SIGTERM);
  stop_at_bar = 0;
  run_options options{(dir.path() / "out").string(), 1, false, &stop};
  // The first credit sends max_batches_in_flight (2) batches of 64 bars: 128.
  std::string message;
  try {
    run_backtest(stopping_config(), std::make_shared<const market_data>(synthetic_market_data(500, 5)),
                 options);
  } catch (const interrupted& e) {
    message = e.what();
  }
  CHECK_THAT(
    message,
    Catch::Matches("interrupted by SIGTERM at bar 128 of 500 \\([0-9 :-]+\\); results not "
                   "published, staging removed; traces so far in .*/out/interrupted\\.traces/"));
  CHECK(files_in(dir.path() / "out") == std::vector<std::string>{"interrupted.traces"});
}

namespace {

int counted = 0;
extern "C" void count_signal(int) { ++counted; }

sighandler_t handler_of(int signo) {
  struct sigaction now {};
  sigaction(signo, nullptr, &now);
  return now.sa_handler;
}

}  // namespace

TEST_CASE("the signal watcher: the first signal sets the flag, the next one takes the "
          "default action, the old handlers come back", "[interrupt]") {
  const auto catch_int = std::signal(SIGINT, count_signal);  // Catch's fatal-signal handlers
  const auto catch_term = std::signal(SIGTERM, count_signal);
  counted = 0;
  {
    stop_flag stop;
    const signal_watcher watcher{stop};
    CHECK_THROWS_AS(signal_watcher{stop}, std::logic_error);  // one at a time
    CHECK_FALSE(stop.requested());
    std::raise(SIGTERM);
    CHECK(stop.signal() == SIGTERM);
    CHECK(counted == 0);
    // A second SIGINT or SIGTERM now would end the process.
    CHECK(handler_of(SIGINT) == SIG_DFL);
    CHECK(handler_of(SIGTERM) == SIG_DFL);
  }
  CHECK(handler_of(SIGINT) == count_signal);
  CHECK(handler_of(SIGTERM) == count_signal);
  std::raise(SIGINT);
  CHECK(counted == 1);

  SECTION("a signal ignored at the start stays ignored") {
    std::signal(SIGINT, SIG_IGN);
    {
      stop_flag stop;
      const signal_watcher watcher{stop};
      std::raise(SIGINT);
      CHECK_FALSE(stop.requested());
      CHECK(handler_of(SIGINT) == SIG_IGN);
      std::raise(SIGTERM);
      CHECK(stop.signal() == SIGTERM);
      CHECK(handler_of(SIGINT) == SIG_IGN);  // the handler resets only what it handles
    }
    CHECK(handler_of(SIGINT) == SIG_IGN);
  }
  std::signal(SIGINT, catch_int);
  std::signal(SIGTERM, catch_term);
}

// admf_sweep_bench: a parameter sweep on one node, as `admf optimize` runs it — one
// complete backtest (its own actor graph) per job, `--jobs` at a time, all sharing one
// copy of the data. Prints JSON: wall time, bar-events/s, peak RSS, and how the
// sweep's rate compares with one backtest's.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/engine/backtest.hpp"

using namespace admf;

namespace {

using clock_type = std::chrono::steady_clock;

backtest_config job(int fast, int slow) {
  backtest_config c;
  c.name = "sweep";
  portfolio_config p;
  p.id = "p";
  p.initial_capital = 100000;
  strategy_config s;
  s.id = "sma";
  s.type = "sma_crossover";
  s.params.values = {{"fast", std::to_string(fast)}, {"slow", std::to_string(slow)}};
  p.strategies.push_back(s);
  c.portfolios.push_back(p);
  return c;
}

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) try {
  std::size_t jobs = 1000, bars = 100'000,
              workers = std::max(1u, std::thread::hardware_concurrency());
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const auto value = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--jobs-total") jobs = value;
    else if (flag == "--bars") bars = value;
    else if (flag == "--jobs") workers = value;
    else throw std::invalid_argument("unknown option " + flag);
  }
  const auto data = std::make_shared<const market_data>(synthetic_market_data(bars, 42));
  std::vector<backtest_config> configs;
  for (int fast = 2; configs.size() < jobs; ++fast)  // fast 2.., slow 30..69: 40 per fast
    for (int slow = 30; slow < 70 && configs.size() < jobs; ++slow)
      configs.push_back(job(fast, slow));

  // One backtest alone, one scheduler thread: the unit the sweep is made of.
  auto t0 = clock_type::now();
  run_backtest(configs.front(), data, {"", 1});
  const double single = static_cast<double>(bars) / seconds_since(t0);

  std::atomic<std::size_t> next{0}, trades{0};
  t0 = clock_type::now();
  std::vector<std::thread> pool;
  for (std::size_t w = 0; w < workers; ++w)
    pool.emplace_back([&] {
      for (auto i = next++; i < configs.size(); i = next++)
        trades += run_backtest(configs[i], data, {"", 1}).portfolios.at(0).metrics.trades;
    });
  for (auto& t : pool)
    t.join();
  const double wall = seconds_since(t0);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);

  const double events = static_cast<double>(bars) * static_cast<double>(configs.size());
  nlohmann::ordered_json out;
  out["jobs"] = configs.size();
  out["bars_per_job"] = bars;
  out["workers"] = workers;
  out["wall_seconds"] = wall;
  out["bar_events_per_sec"] = events / wall;
  out["single_backtest_bars_per_sec"] = single;
  out["ratio_to_single"] = events / wall / single;  // ~ how many cores the sweep kept busy
  out["peak_rss_kb"] = usage.ru_maxrss;
  out["trades_total"] = trades.load();
  std::cout << out.dump(2) << "\n";
} catch (const std::exception& e) {
  std::cerr << "admf_sweep_bench: " << e.what() << "\n";
  return 1;
}

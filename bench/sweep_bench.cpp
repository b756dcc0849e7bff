// admf_sweep_bench: a parameter sweep on one node as `admf optimize` runs it: one
// complete backtest (its own actor system, one scheduler thread) per job, `--jobs` at
// a time, each in a process of the job pool (apps/jobs/job_pool.hpp) forked from this
// one, all sharing one copy of the data. Prints JSON: jobs/s, bar-events/s, CPU per
// job, peak RSS, and how the sweep's rate compares with one backtest's.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/engine/backtest.hpp"
#include "apps/jobs/job_pool.hpp"
#include "bench/bench_flags.hpp"

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

double cpu_seconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
         + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) try {
  std::size_t jobs = 1000, bars = 100'000,
              workers = std::max(1u, std::thread::hardware_concurrency()), fresh = 0;
  bench::parse_flags(argc, argv,
                     "admf_sweep_bench [--jobs-total N] [--bars N] [--jobs N] [--fresh-process 1]",
                     std::pair{"--jobs-total", &jobs}, std::pair{"--bars", &bars},
                     std::pair{"--jobs", &workers}, std::pair{"--fresh-process", &fresh});
  const auto data = std::make_shared<const market_data>(synthetic_market_data(bars, 42));
  std::vector<backtest_config> configs;
  for (int fast = 2; configs.size() < jobs; ++fast)  // fast 2.., slow 30..69: 40 per fast
    for (int slow = 30; slow < 70 && configs.size() < jobs; ++slow)
      configs.push_back(job(fast, slow));

  // One backtest alone, one scheduler thread: the unit the sweep is made of. Its
  // actor system's threads are gone when it returns, so the pool may fork after it.
  auto t0 = clock_type::now();
  const double cpu0 = cpu_seconds(RUSAGE_SELF);
  run_backtest(configs.front(), data, {"", 1});
  const double single = static_cast<double>(bars) / seconds_since(t0);
  const double single_cpu = cpu_seconds(RUSAGE_SELF) - cpu0;

  // The jobs as run_local runs them: each job's trades and process id come back.
  std::size_t trades = 0;
  std::set<long> pids;
  const double parent_cpu0 = cpu_seconds(RUSAGE_SELF);
  t0 = clock_type::now();
  {
    job_pool pool{job_limits{}, [&](std::uint64_t i, const std::string&) {
                    proto::JobResult r;
                    const auto run = run_backtest(configs[i], data, {"", 1});
                    r.set_metrics_json(std::to_string(run.portfolios.at(0).metrics.trades) + " "
                                       + std::to_string(getpid()));
                    return r;
                  }};
    std::size_t next = 0, finished = 0;
    std::vector<pollfd> none;
    while (finished < configs.size()) {
      while (next < configs.size() && pool.running() < workers) {
        pool.start(next++);
        if (fresh)
          pool.renew();  // this job's process ends after it: one fork per job
      }
      for (const auto& [key, r] : pool.poll(none, -1)) {
        if (!r.error().empty())
          throw std::runtime_error("job " + std::to_string(key) + ": " + r.error());
        long n = 0, pid = 0;
        std::sscanf(r.metrics_json().c_str(), "%ld %ld", &n, &pid);
        trades += static_cast<std::size_t>(n);
        pids.insert(pid);
        ++finished;
      }
    }
  }  // the pool's processes end and are reaped here: their CPU time is the children's
  const double wall = seconds_since(t0);
  const double parent_cpu = cpu_seconds(RUSAGE_SELF) - parent_cpu0;
  const double jobs_cpu = cpu_seconds(RUSAGE_CHILDREN);
  rusage children{};
  getrusage(RUSAGE_CHILDREN, &children);

  const auto n = static_cast<double>(configs.size());
  const double events = static_cast<double>(bars) * n;
  nlohmann::ordered_json out;
  out["jobs"] = configs.size();
  out["bars_per_job"] = bars;
  out["workers"] = workers;
  out["fresh_process_per_job"] = fresh != 0;
  out["processes"] = pids.size();
  out["wall_seconds"] = wall;
  out["jobs_per_sec"] = n / wall;
  out["bar_events_per_sec"] = events / wall;
  out["single_backtest_bars_per_sec"] = single;
  out["ratio_to_single"] = events / wall / single;  // ~ how many cores the sweep kept busy
  // CPU time, unlike wall time, does not grow with other programs on the cores.
  out["cpu_ms_per_job"] = (jobs_cpu + parent_cpu) * 1000 / n;
  out["bars_per_cpu_second"] = events / (jobs_cpu + parent_cpu);
  out["single_backtest_cpu_ms"] = single_cpu * 1000;
  out["parent_cpu_ms_per_job"] = parent_cpu * 1000 / n;
  out["job_process_peak_rss_kb"] = children.ru_maxrss;
  out["trades_total"] = trades;
  std::cout << out.dump(2) << "\n";
} catch (const std::exception& e) {
  std::cerr << "admf_sweep_bench: " << e.what() << "\n";
  return 1;
}

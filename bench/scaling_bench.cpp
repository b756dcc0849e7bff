// admf_scaling_bench: does one run's cost grow linearly in portfolios, strategies and
// symbols? Prints one JSON object (keys described in bench/README.md, kept stable for
// the regression gate): user-space instructions per portfolio-bar, per strategy-bar and
// per bar at several sizes, each table's max/min, and the wall time of a
// 500 symbols x 5,000 daily bars run writing its results.
//
//   admf_scaling_bench [--quick] [--portfolios-only] [--bars N] [--units U] [--repeats R]
//                      [--threads T]
//
// Instructions are counted with perf_event_open (user space only, this process and the
// threads it starts); where that is not available, CPU nanoseconds of the process stand
// in and `measure` says so. Each figure is a difference of two runs, at N and 2N bars, so start-up and
// shut-down (actor system, spawning, results) cancel out.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/engine/backtest.hpp"
#include "bench/bench_flags.hpp"
#include "bench/median.hpp"
#include "bench/instruction_counter.hpp"

namespace {

using admf::bench::median;

using namespace admf;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

/// Counts user-space instructions of this process and the threads it creates after
/// construction (CAF's scheduler threads are started by each run), or, where the CPU has
/// no instruction counter (a VM without a PMU), the process's CPU nanoseconds (every
/// thread's, ended ones included): other work on the machine moves those less than wall time.
class work_counter {
public:
  bool instructions() const { return counter_.read().has_value(); }

  double now() const {
    if (const auto n = counter_.read())
      return static_cast<double>(*n);
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
  }

private:
  bench::instruction_counter counter_{true};
};

struct options {
  bool quick = false;
  bool portfolios_only = false;  ///< the regression gate's: the portfolio table alone
  std::size_t bars = 1024;      ///< N at least: each figure runs N and 2N bars per symbol
  std::size_t units = 100'000;  ///< and N x size at least this: small sizes run longer
  std::size_t repeats = 3;      ///< each figure is the median of this many differences
  std::size_t threads = 1;  ///< the tables': no idle worker polling for work adds to them
  std::size_t e2e_symbols = 500, e2e_bars = 5000;
};

strategy_config sma(const std::string& id) {
  strategy_config s;
  s.id = id;
  s.type = "sma_crossover";
  s.params.values = {{"fast", "10"}, {"slow", "30"}};
  return s;
}

/// `portfolios` portfolios of `strategies` SMA strategies each, on every symbol.
backtest_config make_config(std::size_t portfolios, std::size_t strategies) {
  backtest_config c;
  c.name = "scaling";
  for (std::size_t p = 0; p < portfolios; ++p) {
    portfolio_config pc;
    pc.id = "p" + std::to_string(p);
    pc.initial_capital = 100000;
    for (std::size_t s = 0; s < strategies; ++s)
      pc.strategies.push_back(sma("p" + std::to_string(p) + "s" + std::to_string(s)));
    c.portfolios.push_back(pc);
  }
  return c;
}

/// `symbols` daily random walks (seeds 42, 43, ...) of `bars` bars each, merged.
std::shared_ptr<const market_data> make_data(std::size_t symbols, std::size_t bars) {
  market_data out;
  for (std::size_t i = 0; i < symbols; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "S%04zu", i);  // padded: name order is index order
    auto one = synthetic_market_data(bars, 42 + i, name);
    for (auto& b : one.bars) {
      b.bar.symbol = static_cast<symbol_id>(i);
      out.bars.push_back(b);
    }
    out.symbols.push_back(name);
  }
  std::stable_sort(out.bars.begin(), out.bars.end(),
                   [](const timed_bar& a, const timed_bar& b) { return a.time < b.time; });
  return std::make_shared<const market_data>(std::move(out));
}

double run(const work_counter& counter, const backtest_config& config,
           const std::shared_ptr<const market_data>& data, std::size_t threads) {
  const double before = counter.now();
  const auto result = run_backtest(config, data, run_options{"", threads});
  const double spent = counter.now() - before;
  for (const auto& p : result.portfolios)
    if (!p.ok)
      throw std::runtime_error("portfolio " + p.id + " failed: " + p.error);
  return spent;
}


/// Work per unit (portfolio-bar, strategy-bar, bar) at each size n: the difference of
/// runs at N and 2N bars per symbol over the n x N units that difference adds, N =
/// max(bars, units / n), the median of `repeats`.
nlohmann::json table(const work_counter& counter, const options& opt, const std::string& unit,
                     const std::vector<std::size_t>& sizes,
                     const std::function<backtest_config(std::size_t)>& config_of,
                     const std::function<std::size_t(std::size_t)>& symbols_of) {
  nlohmann::json rows = nlohmann::json::array();
  double lo = 0, hi = 0;
  for (const auto n : sizes) {
    const auto config = config_of(n);
    const auto bars = std::max(opt.bars, opt.units / n);
    const auto one_data = make_data(symbols_of(n), bars);
    const auto two_data = make_data(symbols_of(n), 2 * bars);
    std::vector<double> diffs;
    for (std::size_t r = 0; r < opt.repeats; ++r) {
      const double one = run(counter, config, one_data, opt.threads);
      diffs.push_back(run(counter, config, two_data, opt.threads) - one);
    }
    const double per_unit = median(diffs) / static_cast<double>(n * bars);
    rows.push_back({{"n", n}, {"bars", bars}, {"per_unit", per_unit}});
    lo = rows.size() == 1 ? per_unit : std::min(lo, per_unit);
    hi = rows.size() == 1 ? per_unit : std::max(hi, per_unit);
  }
  // Work shared per bar (data, execution, one portfolio's bookkeeping per timestamp)
  // makes small sizes dear per unit; what grows faster than linear shows as the largest
  // size's figure over the cheapest.
  return {{"unit", unit},
          {"rows", rows},
          {"max_over_min", hi / lo},
          {"largest_over_min", rows.back()["per_unit"].get<double>() / lo}};
}

/// Wall seconds of one run of `symbols` x `bars` daily bars, one SMA strategy over all
/// of them, writing its results to a temporary directory (generating the data is not
/// timed). `threads` 0: one per core.
nlohmann::json end_to_end(std::size_t symbols, std::size_t bars, std::size_t threads) {
  const auto data = make_data(symbols, bars);
  const fs::path dir = fs::temp_directory_path() / ("admf_scaling_" + std::to_string(getpid()));
  const auto t0 = clock_type::now();
  const auto result = run_backtest(make_config(1, 1), data, run_options{dir.string(), threads});
  const double seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
  fs::remove_all(dir);
  if (!result.portfolios.at(0).ok)
    throw std::runtime_error("end-to-end run failed: " + result.portfolios.at(0).error);
  return {{"symbols", symbols}, {"bars_per_symbol", bars}, {"seconds", seconds},
          {"target_seconds", 1.0}};
}

}  // namespace

int main(int argc, char** argv) try {
  options opt;
  // --quick (no value) first; the rest are `--name N` pairs.
  std::vector<char*> args{argv[0]};
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--quick")
      opt.quick = true;
    else if (std::string(argv[i]) == "--portfolios-only")
      opt.portfolios_only = true;
    else
      args.push_back(argv[i]);
  }
  if (opt.quick) {
    opt.bars = 256;
    opt.units = 10'000;
    opt.repeats = 1;
    opt.e2e_symbols = 50;
    opt.e2e_bars = 500;
  }
  bench::parse_flags(static_cast<int>(args.size()), args.data(),
                     "admf_scaling_bench [--quick] [--portfolios-only] [--bars N] [--units U] [--repeats R] "
                     "[--threads T]",
                     std::pair{"--bars", &opt.bars}, std::pair{"--units", &opt.units},
                     std::pair{"--repeats", &opt.repeats}, std::pair{"--threads", &opt.threads});

  const work_counter counter;
  const std::vector<std::size_t> sizes{1, 10, 100, 300};
  nlohmann::json out;
  out["measure"] = counter.instructions() ? "instructions_user" : "cpu_ns";
  out["quick"] = opt.quick;
  out["threads"] = opt.threads;
  out["repeats"] = opt.repeats;
  // Loads the plugin and warms the allocator before anything is counted.
  run(counter, make_config(1, 1), make_data(1, opt.bars), opt.threads);
  const auto one = [](std::size_t) -> std::size_t { return 1; };
  out["portfolios"] = table(
    counter, opt, "portfolio-bar", sizes, [](std::size_t n) { return make_config(n, 1); }, one);
  if (opt.portfolios_only) {
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  out["strategies"] = table(
    counter, opt, "strategy-bar", sizes, [](std::size_t n) { return make_config(1, n); }, one);
  out["symbols"] = table(
    counter, opt, "bar", {1, 10, 100, 500}, [](std::size_t) { return make_config(1, 1); },
    [](std::size_t n) { return n; });
  out["end_to_end"] = end_to_end(opt.e2e_symbols, opt.e2e_bars, 0);  // a thread per core
  out["target_max_over_min"] = 1.5;
  std::cout << out.dump(2) << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "admf_scaling_bench: " << e.what() << "\n";
  return 1;
}

// `admf optimize`: one complete backtest per combination of a parameter grid, run
// concurrently on one shared copy of the market data, each reduced to its metrics as
// it finishes, written to optimize.csv in job order, ranked, and the best written
// back as runnable configs.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "runtime/cluster/tls.hpp"
#include "runtime/config/backtest_config.hpp"
#include "runtime/optimize/grid.hpp"

namespace admf {

struct optimize_options {
  std::string config_path;
  std::string out_dir;   ///< "" = results/<config name>/optimize
  std::size_t jobs = 0;  ///< backtests at a time; 0 = one per core
  std::size_t top = 0;   ///< configs written as top_K.yaml; 0 = the config's `top`
  std::string workers;   ///< "host:port,...": run the jobs on `admf worker`s; "" = here
  tls_options tls;       ///< TLS to the workers when enabled
  std::string accept;    ///< "host:port": also take in workers that join; "" = none
  bool insecure = false; ///< allow a non-loopback --accept host without TLS
};

/// The jobs of a grid: the combinations every strategy accepts, in grid order.
struct job_plan {
  std::vector<std::uint64_t> combinations;  ///< job i (1-based) runs combinations[i - 1]
  std::size_t skipped = 0;                  ///< combinations a strategy rejected
  std::string first_rejection;              ///< the first rejection's message
};

/// One finished job, reduced to what ranking and the table need.
struct job_result {
  std::optional<double> metric;  ///< the ranked metric; none when undefined or stopped
  std::optional<double> total_return, sharpe, max_drawdown;
  std::uint64_t trades = 0;
};

/// The config one job runs: `base` with the grid's portfolio only and no tracing
/// (portfolios are isolated and tracing changes nothing, so the metrics are those of
/// the whole config), and `values` (one per grid axis) as the strategies' params.
backtest_config job_config(const backtest_config& base, const optimization_spec& spec,
                           const std::vector<std::string>& values);

/// The picked combinations minus those a strategy rejects (e.g. fast >= slow),
/// which are counted, not fatal.
job_plan plan_jobs(const backtest_config& config, const optimization_spec& spec);

/// Indices into `results`, best first by `metric` (ascending where lower is better),
/// ties in job order; jobs without a value are left out.
std::vector<std::size_t> rank_jobs(const std::vector<job_result>& results,
                                   const std::string& metric);

/// Runs the optimization the config file describes: writes optimize.csv and the top
/// configs, prints the ranked table to `out` and progress to stderr. Jobs a previous
/// run of the same config, data and grid finished in the same directory are not run
/// again. Throws input_error for bad input.
void run_optimize(const optimize_options& options, std::ostream& out);

} // namespace admf

// A job's config: the study's config with one combination of grid values as its
// strategies' params, and the plan of which combinations make valid jobs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "apps/optimize/grid.hpp"
#include "runtime/config/backtest_config.hpp"

namespace admf {

/// The one definition of where grid values go, for both forms a portfolio's strategy
/// list takes: strategy_config structs (job_config) and the config file's YAML nodes
/// (top_K.yaml, remote jobs, job_yaml.hpp). For each axis a, in order, every strategy
/// whose `id_of(strategy)` is the axis's gets `set(strategy, param, values[a])`.
template <class Strategies, class IdOf, class Set>
void put_grid_values(const param_grid& grid, const std::vector<std::string>& values,
                     Strategies&& strategies, IdOf id_of, Set set) {
  for (std::size_t a = 0; a < values.size(); ++a)
    for (auto&& strategy : strategies)
      if (id_of(strategy) == grid.axes[a].strategy)
        set(strategy, grid.axes[a].param, values[a]);
}

/// The config one job runs: `base` with the grid's portfolio only and no tracing
/// (portfolios are isolated and tracing changes nothing, so the metrics are those of
/// the whole config), and `values` (one per grid axis) as the strategies' params.
backtest_config job_config(const backtest_config& base, const optimization_spec& spec,
                           const std::vector<std::string>& values);

/// The jobs of a grid: the combinations every strategy accepts, in grid order.
struct job_plan {
  std::vector<std::uint64_t> combinations;  ///< job i (1-based) runs combinations[i - 1]
  std::size_t skipped = 0;                  ///< combinations a strategy rejected
  std::string first_rejection;              ///< the first rejection's message
};

/// The picked combinations minus those a strategy rejects (e.g. fast >= slow),
/// which are counted, not fatal.
job_plan plan_jobs(const backtest_config& config, const optimization_spec& spec);

}  // namespace admf

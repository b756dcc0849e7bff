// The parameter grid of `admf optimize`: which strategy parameters vary over which
// values (optimization_section.hpp reads them from a config's `optimization:`
// section), and which combinations to run (all of them, or a deterministic sample).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "apps/jobs/job_limits.hpp"
#include "runtime/metrics/metrics.hpp"  // metric_keys, the ranked metric's choices

namespace admf {

/// More jobs than this is a typo in a range or a grid that wants `samples:`.
constexpr std::uint64_t max_grid_jobs = 1'000'000;

/// One varied parameter; values are the YAML scalar text the strategy will read.
struct grid_axis {
  std::string strategy;  ///< strategy id
  std::string param;
  std::vector<std::string> values;

  std::string column() const { return strategy + "." + param; }
};

/// Every combination of the axes' values, numbered in mixed radix: the last axis
/// varies fastest, like nested loops written in the file's order.
struct param_grid {
  std::vector<grid_axis> axes;

  std::uint64_t size() const;  ///< saturates at UINT64_MAX
  /// The values of combination `index` (0-based), one per axis.
  std::vector<std::string> combination(std::uint64_t index) const;
};

struct optimization_spec {
  std::string metric;  ///< a metrics.json key
  std::size_t top = 5;
  param_grid grid;
  std::uint64_t samples = 0;  ///< 0: the full grid
  std::uint64_t seed = 0;
  std::size_t portfolio = 0;  ///< index of the portfolio whose strategies vary
  std::string location;       ///< "file:line: optimization", for errors about the whole grid
  job_limits limits;          ///< job_timeout, job_memory
};


/// Ranking is best first: descending, except for keys where less is better.
bool lower_is_better(const std::string& metric);

/// from, from + step, ... up to `to` inclusive. Each value is from + i * step (never
/// a running sum, which drifts), rounded to 12 significant digits so 0.1 steps read
/// 0.3, not 0.30000000000000004. Throws input_error naming `where`.
std::vector<std::string> range_values(double from, double to, double step,
                                      const std::string& where);

/// The combinations to run, ascending: all of them, or `samples` distinct ones drawn
/// uniformly (Floyd's algorithm on splitmix64 from `seed`), the same for a seed on
/// every machine. Throws input_error naming spec.location when they cannot be had.
std::vector<std::uint64_t> pick_combinations(const optimization_spec& spec);

}  // namespace admf

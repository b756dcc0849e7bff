// Ranking the finished jobs by the optimization's metric, and the table of the best
// that `admf optimize` prints.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "apps/optimize/results_csv.hpp"
#include "apps/optimize/study.hpp"

namespace admf {

/// Indices into `results`, best first by `metric` (ascending where lower is better),
/// ties in job order; jobs without a value are left out.
std::vector<std::size_t> rank_jobs(const std::vector<job_result>& results,
                                   const std::string& metric);

/// The table of `shown` (0-based jobs, best first): rank, job, params, metric, return,
/// sharpe, max drawdown and trades, one line each under a header line.
std::string ranked_table(const study& s, const std::vector<job_result>& results,
                         const std::vector<std::size_t>& shown);

}  // namespace admf

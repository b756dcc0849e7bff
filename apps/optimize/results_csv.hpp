// optimize.csv's text: a header, then one row per job, "job,<one cell per grid
// axis>,<one cell per metrics.json key>", and a row's summary for ranking. Fresh and
// resumed rows are summarized from the same cells, so a resumed run ranks exactly
// like an uninterrupted one.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "apps/optimize/grid.hpp"

namespace admf {

/// One finished job, reduced to what ranking and the table need.
struct job_result {
  std::optional<double> metric;  ///< the ranked metric; none when undefined or stopped
  std::optional<double> total_return, sharpe, max_drawdown;
  std::uint64_t trades = 0;
};

/// Where the ranked metric and the table's columns sit among metric_keys().
struct metric_columns {
  std::size_t metric, total_return, sharpe, max_drawdown, trades;
};

metric_columns columns_for(const std::string& metric);

/// "job,strategy.param,...,metric,...\n".
std::string csv_header(const param_grid& grid);

/// "job,value,...,": the part of job `job`'s (1-based) row the plan alone decides.
std::string row_prefix(std::size_t job, const std::vector<std::string>& values);

/// metrics.json's values as cells, in its order: shortest round-trip numbers, empty
/// for null. Throws input_error "metrics: ..." for text that is not a JSON object
/// with exactly metric_keys() in order (a worker of another build), or a value that is
/// a list or holds a comma or line break (it would not be one cell).
std::vector<std::string> metric_cells(const std::string& metrics_json);

/// "a,b,,c" -> {"a", "b", "", "c"}; cells hold no commas (grid.cpp refuses them).
std::vector<std::string> split_cells(const std::string& text);

/// {"a", "b", "", "c"} -> "a,b,,c".
std::string joined_cells(const std::vector<std::string>& cells);

/// The summary of a row's metric cells (metric_keys().size() of them); an empty or
/// non-numeric cell is no value (trades: 0, also for a count below 0 or past uint64).
job_result summarize(const std::vector<std::string>& cells, const metric_columns& columns);

}  // namespace admf

// One optimization as it runs: the config and its grid, the planned jobs, the data they
// share and where the results go. Read-only while the jobs run.
#pragma once
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "apps/optimize/grid.hpp"
#include "apps/optimize/job_config.hpp"
#include "apps/optimize/results_csv.hpp"
#include "runtime/config/backtest_config.hpp"
#include "runtime/core/stop_signal.hpp"
#include "runtime/data/market_data.hpp"

namespace admf {

struct study {
  std::string config_path;
  backtest_config config;
  YAML::Node yaml;  ///< the config file as written: the top configs are edited copies
  optimization_spec spec;
  job_plan plan;
  std::shared_ptr<const market_data> data;
  metric_columns columns;
  std::filesystem::path dir;  ///< where optimize.csv, optimize.hash and top_K.yaml go

  std::size_t jobs() const { return plan.combinations.size(); }
  /// Job `job`'s (0-based) grid values, one per axis.
  std::vector<std::string> values(std::size_t job) const {
    return spec.grid.combination(plan.combinations[job]);
  }
};

/// Reads the config file at `config_path`, its optimization section and its data,
/// and plans the jobs; `out_dir` "" means results/<config name>/optimize. Throws
/// input_error when no combination makes a valid job.
study make_study(const std::string& config_path, const std::string& out_dir);

/// Job `i`'s (0-based) optimize.csv row from its portfolio's metrics.json; `result`
/// gets its summary. A stopped portfolio has no metrics: empty cells, not ranked.
/// Throws input_error as metric_cells does (metrics from a worker of another build).
std::string job_row(const study& s, std::size_t i, bool stopped, const std::string& metrics_json,
                    job_result& result);

/// Runs job `i` (0-based) here, on one scheduler thread, and returns its portfolio's
/// metrics.json, "" when the portfolio was stopped. The run's events and files are
/// gone when this returns: a job keeps only its metrics.
std::string run_job(const study& s, std::size_t i);

}  // namespace admf

#include "apps/optimize/study.hpp"

#include "apps/engine/backtest.hpp"
#include "apps/optimize/optimization_section.hpp"
#include "runtime/core/error.hpp"
#include "runtime/strategy/checked_config.hpp"

namespace admf {

namespace fs = std::filesystem;

study make_study(const std::string& config_path, const std::string& out_dir) {
  study s;
  s.config_path = config_path;
  s.config = load_config(config_path);
  s.spec = read_optimization(config_path, s.config);
  s.yaml = YAML::LoadFile(config_path);
  s.plan = plan_jobs(s.config, s.spec);
  if (s.plan.combinations.empty())
    throw input_error(s.spec.location + ": every combination is invalid (the first: "
                      + s.plan.first_rejection + ")");
  s.data = load_reported_data(s.config.data);
  s.columns = columns_for(s.spec.metric);
  s.dir = out_dir.empty() ? fs::path("results") / s.config.name / "optimize" : fs::path(out_dir);
  return s;
}

std::string job_row(const study& s, std::size_t i, bool stopped, const std::string& metrics_json,
                    job_result& result) {
  const auto cells =
    stopped ? std::vector<std::string>(metric_keys().size()) : metric_cells(metrics_json);
  result = summarize(cells, s.columns);
  return row_prefix(i + 1, s.values(i)) + joined_cells(cells) + "\n";
}

std::string run_job(const study& s, std::size_t i, job_result& result, const stop_flag* stop) {
  const auto run =
    run_backtest(job_config(s.config, s.spec, s.values(i)), s.data, run_options{"", 1, false, stop});
  const portfolio_result& p = run.portfolios.at(0);
  return job_row(s, i, !p.ok, p.ok ? p.metrics.to_json() : "", result);
}

}  // namespace admf

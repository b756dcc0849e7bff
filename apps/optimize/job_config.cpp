#include "apps/optimize/job_config.hpp"

#include "runtime/core/error.hpp"
#include "runtime/strategy/checked_config.hpp"

namespace admf {

backtest_config job_config(const backtest_config& base, const optimization_spec& spec,
                           const std::vector<std::string>& values) {
  backtest_config config = base;
  config.portfolios = {base.portfolios.at(spec.portfolio)};
  config.tracing = trace_settings{};
  put_grid_values(
    spec.grid, values, config.portfolios[0].strategies,
    [](const strategy_config& s) { return s.id; },
    [](strategy_config& s, const std::string& param, const std::string& value) {
      s.params.values[param] = value;
    });
  return config;
}

job_plan plan_jobs(const backtest_config& config, const optimization_spec& spec) {
  job_plan plan;
  for (const auto combination : pick_combinations(spec)) {
    try {
      // Building the strategies is the only way to know what they accept.
      validate(job_config(config, spec, spec.grid.combination(combination)));
      plan.combinations.push_back(combination);
    } catch (const input_error& e) {
      if (plan.skipped++ == 0)
        plan.first_rejection = e.what();
    }
  }
  return plan;
}

}  // namespace admf

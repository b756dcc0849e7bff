#include "apps/optimize/optimization_section.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "runtime/core/error.hpp"
#include "runtime/yaml/yaml_reader.hpp"

namespace admf {

namespace {

using yaml::field;
using yaml::joined;
using yaml::map_reader;
using yaml::quote;

std::vector<std::string> read_range(const field& at) {
  const map_reader keys{at, {"from", "to", "step"}};
  const double from = yaml::to_number(keys.require("from"));
  const double to = yaml::to_number(keys.require("to"));
  const double step = yaml::to_number(keys.require("step"));
  return range_values(from, to, step, at.location());
}

/// A list of values or a range; values end up in optimize.csv cells unquoted, so
/// they may not hold what would split a cell or a row.
std::vector<std::string> read_values(const field& at) {
  std::vector<std::string> values;
  if (at.node.IsSequence()) {
    for (std::size_t i = 0; i < at.node.size(); ++i) {
      const field item = at.child(at.node[i], "[" + std::to_string(i) + "]");
      values.push_back(yaml::to_string(item));
      if (values.back().find_first_of(",\"\r\n") != std::string::npos)
        item.fail("a value may not contain ',', '\"' or line breaks");
    }
  } else if (at.node.IsMap()) {
    values = read_range(at);
  } else {
    at.fail("expected a list of values or a range {from, to, step}");
  }
  if (values.empty())
    at.fail("expected at least one value");
  std::set<std::string> seen;
  for (const auto& v : values)
    if (!seen.insert(v).second)
      at.fail("value " + quote(v) + " appears twice");
  return values;
}

/// Where a strategy id is in the config: (portfolio, strategy) indices.
std::optional<std::pair<std::size_t, std::size_t>> find_strategy(const backtest_config& config,
                                                                 const std::string& id) {
  for (std::size_t p = 0; p < config.portfolios.size(); ++p)
    for (std::size_t s = 0; s < config.portfolios[p].strategies.size(); ++s)
      if (config.portfolios[p].strategies[s].id == id)
        return std::make_pair(p, s);
  return std::nullopt;
}

std::vector<std::string> strategy_ids(const backtest_config& config) {
  std::vector<std::string> ids;
  for (const auto& p : config.portfolios)
    for (const auto& s : p.strategies)
      ids.push_back(s.id);
  return ids;
}

std::vector<std::string> param_names(const strategy_config& strategy) {
  std::vector<std::string> names;
  for (const auto& [name, value] : strategy.params.values)
    names.push_back(name);
  return names;
}

/// Grid axes per strategy, each naming a parameter the config already sets: a grid
/// replaces values, so a misspelt name is an error rather than an ignored axis.
void read_parameters(const field& at, const backtest_config& config, optimization_spec& spec) {
  const map_reader strategies{at, {}};
  if (strategies.keys().empty())
    at.fail("expected at least one strategy");
  std::optional<std::size_t> portfolio;
  for (const field& s_key : strategies.keys()) {
    const std::string id = s_key.node.Scalar();
    const auto where = find_strategy(config, id);
    if (!where)
      s_key.fail("unknown strategy id (the config has: " + joined(strategy_ids(config)) + ")");
    // Each job reports one portfolio's metrics: the grid must stay inside one.
    if (portfolio && *portfolio != where->first)
      s_key.fail("in portfolio '" + config.portfolios[where->first].id
                 + "', but the grid's other strategies are in '" + config.portfolios[*portfolio].id
                 + "': a grid varies one portfolio");
    portfolio = where->first;
    const strategy_config& strategy = config.portfolios[where->first].strategies[where->second];
    const field s_value = strategies.require(id);
    const map_reader params{s_value, {}};
    if (params.keys().empty())
      s_value.fail("expected at least one parameter");
    for (const field& p_key : params.keys()) {
      const std::string name = p_key.node.Scalar();
      if (!strategy.params.has(name))
        p_key.fail("strategy '" + id + "' sets no parameter '" + name
                   + "' in the config (a grid replaces parameters the config sets: "
                   + joined(param_names(strategy)) + ")");
      spec.grid.axes.push_back({id, name, read_values(params.require(name))});
    }
  }
  spec.portfolio = *portfolio;
}

/// The grid must fit: all of it, or the sample taken from it.
void check_size(const optimization_spec& spec, const field& parameters,
                const std::optional<field>& samples) {
  const std::uint64_t size = spec.grid.size();
  if (samples && spec.samples > size)
    samples->fail("asks for " + std::to_string(spec.samples) + " combinations, the grid has "
                  + std::to_string(size));
  if (samples && spec.samples > max_grid_jobs)
    samples->fail("more than " + std::to_string(max_grid_jobs) + " jobs");
  if (!samples && size > max_grid_jobs)
    parameters.fail("the grid has more than " + std::to_string(max_grid_jobs)
                    + " combinations: draw some with `samples:`");
}

field find_section(yaml::load_context& ctx, const YAML::Node& root) {
  if (root.IsMap())
    for (const auto& kv : root)
      if (kv.first.IsScalar() && kv.first.Scalar() == "optimization")
        return {&ctx, kv.second, "optimization",
                kv.second.IsNull() ? yaml::line_of(kv.first) : yaml::line_of(kv.second)};
  throw input_error(yaml::locate(ctx.file, std::nullopt, "optimization")
                    + ": missing section (admf optimize needs one)");
}

}  // namespace

optimization_spec read_optimization(const std::string& path, const backtest_config& config) {
  yaml::load_context ctx{path, {}};
  // load_config has read this file already: it parses.
  const field section = find_section(ctx, YAML::LoadFile(path));
  const map_reader keys{section, {"metric", "top", "parameters", "samples", "seed", "job_timeout"}};
  optimization_spec spec;
  spec.location = section.location();
  const field metric = keys.require("metric");
  spec.metric = yaml::to_string(metric);
  const auto known = metric_keys();
  // ruined / ruined_at are metrics, but not numbers to rank by.
  if (std::find(known.begin(), known.end(), spec.metric) == known.end() || spec.metric == "ruined"
      || spec.metric == "ruined_at")
    metric.fail("unknown metric " + quote(spec.metric) + " (expected one of: " + joined(known)
                + ")");
  yaml::read_count(keys, "top", 1, spec.top);
  const auto samples = keys.find("samples");
  yaml::read_count(keys, "samples", 1, spec.samples);
  if (auto seed = keys.find("seed")) {
    if (!samples)
      seed->fail("only with 'samples' (the full grid draws nothing)");
    yaml::read_count(keys, "seed", 0, spec.seed);
  }
  if (auto timeout = keys.find("job_timeout")) {
    spec.job_timeout = yaml::to_number(*timeout);
    if (!(spec.job_timeout > 0) || spec.job_timeout > 1e9)
      timeout->fail("expected seconds > 0");
  }
  const field parameters = keys.require("parameters");
  read_parameters(parameters, config, spec);
  check_size(spec, parameters, samples);
  return spec;
}

}  // namespace admf

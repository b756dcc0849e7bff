#include "runtime/optimize/grid.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "runtime/yaml/yaml_reader.hpp"
#include "runtime/core/error.hpp"
#include "runtime/metrics/metrics.hpp"
#include "runtime/results/files.hpp"

namespace admf {

namespace {

using yaml::field;
using yaml::joined;
using yaml::map_reader;
using yaml::quote;

/// More jobs than this is a typo in a range or a grid that wants `samples:`.
constexpr std::uint64_t max_jobs = 1'000'000;

// ---------------------------------------------------------------- sampling

/// splitmix64: tiny, fast, and the same sequence everywhere (std:: distributions
/// are not portable across standard libraries).
struct splitmix64 {
  std::uint64_t state;

  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, n): draws below 2^64 mod n are rejected, so every residue has
  /// the same number of preimages (no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;
    for (;;)
      if (const auto x = next(); x >= threshold)
        return x % n;
  }
};

// ---------------------------------------------------------------- the section

/// 12 significant digits, then the shortest text of that double.
std::string rounded_text(double value) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, 12);
  std::from_chars(buf, res.ptr, value);
  return format_double(value == 0 ? 0.0 : value);  // no "-0"
}

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
                 + "', but the grid's other strategies are in '"
                 + config.portfolios[*portfolio].id + "': a grid varies one portfolio");
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
  if (samples && spec.samples > max_jobs)
    samples->fail("more than " + std::to_string(max_jobs) + " jobs");
  if (!samples && size > max_jobs)
    parameters.fail("the grid has more than " + std::to_string(max_jobs)
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

} // namespace

std::uint64_t param_grid::size() const {
  std::uint64_t total = 1;
  for (const auto& axis : axes) {
    const std::uint64_t n = axis.values.size();
    if (n && total > std::numeric_limits<std::uint64_t>::max() / n)
      return std::numeric_limits<std::uint64_t>::max();
    total *= n;
  }
  return total;
}

std::vector<std::string> param_grid::combination(std::uint64_t index) const {
  std::vector<std::string> values(axes.size());
  for (std::size_t a = axes.size(); a-- > 0;) {
    const auto& axis = axes[a].values;
    values[a] = axis[index % axis.size()];
    index /= axis.size();
  }
  return values;
}

std::vector<std::string> metric_keys() {
  // Taken from the JSON itself, so a new metric shows up in optimize.csv by itself.
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    const auto json = nlohmann::ordered_json::parse(metrics_report{}.to_json());
    for (const auto& item : json.items())
      out.push_back(item.key());
    return out;
  }();
  return keys;
}

bool lower_is_better(const std::string& metric) { return metric == "max_drawdown"; }

std::vector<std::string> range_values(double from, double to, double step,
                                      const std::string& where) {
  if (!(step > 0))
    throw input_error(where + ": step must be > 0");
  if (to < from)
    throw input_error(where + ": 'to' must be >= 'from'");
  // The tolerance keeps `to` in when (to - from) / step lands just below an integer.
  const double steps = std::floor((to - from) / step + 1e-9);
  if (steps >= static_cast<double>(max_jobs))
    throw input_error(where + ": more than " + std::to_string(max_jobs) + " values");
  std::vector<std::string> values;
  for (std::uint64_t i = 0; i <= static_cast<std::uint64_t>(steps); ++i)
    values.push_back(rounded_text(from + static_cast<double>(i) * step));
  return values;
}

std::vector<std::uint64_t> pick_combinations(const optimization_spec& spec) {
  const std::uint64_t size = spec.grid.size();
  const std::uint64_t wanted = spec.samples ? spec.samples : size;
  if (wanted > size || wanted > max_jobs)
    throw input_error(spec.location + ": cannot run " + std::to_string(wanted)
                      + " combinations of a grid of " + std::to_string(size));
  std::vector<std::uint64_t> picked;
  if (!spec.samples || wanted == size) {
    for (std::uint64_t i = 0; i < size; ++i)
      picked.push_back(i);
    return picked;
  }
  // Floyd: one draw per sample, memory for the sample only, however big the grid.
  splitmix64 rng{spec.seed};
  std::set<std::uint64_t> chosen;
  for (std::uint64_t j = size - wanted; j < size; ++j)
    if (!chosen.insert(rng.below(j + 1)).second)
      chosen.insert(j);
  return {chosen.begin(), chosen.end()};
}

optimization_spec read_optimization(const std::string& path, const backtest_config& config) {
  yaml::load_context ctx{path, {}};
  // load_config has read this file already: it parses.
  const field section = find_section(ctx, YAML::LoadFile(path));
  const map_reader keys{section, {"metric", "top", "parameters", "samples", "seed"}};
  optimization_spec spec;
  spec.location = section.location();
  const field metric = keys.require("metric");
  spec.metric = yaml::to_string(metric);
  const auto known = metric_keys();
  if (std::find(known.begin(), known.end(), spec.metric) == known.end())
    metric.fail("unknown metric " + quote(spec.metric) + " (expected one of: " + joined(known) + ")");
  yaml::read_count(keys, "top", 1, spec.top);
  const auto samples = keys.find("samples");
  yaml::read_count(keys, "samples", 1, spec.samples);
  if (auto seed = keys.find("seed")) {
    if (!samples)
      seed->fail("only with 'samples' (the full grid draws nothing)");
    yaml::read_count(keys, "seed", 0, spec.seed);
  }
  const field parameters = keys.require("parameters");
  read_parameters(parameters, config, spec);
  check_size(spec, parameters, samples);
  return spec;
}

} // namespace admf

// Typed access to a strategy's raw params, with errors that name file, line and key.
#include <algorithm>
#include <optional>

#include "runtime/config/backtest_config.hpp"
#include "runtime/yaml/yaml_reader.hpp"

namespace admf {

namespace {

const std::string& raw_param(const strategy_params& params, const std::string& key) {
  const auto it = params.values.find(key);
  if (it == params.values.end())
    throw input_error(params.location(key) + ": missing parameter");
  return it->second;
}

/// The key's own line, or for a missing key the line of the params map, which in
/// YAML starts at its first (lowest) key.
std::optional<int> param_line(const strategy_params& params, const std::string& key) {
  if (const auto it = params.lines.find(key); it != params.lines.end())
    return it->second;
  if (params.lines.empty())
    return std::nullopt;
  return std::min_element(params.lines.begin(), params.lines.end(),
                          [](const auto& a, const auto& b) { return a.second < b.second; })
    ->second;
}

}  // namespace

double strategy_params::number(const std::string& key) const {
  const std::string& text = raw_param(*this, key);
  if (auto value = yaml::parse_number(text))
    return *value;
  throw input_error(location(key) + ": expected a number, got " + quote(text));
}

double strategy_params::number_or(const std::string& key, double fallback) const {
  return has(key) ? number(key) : fallback;
}

std::string strategy_params::location(const std::string& key) const {
  return yaml::locate(file, param_line(*this, key), yaml::join_path(key_path, key));
}

}  // namespace admf

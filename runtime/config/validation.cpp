#include "runtime/config/validation.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>

namespace admf {

namespace {

bool valid_id(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
}

}  // namespace

void check_config(const backtest_config& config, const yaml::line_index& lines,
                  const strategy_check& check) {
  const auto fail = [&](const std::string& key_path, const std::string& message) {
    const auto it = lines.find(key_path);
    std::optional<int> line;
    if (it != lines.end())
      line = it->second;
    throw input_error(yaml::locate(config.source_file, line, key_path) + ": " + message);
  };
  const auto check_id = [&](const std::string& id, const std::string& key_path,
                            std::set<std::string>& seen, const char* what) {
    if (!valid_id(id))
      fail(key_path, "invalid id " + quote(id) + " (use letters, digits, '_' and '-')");
    if (!seen.insert(id).second)
      fail(key_path, std::string("duplicate ") + what + " id " + quote(id));
  };

  if (config.portfolios.empty())
    fail("portfolios", "no portfolios");
  std::set<std::string> portfolio_ids;
  std::set<std::string> strategy_ids;  // unique across portfolios: results are keyed by them
  for (std::size_t i = 0; i < config.portfolios.size(); ++i) {
    const portfolio_config& portfolio = config.portfolios[i];
    const std::string path = "portfolios[" + std::to_string(i) + "]";
    check_id(portfolio.id, path + ".id", portfolio_ids, "portfolio");
    if (portfolio.strategies.empty())
      fail(path + ".strategies", "no strategies");
    for (std::size_t j = 0; j < portfolio.strategies.size(); ++j) {
      const strategy_config& strategy = portfolio.strategies[j];
      check_id(strategy.id, path + ".strategies[" + std::to_string(j) + "].id", strategy_ids,
               "strategy");
      check(strategy);
    }
  }
}

void validate(const backtest_config& config, const strategy_check& check) {
  check_config(config, {}, check);
}

}  // namespace admf

#include "runtime/strategy/checked_config.hpp"

#include "runtime/strategy/strategy.hpp"

namespace admf {

void check_strategy(const strategy_config& config) { make_strategy(config); }

backtest_config load_config(const std::string& path) { return load_config(path, check_strategy); }

backtest_config load_config_text(const std::string& yaml, const std::string& origin) {
  return load_config_text(yaml, origin, check_strategy);
}

void validate(const backtest_config& config) { validate(config, check_strategy); }

}  // namespace admf

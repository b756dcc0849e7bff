// A config with its strategies checked: what a program reads before it runs. Only
// building a strategy checks its type and its params, and the config (below the
// strategies) cannot build one, so its checks are completed here.
#pragma once
#include <string>

#include "runtime/config/load_config.hpp"

namespace admf {

/// Builds the strategy once and drops it. Throws input_error as make_strategy.
void check_strategy(const strategy_config& config);

/// Reads and validates the YAML config file `path`, building every strategy once.
/// Throws input_error "PATH:LINE: KEY_PATH: what" on the first problem in the file.
backtest_config load_config(const std::string& path);

/// load_config on YAML text; errors name `origin` where they would name the file.
backtest_config load_config_text(const std::string& yaml, const std::string& origin);

/// Checks a config built in C++ (ids, strategies with their params); throws
/// input_error naming the key path.
void validate(const backtest_config& config);

}  // namespace admf

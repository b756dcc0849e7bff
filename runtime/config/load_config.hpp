// Reading a backtest config from YAML, from a file or from text. The config sits
// below the strategies and knows none of them, so the check of a strategy's type and
// params is handed in; runtime/strategy/checked_config.hpp hands in "build it once"
// and is what programs call.
#pragma once
#include <functional>
#include <string>

#include "runtime/config/backtest_config.hpp"

namespace admf {

/// Checks one strategy's type and params; throws input_error. Called on each
/// strategy in file order right after its id is checked, so that the first error
/// in the file is the one reported.
using strategy_check = std::function<void(const strategy_config&)>;

/// Reads and validates the YAML config file `path`. Throws input_error
/// "PATH:LINE: KEY_PATH: what" (line and key path when known).
backtest_config load_config(const std::string& path, const strategy_check& check);

/// load_config on YAML text: errors name `origin` where they would name the file,
/// the run name defaults to its stem, and relative paths are tried from the working
/// directory, then beside `origin`.
backtest_config load_config_text(const std::string& yaml, const std::string& origin,
                                 const strategy_check& check);

/// Checks what reading YAML cannot: portfolios and strategies present, ids valid and
/// unique (strategy ids across portfolios), then `check` on each strategy. For
/// configs built in C++: throws input_error naming the key path only.
void validate(const backtest_config& config, const strategy_check& check);

}  // namespace admf

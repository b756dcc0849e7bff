// The `optimization:` section of a config file, read strictly: every key known, every
// strategy and parameter one the config sets, errors naming file, line and key.
#pragma once
#include <string>

#include "apps/optimize/grid.hpp"
#include "runtime/config/backtest_config.hpp"

namespace admf {

/// Reads the `optimization:` section of the config file at `path`; `config` is that
/// file as load_config returned it, to check strategy ids and params.
/// Throws input_error "file:line: optimization.key: what".
optimization_spec read_optimization(const std::string& path, const backtest_config& config);

}  // namespace admf

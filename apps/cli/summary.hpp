// The table `admf run` prints: one row per portfolio.
#pragma once
#include <string>

#include "runtime/bus/messages.hpp"
#include "runtime/config/backtest_config.hpp"

namespace admf {

std::string summary_table(const backtest_config& config, const run_result& result,
                          const std::string& out_dir);

}  // namespace admf

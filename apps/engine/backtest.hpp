// The C++ API: run one backtest to completion on an actor system of its own.
#pragma once
#include <memory>
#include <string>

#include "runtime/bus/messages.hpp"
#include "runtime/config/backtest_config.hpp"
#include "runtime/data/market_data.hpp"

namespace admf {

struct run_options {
  std::string out_dir;      ///< results go to out_dir/<portfolio>/; "" = write no files
  std::size_t threads = 0;  ///< scheduler threads; 0 = one per core
};

/// Runs `config` on `data` and returns each portfolio's result. Files, when asked
/// for, appear only complete: each portfolio directory is moved into place at the end.
/// Throws input_error for an invalid config.
run_result run_backtest(const backtest_config& config, std::shared_ptr<const market_data> data,
                        const run_options& options);

/// Same, loading the data the config names; files with bars that data.on_bad_bar
/// repaired or skipped are logged as warnings.
run_result run_backtest(const backtest_config& config, const run_options& options);

}  // namespace admf

// The C++ API: run one backtest to completion on an actor system of its own.
#pragma once
#include <memory>
#include <string>

#include "runtime/bus/messages.hpp"
#include "runtime/config/backtest_config.hpp"
#include "runtime/core/stop_signal.hpp"
#include "runtime/data/market_data.hpp"

namespace admf {

struct run_options {
  std::string out_dir;      ///< results go to out_dir/<portfolio>/; "" = write no files
  std::size_t threads = 0;  ///< scheduler threads; 0 = one per core
  bool write_signals = false;  ///< also out_dir/<portfolio>/signals.csv, for signal_file
  /// Polled while the run goes on (null: never stop early); see run_backtest.
  const stop_flag* stop = nullptr;
};

/// Runs `config` on `data` and returns each portfolio's result. Files, when asked
/// for, appear only complete: each portfolio directory is moved into place at the end.
/// Throws input_error for an invalid config. When `options.stop` is set during the
/// run, the data feed ends at its next batch, the containers finish the bars in
/// flight, nothing is published and the staging directory is removed (disk traces,
/// ended as interrupted, move to out_dir/interrupted.traces/), and it throws
/// `interrupted` "interrupted by SIGINT at bar N of M (TIME); ...".
run_result run_backtest(const backtest_config& config, std::shared_ptr<const market_data> data,
                        const run_options& options);

/// Loads the data `config` names and says on stderr, one `warning:` line per file, which
/// bars on_bad_bar repaired or skipped: a run on repaired data must never look like one
/// on clean data. Throws what load_market_data throws.
std::shared_ptr<const market_data> load_reported_data(const data_config& config);

/// Same as above, loading the data the config names with load_reported_data.
run_result run_backtest(const backtest_config& config, const run_options& options);

}  // namespace admf

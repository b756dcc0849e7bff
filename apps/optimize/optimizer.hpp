// `admf optimize`: one complete backtest per combination of a parameter grid, run
// concurrently on one shared copy of the market data, each reduced to its metrics as
// it finishes, written to optimize.csv in job order, ranked, and the best written
// back as runnable configs.
#pragma once
#include <cstddef>
#include <ostream>
#include <string>

#include "apps/cluster/tls.hpp"

namespace admf {

struct optimize_options {
  std::string config_path;
  std::string out_dir;    ///< "" = results/<config name>/optimize
  std::size_t jobs = 0;   ///< backtests at a time; 0 = one per core
  std::size_t top = 0;    ///< configs written as top_K.yaml; 0 = the config's `top`
  std::string workers;    ///< "host:port,...": run the jobs on `admf worker`s; "" = here
  tls_options tls;        ///< TLS to the workers when enabled
  std::string accept;     ///< "host:port": also take in workers that join; "" = none
  bool insecure = false;  ///< allow a non-loopback --accept host without TLS
  double worker_timeout = 10;  ///< seconds a silent worker is waited for before it is gone
};

/// Runs the optimization the config file describes: writes optimize.csv and the top
/// configs, prints the ranked table to `out` and progress to stderr. Jobs a previous
/// run of the same config, data and grid finished in the same directory are not run
/// again. Throws input_error for bad input.
void run_optimize(const optimize_options& options, std::ostream& out);

}  // namespace admf

#include "runtime/cli/optimize_command.hpp"

namespace admf {

CLI::App* add_optimize_command(CLI::App& app, optimize_options& options) {
  auto* cmd = app.add_subcommand(
    "optimize", "run one backtest per combination of the config's optimization grid and rank them");
  cmd->add_option("config", options.config_path, "YAML config with an optimization section")
    ->required();
  cmd->add_option("--out", options.out_dir,
                  "results directory (default: results/<config name>/optimize)");
  cmd->add_option("--jobs", options.jobs, "backtests at a time (default: one per core)")
    ->check(CLI::Range(1, 1024));
  cmd->add_option("--top", options.top,
                  "best configs to write as top_K.yaml (default: the config's top, else 5)")
    ->check(CLI::Range(1, 1000000));
  cmd->add_option("--workers", options.workers,
                  "run the jobs on `admf worker`s at host:port,host:port (fixed for the sweep)");
  cmd->add_option("--tls-ca", options.tls.ca,
                  "connect to the --workers over TLS; PEM CA file their certificates chain to");
  cmd->add_option("--tls-cert", options.tls.cert,
                  "PEM certificate presented to TLS workers (they verify it)");
  cmd->add_option("--tls-key", options.tls.key, "the PEM private key of --tls-cert");
  return cmd;
}

} // namespace admf

#include "apps/cli/optimize_command.hpp"

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
  cmd
    ->add_option("--top", options.top,
                 "best configs to write as top_K.yaml (default: the config's top, else 5)")
    ->check(CLI::Range(1, 1000000));
  cmd->add_option("--workers", options.workers,
                  "run the jobs on `admf worker`s at host:port,host:port");
  cmd->add_option("--accept", options.accept,
                  "also take in `admf worker --join`s at HOST:PORT mid-sweep (port 0: any free "
                  "one, printed); --workers may then be empty");
  cmd
    ->add_option("--worker-timeout", options.worker_timeout,
                 "seconds a worker may stay silent (stopped, cut off) before its jobs go to "
                 "the others (default: 10; heartbeats every second)")
    ->check(CLI::Range(2.0, 3600.0));
  cmd->add_flag("--insecure", options.insecure,
                "allow a non-loopback --accept HOST without TLS: jobs travel unencrypted");
  cmd->add_option("--tls-ca", options.tls.ca,
                  "connect to the --workers over TLS; PEM CA file their certificates chain to");
  cmd->add_option("--tls-cert", options.tls.cert,
                  "PEM certificate presented to TLS workers (they verify it)");
  cmd->add_option("--tls-key", options.tls.key, "the PEM private key of --tls-cert");
  return cmd;
}

}  // namespace admf

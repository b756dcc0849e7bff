#include "runtime/cli/worker_command.hpp"

namespace admf {

CLI::App* add_worker_command(CLI::App& app, worker_options& options) {
  auto* cmd = app.add_subcommand(
    "worker", "serve `admf optimize --workers` jobs over the network until killed");
  cmd->add_option("--listen", options.listen,
                  "HOST:PORT to listen on; port 0 picks a free one (default: 127.0.0.1:0)");
  cmd->add_option("--jobs", options.jobs, "backtests at a time (default: one per core)")
    ->check(CLI::Range(1, 1024));
  cmd->add_flag("--insecure", options.insecure,
                "allow a non-loopback HOST: jobs and results travel unencrypted (no TLS yet)");
  return cmd;
}

} // namespace admf

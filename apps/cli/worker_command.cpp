#include "apps/cli/worker_command.hpp"

namespace admf {

CLI::App* add_worker_command(CLI::App& app, worker_options& options) {
  auto* cmd = app.add_subcommand(
    "worker", "serve `admf optimize --workers` jobs over the network until killed");
  cmd->add_option("--listen", options.listen,
                  "HOST:PORT to listen on; port 0 picks a free one (default: 127.0.0.1:0)");
  cmd->add_option("--jobs", options.jobs, "backtests at a time (default: one per core)")
    ->check(CLI::Range(1, 1024));
  cmd->add_option("--join", options.join,
                  "HOST:PORT of an `admf optimize --accept` coordinator to join mid-sweep");
  cmd->add_flag("--insecure", options.insecure,
                "allow a non-loopback HOST without TLS: jobs and results travel unencrypted");
  cmd->add_option("--tls-cert", options.tls.cert,
                  "serve over TLS with this PEM certificate (then any HOST may be used)");
  cmd->add_option("--tls-key", options.tls.key, "the PEM private key of --tls-cert");
  cmd->add_option("--tls-ca", options.tls.ca,
                  "PEM CA file the coordinator's certificate must chain to");
  return cmd;
}

}  // namespace admf

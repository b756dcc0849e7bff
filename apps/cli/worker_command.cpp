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
  cmd->add_option("--plugin-path", options.plugin_path,
                  "directory to load jobs' plugins from, by name (repeatable; searched before "
                  "$ADMF_PLUGIN_PATH and the plugin directories beside admf); a job naming a "
                  "plugin by path fails");
  cmd->add_option("--max-message", options.max_message,
                  "bytes a peer's message may announce; a connection announcing more is cut "
                  "before memory is taken for it (default: 4 MiB; without TLS)")
    ->check(CLI::Range(1024u, 1u << 30));
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

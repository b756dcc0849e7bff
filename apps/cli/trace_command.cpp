#include "apps/cli/trace_command.hpp"

namespace admf {

CLI::App* add_trace_command(CLI::App& app, trace_options& options) {
  auto* cmd = app.add_subcommand("trace", "report on trace files: counts, causal chains, latency");
  // No ExistingFile check: a missing file is reported like any unreadable trace.
  cmd->add_option("files", options.files, "trace files (DIR/<container>/events.pb)")->required();
  cmd->add_option("--chains", options.chains, "causal chains to print in full (default 20)");
  cmd->add_option_function<std::string>(
    "--correlation", [&options](const std::string& id) { options.correlation = id; },
    "list only the events of this correlation id (0x-prefixed hex or decimal)");
  cmd->add_option("--chrome", options.chrome,
                  "also write Chrome trace-event JSON here (Perfetto, chrome://tracing)");
  return cmd;
}

}  // namespace admf

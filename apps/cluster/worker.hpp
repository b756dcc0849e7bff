// `admf worker`: serves optimization jobs to coordinators over CAF's middleman.
#pragma once
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "apps/cluster/protocol.hpp"
#include "runtime/config/backtest_config.hpp"
#include "runtime/data/market_data.hpp"
#include "apps/cluster/transport.hpp"

namespace admf {

struct worker_options {
  std::string listen = "127.0.0.1:0";  ///< host:port; port 0 = any free port
  std::size_t jobs = 0;                ///< jobs at a time; 0 = one per core
  bool insecure = false;               ///< allow a non-loopback host without TLS
  tls_options tls;                     ///< serve over TLS (any host) when enabled
  std::string join;                    ///< host:port of a coordinator to join; "" = none
  /// Directories searched for a job's plugins (by name; a job naming a path fails),
  /// before $ADMF_PLUGIN_PATH and the plugin directories beside the admf binary.
  std::vector<std::string> plugin_path;
  /// Largest message a peer may announce; a connection announcing more is cut before
  /// CAF allocates it (without TLS: basp_guard).
  std::uint32_t max_message = default_max_message;
};

/// Publishes a worker at options.listen, prints "listening on HOST:PORT" to `out` and
/// serves until the process is killed. With options.join, then connects to that
/// coordinator (`admf optimize --accept`) and joins its sweep; a coordinator that
/// cannot be reached is an error. Throws input_error for bad options (a
/// non-loopback host with neither TLS nor --insecure, incomplete TLS files) or when
/// the port cannot be bound.
void run_worker(const worker_options& options, std::ostream& out);

/// Runs one job as a worker does: checks the protocol version and the data checksum,
/// builds its strategies from plugins found by name on `plugin_path` (then
/// $ADMF_PLUGIN_PATH and beside the binary; a plugin or type holding '/' is an
/// error), runs the config on one scheduler thread and answers with its metrics or
/// an error. Never throws: every failure becomes the result's error. The worker runs
/// it in a process of its own (job_server.hpp), after its job server ran prepare_job
/// to load the data once for every job of the sweep.
proto::JobResult run_job_spec(const job_spec_msg& msg, const std::vector<std::string>& plugin_path);

/// A job checked and ready to run: its config read and its data loaded (kept in this
/// process by checksum: a sweep's jobs share one copy).
struct prepared_job {
  proto::JobResult result;  ///< protocol version and job index; error set: it cannot run
  backtest_config config;
  std::shared_ptr<const market_data> data;
};

/// Decodes and checks `msg` and loads what the job needs. Never throws.
prepared_job prepare_job(const job_spec_msg& msg, const std::vector<std::string>& plugin_path);

/// How many sweeps' data prepare_job has loaded in this process so far.
std::size_t data_sets_loaded();

}  // namespace admf

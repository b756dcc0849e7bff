// The coordinator side of `admf optimize --workers`: hands jobs to remote workers as
// they ask for them and collects every result, requeueing the jobs of a worker that
// goes away. Besides the listed workers, a coordinator that accepts workers
// (`--accept`) takes in any `admf worker --join` that arrives mid-sweep.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "apps/cluster/endpoint.hpp"
#include "apps/cluster/protocol.hpp"
#include "apps/cluster/tls.hpp"

namespace admf {

/// One job as a worker runs it.
struct remote_job {
  std::size_t index = 0;    ///< the job's 0-based position in the sweep
  std::string config_yaml;  ///< its complete runnable config
};

/// A finished job: its portfolio's metrics.json, or stopped (no metrics), or failed.
struct remote_outcome {
  std::size_t index = 0;
  bool stopped = false;
  std::string metrics_json;
  std::string failure;   ///< non-empty: the job failed (crashed workers, ran over a limit)
  int crash_signal = 0;  ///< the signal a crash reported; 0 = none known
};

/// How the coordinator reaches its workers and how long it waits for them.
struct remote_settings {
  tls_options tls;                ///< every connection over TLS when enabled
  std::optional<endpoint> accept; ///< also take in workers that join here
  /// A worker silent for this long (stopped, partitioned; heartbeats every second) is
  /// gone: its connection is closed and its jobs run elsewhere.
  std::chrono::milliseconds worker_timeout{10'000};
  /// A job running longer on a worker is run again elsewhere; 0 = no limit.
  std::chrono::milliseconds job_timeout{0};
};

/// Runs `jobs` on `workers` (each job once, results in any order through
/// `on_result`, called from one thread at a time). A job whose worker crashed, went
/// down or ran over settings.job_timeout runs again on another worker; after
/// job_ledger::max_failures such failures it is an outcome with `failure` set. Throws
/// std::runtime_error with a one-line reason when a worker cannot be reached, a job
/// fails with an error, a worker speaks another protocol version or sends a result
/// this build cannot read, or every worker is gone before the end. With settings.tls
/// enabled every connection is TLS (workers must serve TLS too). With
/// settings.accept, the coordinator is also published there (TLS when enabled),
/// prints "accepting workers on HOST:PORT" to stderr and takes in workers that join;
/// `workers` may then be empty, and a sweep whose workers are all gone waits for
/// joiners. At the end it prints "jobs per worker: H:P=N, ..." to stderr. Returns how
/// many workers took part.
std::size_t run_remote_jobs(const std::vector<endpoint>& workers,
                            const std::vector<remote_job>& jobs, std::uint64_t data_checksum,
                            const std::function<void(const remote_outcome&)>& on_result,
                            const remote_settings& settings);

}  // namespace admf

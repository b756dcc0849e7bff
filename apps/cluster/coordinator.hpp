// The coordinator side of `admf optimize --workers`: hands jobs to remote workers as
// they ask for them and collects every result, requeueing the jobs of a worker that
// goes away. Besides the listed workers, a coordinator that accepts workers
// (`--accept`) takes in any `admf worker --join` that arrives mid-sweep.
#pragma once
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

/// A finished job: its portfolio's metrics.json, or stopped (no metrics).
struct remote_outcome {
  std::size_t index = 0;
  bool stopped = false;
  std::string metrics_json;
};

/// Runs `jobs` on `workers` (each job once, results in any order through
/// `on_result`, called from one thread at a time). Throws std::runtime_error with a
/// one-line reason when a worker cannot be reached, a job fails, a worker speaks
/// another protocol version or every worker is gone before the end. With `tls`
/// enabled every connection is TLS (workers must serve TLS too). With `accept`, the
/// coordinator is also published there (TLS when enabled), prints "accepting workers
/// on HOST:PORT" to stderr and takes in workers that join; `workers` may then be
/// empty, and a sweep whose workers are all gone waits for joiners. At the end it
/// prints "jobs per worker: H:P=N, ..." to stderr. Returns how many workers took part.
std::size_t run_remote_jobs(const std::vector<endpoint>& workers,
                            const std::vector<remote_job>& jobs, std::uint64_t data_checksum,
                            const std::function<void(const remote_outcome&)>& on_result,
                            const tls_options& tls = {},
                            const std::optional<endpoint>& accept = std::nullopt);

}  // namespace admf

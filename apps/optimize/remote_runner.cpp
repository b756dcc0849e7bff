#include "apps/optimize/remote_runner.hpp"

#include <cmath>

#include "apps/optimize/job_yaml.hpp"
#include "apps/optimize/progress.hpp"
#include "runtime/core/error.hpp"

namespace admf {

std::optional<endpoint> accept_endpoint(const std::string& accept, const tls_options& tls,
                                        bool insecure) {
  if (accept.empty())
    return std::nullopt;
  if (accept.find(',') != std::string::npos)
    throw input_error("--accept: one host:port only");
  const endpoint at = parse_endpoints(accept, "--accept").at(0);
  require_tls_off_loopback(at, tls, insecure, "--accept", "accept");
  return at;
}

std::size_t run_remote(const study& s, std::size_t first, const std::vector<endpoint>& workers,
                       remote_settings settings, ordered_writer& writer,
                       std::vector<job_result>& results) {
  settings.job_timeout = std::chrono::milliseconds(s.spec.limits.timeout_ms);
  std::vector<remote_job> jobs;
  for (std::size_t i = first; i < s.jobs(); ++i)
    jobs.push_back({i, remote_job_yaml(s, i)});
  progress_meter progress{s.jobs(), first};
  std::size_t finished = first;
  return run_remote_jobs(
    workers, jobs, data_checksum(s.config.data),
    [&](const remote_outcome& o) {
      // A failed job's row has no metrics, like a stopped portfolio's; why is said above.
      const bool no_metrics = o.stopped || !o.failure.empty();
      writer.add(o.index, job_row(s, o.index, no_metrics, o.metrics_json, results[o.index]));
      ++finished;
      progress.update(finished, finished == s.jobs());
    },
    settings);
}

}  // namespace admf

#include "apps/optimize/local_runner.hpp"

#include <poll.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <thread>

#include "apps/jobs/job_pool.hpp"
#include "apps/optimize/progress.hpp"
#include "runtime/core/error.hpp"

namespace admf {

std::size_t local_threads(std::size_t wanted, std::size_t remaining) {
  const std::size_t n = wanted ? wanted : std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(n, remaining));
}

std::vector<std::string> run_local(const study& s, std::size_t first, std::size_t processes,
                                   ordered_writer& writer, std::vector<job_result>& results,
                                   const stop_flag& stop) {
  const std::size_t total = s.jobs();
  job_pool pool{s.spec.limits, [&s](std::uint64_t i, const std::string&) {
                  proto::JobResult r;
                  r.set_metrics_json(run_job(s, i));
                  r.set_stopped(r.metrics_json().empty());
                  return r;
                }};
  std::map<std::size_t, std::string> failed;  ///< crashed or over a limit, by job
  std::string error;                          ///< the first job that could not run
  std::size_t next = first, finished = first;
  progress_meter progress{total, first};
  std::vector<pollfd> none;
  while (finished < total) {
    if (stop.requested())  // the pool kills the running jobs as it goes
      throw interrupted(stop.signal(), "optimize interrupted by " + signal_name(stop.signal()));
    while (error.empty() && next < total && pool.running() < processes) {
      pool.start(next++);
    }
    if (pool.running() == 0)
      break;  // an error stopped the rest
    for (const auto& [key, r] : pool.poll(none, 100)) {
      const std::size_t i = key;
      ++finished;
      if (r.crash_signal() || !r.limit_exceeded().empty()) {
        failed[i] = "job " + std::to_string(i + 1) + ": " + r.error();
        std::fprintf(stderr, "admf: %s\n", failed[i].c_str());
      } else if (!r.error().empty()) {
        if (error.empty())
          error = "job " + std::to_string(i + 1) + ": " + r.error();
        continue;
      }
      // A failed job has no metrics: its row is a stopped portfolio's, empty cells.
      writer.add(i, job_row(s, i, r.metrics_json().empty(), r.metrics_json(), results[i]));
    }
    progress.update(finished, false);
  }
  progress.update(finished, true);
  if (!error.empty())
    throw std::runtime_error(error);
  std::vector<std::string> out;
  for (auto& [i, why] : failed)
    out.push_back(std::move(why));
  return out;
}

}  // namespace admf

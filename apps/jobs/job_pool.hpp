// Jobs in processes of their own: each job runs in a child forked from this process,
// so a plugin that segfaults, aborts, loops or eats memory costs one job, not the
// sweep. Children share the parent's data copy-on-write. The parent must be
// single-threaded when it forks (no actor system, no other thread): the pool checks.
#pragma once
#include <poll.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "apps/jobs/job_limits.hpp"
#include "events.pb.h"

namespace admf {

/// A job's outcome as its process ended: the JobResult the job made, or one saying
/// why it has none: crash_signal and error "plugin 'NAME' (FILE) crashed with SIGSEGV
/// in container P/s at bar T (SYM)" (or "crashed with SIGSEGV (not in a plugin)"),
/// limit_exceeded "job_timeout" and error "exceeded job_timeout 60 s", or
/// limit_exceeded "job_memory" and error "exceeded job_memory 2048 MiB".
struct finished_job {
  std::uint64_t key;
  proto::JobResult result;
};

class job_pool {
public:
  explicit job_pool(job_limits limits);
  /// Kills (SIGKILL) and reaps the jobs still running.
  ~job_pool();
  job_pool(const job_pool&) = delete;
  job_pool& operator=(const job_pool&) = delete;

  /// Forks a child that runs `work` and sends back what it returns (an exception it
  /// lets out is the result's error); `key` names the job in finished_job. The child
  /// ignores SIGINT (Ctrl-C is the parent's to act on) and dies with the parent
  /// (PR_SET_PDEATHSIG). Throws std::logic_error when this process has other threads,
  /// std::runtime_error when pipe or fork fail.
  void start(std::uint64_t key, const std::function<proto::JobResult()>& work);

  std::size_t running() const { return children_.size(); }

  /// Waits up to `timeout_ms` (-1: until something happens) for jobs to end and for
  /// `extra` fds to become ready (their revents are set), and returns the jobs that
  /// ended. Kills jobs past their job_timeout.
  std::vector<finished_job> poll(std::vector<struct pollfd>& extra, int timeout_ms);

private:
  struct child {
    std::uint64_t key;
    pid_t pid;
    std::string received;
    std::int64_t deadline_ms;  ///< steady-clock ms; 0 = none
    bool timed_out = false;
  };

  proto::JobResult outcome(const child& c, int status) const;

  job_limits limits_;
  std::map<int, child> children_;  ///< by the read end of the child's pipe
};

}  // namespace admf

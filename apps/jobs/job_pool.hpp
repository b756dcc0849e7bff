// Jobs in processes of their own: each job runs in a child process forked from this
// one, so a plugin that segfaults, aborts, loops or eats memory costs one job, not the
// sweep. A child runs job after job (its heap and loaded code stay warm, as a thread's
// would) until one kills it; the next job then gets a fresh child. Children share the
// parent's data copy-on-write. The parent must be single-threaded when it forks (no
// actor system, no other thread): the pool checks.
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

/// A job's outcome: the JobResult the job made, or one saying why it has none:
/// crash_signal and error "plugin 'NAME' (FILE) crashed with SIGSEGV in container P/s
/// at bar T (SYM)" (or "crashed with SIGSEGV (not in a plugin)"), limit_exceeded
/// "job_timeout" and error "exceeded job_timeout 60 s", or limit_exceeded
/// "job_memory" and error "exceeded job_memory 2048 MiB".
struct finished_job {
  std::uint64_t key;
  proto::JobResult result;
};

class job_pool {
public:
  /// What a child runs for a job: its key and payload as given to start(). An
  /// exception it lets out is the result's error.
  using work_fn = std::function<proto::JobResult(std::uint64_t key, const std::string& payload)>;

  job_pool(job_limits limits, work_fn work);
  /// Ends the children (SIGKILL for those running a job) and reaps them.
  ~job_pool();
  job_pool(const job_pool&) = delete;
  job_pool& operator=(const job_pool&) = delete;

  /// Hands job `key` to an idle child, or to a new one forked for it. Children ignore
  /// SIGINT (Ctrl-C is the parent's to act on) and die with the parent
  /// (PR_SET_PDEATHSIG). Throws std::logic_error when a fork is needed and this
  /// process still has other threads after 100 ms (threads that are ending, e.g. an
  /// actor system's just destroyed, are waited for), std::runtime_error when pipe or
  /// fork fail.
  void start(std::uint64_t key, const std::string& payload = {});

  /// Jobs started whose result poll has not returned yet.
  std::size_t running() const { return running_; }

  /// Children forked from now on see this process as it is now: idle ones end, busy
  /// ones end after their job (for data this process loaded since they were forked).
  void renew();

  /// Waits up to `timeout_ms` (-1: until something happens) for jobs to end and for
  /// `extra` fds to become ready (their revents are set), and returns the jobs that
  /// ended. Kills jobs past their job_timeout.
  std::vector<finished_job> poll(std::vector<struct pollfd>& extra, int timeout_ms);

private:
  struct child {
    pid_t pid = -1;
    int request_fd = -1;  ///< jobs to it; -1 once it is to end
    unsigned generation = 0;
    bool busy = false;
    std::uint64_t key = 0;
    std::int64_t deadline_ms = 0;  ///< steady-clock ms; 0 = none
    bool timed_out = false;
    std::string received;
  };

  int fork_child();
  proto::JobResult outcome(const child& c, int status) const;
  void retire(child& c);

  job_limits limits_;
  work_fn work_;
  unsigned generation_ = 0;
  std::map<int, child> children_;  ///< by the read end of the child's result pipe
  std::size_t running_ = 0;
};

}  // namespace admf

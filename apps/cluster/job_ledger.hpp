// Which job a cluster worker runs next, and when a job has failed often enough to stop
// retrying it. A job "fails on a worker" when its result says it crashed, when the
// worker goes down while running it (killed, stopped, unreachable) or when it runs over
// the sweep's job_timeout there; it is then queued again for a worker it has not failed
// on, until it has failed on max_failures workers: a poison job that kills whatever
// runs it costs two workers, not all of them. Workers are named by host:port.
#pragma once
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace admf {

class job_ledger {
public:
  /// Failures after which a job is given up as a failed row.
  static constexpr std::size_t max_failures = 2;

  /// Jobs 0..jobs-1, queued in order.
  explicit job_ledger(std::size_t jobs);

  /// Takes the first queued job `worker` may run: one it has not failed on, or any
  /// job when no worker in `live` is left that has not failed it. None: nothing fits.
  std::optional<std::size_t> take(const std::string& worker, const std::set<std::string>& live);

  /// Puts a taken job back in front of the queue, no failure counted.
  void requeue(std::size_t job);

  /// Records that `job` failed on `worker` ("crashed (signal 11, SIGSEGV)", ...) with
  /// `signal` (0 = none known). Returns true when the job has now failed on
  /// max_failures workers and is given up; otherwise it is queued again in front.
  bool fail(std::size_t job, const std::string& worker, const std::string& what, int signal);

  /// Why a given-up job failed: "failed on 2 workers: H:P: what; H:P: what".
  std::string failure(std::size_t job) const;

  /// The last signal a failure of `job` reported; 0 = none.
  int signal(std::size_t job) const;

private:
  struct attempts {
    std::set<std::string> workers;  ///< where it failed
    std::vector<std::string> what;  ///< "H:P: what", in order
    int signal = 0;
  };
  std::deque<std::size_t> queue_;
  std::map<std::size_t, attempts> failed_;  ///< only jobs that failed at least once
};

}  // namespace admf

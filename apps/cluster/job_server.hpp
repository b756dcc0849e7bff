// The process that runs a worker's jobs: forked while the worker is still
// single-threaded (before its actor system starts), it forks one child per job
// (apps/jobs/job_pool.hpp), so a job whose plugin crashes, loops or eats memory
// costs that job, not the worker. It keeps every sweep's data, loaded once by
// checksum, so the jobs share it copy-on-write.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <vector>

#include "apps/cluster/protocol.hpp"

namespace admf {

class job_server {
public:
  /// Forks the server, which runs up to `channels` jobs at once with plugins from
  /// `plugin_path` (run_job_spec). Call with no other thread running. Throws
  /// std::runtime_error when it cannot be started.
  job_server(std::size_t channels, const std::vector<std::string>& plugin_path);
  /// Ends the server (it kills the jobs it runs) and reaps it.
  ~job_server();
  job_server(const job_server&) = delete;
  job_server& operator=(const job_server&) = delete;

  /// Runs one job as run_job_spec does, in a process of its own; a crash is the
  /// result's crash_signal and error (job_pool.hpp). Blocks the calling thread, and
  /// while every channel is busy, until one is free. Thread-safe; never throws.
  proto::JobResult run(const job_spec_msg& msg);

private:
  pid_t pid_ = -1;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<int> free_;  ///< channels (sockets to the server) not in use
  std::vector<int> all_;
};

}  // namespace admf

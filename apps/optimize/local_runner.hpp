// Jobs on this machine: N threads, each job a whole backtest on an actor system of its
// own with one scheduler thread, while the calling thread shows progress.
#pragma once
#include <cstddef>
#include <functional>

namespace admf {

/// Threads for `remaining` jobs: `wanted`, or one per core when 0, never more than
/// the jobs and at least one.
std::size_t local_threads(std::size_t wanted, std::size_t remaining);

/// Calls `run(i)` for every job i in [first, total) on `threads` threads, showing
/// progress on stderr. The first exception stops the jobs not yet started and is
/// rethrown once the running ones are done.
void run_local(std::size_t first, std::size_t total, std::size_t threads,
               const std::function<void(std::size_t)>& run);

}  // namespace admf

// Jobs on this machine: N at a time, each a whole backtest on one scheduler thread in
// a process apart from this one (apps/jobs/job_pool.hpp), while this process shows
// progress and writes the rows.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "apps/optimize/ordered_writer.hpp"
#include "apps/optimize/results_csv.hpp"
#include "apps/optimize/study.hpp"
#include "runtime/core/stop_signal.hpp"

namespace admf {

/// Processes for `remaining` jobs: `wanted`, or one per core when 0, never more than
/// the jobs and at least one.
std::size_t local_threads(std::size_t wanted, std::size_t remaining);

/// Runs jobs [first, s.jobs()) of `s`, `processes` at a time under the config's job
/// limits, adding each row to `writer` and its summary to `results`, showing progress
/// on stderr. A job that crashed or exceeded a limit is a row without metrics (not
/// ranked, like a stopped portfolio); its "job N: why" is returned (in job order) and
/// printed to stderr. A job that failed otherwise (its error) stops the jobs not yet
/// started and is thrown as std::runtime_error "job N: error" once the running ones are
/// done. When `stop` is set (SIGINT / SIGTERM), no job starts any more, the running
/// ones are killed and `interrupted` is thrown. Must be called with no other thread
/// running.
std::vector<std::string> run_local(const study& s, std::size_t first, std::size_t processes,
                                   ordered_writer& writer, std::vector<job_result>& results,
                                   const stop_flag& stop);

}  // namespace admf

#include "apps/optimize/optimizer.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "apps/optimize/local_runner.hpp"
#include "apps/optimize/ordered_writer.hpp"
#include "apps/optimize/ranking.hpp"
#include "apps/optimize/remote_runner.hpp"
#include "apps/optimize/resume.hpp"
#include "apps/optimize/study.hpp"
#include "apps/optimize/top_configs.hpp"
#include "runtime/core/error.hpp"
#include "runtime/core/stop_signal.hpp"
#include "runtime/results/dir_lock.hpp"

namespace admf {

namespace {

using clock_type = std::chrono::steady_clock;

std::string intro(const study& s) {
  const std::string name = "optimize " + s.config.name + ": ";
  const std::string picked = s.spec.samples
                               ? fmt::format("{} of {} combinations sampled (seed {})",
                                             s.spec.samples, s.spec.grid.size(), s.spec.seed)
                               : fmt::format("{} combinations", s.spec.grid.size());
  return fmt::format("{}{}, {} jobs, skipped: {} invalid combinations\n", name, picked, s.jobs(),
                     s.plan.skipped);
}

/// Runs jobs [done, total) on this machine. SIGINT / SIGTERM meanwhile stop it: no job
/// starts any more, the jobs in flight are killed (their processes; they leave no
/// row), and it throws `interrupted` saying how many jobs are left. Rows
/// already written stay in optimize.csv.partial, flushed, for a rerun to resume.
std::vector<std::string> run_local_until_stopped(const study& s, std::size_t done,
                                                 std::size_t processes, ordered_writer& writer,
                                                 std::vector<job_result>& results) {
  stop_flag stop;
  const signal_watcher watcher{stop};
  try {
    return run_local(s, done, processes, writer, results, stop);
  } catch (const interrupted& e) {
    const std::size_t written = writer.rows_written();
    throw interrupted(e.signal(),
                      fmt::format("optimize interrupted by {}: {} of {} jobs done, {} left "
                                  "(the jobs in flight were stopped); {}.partial keeps the rows, "
                                  "run it again to resume",
                                  signal_name(e.signal()), written, s.jobs(), s.jobs() - written,
                                  (s.dir / csv_name).string()));
  }
}

/// Runs what is not done yet, here or on workers, and moves the finished
/// optimize.csv into place; `failed` gets "job N: why" for each job that crashed or
/// exceeded a limit.
void run_remaining(const study& s, const optimize_options& options,
                   std::vector<job_result>& results, std::vector<std::string>& failed,
                   std::ostream& out) {
  const auto csv = s.dir / csv_name;
  const csv_layout layout = layout_of(s);
  const kept_rows kept = resume_rows(csv, layout, results);
  const std::size_t done = kept.rows;
  ordered_writer writer{csv, layout.header, kept.bytes > 0, done, s.jobs()};
  if (done == s.jobs())
    out << fmt::format("all {} jobs already done in {}: nothing to run\n", s.jobs(), csv.string());
  else if (done > 0)
    out << fmt::format("resuming: {} of {} jobs already done in {}\n", done, s.jobs(),
                       csv.string());
  out.flush();
  if (done < s.jobs()) {
    const auto remote = options.workers.empty() ? std::vector<endpoint>{}
                                                : parse_endpoints(options.workers, "--workers");
    const auto accept = accept_endpoint(options.accept, options.tls, options.insecure);
    const bool local = remote.empty() && !accept;
    std::size_t workers = local ? local_threads(options.jobs, s.jobs() - done) : remote.size();
    const auto start = clock_type::now();
    if (local)
      failed = run_local_until_stopped(s, done, workers, writer, results);
    else
      workers = run_remote(s, done, remote,
                           {options.tls, accept,
                            std::chrono::milliseconds(
                              static_cast<std::int64_t>(options.worker_timeout * 1000)),
                            std::chrono::milliseconds(0)},
                           writer, results);
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    out << fmt::format("ran {} jobs in {:.3f} s on {} worker{}\n", s.jobs() - done, seconds,
                       workers, workers == 1 ? "" : "s");
  }
  writer.finish();
}

}  // namespace

void run_optimize(const optimize_options& options, std::ostream& out) {
  if (options.tls.enabled() && options.workers.empty() && options.accept.empty())
    throw input_error("--tls-ca, --tls-cert, --tls-key: only with --workers or --accept");
  if (options.insecure && options.accept.empty())
    throw input_error("--insecure: only with --accept");
  check_tls(options.tls);
  accept_endpoint(options.accept, options.tls, options.insecure);  // fails before any work
  const study s = make_study(options.config_path, options.out_dir);
  make_output_dir(s.dir);
  // Before claim_dir, which may clear another sweep's files.
  const dir_lock lock(s.dir, s.dir / "optimize.lock", "optimize");
  claim_dir(s.dir, plan_hash(s));
  out << intro(s);
  std::vector<job_result> results(s.jobs());
  std::vector<std::string> failed;
  run_remaining(s, options, results, failed, out);

  const auto ranked = rank_jobs(results, s.spec.metric);
  const std::size_t top = std::min(options.top ? options.top : s.spec.top, ranked.size());
  const std::vector<std::size_t> shown(ranked.begin(),
                                       ranked.begin() + static_cast<std::ptrdiff_t>(top));
  write_top_configs(s, shown);
  out << ranked_table(s, results, shown);
  if (ranked.size() < results.size())
    out << fmt::format("not ranked: {} jobs without a {} value\n", results.size() - ranked.size(),
                       s.spec.metric);
  if (!failed.empty())
    out << fmt::format("failed: {} job{} (crashed or over a limit), not ranked:\n", failed.size(),
                       failed.size() == 1 ? "" : "s");
  for (const auto& why : failed)
    out << "  " << why << "\n";
  out << "results: " << s.dir.string() << "/\n";
}

}  // namespace admf

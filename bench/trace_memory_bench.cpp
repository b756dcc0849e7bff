// admf_trace_memory_bench: peak memory and cost of a backtest at each trace level.
// Each level runs in a fresh child process (fork, before this process starts any
// thread), so its ru_maxrss (from wait4) is that run's own peak: synthetic bars
// (synthetic_market_data, seed 42, one symbol), one sma_crossover 10/30 portfolio,
// results and traces written to a temporary directory that is removed afterwards.
//
//   admf_trace_memory_bench [--bars N] [--threads T] [--all-levels 1] [--limit-percent P]
//
// Levels: none and debug; with --all-levels 1 also minimal, metrics and normal.
// Prints one JSON object: per level the peak RSS (MB), its ratio to none's, and the
// child's CPU seconds (user + system; this VM has no instruction counters) and wall
// seconds of the run. --limit-percent P: exit 1 when a traced level's peak exceeds
// none's by more than P percent (tracing must apply back pressure, issue 13).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/engine/backtest.hpp"
#include "bench/bench_flags.hpp"
#include "runtime/tracing/trace_settings.hpp"

namespace {

using namespace admf;
namespace fs = std::filesystem;

backtest_config make_config(const std::string& level) {
  backtest_config c;
  c.name = "trace_memory";
  portfolio_config p;
  p.id = "sma";
  p.initial_capital = 100000;
  strategy_config s;
  s.id = "sma_1";
  s.type = "sma_crossover";
  s.params.values = {{"fast", "10"}, {"slow", "30"}};
  p.strategies.push_back(s);
  c.portfolios.push_back(p);
  c.tracing = trace_level(level, "");
  return c;
}

/// The child: one run at `level`; writes its wall seconds to `out_fd`.
[[noreturn]] void run_level(const std::string& level, std::size_t bars, std::size_t threads,
                            const fs::path& dir, int out_fd) {
  int rc = 0;
  try {
    const auto data = std::make_shared<const market_data>(synthetic_market_data(bars, 42));
    const auto config = make_config(level);
    const auto t0 = std::chrono::steady_clock::now();
    const auto result = run_backtest(config, data, run_options{dir.string(), threads});
    const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!result.portfolios.at(0).ok)
      throw std::runtime_error("portfolio failed: " + result.portfolios.at(0).error);
    const auto line = std::to_string(seconds) + "\n";
    if (write(out_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      rc = 1;
  } catch (const std::exception& e) {
    std::cerr << "admf_trace_memory_bench: " << level << ": " << e.what() << "\n";
    rc = 1;
  }
  std::cerr.flush();
  _exit(rc);
}

struct measured {
  long peak_kib = 0;  // the child's ru_maxrss
  double cpu_seconds = 0;  // the child's, user + system (data generation included)
  double seconds = 0;  // wall, of run_backtest alone
};

measured measure(const std::string& level, std::size_t bars, std::size_t threads,
                 const fs::path& dir) {
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    run_level(level, bars, threads, dir, fds[1]);
  }
  close(fds[1]);
  std::string line;
  char buf[128];
  for (ssize_t n; (n = read(fds[0], buf, sizeof(buf))) > 0;)
    line.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid)
    throw std::runtime_error("wait4 failed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || line.empty())
    throw std::runtime_error("the run at level " + level + " failed");
  measured m;
  m.peak_kib = usage.ru_maxrss;
  const auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  m.cpu_seconds = secs(usage.ru_utime) + secs(usage.ru_stime);
  m.seconds = std::stod(line);
  return m;
}

}  // namespace

int main(int argc, char** argv) try {
  std::size_t bars = 1'000'000, threads = 2, all_levels = 0, limit_percent = 0;
  bench::parse_flags(
    argc, argv,
    "admf_trace_memory_bench [--bars N] [--threads T] [--all-levels 1] [--limit-percent P]",
    std::pair{"--bars", &bars}, std::pair{"--threads", &threads},
    std::pair{"--all-levels", &all_levels}, std::pair{"--limit-percent", &limit_percent});
  std::vector<std::string> levels{"none", "debug"};
  if (all_levels)
    levels = {"none", "minimal", "metrics", "normal", "debug"};
  // One directory per process: two benches at once (or a test beside one) must not share it.
  const auto dir = fs::temp_directory_path() / ("admf_trace_memory_" + std::to_string(getpid()));
  nlohmann::ordered_json out;
  out["bars"] = bars;
  out["threads"] = threads;
  bool ok = true;
  double none_kib = 0;
  for (const auto& level : levels) {
    fs::remove_all(dir);
    measured m;
    try {
      m = measure(level, bars, threads, dir / level);
    } catch (...) {
      fs::remove_all(dir);
      throw;
    }
    if (level == "none")
      none_kib = static_cast<double>(m.peak_kib);
    const double ratio = static_cast<double>(m.peak_kib) / none_kib;
    auto& row = out["levels"][level];
    row["peak_rss_mb"] = m.peak_kib * 1024.0 / 1e6;
    row["peak_ratio_to_none"] = ratio;
    row["cpu_seconds"] = m.cpu_seconds;
    row["seconds"] = m.seconds;
    if (limit_percent && ratio * 100 > 100.0 + static_cast<double>(limit_percent)) {
      std::cerr << "admf_trace_memory_bench: --trace " << level << " peaked at " << ratio
                << " x the untraced run's memory (limit " << 100 + limit_percent << "%)\n";
      ok = false;
    }
  }
  fs::remove_all(dir);
  std::cout << out.dump(2) << "\n";
  return ok ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "admf_trace_memory_bench: " << e.what() << "\n";
  return 1;
}

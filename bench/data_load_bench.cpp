// admf_data_load_bench: how fast load_market_data reads an OHLCV CSV file. Writes a
// file of synthetic one-minute bars (synthetic_market_data, seed 42) to a temporary
// directory, loads it --repeats times and prints JSON: the median and every run, in
// wall time and in this process's CPU time (loading is single-threaded; CPU time moves
// less when other work shares the cores). Writing the file is never timed; the loaded
// bars are checked against the written ones. --sources N splits the rows into N files of
// one symbol each (the same minutes, so every timestamp has N bars), to measure the
// merge of many sources.
//
// --memory 1: peak memory instead. Each way of loading the file runs in a fresh
// process (this program again, or admf), and its ru_maxrss and wall time are printed:
// load_market_data as `admf run` calls it (no cache), the same with a data cache
// (a miss that parses and stores, then a hit), two sources (the file twice, as two
// symbols: the merge), and `admf data import` and `admf data inspect` of the file.
// --limit-percent P (with --memory): exit 1 when a way of loading (the CSV, the cache
// miss and hit, the two sources, import and inspect) adds more than P% of its bars' size
// to its baseline process's peak (a ctest uses it).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "bench/bench_flags.hpp"
#include "runtime/data/market_data.hpp"

using namespace admf;
namespace fs = std::filesystem;

namespace {

/// "YYYY-MM-DD HH:MM:SS" for every bar, midnight included (one layout for the whole file).
std::string time_text(timestamp t) {
  std::string s = format_timestamp(t);
  return s.size() == 10 ? s + " 00:00:00" : s;
}

/// Writes `data` as Date,Open,High,Low,Close,Volume; returns the file's size in bytes.
std::uintmax_t write_csv(const market_data& data, const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  out << "Date,Open,High,Low,Close,Volume\n";
  char line[160];
  for (const auto& tb : data.bars) {
    const auto& b = tb.bar;
    const int n = std::snprintf(line, sizeof line, "%s,%.4f,%.4f,%.4f,%.4f,%.0f\n",
                                time_text(tb.time).c_str(), b.open, b.high, b.low, b.close,
                                b.volume);
    out.write(line, n);
  }
  if (!out.flush())
    throw std::runtime_error("cannot write " + path.string());
  return fs::file_size(path);
}

bool same_bars(const market_data& a, const market_data& b) {
  if (a.symbols != b.symbols || a.bars.size() != b.bars.size())
    return false;
  for (std::size_t i = 0; i < a.bars.size(); ++i) {
    const auto &x = a.bars[i], &y = b.bars[i];
    if (x.time != y.time || x.bar.symbol != y.bar.symbol || x.bar.open != y.bar.open
        || x.bar.high != y.bar.high || x.bar.low != y.bar.low || x.bar.close != y.bar.close || x.bar.volume != y.bar.volume)
      return false;
  }
  return true;
}

data_source_config source_of(const std::string& path, const std::string& symbol = "SYN") {
  data_source_config source;
  source.csv = source.path = path;
  source.symbol = symbol;
  return source;
}

/// One way of loading, run in this child process (--memory): exits 0 when it gave
/// `expected` bars. `dir` is for the cache entry. "write" writes `expected` rows to
/// `file`; "none" does nothing (the baseline).
int run_case(const std::string& name, const std::string& file, const std::string& dir,
             std::size_t expected) {
  if (name == "none")
    return 0;
  if (name == "write") {
    write_csv(synthetic_market_data(expected, 42), file);
    return 0;
  }
  data_config config{{source_of(file)}, bad_bar_policy::reject};
  if (name == "cache")
    config.cache = dir;
  else if (name == "two_sources")
    config.sources.push_back(source_of(file, "SYN2"));
  else if (name != "csv")
    return 2;
  return load_market_data(config).bars.size() == expected ? 0 : 1;
}

struct measured {
  double seconds = 0;
  double cpu_seconds = 0;  // user + system
  long peak_kib = 0;  // ru_maxrss
  int status = 0;
};

/// Runs `args` (args[0] a path) in a child with stdout and stderr discarded, and
/// measures it: wall and CPU time, and ru_maxrss from wait4 (the child's own peak).
measured run_child(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0)
    throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(error));
  measured m;
  rusage usage{};
  if (wait4(pid, &m.status, 0, &usage) != pid)
    throw std::runtime_error("wait4 failed");
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.peak_kib = usage.ru_maxrss;
  const auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  m.cpu_seconds = secs(usage.ru_utime) + secs(usage.ru_stime);
  return m;
}

/// --memory: peak RSS and wall time of each way of loading `file`, in fresh processes.
/// The file is written by a child too: a child started by posix_spawn (vfork) starts
/// with the peak of this process, which must stay small.
int measure_memory(const std::string& self, const fs::path& dir, const fs::path& file,
                   std::size_t rows, std::size_t limit_percent) {
  const std::string n = std::to_string(rows);
  const std::string cache = (dir / "cache").string();
  if (run_child({self, "--case", "write", file.string(), cache, n}).status != 0)
    throw std::runtime_error("cannot write " + file.string());
  const std::uintmax_t bytes = fs::file_size(file);
  // Each case's peak is also given above its program's baseline: the process doing
  // nothing (this one with "none", admf with --help).
  const std::pair<const char*, std::vector<std::string>> cases[] = {
    {"baseline", {self, "--case", "none", file.string(), cache, "0"}},
    {"csv", {self, "--case", "csv", file.string(), cache, n}},
    {"cache_miss", {self, "--case", "cache", file.string(), cache, n}},
    {"cache_hit", {self, "--case", "cache", file.string(), cache, n}},
    {"two_sources", {self, "--case", "two_sources", file.string(), cache, std::to_string(2 * rows)}},
    {"admf_baseline", {ADMF_CLI, "--help"}},
    {"admf_data_import", {ADMF_CLI, "data", "import", file.string(), "--out", (dir / "import").string()}},
    {"admf_data_inspect", {ADMF_CLI, "data", "inspect", file.string()}},
  };
  const double bar_bytes = static_cast<double>(sizeof(timed_bar) * rows);
  nlohmann::json out = {{"rows", rows},
                        {"bytes", bytes},
                        {"timed_bar_bytes", sizeof(timed_bar)},
                        {"bars_mb", bar_bytes / 1e6}};
  bool ok = true;
  double baseline = 0;
  for (const auto& [name, args] : cases) {
    const measured m = run_child(args);
    const bool good = WIFEXITED(m.status) && WEXITSTATUS(m.status) == 0;
    ok = ok && good;
    const double peak = static_cast<double>(m.peak_kib) * 1024;
    if (std::string(name).find("baseline") != std::string::npos)
      baseline = peak;
    // Two sources hold the bars twice over.
    const double bars = std::string(name) == "two_sources" ? 2 * bar_bytes : bar_bytes;
    out["cases"][name] = {{"seconds", m.seconds},
                          {"cpu_seconds", m.cpu_seconds},
                          {"peak_rss_mb", peak / 1e6},
                          {"added_over_bars", (peak - baseline) / bars},
                          {"ok", good}};
  }
  std::cout << out.dump(2) << "\n";
  if (limit_percent)
    for (const char* name : {"csv", "cache_miss", "cache_hit", "two_sources", "admf_data_import",
                             "admf_data_inspect"})
      if (out["cases"][name]["added_over_bars"].get<double>() * 100 > limit_percent) {
        std::cerr << "admf_data_load_bench: " << name << " added more than " << limit_percent
                  << "% of the bars' size\n";
        ok = false;
      }
  return ok ? 0 : 1;
}

/// --sources N: `rows` split into N files of one symbol each, S000, S001, ..., every
/// file the same minutes (seed 42 + i); returns the bars a load must give and writes the
/// files' config into `config`.
market_data write_sources(std::size_t rows, std::size_t sources, const fs::path& dir,
                          data_config& config, std::uintmax_t& bytes) {
  market_data all;
  const std::size_t per_file = rows / sources;
  for (std::size_t i = 0; i < sources; ++i) {
    char name[24];  // "S" and up to 20 digits
    std::snprintf(name, sizeof name, "S%03zu", i);
    const market_data one = synthetic_market_data(per_file + (i < rows % sources), 42 + i, name);
    const fs::path file = dir / (std::string(name) + ".csv");
    bytes += write_csv(one, file);
    config.sources.push_back(source_of(file.string(), name));
    all.symbols.push_back(name);
    for (timed_bar b : one.bars) {
      b.bar.symbol = static_cast<symbol_id>(i);
      all.bars.push_back(b);
    }
  }
  // Names in index order: the loaded ids are the indexes.
  std::stable_sort(all.bars.begin(), all.bars.end(), [](const timed_bar& a, const timed_bar& b) {
    return a.time != b.time ? a.time < b.time : a.bar.symbol < b.bar.symbol;
  });
  return all;
}

} // namespace

int main(int argc, char** argv) try {
  if (argc == 6 && std::string(argv[1]) == "--case")
    return run_case(argv[2], argv[3], argv[4], std::stoul(argv[5]));
  std::size_t rows = 1'000'000, repeats = 5, memory = 0, limit_percent = 0, sources = 1;
  bench::parse_flags(argc, argv,
                     "admf_data_load_bench [--rows N] [--repeats R] [--sources N] "
                     "[--memory 1 [--limit-percent P]]",
                     std::pair{"--rows", &rows}, std::pair{"--repeats", &repeats},
                     std::pair{"--sources", &sources}, std::pair{"--memory", &memory},
                     std::pair{"--limit-percent", &limit_percent});
  const fs::path dir =
    fs::temp_directory_path() / ("admf_data_load_bench_" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  const fs::path file = dir / "bars.csv";
  if (memory) {
    const int status =
      measure_memory(fs::canonical("/proc/self/exe").string(), dir, file, rows, limit_percent);
    fs::remove_all(dir);
    return status;
  }
  data_config config{{}, bad_bar_policy::reject};
  std::uintmax_t bytes = 0;
  market_data written;
  if (sources == 1) {
    written = synthetic_market_data(rows, 42);
    bytes = write_csv(written, file);
    config.sources.push_back(source_of(file.string()));
  } else {
    written = write_sources(rows, sources, dir, config, bytes);
  }

  std::vector<double> seconds, cpu_seconds;
  bool same = true;
  for (std::size_t r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    const market_data loaded = load_market_data(config);
    cpu_seconds.push_back(static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    same = same && same_bars(loaded, written);
  }
  fs::remove_all(dir);
  const auto median_of = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double median = median_of(seconds);
  nlohmann::json out = {{"rows", rows},
                        {"sources", sources},
                        {"bytes", bytes},
                        {"repeats", repeats},
                        {"seconds_median", median},
                        {"seconds_runs", seconds},
                        {"cpu_seconds_median", median_of(cpu_seconds)},
                        {"cpu_seconds_runs", cpu_seconds},
                        {"rows_per_sec_median", static_cast<double>(rows) / median},
                        {"mb_per_sec_median", static_cast<double>(bytes) / 1e6 / median},
                        {"same_bars", same}};
  std::cout << out.dump(2) << "\n";
  return same ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "admf_data_load_bench: " << e.what() << "\n";
  return 1;
}

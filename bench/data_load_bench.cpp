// admf_data_load_bench: how fast load_market_data reads an OHLCV CSV file. Writes a
// file of synthetic one-minute bars (synthetic_market_data, seed 42) to a temporary
// directory, loads it --repeats times and prints JSON: the median and every run, in
// wall time and in this process's CPU time (loading is single-threaded; CPU time moves
// less when other work shares the cores). Writing the file is never timed; the loaded
// bars are checked against the written ones.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

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
  if (a.bars.size() != b.bars.size())
    return false;
  for (std::size_t i = 0; i < a.bars.size(); ++i) {
    const auto &x = a.bars[i], &y = b.bars[i];
    if (x.time != y.time || x.bar.open != y.bar.open || x.bar.high != y.bar.high
        || x.bar.low != y.bar.low || x.bar.close != y.bar.close || x.bar.volume != y.bar.volume)
      return false;
  }
  return true;
}

} // namespace

int main(int argc, char** argv) try {
  std::size_t rows = 1'000'000, repeats = 5;
  bench::parse_flags(argc, argv, "admf_data_load_bench [--rows N] [--repeats R]",
                     std::pair{"--rows", &rows}, std::pair{"--repeats", &repeats});
  const fs::path dir =
    fs::temp_directory_path() / ("admf_data_load_bench_" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  const fs::path file = dir / "bars.csv";
  const market_data written = synthetic_market_data(rows, 42);
  const std::uintmax_t bytes = write_csv(written, file);

  data_source_config source;
  source.csv = source.path = file.string();
  source.symbol = "SYN";
  const data_config config{{source}, bad_bar_policy::reject};
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

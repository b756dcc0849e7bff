// admf_data_cache_bench: loading N bars (default 1,000,000 one-minute bars of one
// symbol) through load_market_data from the CSV, from a bar file the config names
// (what `admf data import` makes) and from the automatic cache when warm (the CSV is
// hashed each time, then its entry mapped). Prints one JSON object: medians of R runs,
// wall and process CPU time.
//
//   admf_data_cache_bench [--bars N] [--repeats R]
//
// Files go to a fresh directory under the system temp dir, removed at the end. Each
// way must give the same bars as the CSV, else it exits 1.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <sys/resource.h>

#include <nlohmann/json.hpp>

#include "bench/bench_flags.hpp"
#include "bench/median.hpp"
#include "runtime/data/bar_cache.hpp"
#include "runtime/data/market_data.hpp"

namespace {

using admf::bench::median;

using namespace admf;
namespace fs = std::filesystem;

struct options {
  std::size_t bars = 1'000'000;
  int repeats = 7;
};

[[noreturn]] void fail(const std::string& why) {
  std::cerr << "admf_data_cache_bench: " << why << "\n";
  std::exit(2);
}

/// The bars as an ohlcv CSV the loader reads back exactly (shortest round-trip numbers).
void write_csv(const std::string& path, const market_data& data) {
  std::ofstream out(path, std::ios::binary);
  out.precision(17);
  out << "datetime,open,high,low,close,volume\n";
  for (const auto& b : data.bars)
    out << format_timestamp(b.time) << ',' << b.bar.open << ',' << b.bar.high << ','
        << b.bar.low << ',' << b.bar.close << ',' << b.bar.volume << '\n';
  if (!out)
    fail("cannot write " + path);
}

bool same_bars(const market_data& a, const market_data& b) {
  return a.symbols == b.symbols && a.bars.size() == b.bars.size()
         && std::equal(a.bars.begin(), a.bars.end(), b.bars.begin(),
                       [](const timed_bar& x, const timed_bar& y) {
                         return x.time == y.time && x.bar.symbol == y.bar.symbol
                                && x.bar.open == y.bar.open && x.bar.high == y.bar.high
                                && x.bar.low == y.bar.low && x.bar.close == y.bar.close
                                && x.bar.volume == y.bar.volume;
                       });
}

/// CPU time of the whole process (user + system), ms: on a shared machine it shows the
/// work done, which the wall time hides under the waits for a core.
double cpu_ms() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3
         + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}


struct timing {
  std::vector<double> wall_ms, cpu_ms;
};

/// Times `load` R times (the data is freed outside the timing); `last` keeps the last.
timing time_loads(int repeats, const std::function<market_data()>& load, market_data& last) {
  timing t;
  for (int r = 0; r < repeats; ++r) {
    last = market_data{};
    const double cpu_start = cpu_ms();
    const auto start = std::chrono::steady_clock::now();
    market_data data = load();
    t.wall_ms.push_back(
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    t.cpu_ms.push_back(cpu_ms() - cpu_start);
    last = std::move(data);
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  bench::parse_flags(argc, argv, "admf_data_cache_bench [--bars N] [--repeats R]",
                     std::pair{"--bars", &o.bars}, std::pair{"--repeats", &o.repeats});
  const fs::path dir = fs::temp_directory_path()
                       / ("admf_data_cache_bench_" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  const std::string csv = (dir / "bars.csv").string();
  write_csv(csv, synthetic_market_data(o.bars, 42));

  data_source_config source;
  source.csv = source.path = csv;
  source.symbol = "SYN";
  const data_config from_csv{{source}};
  data_source_config imported = source;
  imported.path = (dir / "bars.admfbars").string();
  import_bar_file(source, bad_bar_policy::reject, imported.path);
  const data_config from_bar_file{{imported}};
  data_config from_cache = from_csv;
  from_cache.cache = (dir / "cache").string();
  load_market_data(from_cache);  // makes the entry

  market_data reference, loaded;
  const timing csv_t = time_loads(o.repeats, [&] { return load_market_data(from_csv); }, reference);
  const timing file_t =
    time_loads(o.repeats, [&] { return load_market_data(from_bar_file); }, loaded);
  bool same = same_bars(reference, loaded);
  const timing cache_t = time_loads(o.repeats, [&] { return load_market_data(from_cache); }, loaded);
  same = same && same_bars(reference, loaded);
  const timing key_t = time_loads(o.repeats, [&] {
    source_key(source, bad_bar_policy::reject);
    return market_data{};
  }, loaded);

  const auto as_json = [](const timing& t) {
    return nlohmann::json{{"median_ms", median(t.wall_ms)},
                          {"cpu_median_ms", median(t.cpu_ms)},
                          {"runs_ms", t.wall_ms}};
  };
  nlohmann::json out = {
    {"bars", o.bars},
    {"repeats", o.repeats},
    {"csv_bytes", fs::file_size(csv)},
    {"bar_file_bytes", fs::file_size(imported.path)},
    {"csv", as_json(csv_t)},
    {"bar_file", as_json(file_t)},
    {"cache_hit", as_json(cache_t)},
    {"csv_key", as_json(key_t)},
    {"ratio_csv_over_bar_file", median(csv_t.wall_ms) / median(file_t.wall_ms)},
    {"ratio_csv_over_cache_hit", median(csv_t.wall_ms) / median(cache_t.wall_ms)},
    {"same_bars", same},
  };
  std::cout << out.dump(2) << "\n";
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return same ? 0 : 1;
}

// admf_results_bench: what writing the result files costs in a run. The same backtest
// of N one-minute bars (synthetic_market_data, seed 42, one symbol; one buy_and_hold
// portfolio, so one equity.csv row per bar) runs with results written to a temporary
// directory and without (run_options::out_dir ""), alternately, R times each; the
// difference is the writing. Prints one JSON object (bench/README.md).
//
//   admf_results_bench [--bars N] [--repeats R]
//
// Instructions are user-space instructions of this process and its threads (the actor
// system's included), counted by the CPU: they barely move when other work shares the
// cores; null without a PMU. Exits 1 when equity.csv does not have one row per bar.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/engine/backtest.hpp"
#include "bench/bench_flags.hpp"
#include "bench/median.hpp"
#include "bench/instruction_counter.hpp"
#include "runtime/data/market_data.hpp"

namespace {

using admf::bench::median;

using namespace admf;
namespace fs = std::filesystem;

struct options {
  std::size_t bars = 1'000'000;
  int repeats = 3;
};

struct measured {
  std::optional<double> instructions;
  double cpu_seconds = 0;
};


backtest_config make_config() {
  backtest_config c;
  c.name = "results_bench";
  portfolio_config p;
  p.id = "hold";
  p.initial_capital = 100000;
  strategy_config s;
  s.id = "hold_1";
  s.type = "buy_and_hold";
  p.strategies.push_back(s);
  c.portfolios.push_back(p);
  return c;
}

measured run(const backtest_config& config, const std::shared_ptr<const market_data>& data,
             const std::string& out_dir) {
  if (!out_dir.empty())
    fs::remove_all(out_dir);
  const std::clock_t c0 = std::clock();
  bench::instruction_counter counter{true};  // the scheduler's threads are made in the run
  const auto result = run_backtest(config, data, run_options{out_dir, 2});
  const auto count = counter.read();
  const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  if (!result.portfolios.at(0).ok)
    throw std::runtime_error("the portfolio failed: " + result.portfolios[0].error);
  return {count ? std::optional<double>(static_cast<double>(*count)) : std::nullopt, cpu};
}

std::size_t line_count(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return static_cast<std::size_t>(
    std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
}

nlohmann::json figures(const std::vector<measured>& runs) {
  std::vector<double> cpu, instructions;
  for (const auto& m : runs) {
    cpu.push_back(m.cpu_seconds);
    if (m.instructions)
      instructions.push_back(*m.instructions);
  }
  nlohmann::json out{{"cpu_seconds_median", median(cpu)}, {"cpu_seconds_runs", cpu}};
  out["instructions_median"] = instructions.size() == runs.size()
                                 ? nlohmann::json(median(instructions))
                                 : nlohmann::json(nullptr);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  bench::parse_flags(argc, argv, "admf_results_bench [--bars N] [--repeats R]",
                     std::pair{"--bars", &opt.bars}, std::pair{"--repeats", &opt.repeats});
  const auto data = std::make_shared<const market_data>(synthetic_market_data(opt.bars, 42));
  const auto config = make_config();
  const fs::path dir =
    fs::temp_directory_path() / ("admf_results_bench_" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  const std::string out_dir = (dir / "out").string();

  std::vector<measured> without, with;
  std::uintmax_t bytes = 0;
  bool rows_ok = true;
  for (int i = 0; i < opt.repeats; ++i) {  // alternated: drifts in load hit both alike
    without.push_back(run(config, data, ""));
    with.push_back(run(config, data, out_dir));
    const fs::path equity = fs::path(out_dir) / "hold" / "equity.csv";
    rows_ok = rows_ok && line_count(equity) == opt.bars + 1;  // the header and a row per bar
    bytes = 0;
    for (const auto& f : fs::recursive_directory_iterator(out_dir))
      if (f.is_regular_file())
        bytes += f.file_size();
  }
  fs::remove_all(dir);

  nlohmann::json out{
    {"bars", opt.bars}, {"repeats", opt.repeats}, {"result_bytes", bytes}, {"rows_ok", rows_ok}};
  out["without_results"] = figures(without);
  out["with_results"] = figures(with);
  const auto& a = out["with_results"]["instructions_median"];
  const auto& b = out["without_results"]["instructions_median"];
  const bool counted = !a.is_null() && !b.is_null();
  out["writing_instructions"] =
    counted ? nlohmann::json(a.get<double>() - b.get<double>()) : nlohmann::json(nullptr);
  out["writing_instructions_per_bar"] =
    counted ? nlohmann::json((a.get<double>() - b.get<double>()) / static_cast<double>(opt.bars))
            : nlohmann::json(nullptr);
  out["writing_share_of_run"] =
    counted ? nlohmann::json((a.get<double>() - b.get<double>()) / a.get<double>())
            : nlohmann::json(nullptr);
  out["writing_cpu_seconds"] = out["with_results"]["cpu_seconds_median"].get<double>()
                               - out["without_results"]["cpu_seconds_median"].get<double>();
  std::cout << out.dump(2) << "\n";
  return rows_ok ? 0 : 1;
}

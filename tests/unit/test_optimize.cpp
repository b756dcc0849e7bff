// admf optimize: grid expansion, ranges, sampling, invalid combinations, job configs
// (as structs and as YAML files), ranking, the plan hash and the optimization
// section's errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>

#include "runtime/strategy/checked_config.hpp"
#include "runtime/core/error.hpp"
#include "apps/optimize/grid.hpp"
#include "apps/optimize/job_config.hpp"
#include "apps/optimize/job_yaml.hpp"
#include "apps/optimize/optimization_section.hpp"
#include "apps/optimize/ranking.hpp"
#include "apps/optimize/resume.hpp"
#include "apps/optimize/study.hpp"

using namespace admf;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

/// Lines 1-12; the optimization section starts on line 13.
const std::string base_config = "data:\n  csv: " + std::string(ADMF_SOURCE_DIR)
                                + "/data/sp500_2000_daily_ohlcv.csv\n  symbol: SPX\n"
                                + R"(portfolios:
  - id: p_sma
    initial_capital: 100000
    strategies:
      - {id: sma_1, type: sma_crossover, params: {fast: 10, slow: 30}}
  - id: p_hold
    initial_capital: 100000
    strategies:
      - {id: hold_1, type: buy_and_hold}
)";

/// A config file in a fresh directory, removed afterwards.
class temp_config {
public:
  explicit temp_config(const std::string& optimization)
      : dir_(fs::temp_directory_path()
             / ("admf_optimize_test_" + std::to_string(std::random_device{}()))),
        path_((dir_ / "c.yaml").string()) {
    fs::create_directories(dir_);
    std::ofstream(path_) << base_config << optimization;
  }
  ~temp_config() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  temp_config(const temp_config&) = delete;
  temp_config& operator=(const temp_config&) = delete;

  const std::string& path() const { return path_; }
  optimization_spec spec() const { return read_optimization(path_, load_config(path_)); }

private:
  fs::path dir_;
  std::string path_;
};

param_grid grid_of(std::size_t a, std::size_t b) {
  param_grid grid;
  grid.axes = {{"s", "a", {}}, {"s", "b", {}}};
  for (std::size_t i = 0; i < a; ++i)
    grid.axes[0].values.push_back(std::to_string(i));
  for (std::size_t i = 0; i < b; ++i)
    grid.axes[1].values.push_back(std::to_string(i));
  return grid;
}

optimization_spec sampled(std::uint64_t samples, std::uint64_t seed, param_grid grid) {
  optimization_spec spec;
  spec.grid = std::move(grid);
  spec.samples = samples;
  spec.seed = seed;
  return spec;
}

std::vector<std::string> range(double from, double to, double step) {
  return range_values(from, to, step, "here");
}

} // namespace

TEST_CASE("optimize: the grid enumerates combinations with the last axis fastest", "[optimize]") {
  param_grid grid;
  grid.axes = {{"sma_1", "fast", {"5", "10"}}, {"sma_1", "slow", {"30", "40", "50"}}};
  CHECK(grid.size() == 6);
  CHECK(grid.combination(0) == std::vector<std::string>{"5", "30"});
  CHECK(grid.combination(1) == std::vector<std::string>{"5", "40"});
  CHECK(grid.combination(3) == std::vector<std::string>{"10", "30"});
  CHECK(grid.combination(5) == std::vector<std::string>{"10", "50"});
  CHECK(grid.axes[1].column() == "sma_1.slow");

  optimization_spec spec;
  spec.grid = grid;
  CHECK(pick_combinations(spec) == std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5});
}

TEST_CASE("optimize: a grid too big for 64 bits saturates", "[optimize]") {
  param_grid grid;
  for (int i = 0; i < 8; ++i)
    grid.axes.push_back(grid_of(1000, 0).axes[0]);
  CHECK(grid.size() == std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("optimize: ranges are inclusive and do not drift with float steps", "[optimize]") {
  CHECK(range(30, 100, 10)
        == std::vector<std::string>{"30", "40", "50", "60", "70", "80", "90", "100"});
  CHECK(range(0.1, 0.3, 0.1) == std::vector<std::string>{"0.1", "0.2", "0.3"});
  // 0.7 / 0.1 is 6.999999999999999: the end still counts.
  CHECK(range(0, 0.7, 0.1).size() == 8);
  CHECK(range(0, 0.7, 0.1).back() == "0.7");
  const auto tenths = range(0, 1, 0.1);
  REQUIRE(tenths.size() == 11);
  CHECK(tenths[3] == "0.3");  // a running sum would give 0.30000000000000004
  CHECK(tenths[10] == "1");
  CHECK(range(1, 2, 0.3) == std::vector<std::string>{"1", "1.3", "1.6", "1.9"});
  CHECK(range(-1, 1, 0.5) == std::vector<std::string>{"-1", "-0.5", "0", "0.5", "1"});
  CHECK(range(5, 5, 1) == std::vector<std::string>{"5"});
  CHECK_THROWS_WITH(range(1, 2, 0), "here: step must be > 0");
  CHECK_THROWS_WITH(range(1, 2, -1), "here: step must be > 0");
  CHECK_THROWS_WITH(range(2, 1, 1), "here: 'to' must be >= 'from'");
  CHECK_THROWS_WITH(range(0, 1, 1e-7), "here: more than 1000000 values");
}

TEST_CASE("optimize: sampling is deterministic, sorted and without duplicates", "[optimize]") {
  const auto spec = sampled(100, 7, grid_of(20, 50));
  const auto picked = pick_combinations(spec);
  REQUIRE(picked.size() == 100);
  CHECK(pick_combinations(spec) == picked);
  CHECK(std::is_sorted(picked.begin(), picked.end()));
  CHECK(std::set<std::uint64_t>(picked.begin(), picked.end()).size() == 100);
  CHECK(picked.back() < 1000);
  CHECK(pick_combinations(sampled(100, 8, grid_of(20, 50))) != picked);
  // Asking for the whole grid gives the whole grid.
  CHECK(pick_combinations(sampled(6, 1, grid_of(2, 3)))
        == std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5});
  CHECK_THROWS_AS(pick_combinations(sampled(7, 1, grid_of(2, 3))), input_error);
}

TEST_CASE("optimize: sampling draws every combination equally often", "[optimize]") {
  std::vector<int> counts(10);
  for (std::uint64_t seed = 0; seed < 2000; ++seed)
    for (auto c : pick_combinations(sampled(5, seed, grid_of(2, 5))))
      ++counts[c];
  // 1000 expected each; 6 standard deviations is about 130.
  for (int n : counts)
    CHECK(std::abs(n - 1000) < 130);
}

TEST_CASE("optimize: the section is read in file order", "[optimize]") {
  temp_config c(R"(optimization:
  metric: max_drawdown
  top: 3
  samples: 4
  seed: 11
  parameters:
    sma_1:
      slow: {from: 20, to: 40, step: 10}
      fast: [5, 10]
)");
  const auto spec = c.spec();
  CHECK(spec.metric == "max_drawdown");
  CHECK(spec.top == 3);
  CHECK(spec.samples == 4);
  CHECK(spec.seed == 11);
  CHECK(spec.portfolio == 0);
  REQUIRE(spec.grid.axes.size() == 2);
  CHECK(spec.grid.axes[0].column() == "sma_1.slow");
  CHECK(spec.grid.axes[0].values == std::vector<std::string>{"20", "30", "40"});
  CHECK(spec.grid.axes[1].values == std::vector<std::string>{"5", "10"});
  CHECK(spec.location == c.path() + ":14: optimization");
}

TEST_CASE("optimize: combinations a strategy rejects are skipped and counted", "[optimize]") {
  temp_config c(R"(optimization:
  metric: sharpe
  parameters:
    sma_1:
      fast: [5, 10, 30]
      slow: [10, 20]
)");
  const auto config = load_config(c.path());
  const auto spec = read_optimization(c.path(), config);
  const auto plan = plan_jobs(config, spec);
  // (5,10) (5,20) (10,10) (10,20) (30,10) (30,20): fast must be below slow.
  CHECK(plan.combinations == std::vector<std::uint64_t>{0, 1, 3});
  CHECK(plan.skipped == 3);
  CHECK_THAT(plan.first_rejection, Contains("fast (10) must be less than slow (10)"));
}

TEST_CASE("optimize: a job runs the grid's portfolio with its values, untraced", "[optimize]") {
  temp_config c(R"(optimization:
  metric: sharpe
  parameters:
    sma_1: {slow: [50]}
)");
  const auto config = load_config(c.path());
  const auto spec = read_optimization(c.path(), config);
  const auto job = job_config(config, spec, {"50"});
  REQUIRE(job.portfolios.size() == 1);
  CHECK(job.portfolios[0].id == "p_sma");
  const auto& params = job.portfolios[0].strategies.at(0).params.values;
  CHECK(params == std::map<std::string, std::string>{{"fast", "10"}, {"slow", "50"}});
  CHECK_FALSE(job.tracing.enabled);
}

TEST_CASE("optimize: ranking is descending, ascending for max_drawdown, ties in job order",
          "[optimize]") {
  std::vector<job_result> results(5);
  results[0].metric = 0.5;
  results[2].metric = 0.9;
  results[3].metric = 0.5;
  results[4].metric = 0.1;
  CHECK(rank_jobs(results, "sharpe") == std::vector<std::size_t>{2, 0, 3, 4});
  CHECK(rank_jobs(results, "max_drawdown") == std::vector<std::size_t>{4, 0, 3, 2});
  CHECK(rank_jobs({}, "sharpe").empty());
}

TEST_CASE("optimize: section errors name the file, the line and the key", "[optimize]") {
  const auto error_of = [](const std::string& section) {
    temp_config c(section);
    try {
      c.spec();
    } catch (const input_error& e) {
      const std::string message = e.what();
      REQUIRE(message.rfind(c.path() + ":", 0) == 0);
      return message.substr(c.path().size());
    }
    FAIL("no error");
    return std::string();
  };
  const std::string head = "optimization:\n  metric: sharpe\n";  // lines 13-14
  // One axis of sma_1 on line 17.
  const auto axis = [&](const std::string& grid) {
    return head + "  parameters:\n    sma_1:\n      " + grid + "\n";
  };
  const std::string fast_4_5 = "  parameters: {sma_1: {fast: [4, 5]}}\n";

  CHECK(error_of(head + "  parameters:\n    sma_2:\n      fast: [5]\n")
        == ":16: optimization.parameters.sma_2: unknown strategy id (the config has: sma_1, hold_1)");
  CHECK_THAT(error_of(axis("fsat: [5]")),
             Contains(":17: optimization.parameters.sma_1.fsat: strategy 'sma_1' sets no "
                      "parameter 'fsat'"));
  CHECK_THAT(error_of("optimization:\n  metric: sharp\n" + fast_4_5),
             Contains(":14: optimization.metric: unknown metric 'sharp'"));
  CHECK_THAT(error_of(head + "  colour: red\n" + fast_4_5),
             Contains(":15: optimization.colour: unknown key"));
  CHECK(error_of("optimization:\n" + fast_4_5) == ":14: optimization: missing key 'metric'");
  CHECK(error_of(axis("fast: {from: 1, to: 5}"))
        == ":17: optimization.parameters.sma_1.fast: missing key 'step'");
  CHECK(error_of(axis("fast: {from: 1, to: x, step: 1}"))
        == ":17: optimization.parameters.sma_1.fast.to: expected a number, got 'x'");
  CHECK(error_of(axis("fast: [4, 4]"))
        == ":17: optimization.parameters.sma_1.fast: value '4' appears twice");
  CHECK(error_of(head + "  samples: 3\n" + fast_4_5)
        == ":15: optimization.samples: asks for 3 combinations, the grid has 2");
  CHECK(error_of(head + "  seed: 3\n" + fast_4_5)
        == ":15: optimization.seed: only with 'samples' (the full grid draws nothing)");
  CHECK_THAT(error_of(head + "  parameters:\n    sma_1: {fast: [1]}\n    hold_1: {x: [1]}\n"),
             Contains(":17: optimization.parameters.hold_1: in portfolio 'p_hold'"));
  CHECK(error_of("") == ": optimization: missing section (admf optimize needs one)");
  CHECK(error_of(head + "  job_timeout: 60\n" + fast_4_5)
        == ":15: optimization.job_timeout: expected a duration with a unit (ms, s, m, h), like "
           "60s, got '60'");
  CHECK(error_of(head + "  job_timeout: -1s\n" + fast_4_5)
        == ":15: optimization.job_timeout: must be > 0 (and under 30000 years), got '-1s'");
  CHECK(error_of(head + "  job_memory: 2 GiB\n" + fast_4_5)
        == ":15: optimization.job_memory: expected a size with a unit (B, KiB, MiB, GiB, TiB, "
           "KB, MB, GB, TB), like 2GiB, got '2 GiB'");
  CHECK(error_of(head + "  job_memory: 1KiB\n" + fast_4_5)
        == ":15: optimization.job_memory: must be at least 1MiB and at most 1EB, got '1KiB'");
}

TEST_CASE("optimize: job limits are read with their units, none by default", "[optimize]") {
  const std::string fast_4_5 = "  parameters: {sma_1: {fast: [4, 5]}}\n";
  const auto limits = [&](const std::string& lines) {
    return temp_config("optimization:\n  metric: sharpe\n" + lines + fast_4_5).spec().limits;
  };
  CHECK(limits("").timeout_ms == 0);
  CHECK(limits("").memory_bytes == 0);
  CHECK(limits("  job_timeout: 60s\n").timeout_ms == 60000);
  CHECK(limits("  job_timeout: 250ms\n").timeout_ms == 250);
  CHECK(limits("  job_timeout: 1.5m\n").timeout_ms == 90000);
  CHECK(limits("  job_timeout: 2h\n").timeout_ms == 7200000);
  CHECK(limits("  job_memory: 2GiB\n").memory_bytes == 2147483648u);
  CHECK(limits("  job_memory: 512MiB\n").memory_bytes == 536870912u);
  CHECK(limits("  job_memory: 3GB\n").memory_bytes == 3000000000u);
  CHECK(limits("  job_memory: 1048576B\n").memory_bytes == 1048576u);
}

TEST_CASE("resume: the plan hash names the config, data and grid, not how results are ranked",
          "[optimize][resume]") {
  const auto hash_of = [](const std::string& section) {
    temp_config c(section);
    return plan_hash(make_study(c.path(), "unused"));
  };
  const std::string grid = "  parameters: {sma_1: {fast: [5, 10]}}\n";
  const std::string by_sharpe = hash_of("optimization:\n  metric: sharpe\n  top: 3\n" + grid);
  CHECK(by_sharpe.size() == 16);
  CHECK(by_sharpe.find_first_not_of("0123456789abcdef") == std::string::npos);
  // The rows hold every metric: ranking by another one or showing more keeps them.
  CHECK(hash_of("optimization:\n  metric: max_drawdown\n  top: 1\n" + grid) == by_sharpe);
  CHECK(hash_of("optimization:\n  metric: sharpe\n  parameters: {sma_1: {fast: [5, 20]}}\n")
        != by_sharpe);
  CHECK(hash_of("optimization:\n  metric: sharpe\n  parameters: {sma_1: {slow: [40, 50]}}\n")
        != by_sharpe);
}

TEST_CASE("optimize: a job's config file and its config get the same grid values",
          "[optimize]") {
  temp_config c(
    "optimization:\n  metric: sharpe\n  parameters: {sma_1: {fast: [5, 20], slow: [40]}}\n");
  const study s = make_study(c.path(), "unused");
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string fast = i == 0 ? "5" : "20";
    const YAML::Node file = job_config_file(s, i);
    CHECK_FALSE(file["optimization"]);
    REQUIRE(file["portfolios"].size() == 2);  // a top config is the whole config
    const YAML::Node params = file["portfolios"][0]["strategies"][0]["params"];
    CHECK(params["fast"].as<std::string>() == fast);
    CHECK(params["slow"].as<std::string>() == "40");
    const auto config = job_config(s.config, s.spec, s.values(i));
    CHECK(config.portfolios[0].strategies[0].params.values
          == std::map<std::string, std::string>{{"fast", fast}, {"slow", "40"}});
  }
  // A remote job is the grid's portfolio only, named like the study.
  const YAML::Node remote = YAML::Load(remote_job_yaml(s, 1));
  REQUIRE(remote["portfolios"].size() == 1);
  CHECK(remote["portfolios"][0]["id"].as<std::string>() == "p_sma");
  CHECK(remote["portfolios"][0]["strategies"][0]["params"]["fast"].as<std::string>() == "20");
  CHECK(remote["name"].as<std::string>() == s.config.name);
}

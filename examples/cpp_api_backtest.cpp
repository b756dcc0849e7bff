// The C++ API without YAML: one portfolio running an SMA 10/30 crossover on the
// S&P 500 daily bars. Copy this file to start a program of your own.
//
//   admf_example_cpp_api [csv] [out_dir]
//   (defaults: data/sp500_2000_daily_ohlcv.csv, results/cpp_api_example)
#include <cstdio>
#include <exception>
#include <string>

#include "runtime/strategy/checked_config.hpp"
#include "apps/engine/backtest.hpp"

int main(int argc, char** argv) try {
  const std::string csv = argc > 1 ? argv[1] : "data/sp500_2000_daily_ohlcv.csv";
  const std::string out_dir = argc > 2 ? argv[2] : "results/cpp_api_example";

  admf::backtest_config config;
  config.name = "cpp_api_example";

  admf::data_source_config source;
  source.csv = csv;
  source.path = csv;  // load_config resolves this from the YAML; here it is ours to set
  source.format = admf::csv_format::ohlcv;
  source.symbol = "SPX";
  config.data.sources.push_back(source);

  admf::strategy_config sma;
  sma.id = "sma_1";
  sma.type = "sma_crossover";
  sma.params.values = {{"fast", "10"}, {"slow", "30"}};  // raw text, as YAML would give it

  admf::portfolio_config portfolio;
  portfolio.id = "portfolio_sma";
  portfolio.initial_capital = 100000;
  portfolio.strategies.push_back(sma);
  config.portfolios.push_back(portfolio);
  // Execution (no costs), risk limits (1.0) and 252 periods a year keep their defaults.

  // run_backtest validates too; calling it first reports a bad config before any data is read.
  admf::validate(config);
  const admf::run_result result = admf::run_backtest(config, admf::run_options{out_dir, 0});

  const auto& p = result.portfolios.at(0);
  if (!p.ok) {
    std::fprintf(stderr, "portfolio %s stopped: %s\n", p.id.c_str(), p.error.c_str());
    return 1;
  }
  const auto& m = p.metrics;
  std::printf("bars:         %llu\n", static_cast<unsigned long long>(result.bars));
  std::printf("final equity: %.2f\n", m.final_equity);
  if (m.sharpe)  // undefined when equity never moved
    std::printf("sharpe:       %.3f\n", *m.sharpe);
  else
    std::printf("sharpe:       -\n");
  std::printf("trades:       %llu\n", static_cast<unsigned long long>(m.trades));
  std::printf("results:      %s/%s/\n", out_dir.c_str(), p.id.c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}

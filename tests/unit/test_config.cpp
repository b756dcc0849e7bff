// YAML config loading: every field, defaults, overrides, and one test per kind of error.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <filesystem>
#include <limits>
#include <fstream>
#include <random>
#include <string>

#include "runtime/strategy/checked_config.hpp"
#include "runtime/core/error.hpp"

using namespace admf;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

namespace fs = std::filesystem;

const std::string data_dir = std::string(ADMF_SOURCE_DIR) + "/data/";
const std::string sp500 = data_dir + "sp500_2000_daily_ohlcv.csv";
const std::string dow30 = data_dir + "dowjones30_1991_2001_daily_close.csv";

/// Lines 1-3 of most test configs.
const std::string minimal_data = "data:\n  csv: " + sp500 + "\n  symbol: SPX\n";

/// Lines 4-9 of most test configs.
const std::string one_portfolio = R"(portfolios:
  - id: p
    initial_capital: 1000
    strategies:
      - id: s
        type: buy_and_hold
)";

using admf::testing::temp_dir;

} // namespace

TEST_CASE("config: a full config round-trips every field", "[config]") {
  temp_dir dir;
  const std::string path = dir.write("full.yaml", R"(name: full_run
data:
  sources:
    - csv: )" + sp500 + R"(
      symbol: SPX
    - csv: )" + dow30 + R"(
      format: wide
      symbols: [AA, KO]
execution:
  commission: {per_share: 0.005, percent: 0.001, minimum: 1.5}
  slippage: {percent: 0.0005}
risk: {max_position_size: 0.5, max_gross_exposure: 2, max_drawdown: 0.3}
supervision: {on_failure: restart, max_restarts: 5}
metrics: {periods_per_year: 12, risk_free_rate: 0.02}
engine: {batch_size: 64, max_batches_in_flight: 4}
portfolios:
  - id: p1
    initial_capital: 250000
    strategies:
      - id: sma_1
        type: sma_crossover
        params:
          fast: 10
          slow: 30
      - id: hold_1
        type: buy_and_hold
)");
  const backtest_config config = load_config(path);

  CHECK(config.name == "full_run");
  CHECK(config.source_file == path);

  REQUIRE(config.data.sources.size() == 2);
  const data_source_config& spx = config.data.sources[0];
  CHECK(spx.csv == sp500);
  CHECK(spx.path == sp500);
  CHECK(spx.format == csv_format::ohlcv);
  CHECK(spx.symbol == "SPX");
  CHECK(spx.symbols.empty());
  const data_source_config& dow = config.data.sources[1];
  CHECK(dow.path == dow30);
  CHECK(dow.format == csv_format::wide);
  CHECK(dow.symbol.empty());
  CHECK(dow.symbols == std::vector<std::string>{"AA", "KO"});

  CHECK(config.execution.commission.per_share == 0.005);
  CHECK(config.execution.commission.percent == 0.001);
  CHECK(config.execution.commission.minimum == 1.5);
  CHECK(config.execution.slippage.kind == slippage_kind::percent);
  CHECK(config.execution.slippage.amount == 0.0005);
  CHECK(config.portfolios.at(0).metrics.periods_per_year == 12);
  CHECK(config.portfolios.at(0).metrics.risk_free_rate == 0.02);
  CHECK(config.engine.batch_size == 64);
  CHECK(config.engine.max_batches_in_flight == 4);

  REQUIRE(config.portfolios.size() == 1);
  const portfolio_config& portfolio = config.portfolios[0];
  CHECK(portfolio.id == "p1");
  CHECK(portfolio.initial_capital == 250000);
  CHECK(portfolio.risk.max_position_size == 0.5);
  CHECK(portfolio.risk.max_gross_exposure == 2);
  CHECK(portfolio.risk.max_drawdown == 0.3);
  CHECK(portfolio.supervision.on_failure == failure_policy::restart);
  CHECK(portfolio.supervision.max_restarts == 5);

  REQUIRE(portfolio.strategies.size() == 2);
  const strategy_config& sma = portfolio.strategies[0];
  CHECK(sma.id == "sma_1");
  CHECK(sma.type == "sma_crossover");
  CHECK(sma.type_location == path + ":21: portfolios[0].strategies[0].type");
  CHECK(sma.params.values == std::map<std::string, std::string>{{"fast", "10"}, {"slow", "30"}});
  CHECK(sma.params.lines == std::map<std::string, int>{{"fast", 23}, {"slow", 24}});
  CHECK(sma.params.file == path);
  CHECK(sma.params.key_path == "portfolios[0].strategies[0].params");
  CHECK(sma.params.number("fast") == 10);
  CHECK(sma.params.number("slow") == 30);
  const strategy_config& hold = portfolio.strategies[1];
  CHECK(hold.id == "hold_1");
  CHECK(hold.type == "buy_and_hold");
  CHECK(hold.params.values.empty());
}

TEST_CASE("config: defaults apply when optional sections are absent", "[config]") {
  temp_dir dir;
  const backtest_config config =
      load_config(dir.write("my_run.yaml", minimal_data + one_portfolio));
  const backtest_config defaults;
  const portfolio_config default_portfolio;

  CHECK(config.name == "my_run");
  CHECK(config.execution.commission.per_share == 0);
  CHECK(config.execution.commission.percent == 0);
  CHECK(config.execution.commission.minimum == 0);
  CHECK(config.execution.commission.maximum == std::numeric_limits<double>::infinity());
  CHECK(config.execution.slippage.kind == slippage_kind::none);
  CHECK(config.engine.batch_size == defaults.engine.batch_size);
  CHECK(config.engine.max_batches_in_flight == defaults.engine.max_batches_in_flight);
  const portfolio_config& portfolio = config.portfolios.at(0);
  CHECK(portfolio.risk.max_position_size == default_portfolio.risk.max_position_size);
  CHECK(portfolio.risk.max_gross_exposure == default_portfolio.risk.max_gross_exposure);
  CHECK(portfolio.risk.max_drawdown == default_portfolio.risk.max_drawdown);
  CHECK(portfolio.supervision.on_failure == failure_policy::stop_portfolio);
  CHECK(portfolio.supervision.max_restarts == default_portfolio.supervision.max_restarts);
  CHECK(portfolio.metrics.periods_per_year == 252);
  CHECK(portfolio.metrics.risk_free_rate == 0);
}

TEST_CASE("config: shorthand data section", "[config]") {
  temp_dir dir;
  const backtest_config config = load_config(dir.write("c.yaml", R"(data:
  csv: )" + dow30 + R"(
  format: wide
  symbols: [KO]
)" + one_portfolio));
  REQUIRE(config.data.sources.size() == 1);
  CHECK(config.data.sources[0].format == csv_format::wide);
  CHECK(config.data.sources[0].symbols == std::vector<std::string>{"KO"});
}

TEST_CASE("config: data.on_bad_bar, with one source or several", "[config]") {
  temp_dir dir;
  CHECK(load_config(dir.write("d.yaml", minimal_data + one_portfolio)).data.on_bad_bar
        == bad_bar_policy::reject);
  const backtest_config repair =
      load_config(dir.write("r.yaml", minimal_data + "  on_bad_bar: repair\n" + one_portfolio));
  CHECK(repair.data.on_bad_bar == bad_bar_policy::repair);
  REQUIRE(repair.data.sources.size() == 1);
  CHECK(repair.data.sources[0].symbol == "SPX");
  const backtest_config skip = load_config(dir.write("s.yaml", R"(data:
  on_bad_bar: skip
  sources:
    - {csv: )" + sp500 + R"(, symbol: SPX}
)" + one_portfolio));
  CHECK(skip.data.on_bad_bar == bad_bar_policy::skip);
  CHECK(skip.data.sources.size() == 1);
}

TEST_CASE("config: bad on_bad_bar value", "[config][errors]") {
  temp_dir dir;
  const std::string path =
      dir.write("c.yaml", minimal_data + "  on_bad_bar: clip\n" + one_portfolio);
  REQUIRE_THROWS_WITH(
      load_config(path),
      path + ":4: data.on_bad_bar: expected one of: reject, repair, skip, got 'clip'");
  // One policy for the whole section: not a key of a single source.
  const std::string nested = dir.write("n.yaml", R"(data:
  sources:
    - {csv: )" + sp500 + R"(, symbol: SPX, on_bad_bar: skip}
)" + one_portfolio);
  REQUIRE_THROWS_WITH(load_config(nested),
                      StartsWith(nested + ":3: data.sources[0].on_bad_bar: unknown key"));
}

TEST_CASE("config: a relative data path resolves from the working directory first", "[config]") {
  temp_dir dir;
  const std::string relative = fs::relative(sp500, fs::current_path()).string();
  const backtest_config config = load_config(
      dir.write("c.yaml", "data:\n  csv: " + relative + "\n  symbol: SPX\n" + one_portfolio));
  CHECK(config.data.sources.at(0).csv == relative);
  CHECK(config.data.sources.at(0).path == relative);
}

TEST_CASE("config: a relative data path falls back to the config's directory", "[config]") {
  temp_dir dir;
  const std::string name = "admf_config_test_local_file.csv";
  dir.write(name, "date,close\n2000-01-03,1\n");
  const backtest_config config =
      load_config(dir.write("c.yaml", "data:\n  csv: " + name + "\n  symbol: X\n" + one_portfolio));
  CHECK(config.data.sources.at(0).csv == name);
  CHECK(fs::equivalent(config.data.sources.at(0).path, dir.path() / name));
}

TEST_CASE("config: a portfolio's risk section replaces the top-level one whole", "[config]") {
  temp_dir dir;
  const backtest_config config = load_config(
      dir.write("c.yaml", minimal_data + R"(risk: {max_position_size: 0.5, max_drawdown: 0.2}
portfolios:
  - id: inherits
    initial_capital: 1000
    strategies: [{id: a, type: buy_and_hold}]
  - id: overrides
    initial_capital: 1000
    risk: {max_drawdown: 0.1}
    strategies: [{id: b, type: buy_and_hold}]
)"));
  REQUIRE(config.portfolios.size() == 2);
  CHECK(config.portfolios[0].risk.max_position_size == 0.5);
  CHECK(config.portfolios[0].risk.max_drawdown == 0.2);
  CHECK(config.portfolios[1].risk.max_position_size == risk_config{}.max_position_size);
  CHECK(config.portfolios[1].risk.max_drawdown == 0.1);
}

TEST_CASE("config: a portfolio's metrics section refines the top-level one key by key",
          "[config]") {
  temp_dir dir;
  const backtest_config config = load_config(
      dir.write("c.yaml", minimal_data + R"(metrics: {periods_per_year: 252, risk_free_rate: 0.03}
portfolios:
  - id: stocks
    initial_capital: 1000
    strategies: [{id: a, type: buy_and_hold}]
  - id: crypto
    initial_capital: 1000
    metrics: {periods_per_year: 365}
    strategies: [{id: b, type: buy_and_hold}]
)"));
  REQUIRE(config.portfolios.size() == 2);
  CHECK(config.portfolios[0].metrics.periods_per_year == 252);
  CHECK(config.portfolios[0].metrics.risk_free_rate == 0.03);
  CHECK(config.portfolios[1].metrics.periods_per_year == 365);
  CHECK(config.portfolios[1].metrics.risk_free_rate == 0.03);  // kept from the top level
}

TEST_CASE("config: metrics keys and values are checked where they are", "[config][errors]") {
  temp_dir dir;
  const std::string unknown = dir.write("c.yaml", minimal_data + "metrics: {risk_free: 0.02}\n"
                                                    + one_portfolio);
  REQUIRE_THROWS_WITH(load_config(unknown),
                      unknown + ":4: metrics.risk_free: unknown key (expected one of: "
                                "periods_per_year, risk_free_rate)");
  // 2 meant as 2 %: a rate is a fraction.
  const std::string percent = dir.write("p.yaml", minimal_data + one_portfolio
                                                    + "    metrics: {risk_free_rate: 2}\n");
  REQUIRE_THROWS_WITH(load_config(percent),
                      percent + ":10: portfolios[0].metrics.risk_free_rate: must be a fraction "
                                "> -1 and < 1 (0.02 = 2 % a year), got '2'");
  const std::string zero = dir.write("z.yaml", minimal_data + "metrics: {periods_per_year: 0}\n"
                                                 + one_portfolio);
  REQUIRE_THROWS_WITH(load_config(zero),
                      zero + ":4: metrics.periods_per_year: must be > 0, got '0'");
}

TEST_CASE("config: malformed YAML names the line", "[config][errors]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + "portfolios: [1, 2\nname: x\n");
  REQUIRE_THROWS_WITH(load_config(path), StartsWith(path + ":5: malformed YAML: "));
}

TEST_CASE("config: a missing or empty config file is an error", "[config][errors]") {
  temp_dir dir;
  const std::string missing = (dir.path() / "absent.yaml").string();
  REQUIRE_THROWS_WITH(load_config(missing), missing + ": cannot open config file");
  const std::string empty = dir.write("empty.yaml", "");
  REQUIRE_THROWS_WITH(load_config(empty), empty + ": the config is empty");
  const std::string list = dir.write("list.yaml", "- a\n");
  REQUIRE_THROWS_WITH(load_config(list), list + ":1: expected a map, got a list");
}

TEST_CASE("config: unknown key at the top level", "[config][errors]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + one_portfolio + "colour: red\n");
  REQUIRE_THROWS_WITH(
      load_config(path),
      path
          + ":10: colour: unknown key (expected one of: name, data, execution, risk, "
            "account, supervision, instruments, metrics, engine, trace_settings, plugin_path, "
            "portfolios, optimization)");
}

TEST_CASE("config: unknown key in a portfolio", "[config][errors]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + R"(portfolios:
  - id: p
    initial_capital: 1000
    strategy: []
)");
  REQUIRE_THROWS_WITH(load_config(path),
                      path
                          + ":7: portfolios[0].strategy: unknown key (expected one of: "
                            "id, initial_capital, risk, account, supervision, metrics, "
                            "on_new_signal, order_state, strategies)");
}

TEST_CASE("config: unknown key in a strategy", "[config][errors]") {
  temp_dir dir;
  const std::string path =
      dir.write("c.yaml", minimal_data + one_portfolio + "        parms: {fast: 1}\n");
  REQUIRE_THROWS_WITH(load_config(path),
                      path
                          + ":10: portfolios[0].strategies[0].parms: unknown key "
                            "(expected one of: id, type, plugin, params, barriers, symbols, timeframe)");
}

TEST_CASE("config: unknown key in execution", "[config][errors]") {
  temp_dir dir;
  const std::string path =
      dir.write("c.yaml", minimal_data + "execution:\n  comission: {}\n" + one_portfolio);
  REQUIRE_THROWS_WITH(
      load_config(path),
      path + ":5: execution.comission: unknown key (expected one of: commission, slippage, "
             "borrow_fee, max_volume_fraction)");
}

TEST_CASE("config: missing required key names the enclosing map's line", "[config][errors]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + R"(portfolios:
  - id: p
    strategies: [{id: s, type: buy_and_hold}]
)");
  REQUIRE_THROWS_WITH(load_config(path), path + ":5: portfolios[0]: missing key 'initial_capital'");
}

TEST_CASE("config: a number must be a number, all of it", "[config][errors]") {
  temp_dir dir;
  const auto with_capital = [&](const std::string& capital) {
    return dir.write("c.yaml", minimal_data + "portfolios:\n  - id: p\n    initial_capital: "
                                   + capital + "\n    strategies: [{id: s, type: buy_and_hold}]\n");
  };
  const std::string abc = with_capital("abc");
  REQUIRE_THROWS_WITH(load_config(abc),
                      abc + ":6: portfolios[0].initial_capital: expected a number, got 'abc'");
  const std::string trailing = with_capital("10abc");
  REQUIRE_THROWS_WITH(load_config(trailing), Contains("expected a number, got '10abc'"));
}

TEST_CASE("config: negative initial capital", "[config][errors]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + R"(portfolios:
  - id: p
    initial_capital: -5
    strategies: [{id: s, type: buy_and_hold}]
)");
  REQUIRE_THROWS_WITH(load_config(path),
                      path + ":6: portfolios[0].initial_capital: must be > 0, got '-5'");
}

TEST_CASE("config: duplicate portfolio id", "[config][errors]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + R"(portfolios:
  - id: p
    initial_capital: 1000
    strategies: [{id: a, type: buy_and_hold}]
  - id: p
    initial_capital: 1000
    strategies: [{id: b, type: buy_and_hold}]
)");
  REQUIRE_THROWS_WITH(load_config(path), path + ":8: portfolios[1].id: duplicate portfolio id 'p'");
}

TEST_CASE("config: duplicate strategy id across portfolios", "[config][errors]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + R"(portfolios:
  - id: p1
    initial_capital: 1000
    strategies: [{id: s, type: buy_and_hold}]
  - id: p2
    initial_capital: 1000
    strategies:
      - id: s
        type: buy_and_hold
)");
  REQUIRE_THROWS_WITH(load_config(path),
                      path + ":11: portfolios[1].strategies[0].id: duplicate strategy id 's'");
}

TEST_CASE("config: missing data file", "[config][errors]") {
  temp_dir dir;
  const std::string path =
      dir.write("c.yaml", "data:\n  csv: nowhere.csv\n  symbol: X\n" + one_portfolio);
  REQUIRE_THROWS_WITH(load_config(path),
                      path
                          + ":2: data.csv: data file 'nowhere.csv' not found "
                            "(looked in the working directory and next to the config)");
}

TEST_CASE("config: bad on_failure value", "[config][errors]") {
  temp_dir dir;
  const std::string path =
      dir.write("c.yaml", minimal_data + "supervision:\n  on_failure: retry\n" + one_portfolio);
  REQUIRE_THROWS_WITH(
      load_config(path),
      path + ":5: supervision.on_failure: expected one of: restart, stop_portfolio, got 'retry'");
}

TEST_CASE("config: slippage takes one kind only", "[config][errors]") {
  temp_dir dir;
  const std::string path =
      dir.write("c.yaml", minimal_data + "execution:\n  slippage: {fixed: 0.01, percent: 0.001}\n"
                              + one_portfolio);
  REQUIRE_THROWS_WITH(
    load_config(path),
    path + ":5: execution.slippage: give one of 'fixed', 'percent' or 'spread', not several");
  const std::string spread = dir.write(
    "s.yaml", minimal_data + "instruments:\n  SPX:\n    slippage: {percent: 0.001, spread: 0.002}\n"
                + one_portfolio);
  REQUIRE_THROWS_WITH(
    load_config(spread),
    spread + ":6: instruments.SPX.slippage: give one of 'fixed', 'percent' or 'spread', not several");
  const std::string wide = dir.write(
    "w.yaml", minimal_data + "execution:\n  slippage: {spread: 1.5}\n" + one_portfolio);
  REQUIRE_THROWS_WITH(load_config(wide),
                      wide + ":5: execution.slippage.spread: must be >= 0 and < 1, got '1.5'");
}

TEST_CASE("config: a commission maximum below its minimum", "[config][errors]") {
  temp_dir dir;
  const std::string path = dir.write(
    "c.yaml", minimal_data + "execution:\n  commission: {per_share: 0.005, minimum: 1, maximum: 0.5}\n"
                + one_portfolio);
  REQUIRE_THROWS_WITH(load_config(path),
                      path + ":5: execution.commission.maximum: must be >= minimum, got '0.5'");
  const std::string symbol = dir.write(
    "s.yaml", minimal_data + "instruments:\n  SPX:\n    commission:\n      minimum: 2\n"
                             "      maximum: 1\n" + one_portfolio);
  REQUIRE_THROWS_WITH(load_config(symbol),
                      symbol + ":8: instruments.SPX.commission.maximum: must be >= minimum, got '1'");
}

TEST_CASE("config: costs per symbol replace the execution section's, each whole",
          "[config]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + R"(execution:
  commission: {per_share: 0.005, minimum: 1, maximum: 50}
  slippage: {fixed: 0.01}
instruments:
  SPX: {lot_size: 1, commission: {percent: 0.002}, slippage: {spread: 0.0004}}
)" + one_portfolio);
  const auto config = load_config(path);
  CHECK(config.execution.commission.maximum == 50);
  CHECK(config.execution.slippage.kind == slippage_kind::fixed);
  const auto& spx = config.instruments.at("SPX");
  REQUIRE(spx.commission);
  // The whole commission is replaced: no per_share, minimum or maximum from execution:.
  CHECK(spx.commission->percent == 0.002);
  CHECK(spx.commission->per_share == 0);
  CHECK(spx.commission->minimum == 0);
  CHECK(spx.commission->maximum == std::numeric_limits<double>::infinity());
  REQUIRE(spx.slippage);
  CHECK(spx.slippage->kind == slippage_kind::spread);
  CHECK(spx.slippage->amount == 0.0004);
}

TEST_CASE("config: borrow fees, the execution section's and a symbol's own", "[config]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + R"(execution:
  borrow_fee: 0.03
instruments:
  SPX: {borrow_fee: 0.25}
)" + one_portfolio);
  const auto config = load_config(path);
  CHECK(config.execution.borrow_fee == 0.03);
  CHECK(config.instruments.at("SPX").borrow_fee == 0.25);
  const std::string negative = dir.write(
    "n.yaml", minimal_data + "instruments:\n  SPX: {borrow_fee: -0.01}\n" + one_portfolio);
  REQUIRE_THROWS_WITH(load_config(negative),
                      negative + ":5: instruments.SPX.borrow_fee: must be >= 0, got '-0.01'");
}

TEST_CASE("config: commission tiers by monthly volume", "[config]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + R"(execution:
  commission:
    minimum: 0.35
    tiers:
      - {up_to: 300000, per_share: 0.0035}
      - {up_to: 3000000, per_share: 0.002, percent: 0.0001}
      - {per_share: 0.0015}
)" + one_portfolio);
  const auto c = load_config(path).execution.commission;
  CHECK(c.minimum == 0.35);
  REQUIRE(c.tiers.size() == 3);
  CHECK(c.tiers[0].up_to == 300000);
  CHECK(c.tiers[0].per_share == 0.0035);
  CHECK(c.tiers[1].up_to == 3000000);
  CHECK(c.tiers[1].percent == 0.0001);
  CHECK(c.tiers[2].up_to == std::numeric_limits<double>::infinity());
  CHECK(c.tiers[2].per_share == 0.0015);
}

TEST_CASE("config: commission tiers that cannot be meant", "[config][errors]") {
  temp_dir dir;
  auto error_of = [&](const std::string& commission) {
    const std::string path =
      dir.write("c.yaml", minimal_data + "execution:\n  commission:\n" + commission + one_portfolio);
    try {
      load_config(path);
    } catch (const input_error& e) {
      return std::string(e.what()).substr(path.size());
    }
    return std::string("no error");
  };
  CHECK(error_of("    per_share: 0.005\n    tiers: [{per_share: 0.002}]\n")
        == ":6: execution.commission.per_share: give the rates in each tier, not beside 'tiers'");
  CHECK(error_of("    tiers: [{up_to: 1000, per_share: 0.002}]\n")
        == ":6: execution.commission.tiers[0].up_to: the last tier takes every unit above the "
           "one before: give it no up_to");
  CHECK(error_of("    tiers:\n      - {per_share: 0.003}\n      - {per_share: 0.002}\n")
        == ":7: execution.commission.tiers[0]: missing key 'up_to' (only the last tier has none)");
  CHECK(error_of("    tiers:\n      - {up_to: 500, per_share: 0.003}\n"
                 "      - {up_to: 500, per_share: 0.002}\n      - {per_share: 0.001}\n")
        == ":8: execution.commission.tiers[1].up_to: must be above the previous tier's up_to, "
           "got '500'");
  CHECK(error_of("    tiers:\n      - {up_to: 0, per_share: 0.003}\n      - {per_share: 0}\n")
        == ":7: execution.commission.tiers[0].up_to: must be > 0, got '0'");
  CHECK(error_of("    tiers:\n      - {up_to: 500}\n      - {per_share: 0.002}\n")
        == ":7: execution.commission.tiers[0]: give per_share or percent (0 for a free tier)");
  CHECK(error_of("    tiers: []\n")
        == ":6: execution.commission.tiers: expected a non-empty list, got an empty list");
}

TEST_CASE("config: unknown strategy type comes from make_strategy", "[config][errors]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + R"(portfolios:
  - id: p
    initial_capital: 1000
    strategies:
      - id: s
        type: no_such_strategy
)");
  REQUIRE_THROWS_WITH(load_config(path),
                      StartsWith(path
                                 + ":9: portfolios[0].strategies[0].type: unknown strategy type "
                                   "'no_such_strategy'"));
}

TEST_CASE("config: a strategy's bad params are reported with their line", "[config][errors]") {
  temp_dir dir;
  const std::string path = dir.write("c.yaml", minimal_data + R"(portfolios:
  - id: p
    initial_capital: 1000
    strategies:
      - id: s
        type: sma_crossover
        params: {fast: 30, slow: 10}
)");
  REQUIRE_THROWS_WITH(load_config(path),
                      StartsWith(path + ":10: portfolios[0].strategies[0].params."));
}

TEST_CASE("strategy_params: typed access and locations", "[config]") {
  strategy_params params;
  params.values = {{"n", "20"}, {"x", "0.5"}, {"bad", "1.5.2"}};
  params.lines = {{"n", 12}, {"x", 13}, {"bad", 14}};
  params.file = "configs/a.yaml";
  params.key_path = "portfolios[0].strategies[0].params";

  CHECK(params.number("x") == 0.5);
  CHECK(params.number("n") == 20);
  CHECK(params.number_or("absent", 7) == 7);
  CHECK(params.location("x") == "configs/a.yaml:13: portfolios[0].strategies[0].params.x");
  CHECK_THROWS_WITH(
      params.number("bad"),
      "configs/a.yaml:14: portfolios[0].strategies[0].params.bad: expected a number, got '1.5.2'");
  // A missing key has no line of its own: the params map's line stands in.
  CHECK_THROWS_WITH(
      params.number("absent"),
      "configs/a.yaml:12: portfolios[0].strategies[0].params.absent: missing parameter");

  const strategy_params built_in_cpp{{{"n", "x"}}, {}, "", ""};
  CHECK(built_in_cpp.location("n") == "n");
  CHECK_THROWS_WITH(built_in_cpp.number("n"), "n: expected a number, got 'x'");
}

TEST_CASE("validate: configs built in C++ get key paths only", "[config][errors]") {
  backtest_config config;
  config.data.sources.push_back({sp500, sp500, csv_format::ohlcv, "SPX", {}});
  CHECK_THROWS_WITH(validate(config), "portfolios: no portfolios");

  portfolio_config portfolio;
  portfolio.id = "p";
  strategy_config hold;
  hold.id = "s";
  hold.type = "buy_and_hold";
  portfolio.strategies.push_back(hold);
  config.portfolios = {portfolio, portfolio};
  CHECK_THROWS_WITH(validate(config), "portfolios[1].id: duplicate portfolio id 'p'");

  config.portfolios[1].id = "bad id";
  CHECK_THROWS_WITH(validate(config),
                    "portfolios[1].id: invalid id 'bad id' (use letters, digits, '_' and '-')");

  config.portfolios[1].id = "q";
  config.portfolios[1].strategies[0].id = "t";
  CHECK_NOTHROW(validate(config));
}

TEST_CASE("config: text reads like a file, its errors name the origin", "[config]") {
  temp_dir dir;
  const std::string text = minimal_data + R"(portfolios:
  - id: p
    initial_capital: 1000
    strategies:
      - id: s
        type: sma_crossover
        params: {fast: 2, slow: 4}
)";
  const backtest_config from_file = load_config(dir.write("job.yaml", text));
  const backtest_config from_text = load_config_text(text, "job.yaml");
  CHECK(from_text.name == "job");
  CHECK(from_text.source_file == "job.yaml");
  CHECK(from_text.data.sources.at(0).path == from_file.data.sources.at(0).path);
  const strategy_config& s = from_text.portfolios.at(0).strategies.at(0);
  CHECK(s.type_location == "job.yaml:9: portfolios[0].strategies[0].type");
  CHECK(s.params.location("slow") == "job.yaml:10: portfolios[0].strategies[0].params.slow");
  CHECK(s.params.values == from_file.portfolios.at(0).strategies.at(0).params.values);

  CHECK_THROWS_WITH(load_config_text(text + "  - [", "job.yaml"),
                    StartsWith("job.yaml:11: malformed YAML: "));
  CHECK_THROWS_WITH(load_config_text("", "job.yaml"), "job.yaml: the config is empty");
  CHECK_THROWS_WITH(load_config_text(minimal_data + R"(portfolios:
  - id: p
    initial_capital: 1000
    strategies:
      - id: s
        type: sma_crossover
        params: {fast: 30, slow: 10}
)",
                                     "job.yaml"),
                    StartsWith("job.yaml:10: portfolios[0].strategies[0].params."));
}

TEST_CASE("config: the first error in the file is reported, strategies included",
          "[config][errors]") {
  temp_dir dir;
  // An unknown type (line 9) before a duplicate portfolio id (line 10).
  const std::string path = dir.write("c.yaml", minimal_data + R"(portfolios:
  - id: p
    initial_capital: 1000
    strategies: [{id: a, type: no_such_strategy}]
  - id: p
    initial_capital: 1000
    strategies: [{id: b, type: buy_and_hold}]
)");
  REQUIRE_THROWS_WITH(load_config(path), StartsWith(path + ":7: portfolios[0].strategies[0].type: "
                                                           "unknown strategy type"));

  // The config's own walk hands each strategy to the check right after its id.
  std::vector<std::string> checked;
  const std::string ok = dir.write("ok.yaml", minimal_data + R"(portfolios:
  - id: p
    initial_capital: 1000
    strategies: [{id: a, type: x}, {id: b, type: y}]
  - id: q
    initial_capital: 1000
    strategies: [{id: a, type: z}]
)");
  REQUIRE_THROWS_WITH(
      load_config(ok, [&](const strategy_config& s) { checked.push_back(s.id + ":" + s.type); }),
      ok + ":10: portfolios[1].strategies[0].id: duplicate strategy id 'a'");
  CHECK(checked == std::vector<std::string>{"a:x", "b:y"});
}

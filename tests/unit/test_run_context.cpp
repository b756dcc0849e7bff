// The run context's per-portfolio calendars: which symbols each strategy receives and
// which timestamps each portfolio closes, resolved once against the run's data.
#include <catch2/catch.hpp>

#include "runtime/core/error.hpp"
#include "runtime/run/run_context.hpp"
#include "runtime/strategy/checked_config.hpp"

using namespace admf;

namespace {

/// Symbols A, B, C with one bar each: only the names matter here.
std::shared_ptr<const market_data> abc() {
  auto data = std::make_shared<market_data>();
  data->symbols = {"A", "B", "C"};
  for (symbol_id s = 0; s < 3; ++s)
    data->bars.push_back(timed_bar{0, bar_data{s, 1, 1, 1, 1, 1}});
  return data;
}

/// Portfolio p0 has strategies on [C, A] and [A, C, A]; p1 one without `symbols:` and one
/// on [A]; p2 one naming every symbol.
const char* three_portfolios = R"(data: {csv: data/sp500_2000_daily_ohlcv.csv, symbol: SPX}
portfolios:
  - id: p0
    initial_capital: 1000
    strategies:
      - {id: s0, type: buy_and_hold, symbols: [C, A]}
      - {id: s1, type: buy_and_hold, symbols: [A, C, A]}
  - id: p1
    initial_capital: 1000
    strategies:
      - {id: s2, type: buy_and_hold}
      - {id: s3, type: buy_and_hold, symbols: [A]}
  - id: p2
    initial_capital: 1000
    strategies:
      - {id: s4, type: buy_and_hold, symbols: [A, B, C]}
)";

} // namespace

TEST_CASE("run context: strategies' symbols and portfolios' calendars", "[run_context]") {
  const auto ctx = make_run_context(load_config_text(three_portfolios, "calendars.yaml"), abc());
  const auto& p0 = ctx->portfolios.at(0);
  CHECK(p0.strategy_symbols == std::vector<std::vector<symbol_id>>{{0, 2}, {0, 2}});
  CHECK(p0.calendar == std::vector<bool>{true, false, true});  // not B: no strategy takes it
  const auto& p1 = ctx->portfolios.at(1);  // one strategy takes every symbol
  CHECK(p1.strategy_symbols == std::vector<std::vector<symbol_id>>{{}, {0}});
  CHECK(p1.calendar == std::vector<bool>{true, true, true});
  const auto& p2 = ctx->portfolios.at(2);  // naming every symbol is no filter
  CHECK(p2.strategy_symbols == std::vector<std::vector<symbol_id>>{{}});
  CHECK(p2.calendar == std::vector<bool>{true, true, true});
}

TEST_CASE("run context: `symbols:` naming every symbol keeps the run id", "[run_context]") {
  std::string without = three_portfolios;
  without.erase(without.find(", symbols: [A, B, C]"), std::string(", symbols: [A, B, C]").size());
  const auto named = make_run_context(load_config_text(three_portfolios, "c.yaml"), abc());
  const auto unnamed = make_run_context(load_config_text(without, "c.yaml"), abc());
  CHECK(named->run_id == unnamed->run_id);
  std::string subset = three_portfolios;
  subset.replace(subset.find("[A, B, C]"), 9, "[A, B]");
  CHECK(make_run_context(load_config_text(subset, "c.yaml"), abc())->run_id != named->run_id);
}

TEST_CASE("run context: an unknown symbol names its file, line and key", "[run_context]") {
  std::string text = three_portfolios;
  text.replace(text.find("[A, C, A]"), 9, "[A, X]");
  CHECK_THROWS_WITH(make_run_context(load_config_text(text, "calendars.yaml"), abc()),
                    "calendars.yaml:7: portfolios[0].strategies[1].symbols[1]: unknown symbol "
                    "'X' (the run has: A, B, C)");
}

TEST_CASE("run context: a symbol's costs are its own, else the execution section's",
          "[run_context]") {
  std::string text = three_portfolios;
  text += R"(execution: {commission: {per_share: 0.01}, slippage: {fixed: 0.02}, borrow_fee: 0.03}
instruments: {B: {commission: {minimum: 3}, borrow_fee: 0.5}, C: {slippage: {spread: 0.001}}}
)";
  const auto ctx = make_run_context(load_config_text(text, "costs.yaml"), abc());
  CHECK(ctx->costs(0).commission.per_share == 0.01);  // A: no entry
  CHECK(ctx->costs(0).slippage.amount == 0.02);
  CHECK(ctx->costs(1).commission.per_share == 0);  // B: its commission replaces the whole
  CHECK(ctx->costs(1).commission.minimum == 3);
  CHECK(ctx->costs(1).slippage.kind == slippage_kind::fixed);  // ...and keeps the slippage
  CHECK(ctx->costs(2).commission.per_share == 0.01);
  CHECK(ctx->costs(2).slippage.kind == slippage_kind::spread);
  CHECK(ctx->costs(2).slippage.amount == 0.001);
  CHECK(ctx->costs(0).borrow_fee == 0.03);
  CHECK(ctx->costs(1).borrow_fee == 0.5);  // B's own
  CHECK(ctx->costs(2).borrow_fee == 0.03);
}

TEST_CASE("run context: a volume limit on a symbol without volume is refused", "[run_context]") {
  auto data = std::make_shared<market_data>(*abc());
  data->bars[1].bar.volume = 0;  // B: close-only data, say
  const std::string text = std::string(three_portfolios) + "execution: {max_volume_fraction: 0.1}\n";
  CHECK_THROWS_WITH(make_run_context(load_config_text(text, "v.yaml"), data),
                    "v.yaml: execution.max_volume_fraction: B has no volume in its data (every "
                    "bar's is 0): no order in it could ever fill");
  // Without the limit the same data runs.
  CHECK_NOTHROW(make_run_context(load_config_text(three_portfolios, "v.yaml"), data));
}

TEST_CASE("run context: the run id is the same for the same config and data, and changes "
          "with either",
          "[run_context]") {
  const auto config = [](const std::string& text) { return load_config_text(text, "c.yaml"); };
  const std::uint64_t id = make_run_context(config(three_portfolios), abc())->run_id;
  CHECK(make_run_context(config(three_portfolios), abc())->run_id == id);
  // Config: a strategy id, a portfolio id (symbols: the test above).
  std::string strategy = three_portfolios;
  strategy.replace(strategy.find("id: s4"), 6, "id: s7");
  CHECK(make_run_context(config(strategy), abc())->run_id != id);
  std::string renamed = three_portfolios;
  renamed.replace(renamed.find("id: p2"), 6, "id: p9");
  CHECK(make_run_context(config(renamed), abc())->run_id != id);
  // Data built in memory has no content hash: its bars are hashed, so one price counts.
  auto other_bars = std::make_shared<market_data>(*abc());
  other_bars->bars[2].bar.close = 2;
  CHECK(make_run_context(config(three_portfolios), other_bars)->run_id != id);
}

TEST_CASE("run context: data with a content hash is named by it, not by its bars",
          "[run_context]") {
  // A sweep's jobs share one market_data: its hash, taken once at load, names them.
  const auto config = load_config_text(three_portfolios, "c.yaml");
  auto hashed = std::make_shared<market_data>(*abc());
  hashed->content_hash = 42;
  const std::uint64_t id = make_run_context(config, hashed)->run_id;
  CHECK(id != make_run_context(config, abc())->run_id);
  auto other_bars = std::make_shared<market_data>(*hashed);
  other_bars->bars[2].bar.close = 2;  // not re-hashed: the hash stands for the bars
  CHECK(make_run_context(config, other_bars)->run_id == id);
  auto other_hash = std::make_shared<market_data>(*hashed);
  other_hash->content_hash = 43;
  CHECK(make_run_context(config, other_hash)->run_id != id);
  // hash_bars() is what data without one is named by.
  auto rehashed = std::make_shared<market_data>(*abc());
  rehashed->content_hash = hash_bars(*rehashed);
  CHECK(make_run_context(config, rehashed)->run_id == make_run_context(config, abc())->run_id);
}

// The `portfolios:` section: each portfolio, its strategies and their params.
#include "runtime/config/section_readers.hpp"

namespace admf::sections {

using namespace yaml;

namespace {

/// Params stay raw scalar text: only the strategy knows which keys and types it
/// takes, and it checks them when built (runtime/strategy/checked_config.hpp).
void read_params(const field& f, strategy_params& params) {
  const map_reader map(f, {});
  for (const auto& [key, value] : map.entries()) {
    params.values[key] = scalar_text(value, "a scalar");
    if (const auto it = f.ctx->lines.find(value.path); it != f.ctx->lines.end())
      params.lines[key] = it->second;
  }
}

/// Names only: the data, which knows the symbols, is loaded after the config.
void read_symbols(const field& f, strategy_config& strategy) {
  for (const field& item : list_items(f)) {
    strategy.symbols.push_back(to_string(item));
    strategy.symbol_locations.push_back(item.location());
  }
}

strategy_config read_strategy(const field& f) {
  const map_reader map(f, {"id", "type", "plugin", "params", "barriers", "symbols", "timeframe"});
  strategy_config strategy;
  strategy.id = to_string(map.require("id"));
  const auto type = map.find("type");
  const auto plugin = map.find("plugin");
  if (type.has_value() == plugin.has_value())
    f.fail(
      "needs exactly one of 'type' (built in or a plugin by name) and 'plugin' (name or path)");
  const field& kind = type ? *type : *plugin;
  (type ? strategy.type : strategy.plugin) = to_string(kind);
  strategy.type_location = locate(f.ctx->file, kind.line, kind.path);
  strategy.params.file = f.ctx->file;
  strategy.params.key_path = join_path(f.path, "params");
  if (auto params = map.find("params"))
    read_params(*params, strategy.params);
  if (auto barriers = map.find("barriers"))
    strategy.barriers = read_barrier_config(barriers->node, f.ctx->file, barriers->path);
  if (auto symbols = map.find("symbols"))
    read_symbols(*symbols, strategy);
  if (auto timeframe = map.find("timeframe")) {
    const std::string& text = scalar_text(*timeframe, "a timeframe");
    strategy.timeframe = parse_duration(text);
    if (!strategy.timeframe)
      timeframe->fail("expected a timeframe such as 5m, 1h, 4h, 1d or 1w, got " + quote(text));
    strategy.timeframe_location = timeframe->location();
  }
  return strategy;
}

}  // namespace

portfolio_config read_portfolio(const field& f, const portfolio_defaults& defaults) {
  const map_reader map(f, {"id", "initial_capital", "risk", "account", "supervision", "metrics",
                           "on_new_signal", "order_state", "strategies"});
  portfolio_config portfolio;
  portfolio.id = to_string(map.require("id"));
  portfolio.initial_capital = checked_number(map.require("initial_capital"), above_zero);
  // A portfolio's section replaces the top-level one whole: no key-by-key merging,
  // so what a portfolio gets is visible in one place.
  const auto own_risk = map.find("risk");
  portfolio.risk = own_risk ? read_risk(*own_risk) : defaults.risk;
  const auto own_account = map.find("account");
  portfolio.account = own_account ? read_account(*own_account) : defaults.account;
  const auto own_supervision = map.find("supervision");
  portfolio.supervision =
    own_supervision ? read_supervision(*own_supervision) : defaults.supervision;
  // metrics: does merge: a crypto portfolio sets periods_per_year: 365 and keeps the
  // run's risk-free rate.
  const auto own_metrics = map.find("metrics");
  portfolio.metrics = own_metrics ? read_metrics(*own_metrics, defaults.metrics) : defaults.metrics;
  if (auto order_state = map.find("order_state"))
    order_state->fail("was replaced by on_new_signal: keep (no new order while one rests), "
                      "replace (the default) or add");
  if (auto policy = map.find("on_new_signal"))
    portfolio.on_new_signal = to_choice<new_signal_policy>(
      *policy, {{"replace", new_signal_policy::replace},
                {"keep", new_signal_policy::keep},
                {"add", new_signal_policy::add}});
  for (const field& item : list_items(map.require("strategies")))
    portfolio.strategies.push_back(read_strategy(item));
  return portfolio;
}

}  // namespace admf::sections

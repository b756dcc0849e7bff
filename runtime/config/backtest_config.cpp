// Reads a backtest config from YAML. Every check that needs a line number happens
// while the YAML nodes are at hand; validate() adds the checks that span the whole
// config and that C++-built configs need too.
#include "runtime/config/backtest_config.hpp"
#include "runtime/config/yaml_reader.hpp"
#include "runtime/events/event.hpp"


#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "runtime/core/error.hpp"
#include "runtime/strategy/strategy.hpp"

namespace admf {
namespace {

using namespace yaml;

namespace fs = std::filesystem;

// ---------------------------------------------------------------- strategy_params helpers

const std::string& raw_param(const strategy_params& params, const std::string& key) {
  const auto it = params.values.find(key);
  if (it == params.values.end())
    throw input_error(params.location(key) + ": missing parameter");
  return it->second;
}

/// The key's own line, or for a missing key the line of the params map, which in
/// YAML starts at its first (lowest) key.
std::optional<int> param_line(const strategy_params& params, const std::string& key) {
  if (const auto it = params.lines.find(key); it != params.lines.end())
    return it->second;
  if (params.lines.empty())
    return std::nullopt;
  return std::min_element(params.lines.begin(), params.lines.end(),
                          [](const auto& a, const auto& b) { return a.second < b.second; })
      ->second;
}

// ---------------------------------------------------------------- sections

/// Relative paths are tried from the working directory, then next to the config, so
/// a config works both from the repo root and when run from elsewhere.
std::string resolve_data_path(const field& csv_field, const std::string& csv) {
  const fs::path written(csv);
  std::error_code ignored; // an unreadable path counts as missing
  if (fs::is_regular_file(written, ignored))
    return csv;
  if (written.is_absolute())
    csv_field.fail("data file " + quote(csv) + " not found");
  const fs::path beside = fs::path(csv_field.ctx->file).parent_path() / written;
  if (fs::is_regular_file(beside, ignored))
    return beside.string();
  csv_field.fail("data file " + quote(csv)
                 + " not found (looked in the working directory and next to the config)");
}

data_source_config read_source(const field& f) {
  const map_reader map(f, {"csv", "symbol", "format", "symbols"});
  data_source_config source;
  const field csv = map.require("csv");
  source.csv = to_string(csv);
  source.path = resolve_data_path(csv, source.csv);
  if (auto format = map.find("format"))
    source.format =
        to_choice<csv_format>(*format, {{"ohlcv", csv_format::ohlcv}, {"wide", csv_format::wide}});
  if (source.format == csv_format::ohlcv) {
    source.symbol = to_string(map.require("symbol"));
    if (auto symbols = map.find("symbols"))
      symbols->fail("only for format wide");
  } else {
    if (auto symbol = map.find("symbol"))
      symbol->fail("only for format ohlcv (a wide file names its symbols in its header)");
    if (auto symbols = map.find("symbols"))
      source.symbols = to_string_list(*symbols);
  }
  return source;
}

data_config read_data(const field& f) {
  const map_reader map(f, {"csv", "symbol", "format", "symbols", "sources"});
  data_config data;
  const auto sources = map.find("sources");
  if (!sources) {
    data.sources.push_back(read_source(f));
    return data;
  }
  if (map.size() > 1)
    f.fail("give either 'sources' or the keys of a single source, not both");
  for (const field& item : list_items(*sources))
    data.sources.push_back(read_source(item));
  return data;
}

commission_config read_commission(const field& f) {
  const map_reader map(f, {"per_share", "percent", "minimum"});
  commission_config commission;
  read_number(map, "per_share", at_least_zero, commission.per_share);
  read_number(map, "percent", at_least_zero, commission.percent);
  read_number(map, "minimum", at_least_zero, commission.minimum);
  return commission;
}

slippage_config read_slippage(const field& f) {
  const map_reader map(f, {"fixed", "percent"});
  const auto fixed = map.find("fixed");
  const auto percent = map.find("percent");
  if (fixed && percent)
    f.fail("give either 'fixed' or 'percent', not both");
  if (fixed)
    return {slippage_kind::fixed, checked_number(*fixed, at_least_zero)};
  if (percent)
    return {slippage_kind::percent, checked_number(*percent, at_least_zero)};
  return {};
}

execution_config read_execution(const field& f) {
  const map_reader map(f, {"commission", "slippage"});
  execution_config execution;
  if (auto commission = map.find("commission"))
    execution.commission = read_commission(*commission);
  if (auto slippage = map.find("slippage"))
    execution.slippage = read_slippage(*slippage);
  return execution;
}

risk_config read_risk(const field& f) {
  const map_reader map(f, {"max_position_size", "max_gross_exposure", "max_drawdown"});
  risk_config risk;
  read_number(map, "max_position_size", fraction, risk.max_position_size);
  read_number(map, "max_gross_exposure", above_zero, risk.max_gross_exposure);
  read_number(map, "max_drawdown", fraction, risk.max_drawdown);
  return risk;
}

supervision_config read_supervision(const field& f) {
  const map_reader map(f, {"on_failure", "max_restarts"});
  supervision_config supervision;
  if (auto on_failure = map.find("on_failure"))
    supervision.on_failure = to_choice<failure_policy>(
        *on_failure,
        {{"restart", failure_policy::restart}, {"stop_portfolio", failure_policy::stop_portfolio}});
  read_count(map, "max_restarts", 0, supervision.max_restarts);
  return supervision;
}

engine_config read_engine(const field& f) {
  const map_reader map(f, {"batch_size", "max_batches_in_flight"});
  engine_config engine;
  read_count(map, "batch_size", 1, engine.batch_size);
  // One batch in flight would leave the producer idle while a consumer works.
  read_count(map, "max_batches_in_flight", 2, engine.max_batches_in_flight);
  return engine;
}

double read_metrics(const field& f) {
  const map_reader map(f, {"periods_per_year"});
  double periods_per_year = backtest_config{}.periods_per_year;
  read_number(map, "periods_per_year", above_zero, periods_per_year);
  return periods_per_year;
}

/// Params stay raw scalar text: only the strategy knows which keys and types it takes.
std::uint32_t read_event_mask(const field& f) {
  if (f.node.IsScalar() && f.node.Scalar() == "ALL")
    return ~0u;
  std::uint32_t mask = 0;
  for (const field& item : list_items(f)) {
    const auto type = event_type_from(to_string(item));
    if (!type) {
      std::string names;
      for (std::size_t i = 0; i < event_type_count; ++i)
        names += (names.empty() ? "" : ", ") + std::string(admf::to_string(static_cast<event_type>(i)));
      item.fail("unknown event type " + quote(item.node.Scalar()) + " (expected ALL or: " + names + ")");
    }
    mask |= 1u << static_cast<unsigned>(*type);
  }
  return mask;
}

/// A trace rule: keys left out keep the values of `base`.
trace_rule read_trace_rule(const field& f, trace_rule rule) {
  const map_reader map(f, {"enabled", "events_to_trace", "retention_policy", "max_events",
                           "storage_backend", "compress"});
  if (auto enabled = map.find("enabled"))
    rule.enabled = to_choice<bool>(*enabled, {{"true", true}, {"false", false}});
  if (auto events = map.find("events_to_trace"))
    rule.events = read_event_mask(*events);
  if (auto retention = map.find("retention_policy"))
    rule.retention = to_choice<retention_policy>(*retention,
                                                 {{"trade_complete", retention_policy::trade_complete},
                                                  {"sliding_window", retention_policy::sliding_window},
                                                  {"minimal", retention_policy::minimal},
                                                  {"full", retention_policy::full}});
  read_count(map, "max_events", 1, rule.max_events);
  if (auto storage = map.find("storage_backend"))
    rule.storage = to_choice<storage_backend>(
      *storage, {{"memory", storage_backend::memory}, {"disk", storage_backend::disk}});
  if (auto compress = map.find("compress"))
    rule.compress = to_choice<bool>(*compress, {{"true", true}, {"false", false}});
  return rule;
}

trace_settings read_trace_settings(const field& f) {
  const map_reader map(f, {"level", "default", "container_settings", "console"});
  trace_settings settings = trace_level("minimal", "");
  if (auto level = map.find("level"))
    settings = trace_level(to_string(*level), locate(f.ctx->file, level->line, level->path));
  if (auto defaults = map.find("default"))
    settings.defaults = read_trace_rule(*defaults, settings.defaults);
  if (auto containers = map.find("container_settings")) {
    const map_reader patterns(*containers, {});
    for (const auto& [pattern, rule] : patterns.entries())
      settings.containers.push_back(
        {pattern, locate(f.ctx->file, rule.line, rule.path), read_trace_rule(rule, settings.defaults)});
    settings.enabled = true;
  }
  if (auto console = map.find("console"))
    settings.console_events = read_event_mask(*console);
  settings.enabled = settings.enabled || settings.defaults.enabled || settings.console_events != 0;
  return settings;
}

void read_params(const field& f, strategy_params& params) {
  const map_reader map(f, {});
  for (const auto& [key, value] : map.entries()) {
    params.values[key] = scalar_text(value, "a scalar");
    if (const auto it = f.ctx->lines.find(value.path); it != f.ctx->lines.end())
      params.lines[key] = it->second;
  }
}

strategy_config read_strategy(const field& f) {
  const map_reader map(f, {"id", "type", "plugin", "params", "barriers"});
  strategy_config strategy;
  strategy.id = to_string(map.require("id"));
  const auto type = map.find("type");
  const auto plugin = map.find("plugin");
  if (type.has_value() == plugin.has_value())
    f.fail("needs exactly one of 'type' (built in or a plugin by name) and 'plugin' (name or path)");
  const field& kind = type ? *type : *plugin;
  (type ? strategy.type : strategy.plugin) = to_string(kind);
  strategy.type_location = locate(f.ctx->file, kind.line, kind.path);
  strategy.params.file = f.ctx->file;
  strategy.params.key_path = join_path(f.path, "params");
  if (auto params = map.find("params"))
    read_params(*params, strategy.params);
  if (auto barriers = map.find("barriers"))
    strategy.barriers = read_barrier_config(barriers->node, f.ctx->file, barriers->path);
  return strategy;
}

portfolio_config read_portfolio(const field& f, const risk_config& risk,
                                const supervision_config& supervision) {
  const map_reader map(f, {"id", "initial_capital", "risk", "supervision", "order_state",
                           "strategies"});
  portfolio_config portfolio;
  portfolio.id = to_string(map.require("id"));
  portfolio.initial_capital = checked_number(map.require("initial_capital"), above_zero);
  // A portfolio's section replaces the top-level one whole: no key-by-key merging,
  // so what a portfolio gets is visible in one place.
  const auto own_risk = map.find("risk");
  portfolio.risk = own_risk ? read_risk(*own_risk) : risk;
  const auto own_supervision = map.find("supervision");
  portfolio.supervision = own_supervision ? read_supervision(*own_supervision) : supervision;
  if (auto order_state = map.find("order_state"))
    portfolio.order_state =
      read_portfolio_barrier_config(order_state->node, f.ctx->file, order_state->path);
  for (const field& item : list_items(map.require("strategies")))
    portfolio.strategies.push_back(read_strategy(item));
  return portfolio;
}

backtest_config read_config(const field& root) {
  if (root.node.IsNull())
    root.fail("the config is empty");
  const map_reader map(root, {"name", "data", "execution", "risk", "supervision", "metrics",
                              "engine", "trace_settings", "plugin_path", "portfolios", "optimization"});
  backtest_config config;
  config.source_file = root.ctx->file;
  const auto name = map.find("name");
  config.name = name ? to_string(*name) : fs::path(config.source_file).stem().string();
  config.data = read_data(map.require("data"));
  if (auto execution = map.find("execution"))
    config.execution = read_execution(*execution);
  if (auto engine = map.find("engine"))
    config.engine = read_engine(*engine);
  if (auto metrics = map.find("metrics"))
    config.periods_per_year = read_metrics(*metrics);
  if (auto tracing = map.find("trace_settings"))
    config.tracing = read_trace_settings(*tracing);
  const auto risk = map.find("risk");
  const auto supervision = map.find("supervision");
  const risk_config default_risk = risk ? read_risk(*risk) : risk_config{};
  const supervision_config default_supervision =
      supervision ? read_supervision(*supervision) : supervision_config{};
  for (const field& item : list_items(map.require("portfolios")))
    config.portfolios.push_back(read_portfolio(item, default_risk, default_supervision));
  if (auto dirs = map.find("plugin_path")) {
    // Relative to the config file, like a build file's paths.
    const auto base = fs::path(config.source_file).parent_path();
    for (auto& dir : to_string_list(*dirs)) {
      const auto path = fs::path(dir).is_absolute() ? fs::path(dir) : base / dir;
      for (auto& p : config.portfolios)
        for (auto& s : p.strategies)
          s.plugin_path.push_back(path.lexically_normal().string());
    }
  }
  return config;
}

YAML::Node parse_file(const std::string& path) {
  std::ifstream in(path);
  std::error_code ignored;
  if (!in || fs::is_directory(path, ignored))
    throw input_error(path + ": cannot open config file");
  try {
    return YAML::Load(in);
  } catch (const YAML::Exception& e) {
    std::optional<int> line;  // (a conditional expression here trips -Wmaybe-uninitialized)
    if (e.mark.line >= 0)
      line = e.mark.line + 1;
    throw input_error(locate(path, line, "") + ": malformed YAML: " + e.msg);
  }
}

// ---------------------------------------------------------------- validation

bool valid_id(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
}

/// Checks ids and builds every strategy once; `lines` places messages in the file.
void check_config(const backtest_config& config, const line_index& lines) {
  const auto fail = [&](const std::string& key_path, const std::string& message) {
    const auto it = lines.find(key_path);
    std::optional<int> line;
    if (it != lines.end())
      line = it->second;
    throw input_error(locate(config.source_file, line, key_path) + ": " + message);
  };
  const auto check_id = [&](const std::string& id, const std::string& key_path,
                            std::set<std::string>& seen, const char* what) {
    if (!valid_id(id))
      fail(key_path, "invalid id " + quote(id) + " (use letters, digits, '_' and '-')");
    if (!seen.insert(id).second)
      fail(key_path, std::string("duplicate ") + what + " id " + quote(id));
  };

  if (config.portfolios.empty())
    fail("portfolios", "no portfolios");
  std::set<std::string> portfolio_ids;
  std::set<std::string> strategy_ids; // unique across portfolios: results are keyed by them
  for (std::size_t i = 0; i < config.portfolios.size(); ++i) {
    const portfolio_config& portfolio = config.portfolios[i];
    const std::string path = "portfolios[" + std::to_string(i) + "]";
    check_id(portfolio.id, path + ".id", portfolio_ids, "portfolio");
    if (portfolio.strategies.empty())
      fail(path + ".strategies", "no strategies");
    for (std::size_t j = 0; j < portfolio.strategies.size(); ++j) {
      const strategy_config& strategy = portfolio.strategies[j];
      check_id(strategy.id, path + ".strategies[" + std::to_string(j) + "].id", strategy_ids,
               "strategy");
      // Building is the only way to check a type and its params; the instance is dropped.
      make_strategy(strategy);
    }
  }
}

} // namespace

// ---------------------------------------------------------------- public API

trace_settings trace_level(const std::string& level, const std::string& where) {
  trace_settings s;
  auto& d = s.defaults;
  auto bit = [](event_type t) { return 1u << static_cast<unsigned>(t); };
  if (level == "none") {
    d.enabled = false;
  } else if (level == "minimal") {
    d.retention = retention_policy::trade_complete;
  } else if (level == "metrics") {
    d.events = bit(event_type::fill) | bit(event_type::position_open)
               | bit(event_type::position_close) | bit(event_type::portfolio_update);
  } else if (level == "normal") {
    d.retention = retention_policy::sliding_window;
  } else if (level == "debug") {
    d.retention = retention_policy::full;
    d.storage = storage_backend::disk;
  } else {
    throw input_error((where.empty() ? std::string("trace level") : where) + ": unknown trace level "
                      + quote(level) + " (expected one of: none, minimal, metrics, normal, debug)");
  }
  s.enabled = d.enabled;
  return s;
}

double strategy_params::number(const std::string& key) const {
  const std::string& text = raw_param(*this, key);
  if (auto value = parse_number(text))
    return *value;
  throw input_error(location(key) + ": expected a number, got " + quote(text));
}

double strategy_params::number_or(const std::string& key, double fallback) const {
  return has(key) ? number(key) : fallback;
}

long long strategy_params::integer(const std::string& key) const {
  const std::string& text = raw_param(*this, key);
  if (auto value = parse_integer(text))
    return *value;
  throw input_error(location(key) + ": expected an integer, got " + quote(text));
}

std::string strategy_params::location(const std::string& key) const {
  return locate(file, param_line(*this, key), join_path(key_path, key));
}

backtest_config load_config(const std::string& path) {
  load_context ctx{path, {}};
  const YAML::Node root = parse_file(path);
  backtest_config config = read_config(field{&ctx, root, "", line_of(root)});
  check_config(config, ctx.lines);
  return config;
}

void validate(const backtest_config& config) { check_config(config, {}); }

} // namespace admf

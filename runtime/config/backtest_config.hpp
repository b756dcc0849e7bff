// The validated description of one backtest run, as read from YAML (or built in C++).
// Reading it: runtime/config/load_config.hpp; with its strategies checked too:
// runtime/strategy/checked_config.hpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/barriers/barrier_config.hpp"
#include "runtime/data/data_config.hpp"
#include "runtime/metrics/metrics.hpp"
#include "runtime/tracing/trace_settings.hpp"

namespace admf {

/// Strategy parameters: raw YAML scalars by key, plus where they came from so a
/// strategy that rejects one can name the file, line and key.
struct strategy_params {
  std::map<std::string, std::string> values;
  std::map<std::string, int> lines;  ///< 1-based line of each key in the config file
  std::string file;                  ///< config file (or origin) of the params ("" if built in C++)
  std::string key_path;              ///< e.g. "portfolios[0].strategies[1].params"

  bool has(const std::string& key) const { return values.count(key) != 0; }
  /// Throws input_error "file:line: key_path.key: ..." when missing or not a number.
  double number(const std::string& key) const;
  double number_or(const std::string& key, double fallback) const;
  std::string location(const std::string& key) const;  ///< "file:line: key_path.key"
};

struct strategy_config {
  std::string id;
  std::string type;
  std::string plugin;         ///< plugin name or path (instead of `type`)
  std::string type_location;  ///< "file:line: portfolios[i].strategies[j].type", for errors
  std::vector<std::string> plugin_path;    ///< extra plugin directories (the config's plugin_path)
  std::optional<barrier_config> barriers;  ///< when the strategy runs and which signals pass
  strategy_params params;
  /// The symbols whose bars it receives (`symbols:`); empty: every symbol of the run.
  /// Checked against the data when the run is laid out (runtime/run/run_context.hpp).
  std::vector<std::string> symbols;
  std::vector<std::string> symbol_locations;  ///< "file:line: key_path" of each (file configs)
  /// `timeframe: 1h` (ns): the strategy receives its symbols' bars resampled to it
  /// (runtime/data/resample.hpp), under their own symbol ids; nullopt: the data's own.
  std::optional<timestamp> timeframe;
  std::string timeframe_location;  ///< "file:line: key_path" of `timeframe:` (file configs)
};

struct risk_config {
  double max_position_size = 1.0;   ///< max value of one position at entry, fraction of equity
  double max_gross_exposure = 1.0;  ///< max sum of |position values|, fraction of equity
  double max_drawdown = 1.0;        ///< halt new entries once drawdown reaches this fraction
};

enum class account_type { cash, margin };

/// What the account does with an entry fill it cannot fully take.
enum class shortfall_policy {
  cut,     ///< keep what the account can take (whole lots), cancel the rest
  reject,  ///< cancel the whole fill
};

/// How much of its equity an account may hold in positions (actors/portfolio/account.hpp).
/// Both kinds require gross position value <= leverage x equity at every entry fill;
/// a cash account has leverage 1 (its cash never goes below zero), a margin account
/// borrows up to `leverage` (Reg T initial margin 50% = leverage 2).
struct account_config {
  account_type type = account_type::cash;
  double leverage = 1;               ///< gross position value per unit of equity at entry
  double maintenance_margin = 0.25;  ///< margin: liquidate when equity < this x gross value
  shortfall_policy on_shortfall = shortfall_policy::cut;
};

enum class failure_policy { restart, stop_portfolio };

struct supervision_config {
  failure_policy on_failure = failure_policy::stop_portfolio;
  int max_restarts = 3;
};

/// What a new signal does while an order of its strategy in its symbol rests
/// (`on_new_signal:`, per portfolio; README "Orders").
enum class new_signal_policy {
  replace,  ///< cancel the resting orders (reason superseded), act on the signal
  keep,     ///< keep them; the signal is rejected (RISK_REJECT order_pending)
  add,      ///< keep them and act on the signal too
};

struct portfolio_config {
  std::string id;
  double initial_capital = 100000;
  std::vector<strategy_config> strategies;
  risk_config risk;
  account_config account;
  supervision_config supervision;
  metrics_config metrics;
  new_signal_policy on_new_signal = new_signal_policy::replace;
};

/// One band of a tiered commission: the rates of the units a schedule prices while the
/// units it priced this month are at most `up_to` (README "Trading rules", costs).
struct commission_tier {
  double up_to = std::numeric_limits<double>::infinity();  ///< units this month; last: none
  double per_share = 0;  ///< currency per unit
  double percent = 0;    ///< fraction of notional
};

struct commission_config {
  double per_share = 0;  ///< currency per unit
  double percent = 0;  ///< fraction of notional, e.g. 0.001 = 10 bp
  double minimum = 0;  ///< per order
  double maximum = std::numeric_limits<double>::infinity();  ///< per order; >= minimum
  /// When not empty, the rates by month-to-date volume instead of per_share and percent:
  /// up_to increasing, the last tier open-ended (fill_model.hpp, commission_for).
  std::vector<commission_tier> tiers = {};
};

enum class slippage_kind { none, fixed, percent, spread };

struct slippage_config {
  slippage_kind kind = slippage_kind::none;
  /// price units (fixed), fraction of price (percent), or the quoted bid-ask spread as
  /// a fraction of price (spread: an order pays half of it)
  double amount = 0;
};

/// What trading costs: `execution:`, or a symbol's own under `instruments:`.
struct execution_config {
  commission_config commission;
  slippage_config slippage;
  /// Annual borrow fee of a short, a fraction of its value (0.03 = 3 % a year), accrued
  /// per calendar day on a 360-day year (actors/portfolio/portfolio_book.hpp).
  double borrow_fee = 0;
  /// The most of a bar's volume one portfolio's orders in the symbol may fill, as a
  /// fraction (0.1 = 10%); the rest works on later bars. 0: no limit. Run-wide
  /// (`execution.max_volume_fraction`), not per symbol.
  double max_volume_fraction = 0;
};

/// Trading units of one symbol (`instruments:` by symbol name).
struct instrument_config {
  double lot_size = 1;      ///< quantities are whole multiples of this (units of the symbol)
  double min_quantity = 0;  ///< smaller entries are cancelled (below_min_quantity)
  std::string location;     ///< "file:line: instruments.SYM", for errors naming the symbol
  /// The symbol's own costs, each replacing the `execution:` one whole.
  std::optional<commission_config> commission;
  std::optional<slippage_config> slippage;
  std::optional<double> borrow_fee = std::nullopt;
};

struct engine_config {
  std::size_t batch_size = 1024;          ///< bars per message; never changes results
  std::size_t max_batches_in_flight = 8;  ///< flow-control window between data and consumers
};

struct backtest_config {
  std::string name;         ///< run name; default: the config file's stem
  std::string source_file;  ///< the YAML file (or the origin of YAML text), "" when built in C++
  data_config data;
  execution_config execution;
  engine_config engine;
  std::map<std::string, instrument_config> instruments;  ///< by symbol; others: whole units
  trace_settings tracing;
  std::vector<portfolio_config> portfolios;
};

}  // namespace admf

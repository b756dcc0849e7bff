// What every container of one run shares, read-only: names of containers and symbols,
// the run id, the config. Built once before the actors start.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/fwd.hpp>
#include <caf/spawn_options.hpp>

#include "runtime/bus/port.hpp"
#include "runtime/config/backtest_config.hpp"
#include "runtime/core/stop_signal.hpp"
#include "runtime/data/market_data.hpp"

namespace admf {

struct portfolio_layout {
  container_id portfolio;
  container_id risk;
  std::vector<container_id> strategies;  ///< in config order
  /// Per strategy, the symbol ids whose bars it receives, sorted, derived series
  /// included; empty: every symbol (no `symbols:`, or one naming all of the run's, in a
  /// run without derived series).
  std::vector<std::vector<symbol_id>> strategy_symbols;
  /// Per strategy (runtime/run/timeframes.hpp): the ids of its `symbols:` as it sees
  /// them, the id each bar reaches it under (empty: its own), and its barriers with
  /// alignment timeframes spelled out as series names.
  std::vector<std::vector<symbol_id>> strategy_own;
  std::vector<std::vector<symbol_id>> strategy_deliver_as;
  std::vector<std::optional<barrier_config>> strategy_barriers;
  /// Per symbol id: its bars make this portfolio's calendar, the timestamps it closes
  /// (marks, publishes PORTFOLIO_UPDATE, acts on signals). Its strategies' symbols, or
  /// every symbol when one of them takes all: another portfolio's symbols never count.
  /// A derived series counts with its base symbol: orders placed at its bars fill on
  /// the base's, and the portfolio marks at both.
  std::vector<bool> calendar;
};

struct run_context {
  backtest_config config;
  std::shared_ptr<const market_data> data;
  std::uint64_t run_id = 0;
  std::vector<std::string> containers;  ///< container_id -> name
  container_id root = 0, data_feed = 0, execution = 0;
  std::vector<portfolio_layout> portfolios;  ///< in config order
  std::vector<instrument_config> instruments;  ///< by symbol id: the config's, else whole units
  /// By symbol id: its instrument's commission, slippage and borrow fee, else `execution:`'s.
  std::vector<execution_config> symbol_costs;
  std::string staging_dir;  ///< where recorders write result files; "" = write none
  bool write_signals = false;  ///< recorders also write signals.csv (`admf run --signals`)
  /// Set (SIGINT, SIGTERM) to stop early: data ends the stream at the next credit, the
  /// containers finish what is in flight, tracers end their files as interrupted.
  /// Null: the run always goes to the end. Outlives the run.
  const stop_flag* stop = nullptr;
  /// Tracing rule of each container (nullopt: not traced), resolved from the config.
  std::vector<std::optional<trace_rule>> trace_rules;
  /// Channel to the interceptor of each container, filled in before any container is
  /// spawned (read-only afterwards); null where nothing is attached.
  std::vector<std::shared_ptr<tap_channel>> taps;

  const std::string& name_of(container_id c) const { return containers[c]; }
  /// Container `c`'s bus port, with its interceptor's tap when one is attached.
  bus_port port_of(container_id c) const { return bus_port{c, run_id, taps[c]}; }
  const std::string& symbol_name(symbol_id s) const { return data->symbols[s]; }
  const instrument_config& instrument(symbol_id s) const { return instruments[s]; }
  /// What trading symbol `s` costs: the one place the per-symbol overrides are resolved.
  const execution_config& costs(symbol_id s) const { return symbol_costs[s]; }
  std::string run_hex() const;
  bool stop_requested() const { return stop && stop->requested(); }
};

using context_ptr = std::shared_ptr<const run_context>;

/// Spawns container `id` of the run linked to `parent`, running `fn(self, xs...)`,
/// with the interceptor configuration attached to it (see runtime/bus/port.hpp).
template <class Parent, class F, class... Ts>
auto spawn_container(Parent* parent, const run_context& ctx, container_id id, F fn, Ts... xs) {
  return parent->template spawn<caf::linked>(intercepted(id, fn, std::move(xs)...), ctx.taps[id]);
}

/// Lays out the container table and derives the run id from the config (its name, the
/// portfolios' ids and their strategies: ids, types, parameters, symbols, timeframes)
/// and the data's content_hash (hash_bars() when it has none), so the same inputs give
/// the same ids in every run, and a sweep's jobs sharing one market_data hash no bars. Adds the derived series the
/// strategies ask for to the data (runtime/run/timeframes.hpp).
std::shared_ptr<run_context> make_run_context(backtest_config config,
                                              std::shared_ptr<const market_data> data);

}  // namespace admf

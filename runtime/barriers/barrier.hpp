// Synchronization barriers: deterministic rules deciding when a strategy runs and how
// many of its signals pass. No actors here: the strategy actor groups its bars into
// time slices (all bars of one timestamp, sorted by symbol id) and, per slice, asks
//
//   if (auto bars = barriers.admit(t, slice)) {     // nullopt: skip this time
//     ...run the strategy on *bars, collecting its signals...
//     keep the first barriers.keep_signals(t, signals.size()) signals
//   }
//
// Composition rules:
// - admit: all = every child admits, any = some child admits. Every child decides on
//   every slice (no short-circuit), so each knows its own decision afterwards.
// - Carried bars: the slice handed on is the slice's own bars plus the carried bars of
//   every data_alignment barrier that admitted and whose ancestors admitted (under
//   all that is every child; under any, only the admitting ones). A symbol is carried
//   at most once: all barriers carry the same last bar.
// - keep_signals: each barrier lets through as many signals as it allows, all = the
//   minimum over children, any = the maximum. data_alignment and trading_hours allow
//   every signal if they admitted the slice and none otherwise; max_signals allows
//   what is left of its count in the current period. Every max_signals barrier then
//   counts every kept signal, wherever it sits in the tree: a count is of the
//   signals that passed the whole set (under any, it may pass N).
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/barriers/barrier_config.hpp"
#include "runtime/data/market_data.hpp"
#include "runtime/events/event.hpp"

namespace admf {

class barrier_node;

class barrier_set {
public:
  /// Resolves symbol names against the run's (`symbol_names[id]`) and time zones
  /// against this machine's tz database; throws input_error naming the config
  /// location for an unknown one. `own_symbols`: the ids the strategy sees (its
  /// `symbols:`; empty: all), what a data_alignment without a symbol list aligns.
  barrier_set(const barrier_config& config, const std::vector<std::string>& symbol_names,
              const std::vector<symbol_id>& own_symbols = {});
  ~barrier_set();
  barrier_set(barrier_set&&) noexcept;
  barrier_set& operator=(barrier_set&&) noexcept;

  /// The bars the strategy runs on at `t`, sorted by symbol id: `slice` plus carried
  /// bars (time t, open = high = low = close = the symbol's last close, volume 0) for
  /// symbols without a bar at t. nullopt: the strategy does not run at t.
  /// `slice` holds all bars of time t, sorted by symbol id; times must increase from
  /// call to call (std::invalid_argument otherwise).
  std::optional<std::vector<timed_bar>> admit(timestamp t, const std::vector<bar_data>& slice);

  /// How many of the `emitted` signals the strategy made at `t` pass, counting from
  /// the first. Call once per admitted slice, after admit(t) (std::logic_error otherwise).
  std::size_t keep_signals(timestamp t, std::size_t emitted);

  /// Back to the state before the first slice, for a restarted strategy.
  void reset();

private:
  std::unique_ptr<barrier_node> root_;
  std::vector<bar_data> last_;  ///< per symbol: its latest bar so far
  std::vector<bool> seen_;      ///< per symbol: has had a bar at or before the current time
  std::vector<bool> present_;   ///< per symbol: has a bar at the current time
  std::optional<timestamp> time_;  ///< of the latest admit() call
  bool signals_pending_ = false;   ///< admit(time_) let the strategy run; keep_signals not yet called
};

} // namespace admf

// What a strategy is to the runtime: bars in, signals out, resettable state.
// The strategy actor hosts one instance and turns its signals into SIGNAL events.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/config/backtest_config.hpp"
#include "runtime/events/event.hpp"

namespace admf {

/// A signal as a strategy states it; the actor adds the event header.
struct signal_intent {
  symbol_id symbol = 0;
  direction target = direction::flat;
  double strength = 1.0;
  double quantity = 0;
  order_kind kind = order_kind::market;
  double limit_price = 0;
  double stop_price = 0;
};

class strategy {
public:
  virtual ~strategy() = default;
  /// One bar at its close. Append signals to `out`; they are acted on at the next bar.
  virtual void on_bar(timestamp time, const bar_data& bar, std::vector<signal_intent>& out) = 0;
  /// Back to the state before the first bar (one instance serves many runs).
  virtual void reset() = 0;
};

using strategy_factory = std::function<std::unique_ptr<strategy>(const strategy_params&)>;

/// Registers a strategy type for configs to name (built-ins register themselves).
void register_strategy(const std::string& type, strategy_factory factory);

/// Builds a strategy from its config. Throws input_error naming the key of an
/// unknown type or a bad parameter.
std::unique_ptr<strategy> make_strategy(const strategy_config& config);

} // namespace admf

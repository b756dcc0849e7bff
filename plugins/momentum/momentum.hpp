// Momentum: rate of change over `lookback` bars, one independent state per symbol.
// Long when it exceeds `threshold`, flat (or short with allow_short) when it falls
// below -threshold, unchanged in between; a signal only when the target changes.
#pragma once
#include <cstddef>
#include <deque>
#include <vector>

#include "runtime/plugin/strategy_plugin.hpp"

namespace admf::plugins {

class momentum final : public plugin::strategy {
public:
  explicit momentum(const plugin::params& params);
  momentum(int lookback, double threshold, bool allow_short)
    : lookback_(lookback), threshold_(threshold), allow_short_(allow_short) {}

  void on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) override;
  void reset() override { symbols_.clear(); }

private:
  struct symbol_state {
    std::deque<double> closes;  // the last lookback + 1 closes, oldest first
    plugin::direction target = plugin::direction::flat;  // what was last asked for
  };

  int lookback_ = 1;
  double threshold_ = 0;
  bool allow_short_ = false;
  std::vector<symbol_state> symbols_;
};

} // namespace admf::plugins

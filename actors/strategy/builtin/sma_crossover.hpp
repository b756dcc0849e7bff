// SMA crossover, long-only signals, one independent state per symbol.
// SMAs come from exact integer window sums of prices in micro-units, and the two
// averages are compared by cross-multiplication, so an exact tie is a real tie.
#pragma once
#include <cstdint>
#include <deque>
#include <vector>

#include "runtime/strategy/strategy.hpp"

namespace admf {

class sma_crossover final : public strategy {
public:
  sma_crossover(int fast, int slow);
  void on_bar(timestamp time, const bar_data& bar, std::vector<signal_intent>& out) override;
  void reset() override { symbols_.clear(); }

private:
  enum class side : std::uint8_t { unknown, equal_start, above, below };
  struct symbol_state {
    std::deque<std::int64_t> window;  // last `slow` closes, micro-units
    std::int64_t fast_sum = 0, slow_sum = 0;
    side last = side::unknown;
  };
  int fast_, slow_;
  std::vector<symbol_state> symbols_;
};

} // namespace admf

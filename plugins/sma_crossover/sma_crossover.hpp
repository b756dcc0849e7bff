// SMA crossover, long-only, one independent state per symbol. SMAs come from exact
// integer window sums of prices in micro-units, and the two averages are compared
// by cross-multiplication, so an exact tie is a real tie.
#pragma once
#include <cstdint>
#include <deque>
#include <vector>

#include "runtime/plugin/strategy_plugin.hpp"

namespace admf::plugins {

class sma_crossover final : public plugin::strategy {
public:
  explicit sma_crossover(const plugin::params& params);
  sma_crossover(int fast, int slow) : fast_(fast), slow_(slow) {}

  void on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) override;
  void reset() override { symbols_.clear(); }

private:
  enum class side : std::uint8_t { unknown, equal_start, above, below };
  struct symbol_state {
    std::deque<std::int64_t> window;  // last `slow` closes, micro-units
    std::int64_t fast_sum = 0, slow_sum = 0;
    side last = side::unknown;
  };
  void on_bar(const plugin::bar& bar, plugin::context& ctx);

  int fast_, slow_;
  std::vector<symbol_state> symbols_;
};

} // namespace admf::plugins

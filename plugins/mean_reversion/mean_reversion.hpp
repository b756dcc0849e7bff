// Mean reversion on the z-score of each symbol's close against its rolling mean and
// population standard deviation over `window` bars (the current one included).
// The window's sums are exact integers in price micro-units, so the statistics do
// not drift over long runs and a flat window is exactly std == 0.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "runtime/plugin/strategy_plugin.hpp"

namespace admf::plugins {

class mean_reversion final : public plugin::strategy {
public:
  explicit mean_reversion(const plugin::params& params);
  mean_reversion(int window, double entry_z, double exit_z)
    : window_(window), entry_z_(entry_z), exit_z_(exit_z) {}

  void on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) override;
  void reset() override { symbols_.clear(); }

private:
  struct symbol_state {
    std::deque<std::int64_t> window;  // the last `window` closes, micro-units
    std::int64_t sum = 0;             // Σ close
    __int128 sum_sq = 0;              // Σ close², overflows 64 bits for real prices
    plugin::direction target = plugin::direction::flat;
  };

  int window_ = 20;
  double entry_z_ = 2.0, exit_z_ = 0.0;
  std::vector<symbol_state> symbols_;
};

} // namespace admf::plugins

// Pairs trading on the z-score of the spread close_a − hedge_ratio × close_b over the
// last `window` timestamps at which both symbols have a bar. A high spread is sold
// (short A, long B), a low one bought (long A, short B), and both legs are closed
// once the spread is back near its mean. Each leg uses half the allocation.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>

#include "runtime/plugin/strategy_plugin.hpp"

namespace admf::plugins {

class pairs final : public plugin::strategy {
public:
  explicit pairs(const plugin::params& params);
  pairs(std::string symbol_a, std::string symbol_b, double hedge_ratio, int window,
        double entry_z, double exit_z)
    : name_a_(std::move(symbol_a)), name_b_(std::move(symbol_b)), hedge_(hedge_ratio),
      window_(window), entry_z_(entry_z), exit_z_(exit_z) {}

  void on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) override;
  void reset() override;

private:
  enum class side : std::int8_t { flat, long_spread, short_spread };

  void resolve(const plugin::context& ctx);
  void emit(plugin::context& ctx, side target) const;

  std::string name_a_, name_b_;
  double hedge_ = 1.0;
  int window_ = 20;
  double entry_z_ = 2.0, exit_z_ = 0.5;

  // Per run: symbol indices are only known from the run's context.
  bool resolved_ = false;
  std::uint32_t a_ = 0, b_ = 0;
  std::deque<double> spreads_;  // the last `window` spreads, oldest first
  side side_ = side::flat;
};

} // namespace admf::plugins

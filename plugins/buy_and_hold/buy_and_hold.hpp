// Buy and hold: a long signal on the first bar of each symbol, then nothing.
#pragma once
#include <vector>

#include "runtime/plugin/strategy_plugin.hpp"

namespace admf::plugins {

class buy_and_hold final : public plugin::strategy {
public:
  explicit buy_and_hold(const plugin::params& params) {
    static const char* const known[] = {nullptr};
    params.expect_only(known);
  }

  void on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) override {
    for (std::size_t i = 0; i < count; ++i) {
      const auto symbol = bars[i].symbol;
      if (symbol >= seen_.size())
        seen_.resize(symbol + 1, false);
      if (seen_[symbol])
        continue;
      seen_[symbol] = true;
      plugin::signal signal;
      signal.symbol = symbol;
      signal.target = plugin::direction::long_;
      ctx.emit(signal);
    }
  }
  void reset() override { seen_.clear(); }

private:
  std::vector<bool> seen_;
};

} // namespace admf::plugins

// Buy and hold: a long signal on the first bar of each symbol, then nothing.
#pragma once
#include <vector>

#include "runtime/strategy/strategy.hpp"

namespace admf {

class buy_and_hold final : public strategy {
public:
  void on_bar(timestamp, const bar_data& bar, std::vector<signal_intent>& out) override {
    if (bar.symbol >= seen_.size())
      seen_.resize(bar.symbol + 1, false);
    if (seen_[bar.symbol])
      return;
    seen_[bar.symbol] = true;
    signal_intent signal;
    signal.symbol = bar.symbol;
    signal.target = direction::long_;
    out.push_back(signal);
  }
  void reset() override { seen_.clear(); }

private:
  std::vector<bool> seen_;
};

} // namespace admf

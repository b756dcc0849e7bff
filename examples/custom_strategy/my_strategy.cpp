// my_strategy: a channel breakout, as an admf strategy plugin built out of tree.
//
// Per symbol: go long when the close breaks above the highest close of the previous
// `lookback` bars; go flat when it breaks below the lowest close of the previous
// `exit_lookback` bars (default: `lookback`). Signals are target positions; the
// portfolio sizes and fills them from the next bar on.
//
//   strategies:
//     - {id: breakout_1, plugin: my_strategy, params: {lookback: 20, exit_lookback: 10}}
#include "runtime/plugin/strategy_plugin.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace {

using namespace admf::plugin;

// A whole number of bars in [1, 100000]; a bad value fails naming the config line.
int bars_param(const params& p, const char* key, double value) {
  if (value != std::floor(value) || value < 1 || value > 100000)
    p.fail(key, std::string("must be a whole number of bars between 1 and 100000, got ")
                  + p.text(key));
  return static_cast<int>(value);
}

class breakout final : public strategy {
public:
  explicit breakout(const params& p) {
    static const char* const known[] = {"lookback", "exit_lookback", nullptr};
    p.expect_only(known);  // a misspelt key is an error, not a silent default
    entry_ = bars_param(p, "lookback", p.number("lookback"));
    exit_ = p.has("exit_lookback") ? bars_param(p, "exit_lookback", p.number("exit_lookback"))
                                   : entry_;
    keep_ = static_cast<std::size_t>(std::max(entry_, exit_));
  }

  void on_bars(const bar* bars, std::size_t count, context& ctx) override {
    for (std::size_t i = 0; i < count; ++i)
      on_bar(bars[i], ctx);
  }

  void reset() override { symbols_.clear(); }

private:
  struct state {
    std::deque<double> closes;  // the previous bars' closes, newest last
    bool long_ = false;
  };

  void on_bar(const bar& b, context& ctx) {
    if (b.symbol >= symbols_.size())
      symbols_.resize(b.symbol + 1);
    state& s = symbols_[b.symbol];
    if (s.closes.size() == keep_) {  // a full channel: compare before adding this bar
      const auto end = s.closes.end();
      const double high = *std::max_element(end - entry_, end);
      const double low = *std::min_element(end - exit_, end);
      if (!s.long_ && b.close > high)
        go(b.symbol, direction::long_, s, ctx);
      else if (s.long_ && b.close < low)
        go(b.symbol, direction::flat, s, ctx);
      s.closes.pop_front();
    }
    s.closes.push_back(b.close);
  }

  static void go(std::uint32_t symbol, direction target, state& s, context& ctx) {
    signal out;
    out.symbol = symbol;
    out.target = target;
    ctx.emit(out);
    s.long_ = target == direction::long_;
  }

  int entry_ = 0, exit_ = 0;
  std::size_t keep_ = 0;
  std::vector<state> symbols_;
};

} // namespace

ADMF_STRATEGY_PLUGIN(breakout)

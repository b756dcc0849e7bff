#include "actors/strategy/builtin/sma_crossover.hpp"

#include <cmath>

namespace admf {

sma_crossover::sma_crossover(int fast, int slow) : fast_(fast), slow_(slow) {}

void sma_crossover::on_bar(timestamp, const bar_data& bar, std::vector<signal_intent>& out) {
  if (bar.symbol >= symbols_.size())
    symbols_.resize(bar.symbol + 1);
  auto& s = symbols_[bar.symbol];
  const auto price = static_cast<std::int64_t>(std::llround(bar.close * 1e6));
  s.window.push_back(price);
  s.fast_sum += price;
  s.slow_sum += price;
  const auto n = static_cast<int>(s.window.size());
  if (n > fast_)
    s.fast_sum -= s.window[n - 1 - fast_];
  if (n > slow_) {
    s.slow_sum -= s.window.front();
    s.window.pop_front();
  }
  if (n < slow_)
    return;
  // fast_sum/fast vs slow_sum/slow, exactly.
  const __int128 lhs = static_cast<__int128>(s.fast_sum) * slow_;
  const __int128 rhs = static_cast<__int128>(s.slow_sum) * fast_;
  if (s.last == side::unknown) {  // first bar with both averages: sets the side, no signal
    s.last = lhs > rhs ? side::above : lhs < rhs ? side::below : side::equal_start;
    return;
  }
  if (lhs == rhs)  // an exactly equal bar keeps the previous side
    return;
  const side now = lhs > rhs ? side::above : side::below;
  if (now == s.last)
    return;
  signal_intent signal;
  signal.symbol = bar.symbol;
  signal.target = now == side::above ? direction::long_ : direction::flat;
  out.push_back(signal);
  s.last = now;
}

} // namespace admf

#include "plugins/sma_crossover/sma_crossover.hpp"

#include "runtime/plugin/param_checks.hpp"

#include <cmath>
#include <string>

namespace admf::plugins {

sma_crossover::sma_crossover(const plugin::params& params) {
  static const char* const known[] = {"fast", "slow", nullptr};
  params.expect_only(known);
  fast_ = plugin::whole_number(params, "fast", 1, 1'000'000);
  slow_ = plugin::whole_number(params, "slow", 1, 1'000'000);
  if (fast_ >= slow_)
    params.fail("fast", "fast (" + std::to_string(fast_) + ") must be less than slow ("
                          + std::to_string(slow_) + ")");
}

void sma_crossover::on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) {
  for (std::size_t i = 0; i < count; ++i)
    on_bar(bars[i], ctx);
}

void sma_crossover::on_bar(const plugin::bar& bar, plugin::context& ctx) {
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
  plugin::emit_target(ctx, bar.symbol,
                      now == side::above ? plugin::direction::long_ : plugin::direction::flat);
  s.last = now;
}

} // namespace admf::plugins

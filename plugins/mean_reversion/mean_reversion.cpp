#include "plugins/mean_reversion/mean_reversion.hpp"

#include "runtime/plugin/param_checks.hpp"

#include <cmath>
#include <string>

namespace admf::plugins {


mean_reversion::mean_reversion(const plugin::params& params) {
  static const char* const known[] = {"window", "entry_z", "exit_z", nullptr};
  params.expect_only(known);
  // A window of one value always has std 0; 100000 keeps n·Σclose² far from overflow.
  window_ = plugin::whole_number(params, "window", 2, 100'000);
  const auto z = plugin::read_z_thresholds(params, 2.0, 0.0);
  entry_z_ = z.entry;
  exit_z_ = z.exit;
}

void mean_reversion::on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) {
  using plugin::direction;
  for (std::size_t i = 0; i < count; ++i) {
    const plugin::bar& bar = bars[i];
    if (bar.symbol >= symbols_.size())
      symbols_.resize(bar.symbol + 1);
    auto& s = symbols_[bar.symbol];
    const auto price = static_cast<std::int64_t>(std::llround(bar.close * 1e6));
    s.window.push_back(price);
    s.sum += price;
    s.sum_sq += static_cast<__int128>(price) * price;
    if (s.window.size() > static_cast<std::size_t>(window_)) {
      const std::int64_t old = s.window.front();
      s.window.pop_front();
      s.sum -= old;
      s.sum_sq -= static_cast<__int128>(old) * old;
    }
    if (s.window.size() < static_cast<std::size_t>(window_))
      continue;
    // With n values: n²·variance = n·Σp² − (Σp)² and n·(p − mean) = n·p − Σp, so
    // z = (n·p − Σp) / √(n·Σp² − (Σp)²), both integers exact until this division.
    const __int128 n = window_;
    const __int128 spread_sq = n * s.sum_sq - static_cast<__int128>(s.sum) * s.sum;
    if (spread_sq == 0)
      continue;  // std == 0: no z-score, no decision
    const __int128 deviation = n * price - s.sum;
    const double z =
      static_cast<double>(deviation) / std::sqrt(static_cast<double>(spread_sq));
    direction want = s.target;
    if (z < -entry_z_)
      want = direction::long_;
    else if (z > entry_z_)
      want = direction::short_;
    else if (s.target == direction::long_ && z >= -exit_z_)
      want = direction::flat;
    else if (s.target == direction::short_ && z <= exit_z_)
      want = direction::flat;
    if (want == s.target)
      continue;
    s.target = want;
    plugin::emit_target(ctx, bar.symbol, want);
  }
}

} // namespace admf::plugins

#include "plugins/mean_reversion/mean_reversion.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace admf::plugins {

namespace {

/// A parameter value as a person wrote it (2, not 2.000000).
std::string shown(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

} // namespace

mean_reversion::mean_reversion(const plugin::params& params) {
  static const char* const known[] = {"window", "entry_z", "exit_z", nullptr};
  params.expect_only(known);
  const double window = params.number("window");
  // A window of one value always has std 0; 100000 keeps n·Σclose² far from overflow.
  if (window != std::floor(window) || window < 2 || window > 100'000)
    params.fail("window",
                "must be a whole number between 2 and 100000, got " + params.text("window"));
  window_ = static_cast<int>(window);
  entry_z_ = params.number_or("entry_z", 2.0);
  if (!(entry_z_ > 0) || !std::isfinite(entry_z_))
    params.fail("entry_z", "must be a number > 0, got " + params.text("entry_z"));
  exit_z_ = params.number_or("exit_z", 0.0);
  if (!(exit_z_ >= 0))
    params.fail("exit_z", "must be a number >= 0, got " + params.text("exit_z"));
  if (!(exit_z_ < entry_z_))
    params.fail(params.has("exit_z") ? "exit_z" : "entry_z",
                "exit_z (" + shown(exit_z_) + ") must be less than entry_z (" + shown(entry_z_)
                  + ")");
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
    plugin::signal signal;
    signal.symbol = bar.symbol;
    signal.target = want;
    ctx.emit(signal);
  }
}

} // namespace admf::plugins

#include "plugins/momentum/momentum.hpp"

#include "runtime/plugin/param_checks.hpp"

#include <cmath>
#include <string>

namespace admf::plugins {

momentum::momentum(const plugin::params& params) {
  static const char* const known[] = {"lookback", "threshold", "allow_short", nullptr};
  params.expect_only(known);
  lookback_ = plugin::whole_number(params, "lookback", 1, 1'000'000);
  threshold_ = plugin::number_at_least(params, "threshold", 0.0, 0);
  const double allow_short = params.number_or("allow_short", 0.0);
  if (allow_short != 0 && allow_short != 1)
    params.fail("allow_short", "must be 0 or 1, got " + params.text("allow_short"));
  allow_short_ = allow_short == 1;
}

void momentum::on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) {
  for (std::size_t i = 0; i < count; ++i) {
    const plugin::bar& bar = bars[i];
    if (bar.symbol >= symbols_.size())
      symbols_.resize(bar.symbol + 1);
    auto& s = symbols_[bar.symbol];
    s.closes.push_back(bar.close);
    if (s.closes.size() > static_cast<std::size_t>(lookback_) + 1)
      s.closes.pop_front();
    if (s.closes.size() <= static_cast<std::size_t>(lookback_))
      continue;  // no close `lookback` bars back yet
    // Exactly this expression (in double) is the documented rule, so that an
    // independent reimplementation reproduces every decision.
    const double roc = bar.close / s.closes.front() - 1.0;
    plugin::direction want = s.target;
    if (roc > threshold_)
      want = plugin::direction::long_;
    else if (roc < -threshold_)
      want = allow_short_ ? plugin::direction::short_ : plugin::direction::flat;
    if (want == s.target)
      continue;
    s.target = want;
    plugin::emit_target(ctx, bar.symbol, want);
  }
}

} // namespace admf::plugins

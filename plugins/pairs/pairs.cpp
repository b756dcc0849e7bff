#include "plugins/pairs/pairs.hpp"

#include "runtime/plugin/param_checks.hpp"

#include <cmath>
#include <stdexcept>

namespace admf::plugins {

namespace {

const plugin::bar* find_symbol(const plugin::bar* bars, std::size_t count, std::uint32_t symbol) {
  for (std::size_t i = 0; i < count; ++i)
    if (bars[i].symbol == symbol)
      return &bars[i];
  return nullptr;
}

} // namespace

pairs::pairs(const plugin::params& params) {
  static const char* const known[] = {"symbol_a", "symbol_b", "hedge_ratio", "window",
                                      "entry_z",  "exit_z",   nullptr};
  params.expect_only(known);
  name_a_ = params.text("symbol_a");
  name_b_ = params.text("symbol_b");
  if (name_a_.empty())
    params.fail("symbol_a", "a symbol name is required");
  if (name_b_.empty())
    params.fail("symbol_b", "a symbol name is required");
  if (name_a_ == name_b_)
    params.fail("symbol_b", "must differ from symbol_a ('" + name_a_ + "')");
  // The legs' sides assume B moves with A; a ratio <= 0 would make both legs one bet.
  hedge_ = plugin::number_at_least(params, "hedge_ratio", 1.0, 0, true);
  window_ = plugin::whole_number(params, "window", 2, 100'000);
  const auto z = plugin::read_z_thresholds(params, 2.0, 0.5);
  entry_z_ = z.entry;
  exit_z_ = z.exit;
}

void pairs::reset() {
  resolved_ = false;  // the next run may have other symbols
  spreads_.clear();
  side_ = side::flat;
}

void pairs::resolve(const plugin::context& ctx) {
  const std::int64_t a = ctx.symbol_index(name_a_.c_str());
  if (a < 0)
    throw std::runtime_error("symbol_a: no symbol '" + name_a_ + "' in the run's data");
  const std::int64_t b = ctx.symbol_index(name_b_.c_str());
  if (b < 0)
    throw std::runtime_error("symbol_b: no symbol '" + name_b_ + "' in the run's data");
  a_ = static_cast<std::uint32_t>(a);
  b_ = static_cast<std::uint32_t>(b);
  resolved_ = true;
}

void pairs::on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) {
  if (!resolved_)
    resolve(ctx);
  const plugin::bar* bar_a = find_symbol(bars, count, a_);
  const plugin::bar* bar_b = find_symbol(bars, count, b_);
  if (!bar_a || !bar_b)
    return;  // the spread exists only where both legs have a price
  const double spread = bar_a->close - hedge_ * bar_b->close;
  spreads_.push_back(spread);
  if (spreads_.size() > static_cast<std::size_t>(window_))
    spreads_.pop_front();
  if (spreads_.size() < static_cast<std::size_t>(window_))
    return;
  // Recomputed from the window (two passes, oldest first): no running sums to drift.
  // An exactly constant window is std == 0 even where rounding would make it tiny.
  double sum = 0;
  bool constant = true;
  for (const double s : spreads_) {
    sum += s;
    constant = constant && s == spreads_.front();
  }
  if (constant)
    return;
  const double n = static_cast<double>(window_);
  const double mean = sum / n;
  double squares = 0;
  for (const double s : spreads_)
    squares += (s - mean) * (s - mean);
  const double z = (spread - mean) / std::sqrt(squares / n);
  side want = side_;
  if (z > entry_z_)
    want = side::short_spread;
  else if (z < -entry_z_)
    want = side::long_spread;
  else if (std::fabs(z) < exit_z_)
    want = side::flat;
  if (want == side_)
    return;
  side_ = want;
  emit(ctx, want);
}

void pairs::emit(plugin::context& ctx, side target) const {
  using plugin::direction;
  plugin::signal leg;
  leg.strength = 0.5;
  leg.symbol = a_;
  leg.target = target == side::long_spread    ? direction::long_
               : target == side::short_spread ? direction::short_
                                              : direction::flat;
  ctx.emit(leg);
  leg.symbol = b_;
  leg.target = target == side::long_spread    ? direction::short_
               : target == side::short_spread ? direction::long_
                                              : direction::flat;
  ctx.emit(leg);
}

} // namespace admf::plugins

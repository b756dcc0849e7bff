// What makes a version-2 order well formed, in one place: the runtime applies it to
// every submit (a malformed one fails the strategy), and a plugin may apply it
// earlier (signal_file checks every row of its file before the run starts).
// Header-only: plugins include only runtime/plugin/.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>

#include "runtime/plugin/strategy_plugin.hpp"

namespace admf::plugin {

/// What is wrong with `s` emitted at `time` (ns since the epoch, UTC), or "" if nothing.
inline std::string order_signal_problem(const order_signal& s, std::int64_t time) {
  if (static_cast<std::uint32_t>(s.target) > 3 || static_cast<std::uint32_t>(s.type) > 5
      || static_cast<std::uint32_t>(s.tif) > 4 || static_cast<std::int32_t>(s.side) < -1
      || static_cast<std::int32_t>(s.side) > 1)
    return "unknown target kind, side, order type or time in force";
  for (double x : {s.strength, s.value, s.limit_price, s.stop_price, s.trail_amount,
                   s.trail_percent, s.stop_loss, s.take_profit})
    if (!std::isfinite(x))
      return "a price, value, strength or trail that is not a finite number";
  for (double x : {s.limit_price, s.stop_price, s.trail_amount, s.trail_percent, s.stop_loss,
                   s.take_profit})
    if (x < 0)
      return "a negative price or trail";
  if (s.target == target_kind::side) {
    // Strength 0 is no "don't trade": an out-of-range one would silently mean all of it.
    if (!(s.strength > 0 && s.strength <= 1))
      return "strength " + std::to_string(s.strength) + ": it must be in (0, 1]";
    if (s.value < 0)
      return "a negative quantity for a side target (give the side, not a sign)";
  }
  const bool needs_limit = s.type == order_type::limit || s.type == order_type::stop_limit;
  const bool needs_stop = s.type == order_type::stop || s.type == order_type::stop_limit;
  if (needs_limit != (s.limit_price > 0))
    return needs_limit ? "a limit or stop-limit order without a limit price"
                       : "a limit price on an order type that has none";
  if (needs_stop != (s.stop_price > 0))
    return needs_stop ? "a stop or stop-limit order without a stop price"
                      : "a stop price on an order type that has none";
  const bool trailing = s.type == order_type::trailing_stop;
  if (trailing && (s.trail_amount > 0) == (s.trail_percent > 0))
    return "a trailing stop needs exactly one of trail_amount and trail_percent";
  if (trailing && s.trail_percent >= 1)
    return "trail_percent is a fraction (0.05 = 5%) and must be below 1";
  if (!trailing && (s.trail_amount > 0 || s.trail_percent > 0))
    return "a trail on an order that is not a trailing stop";
  if ((s.tif == time_in_force::gtd) != (s.expire_time != 0))
    return s.tif == time_in_force::gtd ? "a GTD order without an expire_time"
                                       : "an expire_time on an order that is not GTD";
  if (s.tif == time_in_force::gtd && s.expire_time <= time)
    return "a GTD expire_time at or before the bar it is emitted on";
  if (s.type == order_type::market_on_close && s.tif != time_in_force::gtc)
    return "a market-on-close order fills at this close or not at all: no time in force";
  const bool explicit_quantity = s.target == target_kind::quantity
                                 || (s.target == target_kind::side && s.value > 0);
  if (s.tif == time_in_force::fok && !explicit_quantity)
    return "fill-or-kill needs an explicit quantity";
  if (s.stop_loss > 0 || s.take_profit > 0) {
    if (s.target != target_kind::side || s.side == direction::flat)
      return "bracket legs belong to a long or short entry (target_kind::side)";
    const bool long_entry = s.side == direction::long_;
    if (s.stop_loss > 0 && s.take_profit > 0
        && (long_entry ? s.stop_loss >= s.take_profit : s.stop_loss <= s.take_profit))
      return long_entry ? "a long bracket needs stop_loss below take_profit"
                        : "a short bracket needs stop_loss above take_profit";
  }
  return "";
}

/// What is wrong with a replace's `change`, or "" if nothing.
inline std::string order_change_problem(const order_change& c) {
  for (double x : {c.limit_price, c.stop_price, c.quantity})
    if (!(x >= 0 && std::isfinite(x)))
      return "a replace with a negative or non-finite price or quantity";
  if (c.limit_price == 0 && c.stop_price == 0 && c.quantity == 0)
    return "a replace that changes nothing (give a limit price, stop price or quantity)";
  return "";
}

}  // namespace admf::plugin

// Parameter checks plugins share, on top of the plugin API's params: each failure
// names the config file, line and key. Header-only and free of admf's internals, so
// out-of-tree plugins can use it too.
#pragma once
#include <cmath>
#include <cstdio>
#include <string>

#include "runtime/plugin/strategy_plugin.hpp"

namespace admf::plugin {

/// A number as a person wrote it (2, not 2.000000).
inline std::string shown(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

/// A required whole number in [lo, hi].
inline int whole_number(const params& p, const char* key, int lo, int hi) {
  const double v = p.number(key);
  if (v != std::floor(v) || v < lo || v > hi)
    p.fail(key, "must be a whole number between " + std::to_string(lo) + " and "
                  + std::to_string(hi) + ", got " + p.text(key));
  return static_cast<int>(v);
}

/// An optional finite number >= lo (> lo when `strict`), `fallback` when absent.
inline double number_at_least(const params& p, const char* key, double fallback, double lo,
                              bool strict = false) {
  const double v = p.number_or(key, fallback);
  if (!std::isfinite(v) || (strict ? !(v > lo) : !(v >= lo)))
    p.fail(key, std::string("must be a number ") + (strict ? "> " : ">= ") + shown(lo) + ", got "
                  + p.text(key));
  return v;
}

/// z-score entry and exit thresholds: entry > 0, 0 <= exit < entry.
struct z_thresholds {
  double entry, exit;
};

inline z_thresholds read_z_thresholds(const params& p, double entry_default, double exit_default) {
  const double entry = number_at_least(p, "entry_z", entry_default, 0, true);
  const double exit = number_at_least(p, "exit_z", exit_default, 0);
  if (!(exit < entry))
    p.fail(p.has("exit_z") ? "exit_z" : "entry_z",
           "exit_z (" + shown(exit) + ") must be less than entry_z (" + shown(entry) + ")");
  return {entry, exit};
}

/// Emits a market signal for `symbol` towards `target`.
inline void emit_target(context& ctx, std::uint32_t symbol, direction target) {
  signal s;
  s.symbol = symbol;
  s.target = target;
  ctx.emit(s);
}

} // namespace admf::plugin

// signals.csv: one row per SIGNAL, the file `admf run --signals` writes
// (actors/recorder/signals_csv.hpp) and the signal_file plugin replays. Its names are
// defined here, beside the plugin API, because the plugin may include nothing else
// of admf: writer and reader then share one definition. Header-only.
#pragma once
#include "runtime/plugin/strategy_plugin.hpp"

namespace admf::plugin::signal_csv {

/// The columns, in the order of the header line every file starts with.
inline constexpr const char* columns[] = {
  "time",          "strategy", "symbol",      "action",      "target",     "side",
  "strength",      "value",    "type",        "limit_price", "stop_price", "trail_amount",
  "trail_percent", "tif",      "expire_time", "stop_loss",   "take_profit"};
inline constexpr std::size_t column_count = sizeof columns / sizeof columns[0];

/// What a row asks for: context::submit, cancel or replace.
enum class action { order, cancel, replace };
inline constexpr const char* action_names[] = {"order", "cancel", "replace"};

/// Indexed by the value of target_kind, order_type and time_in_force.
inline constexpr const char* target_names[] = {"side", "quantity", "equity_fraction", "weight"};
inline constexpr const char* type_names[] = {"market",     "limit",         "stop",
                                             "stop_limit", "trailing_stop", "market_on_close"};
inline constexpr const char* tif_names[] = {"gtc", "day", "gtd", "ioc", "fok"};

/// Sides in this order (direction's values are 0, 1, -1, so they index nothing).
inline constexpr const char* side_names[] = {"flat", "long", "short"};
inline constexpr direction sides[] = {direction::flat, direction::long_, direction::short_};

}  // namespace admf::plugin::signal_csv

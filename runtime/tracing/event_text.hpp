// Events as text: ids and payloads, the one formatter behind both `admf trace` and
// the console observer (`-v`, `tracing.console`).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/events/event.hpp"

namespace admf {

/// names[id], or "#id" when the table lacks it (a damaged or foreign trace).
std::string name_or_number(const std::vector<std::string>& names, std::uint32_t id);

const char* direction_name(direction d);  ///< "FLAT", "LONG", "SHORT"

/// "0x1f" or "1f" (hex), "31" (decimal: digits only); nullopt for anything else.
std::optional<std::uint64_t> parse_event_id(std::string_view text);
std::string format_event_id(std::uint64_t id);  ///< "0x1f"

/// One line of what the payload says, symbols named from `symbols` (indexed by
/// symbol id). E.g. "BUY 68 SPX @ 1458.47" for a fill, "LONG SPX" for a signal.
std::string describe_payload(const event& ev, const std::vector<std::string>& symbols);

}  // namespace admf

#include "runtime/barriers/time_zone.hpp"

// Debian's libdate-tz is built with these (see date's dateTargets.cmake): the zones
// come from the OS database, not a downloaded copy. They change time_zone's layout,
// so they must be set here, before the include, to match the library.
#define USE_OS_TZDB 1
#define HAS_STRING_VIEW 1
#define ONLY_C_LOCALE 1
#include <date/tz.h>

#include <chrono>
#include <exception>

namespace admf {

std::optional<time_zone> time_zone::find(const std::string& name) {
  try {
    return time_zone(date::locate_zone(name));
  } catch (const std::exception&) {
    // Unknown name, or no readable database at all: either way the zone is missing.
    return std::nullopt;
  }
}

local_reading time_zone::local(timestamp t) const {
  using namespace std::chrono;
  const auto* zone = static_cast<const date::time_zone*>(zone_);
  const date::sys_seconds utc = date::floor<seconds>(date::sys_time<nanoseconds>(nanoseconds(t)));
  const auto wall = zone->to_local(utc);
  const auto midnight = date::floor<date::days>(wall);
  return {static_cast<weekday>(date::weekday(midnight).c_encoding()),
          static_cast<int>((wall - midnight).count())};
}

} // namespace admf

// Time zones of the system tz database (/usr/share/zoneinfo, Debian package tzdata),
// read through H. Hinnant's date library (libdate-tz). Headers never include date/tz.h,
// only .cpp files do: its layout depends on macros that must match how libdate-tz was built.
#pragma once
#include <optional>
#include <string>

#include "runtime/barriers/barrier_config.hpp"
#include "runtime/core/time.hpp"

namespace admf {

/// A moment as a wall clock in some zone shows it.
struct local_reading {
  weekday day = weekday::thu;
  int second_of_day = 0;  ///< 0..86399
};

class time_zone {
public:
  /// nullopt when this machine's tz database has no zone of that name.
  static std::optional<time_zone> find(const std::string& name);

  local_reading local(timestamp t) const;

private:
  explicit time_zone(const void* zone) : zone_(zone) {}
  const void* zone_;  ///< a date::time_zone, owned by the process-wide tz database
};

} // namespace admf

// Reads a data file's time cells into UTC timestamps, as a source's `time_format:` and
// `timezone:` say. Date and zone arithmetic come from H. Hinnant's date library
// (libhowardhinnant-date-dev, tz database from tzdata); the ISO 8601 default has a
// fast path of its own because it is what almost every file uses.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "runtime/core/time.hpp"

namespace admf {

/// One cell read. A local time in the fall-back hour of a DST change exists twice:
/// `earlier` and `later` are its two instants (equal for every other time), and the
/// loader picks by row order (README "Data files": the first occurrence is the earlier).
struct read_time {
  timestamp earlier = 0;
  timestamp later = 0;
};

class timestamp_reader {
public:
  /// format: "" (ISO 8601: YYYY-MM-DD or YYYY/MM/DD, optionally followed by ' ' or 'T'
  /// and HH:MM[:SS[.fraction]], optionally followed by Z or an offset +HH[:MM] / -HH[:MM]),
  /// "epoch_s", "epoch_ms", "epoch_us", "epoch_ns" (integers, UTC), or a strftime-style
  /// pattern as date::parse knows it (%Y %m %d %H %M %S %b %y %z ...).
  /// timezone: "" for UTC, else a tz database name; it applies to times without an offset.
  /// Throws input_error("...what is wrong") — without a location, the caller adds it —
  /// for an unknown zone or a pattern that cannot be a time format.
  timestamp_reader(const std::string& format, const std::string& timezone);
  ~timestamp_reader();
  timestamp_reader(timestamp_reader&&) noexcept;
  timestamp_reader& operator=(timestamp_reader&&) noexcept;

  /// False with `error` set (e.g. "bad timestamp '02.01.2020' (expected YYYY-MM-DD ...;
  /// set time_format: for other layouts)" or "2021-03-14 02:30 does not exist in
  /// America/New_York (clocks skip 02:00-03:00)") when the cell is not a time.
  bool read(std::string_view cell, read_time& out, std::string& error) const;

  /// "ISO 8601 (UTC)", "%d.%m.%Y in Europe/Zurich", "epoch_ms": for messages and inspect.
  std::string describe() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace admf

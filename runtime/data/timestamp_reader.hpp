// Reads a data file's time cells into UTC timestamps, as a source's `time_format:` and
// `timezone:` say. Date and zone arithmetic come from H. Hinnant's date library
// (libhowardhinnant-date-dev, tz database from tzdata); the ISO 8601 default has a
// fast path of its own (runtime/core/time.hpp) because it is what almost every file uses.
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
  /// format:
  ///  ""  ISO 8601: YYYY-MM-DD or YYYY/MM/DD, optionally followed by ' ' or 'T' and
  ///      HH:MM, HH:MM:SS or HH:MM:SS.fraction (up to 9 digits), optionally followed by
  ///      Z or an offset +HH, +HHMM, +HH:MM (or -). The whole cell must match.
  ///  "epoch_s", "epoch_ms", "epoch_us", "epoch_ns": a signed integer count of units
  ///      since 1970-01-01 UTC; epoch_s alone may have a fraction (1615559400.25, up to
  ///      9 digits) as Unix tools write it. Epoch times are UTC: `timezone` does not apply.
  ///  anything else: a strftime-style pattern as date::parse knows it (%Y %m %d %H %M %S
  ///      %b %y %j %z %Ez ...); it must name a year, a month and a day (or a day of the
  ///      year), and the whole cell must match it. With %z the times are exact.
  /// timezone: "" for UTC, else a tz database name; it applies to times without an offset.
  ///  A local time that a DST change skips is an error; one it repeats reads as both
  ///  instants (read_time).
  /// Throws input_error("...what is wrong") — without a location, the caller adds it —
  /// for an unknown zone or a pattern that cannot be a time format (no date, no year,
  /// %Z abbreviations, an unknown epoch_ unit).
  timestamp_reader(const std::string& format, const std::string& timezone);
  ~timestamp_reader();
  timestamp_reader(timestamp_reader&&) noexcept;
  timestamp_reader& operator=(timestamp_reader&&) noexcept;

  /// False with `error` set to one line without location when the cell is not a time:
  /// "bad timestamp '02.01.2020' (expected YYYY-MM-DD[ HH:MM[:SS]] ...)",
  /// "'abc' is not an integer epoch_ms (...)", "2021-03-14 02:30:00 does not exist in
  /// America/New_York (clocks jump from 02:00 to 03:00)". Hot path: no allocation on
  /// success. Const, but not for concurrent use: it keeps the zone's current offset
  /// period (and a stream for patterns) to skip a tz lookup per row.
  bool read(std::string_view cell, read_time& out, std::string& error) const;

  /// "ISO 8601 (naive times in UTC)", "%d.%m.%Y (naive times in Europe/Zurich)",
  /// "epoch_ms": for messages and inspect.
  std::string describe() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace admf

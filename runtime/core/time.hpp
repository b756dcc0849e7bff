// Logical time: nanoseconds since the Unix epoch, UTC. Bars are stamped with it and
// every event's logical time is the bar time it belongs to.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace admf {

using timestamp = std::int64_t;

constexpr timestamp ns_per_second = 1'000'000'000;
constexpr timestamp ns_per_day = 86'400 * ns_per_second;

/// An ISO 8601 time as written: the calendar date and clock time read as if in UTC,
/// and the UTC offset when the text gives one.
struct iso_reading {
  timestamp wall = 0;          ///< ns since 1970-01-01 00:00 of the written date and time
  bool has_offset = false;     ///< 'Z' or an offset was written: `wall - offset` is the instant
  std::int64_t offset = 0;     ///< ns east of UTC (-05:00 is -5 h)
};

/// Why a text is not an ISO 8601 time; `layout` when it does not have the shape at all.
enum class iso_failure { none, layout, month, day, hour, minute, second, fraction, offset, range };

/// Reads "YYYY-MM-DD" or "YYYY/MM/DD", optionally followed by ' ' or 'T' and
/// HH:MM, HH:MM:SS or HH:MM:SS.fraction (1 to 9 digits), optionally followed by 'Z' or
/// an offset +HH, +HHMM or +HH:MM (or -). The whole text must match; ranges are checked
/// (day within its month, leap years included; hour 0-23; minute and second 0-59;
/// offset under 24 h), and `range` means outside the years timestamps cover (1677-2262).
/// No allocation: the hot path of loading a data file.
iso_failure parse_iso_time(std::string_view text, iso_reading& out);

/// The instant of an ISO 8601 time as parse_iso_time reads it, a time without offset
/// taken as UTC; nullopt for anything else.
std::optional<timestamp> parse_timestamp(std::string_view text);

/// ns since the epoch of a valid date plus `ns_of_day`; false when the result is
/// outside what a timestamp holds (about 1677-09-21 to 2262-04-11).
bool civil_time(int year, unsigned month, unsigned day, std::int64_t ns_of_day, timestamp& out);

/// "YYYY-MM-DD" when the time is midnight, else "YYYY-MM-DD HH:MM:SS".
std::string format_timestamp(timestamp t);

/// The same text written to `buf`, returning its length (10 or 19): no allocation, no
/// locale, so a signal handler may call it.
std::size_t format_timestamp(timestamp t, char (&buf)[19]);

/// format_timestamp for times that mostly share their day (a result file's rows): the
/// date's text is kept and made again only when the UTC day changes, so a row costs
/// the time of day's six digits. Same text as format_timestamp for every time.
class timestamp_formatter {
public:
  /// format_timestamp(t, buf): the text in `buf`, its length (10 or 19) returned.
  std::size_t format(timestamp t, char (&buf)[19]);

private:
  std::int64_t day_ = INT64_MIN;  ///< utc_day of the cached date; INT64_MIN: none yet
  char date_[10] = {};            ///< "YYYY-MM-DD" of day_
  bool date_only_ = false;        ///< a year outside 0-9999: the date is written alone
};

/// Wall clock, ns since the epoch: for hop times only, never for logical time.
std::int64_t wall_clock_ns();

/// The UTC date of `t` as days since 1970-01-01 (rounded down: before 1970 too).
std::int64_t utc_day(timestamp t);

/// The UTC calendar month of `t`, numbered 12 x year + month - 1.
std::int64_t utc_month(timestamp t);

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

} // namespace admf

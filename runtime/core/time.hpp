// Logical time: nanoseconds since the Unix epoch, UTC. Bars are stamped with it and
// every event's logical time is the bar time it belongs to.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace admf {

using timestamp = std::int64_t;

constexpr timestamp ns_per_second = 1'000'000'000;
constexpr timestamp ns_per_day = 86'400 * ns_per_second;

/// Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DDTHH:MM[:SS]" (UTC).
std::optional<timestamp> parse_timestamp(std::string_view text);

/// "YYYY-MM-DD" when the time is midnight, else "YYYY-MM-DD HH:MM:SS".
std::string format_timestamp(timestamp t);

/// Wall clock, ns since the epoch: for hop times only, never for logical time.
std::int64_t wall_clock_ns();

/// The UTC date of `t` as days since 1970-01-01 (rounded down: before 1970 too).
std::int64_t utc_day(timestamp t);

/// The UTC calendar month of `t`, numbered 12 x year + month - 1.
std::int64_t utc_month(timestamp t);

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

} // namespace admf

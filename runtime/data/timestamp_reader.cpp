#include "runtime/data/timestamp_reader.hpp"

// As in runtime/barriers/time_zone.cpp: these must match how Debian built libdate-tz.
#define USE_OS_TZDB 1
#define HAS_STRING_VIEW 1
#define ONLY_C_LOCALE 1
#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <istream>
#include <limits>
#include <streambuf>

#include "runtime/core/error.hpp"

namespace admf {

namespace {

using namespace std::chrono;

/// Nanoseconds in 128 bits, for what date.h reads before admf checks its range.
using wide_nanoseconds = duration<__int128, std::nano>;

constexpr const char* iso_expected = "expected YYYY-MM-DD[ HH:MM[:SS]] with an optional offset";
constexpr const char* out_of_range =
    "outside the years timestamps cover, 1677-09-21 to 2262-04-11";

/// An istream source over a cell without copying it: a pattern reader parses every
/// row through one stream.
class view_buffer : public std::streambuf {
public:
  void reset(std::string_view text) {
    // The get area is only read; streambuf's interface just wants char*.
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// "HH:MM", or "HH:MM:SS" when the seconds are not zero: the wall clock a zone shows
/// at the UTC time `t` with UTC offset `offset`.
std::string clock_text(date::sys_seconds t, seconds offset) {
  const date::local_seconds wall{(t + offset).time_since_epoch()};
  return date::format(wall.time_since_epoch().count() % 60 == 0 ? "%H:%M" : "%T", wall);
}

/// "; set time_format: ..." naming the format a cell not in ISO 8601 seems to be in,
/// or "" when it looks like none that is known.
std::string layout_hint(std::string_view cell) {
  const std::string_view number = !cell.empty() && cell[0] == '-' ? cell.substr(1) : cell;
  if (all_digits(number)) {
    const std::size_t n = number.size();
    iso_reading ignored;
    if (n == 8 && cell == number
        && parse_iso_time(std::string(cell.substr(0, 4)) + "-" + std::string(cell.substr(4, 2))
                              + "-" + std::string(cell.substr(6, 2)),
                          ignored)
               == iso_failure::none)
      return "; it looks like YYYYMMDD: set time_format: %Y%m%d";
    static const char* const units[][2] = {{"seconds", "epoch_s"},
                                           {"milliseconds", "epoch_ms"},
                                           {"microseconds", "epoch_us"},
                                           {"nanoseconds", "epoch_ns"}};
    const std::size_t unit = n <= 10 ? 0 : n <= 13 ? 1 : n <= 16 ? 2 : 3;
    return "; a " + std::to_string(n) + "-digit integer looks like " + units[unit][0]
           + " since 1970: set time_format: " + units[unit][1];
  }
  // D.M.YYYY, M/D/YYYY and the like: which of day and month comes first shows only
  // when one of them is above 12.
  const std::size_t a = cell.find_first_not_of("0123456789");
  if (a == 0 || a > 2 || a == std::string_view::npos || (cell[a] != '.' && cell[a] != '/' && cell[a] != '-'))
    return "";
  const char sep = cell[a];
  const std::size_t b = cell.find_first_not_of("0123456789", a + 1);
  if (b == std::string_view::npos || b == a + 1 || b > a + 3 || cell[b] != sep
      || !all_digits(cell.substr(b + 1, 4)) || cell.size() < b + 5
      || (cell.size() > b + 5 && cell[b + 5] >= '0' && cell[b + 5] <= '9'))
    return "";
  const int first = std::stoi(std::string(cell.substr(0, a)));
  const int second = std::stoi(std::string(cell.substr(a + 1, b - a - 1)));
  const std::string s(1, sep);
  const std::string day_first = "%d" + s + "%m" + s + "%Y";
  const std::string month_first = "%m" + s + "%d" + s + "%Y";
  const std::string time = cell.size() > b + 5 ? " followed by the time, e.g. %H:%M:%S" : "";
  if (first > 12)
    return "; it looks like day first: set time_format: " + day_first + time;
  if (second > 12)
    return "; it looks like month first: set time_format: " + month_first + time;
  return "; set time_format: " + day_first + " (day first) or " + month_first
         + " (month first)" + time;
}

std::string iso_message(std::string_view cell, iso_failure failure) {
  const std::string text(cell);
  auto bad = [&text](const std::string& why) { return "bad timestamp '" + text + "' (" + why + ")"; };
  switch (failure) {
    case iso_failure::month:
      return bad("month " + text.substr(5, 2) + " does not exist");
    case iso_failure::day: {
      const int y = std::stoi(text.substr(0, 4));
      const unsigned m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
      const auto last = date::year_month_day_last(date::year(y), date::month_day_last(date::month(m)));
      return bad(text.substr(0, 7) + " has no day " + text.substr(8, 2) + ": it has "
                 + std::to_string(static_cast<unsigned>(last.day())) + " days");
    }
    case iso_failure::hour:
      return bad("hour " + text.substr(11, 2) + " is out of range 00-23");
    case iso_failure::minute:
      return bad("minute " + text.substr(14, 2) + " is out of range 00-59");
    case iso_failure::second:
      return bad("second " + text.substr(17, 2) + " is out of range 00-59");
    case iso_failure::fraction:
      return bad("more than 9 digits after the decimal point: timestamps hold nanoseconds");
    case iso_failure::offset:
      return bad("UTC offset out of range: at most 23:59 either way");
    case iso_failure::range:
      return bad(out_of_range);
    case iso_failure::layout:
    case iso_failure::none:
      break;
  }
  if (cell.empty())
    return "empty timestamp";
  const std::string hint = layout_hint(cell);
  return bad(iso_expected
             + (hint.empty() ? "; set time_format: for other layouts, e.g. %d.%m.%Y" : hint));
}

enum class format_kind { iso, epoch, pattern };

struct epoch_unit {
  const char* name;
  const char* plural;
  std::int64_t ns;
};

constexpr epoch_unit epoch_units[] = {{"epoch_s", "seconds", ns_per_second},
                                      {"epoch_ms", "milliseconds", 1'000'000},
                                      {"epoch_us", "microseconds", 1'000},
                                      {"epoch_ns", "nanoseconds", 1}};

/// What a strftime-style pattern reads, from its conversions.
struct pattern_parts {
  bool year = false, month = false, day = false, day_of_year = false, offset = false;
};

pattern_parts check_pattern(const std::string& format) {
  const std::string where = "time_format " + quote(format);
  pattern_parts p;
  bool any_date = false;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%')
      continue;
    // date::parse takes a field width and an E or O modifier between % and the letter.
    const std::size_t start = i;
    unsigned width = 0;
    do {
      ++i;
      if (i < format.size() && format[i] >= '0' && format[i] <= '9')
        width = std::min(width * 10 + (format[i] - '0'), 1000u);
    } while (i < format.size() && ((format[i] >= '0' && format[i] <= '9') || format[i] == 'E' || format[i] == 'O'));
    if (i == format.size())
      throw input_error(where + " ends in an incomplete % conversion");
    // The widest field is seconds to the nanosecond, SS.fffffffff; wider ones would
    // read numbers that overflow before date.h checks them.
    if (width > 12)
      throw input_error(where + ": " + format.substr(start, i + 1 - start)
                        + " is wider than 12 characters");
    switch (format[i]) {
      case 'Y': case 'y': case 'G': case 'g': case 'C':
        p.year = any_date = true;
        break;
      case 'm': case 'b': case 'B': case 'h':
        p.month = any_date = true;
        break;
      case 'd': case 'e':
        p.day = any_date = true;
        break;
      case 'j':
        p.day_of_year = any_date = true;
        break;
      case 'F': case 'D': case 'x': case 'c':
        p.year = p.month = p.day = any_date = true;
        break;
      case 'a': case 'A': case 'u': case 'w': case 'U': case 'W': case 'V':
        any_date = true;
        break;
      case 'z':
        p.offset = true;
        break;
      case 'Z':
        throw input_error(where + " reads a zone abbreviation (%Z), which does not say which "
                          "offset it means; use %z for numeric offsets, or timezone:");
      default:
        break;
    }
  }
  if (!any_date)
    throw input_error(where + " has no date (it needs %Y, %m and %d or the like; "
                      "epoch_s, epoch_ms, epoch_us and epoch_ns read epoch times)");
  if (!p.year)
    throw input_error(where + " has no year (%Y or %y)");
  if (!p.day_of_year && !p.month)
    throw input_error(where + " has no month (%m or %b)");
  if (!p.day_of_year && !p.day)
    throw input_error(where + " has no day of the month (%d)");
  return p;
}

/// Seconds to ns, saturating: tz periods begin and end at the ends of time.
timestamp saturated_ns(seconds s) {
  constexpr auto limit = std::numeric_limits<timestamp>::max() / ns_per_second;
  if (s.count() >= limit)
    return std::numeric_limits<timestamp>::max();
  if (s.count() <= -limit)
    return std::numeric_limits<timestamp>::min();
  return s.count() * ns_per_second;
}

}  // namespace

struct timestamp_reader::impl {
  std::string format;
  std::string zone_name;
  format_kind kind = format_kind::iso;
  const epoch_unit* unit = nullptr;
  const date::time_zone* zone = nullptr;
  pattern_parts parts;
  view_buffer buffer;
  std::istream stream{&buffer};

  // The local times [window_begin, window_end) map one to one to UTC by
  // `window_offset` (local = utc + offset): consecutive rows mostly fall in one such
  // window, and need no tz lookup.
  timestamp window_begin = 0;
  timestamp window_end = 0;
  std::int64_t window_offset = 0;

  // The date of the last ISO time read, as written ("YYYY-MM-DD"), and its midnight as a
  // local time: a day's rows differ only in the time of day, which same_day() reads
  // alone (the date's checks and civil arithmetic were a third of reading a time).
  char day_text[10] = {};
  timestamp day_start = 0;
  bool have_day = false;

  bool same_day(std::string_view cell, timestamp& wall) const;
  void remember_day(std::string_view cell, timestamp wall);

  bool to_utc(timestamp local, std::string_view cell, read_time& out, std::string& error);
  bool read_epoch(std::string_view cell, read_time& out, std::string& error) const;
  bool read_pattern(std::string_view cell, read_time& out, std::string& error);
};

bool timestamp_reader::impl::to_utc(timestamp local, std::string_view cell, read_time& out,
                                    std::string& error) {
  if (zone == nullptr) {
    out.earlier = out.later = local;
    return true;
  }
  if (local >= window_begin && local < window_end) {
    out.earlier = out.later = local - window_offset;
    return true;
  }
  // Zone changes fall on whole seconds, so the second a time is in classifies it.
  const date::local_seconds at{date::floor<seconds>(nanoseconds(local))};
  const date::local_info info = zone->get_info(at);
  if (info.result == date::local_info::nonexistent) {
    error = std::string(cell) + " does not exist in " + zone_name + " (clocks jump from "
            + clock_text(info.first.end, info.first.offset) + " to "
            + clock_text(info.second.begin, info.second.offset) + ")";
    return false;
  }
  const std::int64_t first = duration_cast<nanoseconds>(info.first.offset).count();
  if (info.result == date::local_info::ambiguous) {
    const std::int64_t second = duration_cast<nanoseconds>(info.second.offset).count();
    if (__builtin_sub_overflow(local, first, &out.earlier)
        || __builtin_sub_overflow(local, second, &out.later)) {
      error = "bad timestamp '" + std::string(cell) + "' (" + out_of_range + ")";
      return false;
    }
    return true;
  }
  if (__builtin_sub_overflow(local, first, &out.earlier)) {
    error = "bad timestamp '" + std::string(cell) + "' (" + out_of_range + ")";
    return false;
  }
  out.later = out.earlier;
  // The period's local times are unique except where a neighbour with a larger
  // offset overlaps them (fall-back), and continue into a gap with a smaller one.
  const date::sys_info& period = info.first;
  const auto before = zone->get_info(period.begin - seconds(1)).offset;
  const auto after = zone->get_info(period.end).offset;
  window_begin = saturated_ns(period.begin.time_since_epoch() + std::max(before, period.offset));
  window_end = saturated_ns(period.end.time_since_epoch() + std::min(after, period.offset));
  window_offset = first;
  return true;
}

/// `wall` for a cell "D", "D HH:MM" or "D HH:MM:SS" ('T' for ' ' too) whose date D is
/// the last one read, as parse_iso_time() would read it; false for every other cell
/// (then parse_iso_time() reads it, and says what is wrong with it).
bool timestamp_reader::impl::same_day(std::string_view c, timestamp& wall) const {
  const std::size_t n = c.size();
  if (!have_day || n < 10 || std::memcmp(c.data(), day_text, 10) != 0)
    return false;
  if (n == 10) {
    wall = day_start;
    return true;
  }
  if ((n != 16 && n != 19) || (c[10] != ' ' && c[10] != 'T') || c[13] != ':'
      || (n == 19 && c[16] != ':'))
    return false;
  // The digits at 11, 12, 14, 15 (and 17, 18): each below 10 once '0' is taken away.
  const auto d = [&c](std::size_t i) { return static_cast<unsigned>(c[i] - '0'); };
  const unsigned h1 = d(11), h0 = d(12), m1 = d(14), m0 = d(15);
  const unsigned s1 = n == 19 ? d(17) : 0, s0 = n == 19 ? d(18) : 0;
  if (h1 > 9 || h0 > 9 || m1 > 9 || m0 > 9 || s1 > 9 || s0 > 9)
    return false;
  const unsigned h = h1 * 10 + h0, m = m1 * 10 + m0, sec = s1 * 10 + s0;
  if (h > 23 || m > 59 || sec > 59)
    return false;
  const std::int64_t of_day = (h * 3600LL + m * 60LL + sec) * ns_per_second;
  return !__builtin_add_overflow(day_start, of_day, &wall);
}

/// Keeps the date of `cell`, just read as the local time `wall`, for same_day().
void timestamp_reader::impl::remember_day(std::string_view cell, timestamp wall) {
  std::memcpy(day_text, cell.data(), sizeof day_text);
  const timestamp of_day = (wall % ns_per_day + ns_per_day) % ns_per_day;
  day_start = wall - of_day;
  have_day = true;
}

bool timestamp_reader::impl::read_epoch(std::string_view cell, read_time& out,
                                        std::string& error) const {
  const char* const begin = cell.data();
  const char* const end = begin + cell.size();
  std::int64_t whole = 0;
  const auto [stop, failure] = std::from_chars(begin, end, whole);
  std::int64_t fraction = 0;
  const char* p = stop;
  bool valid = failure != std::errc::invalid_argument;
  if (valid && p != end && *p == '.' && unit->ns == ns_per_second) {
    const char* const first = ++p;
    for (; p != end && *p >= '0' && *p <= '9' && p - first < 9; ++p)
      fraction = fraction * 10 + (*p - '0');
    for (auto n = p - first; n < 9; ++n)
      fraction *= 10;
    valid = p != first;
    if (valid && p != end && *p >= '0' && *p <= '9') {
      error = "'" + std::string(cell) + "' has more than 9 digits after the decimal point: "
              "timestamps hold nanoseconds";
      return false;
    }
  }
  if (!valid || p != end) {
    if (unit->ns == ns_per_second)
      error = "'" + std::string(cell) + "' is not an epoch_s time (seconds since 1970-01-01 UTC, "
              "e.g. 1615559400 or 1615559400.25)";
    else
      error = "'" + std::string(cell) + "' is not an integer " + unit->name + " ("
              + unit->plural + " since 1970-01-01 UTC)";
    iso_reading ignored;
    if (parse_iso_time(cell, ignored) == iso_failure::none)
      error += "; it is an ISO 8601 time: leave time_format: unset";
    return false;
  }
  const bool negative = !cell.empty() && cell[0] == '-';
  timestamp t;
  if (failure == std::errc::result_out_of_range || __builtin_mul_overflow(whole, unit->ns, &t)
      || __builtin_add_overflow(t, negative ? -fraction : fraction, &t)) {
    error = "'" + std::string(cell) + "' " + unit->name + " is " + out_of_range;
    return false;
  }
  out.earlier = out.later = t;
  return true;
}

bool timestamp_reader::impl::read_pattern(std::string_view cell, read_time& out,
                                          std::string& error) {
  buffer.reset(cell);
  stream.clear();
  // date.h turns the seconds it reads (up to 12 characters, so up to 10^12 s) into the
  // fields' duration before any range check: in int64 nanoseconds that overflows past
  // 9.2e9 s. A 128-bit count holds every such value; hour 24 and beyond is refused below.
  date::fields<wide_nanoseconds> fields{};
  minutes offset{0};
  date::from_stream(stream, format.c_str(), fields, static_cast<std::string*>(nullptr), &offset);
  auto bad = [&](const std::string& why) {
    error = "bad timestamp '" + std::string(cell) + "' (" + why + ")";
    return false;
  };
  if (stream.fail())
    return bad("does not match time_format " + quote(format));
  if (stream.peek() != std::istream::traits_type::eof()) {
    const bool colon = parts.offset && stream.peek() == ':';
    return bad("text after what time_format " + quote(format) + " reads"
               + (colon ? std::string("; %Ez reads offsets written +HH:MM") : std::string()));
  }
  if (!fields.ymd.ok())
    return bad("no such date");
  const wide_nanoseconds wide_of_day = fields.tod.to_duration();
  if (wide_of_day >= hours(24))
    return bad("the time of day is 24:00 or later: hour 24 is out of range 00-23");
  const nanoseconds of_day{static_cast<std::int64_t>(wide_of_day.count())};
  timestamp local;
  if (!civil_time(static_cast<int>(fields.ymd.year()), static_cast<unsigned>(fields.ymd.month()),
                  static_cast<unsigned>(fields.ymd.day()), of_day.count(), local))
    return bad(out_of_range);
  if (parts.offset) {
    if (__builtin_sub_overflow(local, duration_cast<nanoseconds>(offset).count(), &out.earlier))
      return bad(out_of_range);
    out.later = out.earlier;
    return true;
  }
  return to_utc(local, cell, out, error);
}

timestamp_reader::timestamp_reader(const std::string& format, const std::string& timezone)
    : impl_(std::make_unique<impl>()) {
  impl& m = *impl_;
  m.format = format;
  m.zone_name = timezone;
  if (format.empty()) {
    m.kind = format_kind::iso;
  } else if (format.compare(0, 6, "epoch_") == 0 || format == "epoch") {
    m.kind = format_kind::epoch;
    for (const auto& u : epoch_units)
      if (format == u.name)
        m.unit = &u;
    if (m.unit == nullptr)
      throw input_error("unknown time_format " + quote(format)
                        + " (epoch times: epoch_s, epoch_ms, epoch_us or epoch_ns)");
  } else if (format.find('%') == std::string::npos) {
    throw input_error("time_format " + quote(format)
                      + " has no % conversions (it is strftime-style, e.g. %d.%m.%Y %H:%M; "
                        "leave it unset for ISO 8601)");
  } else {
    m.kind = format_kind::pattern;
    m.parts = check_pattern(format);
  }
  if (!timezone.empty()) {
    try {
      m.zone = date::locate_zone(timezone);
    } catch (const std::exception&) {
      // Unknown name, or no readable database at all: either way the zone is missing.
      throw input_error("unknown time zone " + quote(timezone)
                        + " (not in this machine's tz database)");
    }
  }
}

timestamp_reader::~timestamp_reader() = default;
timestamp_reader::timestamp_reader(timestamp_reader&&) noexcept = default;
timestamp_reader& timestamp_reader::operator=(timestamp_reader&&) noexcept = default;

bool timestamp_reader::read(std::string_view cell, read_time& out, std::string& error) const {
  impl& m = *impl_;
  switch (m.kind) {
    case format_kind::iso: {
      timestamp wall;
      if (m.same_day(cell, wall))
        return m.to_utc(wall, cell, out, error);
      iso_reading r;
      const iso_failure failure = parse_iso_time(cell, r);
      if (failure != iso_failure::none) {
        error = iso_message(cell, failure);
        return false;
      }
      if (r.has_offset) {
        out.earlier = out.later = r.wall - r.offset;
        return true;
      }
      m.remember_day(cell, r.wall);
      return m.to_utc(r.wall, cell, out, error);
    }
    case format_kind::epoch:
      return m.read_epoch(cell, out, error);
    case format_kind::pattern:
      return m.read_pattern(cell, out, error);
  }
  return false;
}

std::string timestamp_reader::describe() const {
  const impl& m = *impl_;
  if (m.kind == format_kind::epoch)
    return m.format;
  const std::string zone = m.zone_name.empty() ? "UTC" : m.zone_name;
  if (m.kind == format_kind::pattern && m.parts.offset)
    return m.format;
  return (m.kind == format_kind::iso ? std::string("ISO 8601") : m.format) + " (naive times in "
         + zone + ")";
}

}  // namespace admf

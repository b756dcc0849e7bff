#include "runtime/core/time.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>

namespace admf {

std::int64_t wall_clock_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size())
    return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe + era * 400) + (m <= 2);
}

} // namespace

std::int64_t utc_day(timestamp t) {
  return t / ns_per_day - (t % ns_per_day < 0 ? 1 : 0);
}

std::int64_t utc_month(timestamp t) {
  int y;
  unsigned m, d;
  civil_from_days(utc_day(t), y, m, d);
  return 12 * static_cast<std::int64_t>(y) + m - 1;
}

bool civil_time(int year, unsigned month, unsigned day, std::int64_t ns_of_day, timestamp& out) {
  std::int64_t midnight;
  return !__builtin_mul_overflow(days_from_civil(year, month, day), ns_per_day, &midnight)
         && !__builtin_add_overflow(midnight, ns_of_day, &out);
}

iso_failure parse_iso_time(std::string_view s, iso_reading& out) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (s.size() < 10 || !digits(s, 0, 4, y) || (s[4] != '-' && s[4] != '/') || s[7] != s[4]
      || !digits(s, 5, 2, mo) || !digits(s, 8, 2, d))
    return iso_failure::layout;
  std::int64_t fraction = 0;
  out.has_offset = false;
  out.offset = 0;
  std::size_t pos = 10;
  if (pos < s.size()) {
    if ((s[pos] != ' ' && s[pos] != 'T') || !digits(s, 11, 2, h) || s.size() < 16 || s[13] != ':'
        || !digits(s, 14, 2, mi))
      return iso_failure::layout;
    pos = 16;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(s, 17, 2, sec))
        return iso_failure::layout;
      pos = 19;
      if (pos < s.size() && s[pos] == '.') {
        const std::size_t first = ++pos;
        for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos)
          if (pos - first < 9)
            fraction = fraction * 10 + (s[pos] - '0');
        if (pos == first)
          return iso_failure::layout;
        if (pos - first > 9)
          return iso_failure::fraction;
        for (std::size_t n = pos - first; n < 9; ++n)
          fraction *= 10;
      }
    }
    if (pos < s.size() && s[pos] == 'Z') {
      out.has_offset = true;
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      const bool west = s[pos] == '-';
      int oh, om = 0;
      if (!digits(s, pos + 1, 2, oh))
        return iso_failure::layout;
      pos += 3;
      if (pos < s.size()) {
        pos += s[pos] == ':';
        if (!digits(s, pos, 2, om))
          return iso_failure::layout;
        pos += 2;
      }
      if (oh > 23 || om > 59)
        return iso_failure::offset;
      out.has_offset = true;
      out.offset = (west ? -1 : 1) * (oh * 3600LL + om * 60LL) * ns_per_second;
    }
    if (pos != s.size())
      return iso_failure::layout;
  }
  if (mo < 1 || mo > 12)
    return iso_failure::month;
  if (d < 1 || d > days_in_month(y, mo))
    return iso_failure::day;
  if (h > 23)
    return iso_failure::hour;
  if (mi > 59)
    return iso_failure::minute;
  if (sec > 59)
    return iso_failure::second;
  const std::int64_t ns_of_day = (h * 3600LL + mi * 60LL + sec) * ns_per_second + fraction;
  timestamp instant;
  if (!civil_time(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), ns_of_day, out.wall)
      || __builtin_sub_overflow(out.wall, out.offset, &instant))
    return iso_failure::range;
  return iso_failure::none;
}

std::optional<timestamp> parse_timestamp(std::string_view s) {
  iso_reading r;
  if (parse_iso_time(s, r) != iso_failure::none)
    return std::nullopt;
  return r.wall - r.offset;
}

namespace {

/// `value`'s last `width` decimal digits at buf[at...]. Hand-rolled: equity.csv formats one
/// timestamp per bar, and snprintf was a visible share of a million-bar run (and is no
/// use in a signal handler).
void put_digits(char* buf, int at, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10)
    buf[at + i] = static_cast<char>('0' + value % 10);
}

/// "YYYY-MM-DD" of day `days` (since 1970-01-01) at buf[0..10); false when the year is
/// outside 0-9999, where format_timestamp writes the date alone.
bool put_date(char* buf, std::int64_t days) {
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  put_digits(buf, 0, static_cast<unsigned>(y), 4);
  buf[4] = '-';
  put_digits(buf, 5, m, 2);
  buf[7] = '-';
  put_digits(buf, 8, d, 2);
  return y >= 0 && y <= 9999;
}

/// ns since the UTC midnight of `t`'s day (t - utc_day(t) * ns_per_day, which overflows
/// in the first day a timestamp holds).
std::int64_t time_of_day_ns(timestamp t) {
  const std::int64_t rem = t % ns_per_day;
  return rem < 0 ? rem + ns_per_day : rem;
}

/// " HH:MM:SS" of `since_midnight` ns at buf[10..19), unless it is under a second: then the
/// length without it (10), else 19.
std::size_t put_time_of_day(char* buf, std::int64_t since_midnight) {
  const auto secs = static_cast<unsigned>(since_midnight / ns_per_second);
  if (secs == 0)
    return 10;
  buf[10] = ' ';
  put_digits(buf, 11, secs / 3600, 2);
  buf[13] = ':';
  put_digits(buf, 14, secs / 60 % 60, 2);
  buf[16] = ':';
  put_digits(buf, 17, secs % 60, 2);
  return 19;
}

} // namespace

std::size_t format_timestamp(timestamp t, char (&buf)[19]) {
  const std::int64_t days = utc_day(t);
  if (!put_date(buf, days))
    return 10;
  return put_time_of_day(buf, time_of_day_ns(t));
}

std::size_t timestamp_formatter::format(timestamp t, char (&buf)[19]) {
  const std::int64_t days = utc_day(t);
  if (days != day_) {
    date_only_ = !put_date(date_, days);
    day_ = days;
  }
  std::memcpy(buf, date_, sizeof date_);
  if (date_only_)
    return 10;
  return put_time_of_day(buf, time_of_day_ns(t));
}

std::string format_timestamp(timestamp t) {
  char buf[19];
  return std::string(buf, format_timestamp(t, buf));
}

} // namespace admf

#include "runtime/results/format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "runtime/data/market_data.hpp"

namespace admf {

namespace {

/// Decimal exponents written positionally, as Number::toString does (ECMA-262 §6.1.6.1.20).
constexpr int min_positional_exponent = -6, max_positional_exponent = 20;

/// Writes `count` `digits` × 10^(exponent − count + 1) without an exponent at `at`,
/// returning the end: 1234 and 1 give "12.34"; 1 and 5 give "100000"; 25 and -5 give
/// "0.000025". At most 2 + 6 + 17 characters in the positional range.
char* put_positional(char* at, const char* digits, int count, int exponent) {
  const int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    *at++ = '0';
    *at++ = '.';
    at = std::fill_n(at, -point, '0');
    return std::copy_n(digits, count, at);
  }
  if (point >= count) {
    at = std::copy_n(digits, count, at);
    return std::fill_n(at, point - count, '0');
  }
  at = std::copy_n(digits, point, at);
  *at++ = '.';
  return std::copy_n(digits + point, count - point, at);
}

bool is_midnight(timestamp t) { return t % ns_per_day == 0; }

}  // namespace

void append_double(std::string& out, double value) {
  if (!std::isfinite(value))
    return;
  if (value == 0) {
    out += '0';
    return;
  }
  // Scientific gives the shortest round-trip digits and their exponent, "-d.ddde+XX";
  // fixed would print a large double's exact binary value (123456789012345683968).
  char text[32];
  char* const end =
    std::to_chars(text, text + sizeof text, value, std::chars_format::scientific).ptr;
  // Taken apart by hand, written into one buffer and appended once: equity.csv has
  // four numbers a bar.
  const char* e = end;
  while (*--e != 'e') {
  }
  int exponent = 0;  // after the 'e': a sign, then two or three digits
  for (const char* d = e + 2; d < end; ++d)
    exponent = exponent * 10 + (*d - '0');
  if (e[1] == '-')
    exponent = -exponent;
  if (exponent < min_positional_exponent || exponent > max_positional_exponent) {
    out.append(text, end);
    return;
  }
  // The mantissa's digits without sign and point: "d" or "d.ddd".
  const char* const first = text + (value < 0);
  char digits[32];
  digits[0] = *first;
  const auto fraction = static_cast<int>(e - first) - 2;  // digits after the point, if any
  int count = 1;
  if (fraction > 0) {
    std::memcpy(digits + 1, first + 2, static_cast<std::size_t>(fraction));
    count += fraction;
  }
  char number[48];
  char* at = number;
  if (value < 0)
    *at++ = '-';
  at = put_positional(at, digits, count, exponent);
  out.append(number, at);
}

std::string format_double(double value) {
  std::string out;
  append_double(out, value);
  return out;
}

std::string json_number(double value) {
  return std::isfinite(value) ? format_double(value) : "null";
}

time_format time_format_of(const market_data& data, const std::vector<bool>& calendar) {
  const bool daily = std::all_of(data.bars.begin(), data.bars.end(), [&](const timed_bar& b) {
    return !calendar[b.bar.symbol] || is_midnight(b.time);
  });
  return daily ? time_format::date : time_format::date_time;
}

std::string format_time(timestamp t, time_format f) {
  std::string text;
  time_writer{f}.append(text, t);
  return text;
}

void time_writer::append(std::string& out, timestamp t) {
  char buf[19];
  out.append(buf, formatter_.format(t, buf));
  // format_timestamp leaves a midnight's time out; a date-time file shows it on every row.
  if (format_ == time_format::date_time && is_midnight(t))
    out += " 00:00:00";
}

}  // namespace admf

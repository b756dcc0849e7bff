#include "runtime/results/format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include "runtime/data/market_data.hpp"

namespace admf {

namespace {

/// Decimal exponents written positionally, as Number::toString does (ECMA-262 §6.1.6.1.20).
constexpr int min_positional_exponent = -6, max_positional_exponent = 20;

/// `digits` × 10^(exponent − digits.size() + 1) without an exponent: 1234 and 1 give
/// "12.34"; 1 and 5 give "100000"; 25 and -5 give "0.000025".
void append_positional(std::string& out, std::string_view digits, int exponent) {
  const int count = static_cast<int>(digits.size());
  const int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out += digits;
  } else if (point >= count) {
    out += digits;
    out.append(static_cast<std::size_t>(point - count), '0');
  } else {
    out += digits.substr(0, static_cast<std::size_t>(point));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(point));
  }
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
  char* const e = std::find(text, end, 'e');
  int exponent = 0;
  std::from_chars(e + (e[1] == '+' ? 2 : 1), end, exponent);
  if (exponent < min_positional_exponent || exponent > max_positional_exponent) {
    out.append(text, end);
    return;
  }
  // The mantissa's digits without sign and point, in place: no allocation per number.
  char digits[32];
  char* const digits_end =
    std::copy_if(text, e, digits, [](char c) { return c != '-' && c != '.'; });
  if (value < 0)
    out += '-';
  append_positional(out, {digits, static_cast<std::size_t>(digits_end - digits)}, exponent);
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

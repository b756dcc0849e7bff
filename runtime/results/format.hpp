// How numbers and times are written in every result file admf produces (metrics.json,
// equity.csv, trades.csv, optimize.csv): one rule each, so other tools read them alike
// and the same run writes the same bytes.
#pragma once
#include <string>
#include <vector>

#include "runtime/core/time.hpp"

namespace admf {

struct market_data;

/// Appends the shortest digits that read back as exactly `value` (std::to_chars), laid
/// out like JavaScript's Number::toString (what JSON.stringify writes): positional for
/// 1e-6 <= |value| < 1e21 ("100000", "0.000001", "164421.02"), else with an exponent
/// as printf writes it ("1e+21", "1e-07", "5e-324"). -0 is written "0": equal as a number, and its sign
/// means nothing in a result. A non-finite value appends nothing: an empty CSV field.
void append_double(std::string& out, double value);

/// append_double into a new string.
std::string format_double(double value);

/// format_double, or `null` for a non-finite value (JSON has no NaN or infinity).
std::string json_number(double value);

/// One time format per file: never a date on one row and a date-time on the next.
enum class time_format {
  date,       ///< "YYYY-MM-DD"
  date_time,  ///< "YYYY-MM-DD HH:MM:SS"
};

/// `date` when every bar of the symbols in `calendar` (indexed by symbol id, a
/// portfolio's: runtime/run/run_context.hpp) is at midnight UTC, else `date_time`.
/// Every time a portfolio's files hold is a bar time of its own symbols, so this fits
/// each of them, whatever other symbols the run loads.
time_format time_format_of(const market_data& data, const std::vector<bool>& calendar);

/// `t` (UTC) in format `f`.
std::string format_time(timestamp t, time_format f);

/// format_time for the rows of one file, appended without allocating: the date's text
/// is cached between rows of the same day (timestamp_formatter).
class time_writer {
public:
  explicit time_writer(time_format f) : format_(f) {}

  /// Appends format_time(t, format()) to `out`.
  void append(std::string& out, timestamp t);

  time_format format() const { return format_; }

private:
  time_format format_;
  timestamp_formatter formatter_;
};

}  // namespace admf

#include "runtime/data/corporate_actions.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "runtime/core/error.hpp"
#include "runtime/core/text.hpp"
#include "runtime/data/csv_table.hpp"
#include "runtime/data/timestamp_reader.hpp"

namespace admf {

namespace {

constexpr std::size_t absent = ~std::size_t{0};

struct columns {
  std::size_t date = absent, split = absent, dividend = absent;
};

columns find_columns(const csv_table& file) {
  columns cols;
  const auto& header = file.header();
  const std::string where = file.path() + ":1: ";
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string name = lower_case(header[i]);
    std::size_t* slot = name == "date"       ? &cols.date
                        : name == "split"    ? &cols.split
                        : name == "dividend" ? &cols.dividend
                                             : nullptr;
    if (!slot)
      throw input_error(where + "unknown column " + quote(header[i])
                        + " (expected date, split, dividend)");
    if (*slot != absent)
      throw input_error(where + "column " + quote(name) + " appears twice");
    *slot = i;
  }
  if (cols.date == absent || (cols.split == absent && cols.dividend == absent))
    throw input_error(where + "the header must name date and split and/or dividend");
  return cols;
}

/// A cell judged with an error naming file, line and column (its name in lower case,
/// as the header may write it in any case).
[[noreturn]] void fail(const csv_table& file, std::size_t column, const std::string& what) {
  file.fail("column " + quote(lower_case(file.header()[column])) + ": " + what);
}

/// A local time repeated by a DST change is its earlier instant: the action is in
/// effect from the first time the clock shows it.
timestamp date_of(const csv_table& file, std::size_t column, const timestamp_reader& times) {
  read_time t;
  std::string error;
  if (!times.read(file.field(column), t, error))
    fail(file, column, error);
  return t.earlier;
}

/// A finite number, or nullopt for an empty (or absent) cell.
std::optional<double> number_of(const csv_table& file, std::size_t column) {
  if (column == absent || file.field(column).empty())
    return std::nullopt;
  double v = 0;
  if (!file.try_number(column, v) || !std::isfinite(v))
    fail(file, column, quote(file.text(column)) + " is not a finite number");
  return v;
}

corporate_action read_action(const csv_table& file, const columns& cols,
                             const timestamp_reader& times) {
  corporate_action a;
  a.line = file.line();
  a.date = date_of(file, cols.date, times);
  const auto split = number_of(file, cols.split);
  const auto dividend = number_of(file, cols.dividend);
  if (!split && !dividend)
    file.fail("neither a split nor a dividend");
  if (split && *split <= 0)
    fail(file, cols.split, "must be positive (new shares per old share), got " + file.text(cols.split));
  if (dividend && *dividend < 0)
    fail(file, cols.dividend, "must not be negative, got " + file.text(cols.dividend));
  a.split = split.value_or(1);
  a.dividend = dividend.value_or(0);
  return a;
}

/// Bars [begin, end) in units of `factor` new shares per old one.
/// False when a bar's prices or volume leave what a bar can hold (a split ratio so far
/// from 1 that prices overflow or vanish): the load then fails instead of running on them.
bool divide_by(std::vector<timed_bar>& bars, std::size_t begin, std::size_t end, double factor) {
  if (factor == 1)
    return true;
  bool ok = true;
  for (std::size_t i = begin; i < end; ++i) {
    bar_data& b = bars[i].bar;
    b.open /= factor;
    b.high /= factor;
    b.low /= factor;
    b.close /= factor;
    b.volume *= factor;
    ok &= std::isfinite(b.high) && b.low > 0 && std::isfinite(b.volume);
  }
  return ok;
}

[[noreturn]] void impossible_after(const corporate_actions& file, const corporate_action& a,
                                   double factor) {
  throw input_error(file.path + ":" + std::to_string(a.line)
                    + ": column 'split': the splits from this line on divide earlier prices by "
                    + std::to_string(factor) + ", which leaves bars that cannot exist");
}

}  // namespace

corporate_actions read_corporate_actions(const std::string& path, const std::string& timezone) {
  const timestamp_reader times = [&] {
    try {
      return timestamp_reader("", timezone);
    } catch (const input_error& e) {
      throw input_error(path + ": " + e.what());
    }
  }();
  csv_table table(path, ',', '.');
  const columns cols = find_columns(table);
  corporate_actions file{path, {}};
  while (table.next_row()) {
    const corporate_action a = read_action(table, cols, times);
    if (!file.actions.empty() && a.date <= file.actions.back().date) {
      const auto& prev = file.actions.back();
      const std::string where = path + ":" + std::to_string(a.line) + ": column 'date': ";
      const std::string previous = " on line " + std::to_string(prev.line);
      if (a.date == prev.date)
        throw input_error(where + "duplicate date " + format_timestamp(a.date) + ", same as"
                          + previous + " (put a split and a dividend of one date on one row)");
      throw input_error(where + "unsorted date " + format_timestamp(a.date) + " is before "
                        + format_timestamp(prev.date) + previous);
    }
    file.actions.push_back(a);
  }
  return file;
}

void apply_corporate_actions(std::vector<timed_bar>& bars, const corporate_actions& file) {
  // Each action with the ex-bar it takes effect at; those at or before the first bar
  // take effect nowhere.
  std::vector<std::pair<std::size_t, const corporate_action*>> effective;
  for (const auto& a : file.actions) {
    const auto ex = std::lower_bound(bars.begin(), bars.end(), a.date,
                                     [](const timed_bar& b, timestamp t) { return b.time < t; });
    const std::string where = file.path + ":" + std::to_string(a.line) + ": column 'date': ";
    if (ex == bars.end())
      throw input_error(where + format_timestamp(a.date) + " is after the last bar ("
                        + (bars.empty() ? std::string("the data has none")
                                        : format_timestamp(bars.back().time))
                        + ")");
    const auto index = static_cast<std::size_t>(ex - bars.begin());
    if (index == 0)
      continue;
    if (!effective.empty() && effective.back().first == index)
      throw input_error(where + format_timestamp(a.date) + " takes effect at the same bar ("
                        + format_timestamp(ex->time) + ") as line "
                        + std::to_string(effective.back().second->line));
    effective.emplace_back(index, &a);
  }
  // Backwards from the last bar; `factor`: the product of the splits whose ex-bar is at
  // or after `end`, the units of the bars before it.
  double factor = 1;
  std::size_t end = bars.size();
  const corporate_action* latest = nullptr;  // the earliest split counted in `factor`
  for (auto it = effective.rbegin(); it != effective.rend(); ++it) {
    const auto [index, action] = *it;
    if (!divide_by(bars, index, end, factor))
      impossible_after(file, *latest, factor);
    bars[index].bar.dividend = action->dividend / factor;
    factor *= action->split;
    if (action->split != 1)
      latest = action;
    end = index;
  }
  if (!divide_by(bars, 0, end, factor))
    impossible_after(file, *latest, factor);
}

}  // namespace admf

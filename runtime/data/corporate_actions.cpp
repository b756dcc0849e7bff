#include "runtime/data/corporate_actions.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>

#include <csv.h>

#include "runtime/core/error.hpp"
#include "runtime/data/timestamp_reader.hpp"

namespace admf {

namespace {

struct raw_row {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

/// What libcsv's callbacks fill in. They must not throw (libcsv is C), so rows are only
/// collected here and judged afterwards.
struct collector {
  std::size_t line = 1;  // the line being fed
  std::vector<std::string> fields;
  std::vector<raw_row> rows;
};

void on_field(void* text, std::size_t size, void* data) {
  auto& c = *static_cast<collector*>(data);
  c.fields.emplace_back(size == 0 ? std::string() : std::string(static_cast<char*>(text), size));
}

void on_row_end(int, void* data) {
  auto& c = *static_cast<collector*>(data);
  c.rows.push_back({c.line, std::move(c.fields)});
  c.fields.clear();
}

/// The file's rows as fields, each with the line it ends on; blank lines are skipped.
/// Fed line by line so that a row knows its line.
std::vector<raw_row> read_rows(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw input_error(path + ": cannot open file");
  struct parser {
    csv_parser p;
    parser() { csv_init(&p, CSV_STRICT | CSV_STRICT_FINI); }
    ~parser() { csv_free(&p); }
  } parser;
  collector c;
  const auto fail = [&] {
    throw input_error(path + ":" + std::to_string(c.line)
                      + ": malformed CSV: " + csv_strerror(csv_error(&parser.p)));
  };
  for (std::string text; std::getline(in, text); ++c.line) {
    // Spreadsheet exports often start with a UTF-8 byte order mark.
    if (c.line == 1 && text.compare(0, 3, "\xEF\xBB\xBF") == 0)
      text.erase(0, 3);
    text += '\n';
    if (csv_parse(&parser.p, text.data(), text.size(), on_field, on_row_end, &c) != text.size())
      fail();
  }
  if (in.bad())
    throw input_error(path + ": cannot read file");
  --c.line;  // an unterminated quote shows at the end of the last line
  if (csv_fini(&parser.p, on_field, on_row_end, &c) != 0 || csv_error(&parser.p) != CSV_SUCCESS)
    fail();
  return c.rows;
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  return first == std::string::npos ? std::string()
                                    : s.substr(first, s.find_last_not_of(" \t\r") + 1 - first);
}

std::string lower_trimmed(const std::string& s) {
  std::string out = trimmed(s);
  for (char& ch : out)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

constexpr std::size_t absent = ~std::size_t{0};

struct columns {
  std::size_t date = absent, split = absent, dividend = absent;
};

columns find_columns(const std::string& path, const raw_row& header) {
  columns cols;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = lower_trimmed(header.fields[i]);
    std::size_t* slot = name == "date"       ? &cols.date
                        : name == "split"    ? &cols.split
                        : name == "dividend" ? &cols.dividend
                                             : nullptr;
    const std::string where = path + ":" + std::to_string(header.line) + ": ";
    if (!slot)
      throw input_error(where + "unknown column " + quote(header.fields[i])
                        + " (expected date, split, dividend)");
    if (*slot != absent)
      throw input_error(where + "column " + quote(name) + " appears twice");
    *slot = i;
  }
  if (cols.date == absent || (cols.split == absent && cols.dividend == absent))
    throw input_error(path + ":" + std::to_string(header.line)
                      + ": the header must name date and split and/or dividend");
  return cols;
}

/// One data row's cells, each judged with an error naming file, line and column.
class row_reader {
public:
  row_reader(const std::string& path, const raw_row& header, const raw_row& row,
             const timestamp_reader& times)
    : path_(path), header_(header), row_(row), times_(times) {}

  std::string where() const { return path_ + ":" + std::to_string(row_.line); }

  [[noreturn]] void fail(std::size_t column, const std::string& what) const {
    throw input_error(where() + ": column " + quote(lower_trimmed(header_.fields[column])) + ": "
                      + what);
  }

  std::string text(std::size_t column) const {
    return column == absent ? std::string() : trimmed(row_.fields[column]);
  }

  /// A local time repeated by a DST change is its earlier instant: the action is in
  /// effect from the first time the clock shows it.
  timestamp date(std::size_t column) const {
    read_time t;
    std::string error;
    if (!times_.read(text(column), t, error))
      fail(column, error);
    return t.earlier;
  }

  /// A finite number, or nullopt for an empty (or absent) cell.
  std::optional<double> number(std::size_t column) const {
    const std::string t = text(column);
    if (t.empty())
      return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v))
      fail(column, quote(row_.fields[column]) + " is not a finite number");
    return v;
  }

private:
  const std::string& path_;
  const raw_row& header_;
  const raw_row& row_;
  const timestamp_reader& times_;
};

corporate_action read_action(const std::string& path, const raw_row& header, const columns& cols,
                             const raw_row& row, const timestamp_reader& times) {
  const row_reader r(path, header, row, times);
  if (row.fields.size() != header.fields.size())
    throw input_error(r.where() + ": expected " + std::to_string(header.fields.size())
                      + " fields, found " + std::to_string(row.fields.size()));
  corporate_action a;
  a.line = row.line;
  a.date = r.date(cols.date);
  const auto split = r.number(cols.split);
  const auto dividend = r.number(cols.dividend);
  if (!split && !dividend)
    throw input_error(r.where() + ": neither a split nor a dividend");
  if (split && *split <= 0)
    r.fail(cols.split, "must be positive (new shares per old share), got " + r.text(cols.split));
  if (dividend && *dividend < 0)
    r.fail(cols.dividend, "must not be negative, got " + r.text(cols.dividend));
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
  const std::vector<raw_row> rows = read_rows(path);
  if (rows.empty())
    throw input_error(path + ":1: empty file, expected a header row");
  const columns cols = find_columns(path, rows.front());
  corporate_actions file{path, {}};
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const corporate_action a = read_action(path, rows.front(), cols, rows[i], times);
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

#include "plugins/signal_file/signal_rows.hpp"

#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <csv.h>
#include <date/date.h>

#include "runtime/plugin/order_signal_checks.hpp"

namespace admf::plugins {

namespace names = plugin::signal_csv;

namespace {

// Column positions, in the order of names::columns.
enum column {
  time_col,
  strategy_col,
  symbol_col,
  action_col,
  target_col,
  side_col,
  strength_col,
  value_col,
  type_col,
  limit_price_col,
  stop_price_col,
  trail_amount_col,
  trail_percent_col,
  tif_col,
  expire_time_col,
  stop_loss_col,
  take_profit_col
};
static_assert(take_profit_col + 1 == names::column_count, "a column without a position");

struct raw_row {
  int line;
  std::vector<std::string> fields;
};

/// What libcsv's callbacks fill in. They must not throw (libcsv is C), so rows are
/// only collected here and judged afterwards.
struct collector {
  int line = 1;  // the line being fed
  std::vector<std::string> fields;
  std::vector<raw_row> rows;
};

void on_field(void* text, std::size_t size, void* data) {
  auto& c = *static_cast<collector*>(data);
  c.fields.push_back(size == 0 ? std::string() : std::string(static_cast<char*>(text), size));
}

void on_row_end(int, void* data) {
  auto& c = *static_cast<collector*>(data);
  c.rows.push_back({c.line, std::move(c.fields)});
  c.fields.clear();
}

/// The rows of `in` as fields (RFC 4180: quoted fields may hold commas, quotes and line
/// breaks; blank lines are skipped). The text is fed line by line so that each row
/// knows the line it ends on, which is its line unless a quoted field spans several.
std::vector<raw_row> split_rows(std::istream& in, const std::string& name) {
  struct parser {
    csv_parser p;
    parser() { csv_init(&p, CSV_STRICT | CSV_STRICT_FINI); }  // fails only for a null `p`
    ~parser() { csv_free(&p); }
  } parser;
  collector c;
  const auto fail = [&] {
    throw std::runtime_error(name + ":" + std::to_string(c.line)
                             + ": malformed CSV: " + csv_strerror(csv_error(&parser.p)));
  };
  for (std::string text; std::getline(in, text); ++c.line) {
    text += '\n';
    if (csv_parse(&parser.p, text.data(), text.size(), on_field, on_row_end, &c) != text.size())
      fail();
  }
  --c.line;  // an unterminated quote shows at the end of the last line
  if (csv_fini(&parser.p, on_field, on_row_end, &c) != 0 || csv_error(&parser.p) != CSV_SUCCESS)
    fail();
  return c.rows;
}

/// "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (UTC), as admf's result files write times, in
/// ns; nullopt for other text, and for years whose ns do not fit (after 2262).
std::optional<std::int64_t> parse_time(const std::string& text) {
  constexpr std::int64_t ns = 1'000'000'000;
  for (const char* format : {"%F %T", "%F"}) {
    std::istringstream in(text);
    date::sys_seconds t;
    in >> date::parse(format, t);
    const std::int64_t seconds = t.time_since_epoch().count();
    if (in && in.peek() == std::char_traits<char>::eof()
        && std::abs(seconds) <= std::numeric_limits<std::int64_t>::max() / ns)
      return seconds * ns;
  }
  return std::nullopt;
}

/// One data row's cells, each read with an error naming file, line and column.
class row_reader {
public:
  row_reader(const raw_row& row, const std::string& name) : row_(row), name_(name) {}

  const std::string& text(column c) const { return row_.fields[c]; }

  /// The index of the cell's text in `options`; an empty cell is the first option.
  template <std::size_t N>
  int choice(column c, const char* const (&options)[N]) const {
    if (text(c).empty())
      return 0;
    std::string list;
    for (std::size_t i = 0; i < N; ++i) {
      if (text(c) == options[i])
        return static_cast<int>(i);
      list += std::string(i ? ", " : "") + options[i];
    }
    fail(c, "unknown value '" + text(c) + "' (one of: " + list + ")");
  }

  /// A finite number, read back exactly as written; `fallback` when empty.
  double number(column c, double fallback = 0) const {
    const auto& t = text(c);
    if (t.empty())
      return fallback;
    double value = 0;
    const auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (error != std::errc{} || end != t.data() + t.size() || !std::isfinite(value))
      fail(c, "'" + t + "' is not a finite number");
    return value;
  }

  /// A time in ns; 0 when empty and `optional`.
  std::int64_t time(column c, bool optional = false) const {
    if (optional && text(c).empty())
      return 0;
    const auto t = parse_time(text(c));
    if (!t)
      fail(c, "'" + text(c) + "' is not a time (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, UTC)");
    return *t;
  }

  [[noreturn]] void fail(column c, const std::string& what) const {
    throw std::runtime_error(where() + ": " + names::columns[c] + ": " + what);
  }
  std::string where() const { return name_ + ":" + std::to_string(row_.line); }

private:
  const raw_row& row_;
  const std::string& name_;
};

signal_row read_row(const raw_row& raw, const std::string& name) {
  const row_reader r(raw, name);
  if (raw.fields.size() != names::column_count)
    throw std::runtime_error(r.where() + ": " + std::to_string(raw.fields.size())
                             + " fields, the header has " + std::to_string(names::column_count));
  signal_row row;
  row.line = raw.line;
  row.time = r.time(time_col);
  row.time_text = r.text(time_col);
  row.strategy = r.text(strategy_col);
  row.symbol = r.text(symbol_col);
  for (column c : {strategy_col, symbol_col})
    if (r.text(c).empty())
      r.fail(c, "empty");
  row.action = static_cast<names::action>(r.choice(action_col, names::action_names));
  auto& o = row.order;
  o.target = static_cast<plugin::target_kind>(r.choice(target_col, names::target_names));
  if (o.target != plugin::target_kind::side && !r.text(side_col).empty())
    r.fail(side_col, "only for target side (the value's sign gives the side)");
  o.side = names::sides[r.choice(side_col, names::side_names)];
  o.strength = r.number(strength_col, 1);
  o.value = r.number(value_col);
  o.type = static_cast<plugin::order_type>(r.choice(type_col, names::type_names));
  o.limit_price = r.number(limit_price_col);
  o.stop_price = r.number(stop_price_col);
  o.trail_amount = r.number(trail_amount_col);
  o.trail_percent = r.number(trail_percent_col);
  o.tif = static_cast<plugin::time_in_force>(r.choice(tif_col, names::tif_names));
  o.expire_time = r.time(expire_time_col, true);
  o.stop_loss = r.number(stop_loss_col);
  o.take_profit = r.number(take_profit_col);
  row.change = {o.limit_price, o.stop_price, o.value};
  // What the runtime would refuse mid-run is refused now, before the run starts.
  std::string problem;
  if (row.action == names::action::order)
    problem = plugin::order_signal_problem(o, row.time);
  else if (row.action == names::action::replace)
    problem = plugin::order_change_problem(row.change);
  else if (o.value != 0 || o.limit_price != 0 || o.stop_price != 0)
    problem = "a cancel takes no value or prices";
  if (!problem.empty())
    throw std::runtime_error(r.where() + ": " + problem);
  return row;
}

}  // namespace

std::vector<signal_row> read_signal_rows(std::istream& in, const std::string& name) {
  const auto raw = split_rows(in, name);
  const std::vector<std::string> header(std::begin(names::columns), std::end(names::columns));
  if (raw.empty() || raw[0].fields != header) {
    std::string expected;
    for (const auto& c : header)
      expected += (expected.empty() ? "" : ",") + c;
    throw std::runtime_error(name + ":" + std::to_string(raw.empty() ? 1 : raw[0].line)
                             + ": unknown column set: the first line must be the header "
                             + expected);
  }
  std::vector<signal_row> rows;
  for (std::size_t i = 1; i < raw.size(); ++i) {
    rows.push_back(read_row(raw[i], name));
    const auto& row = rows.back();
    if (rows.size() > 1 && row.time < rows[rows.size() - 2].time)
      throw std::runtime_error(name + ":" + std::to_string(row.line) + ": time: " + row.time_text
                               + " is before the row above it (" + rows[rows.size() - 2].time_text
                               + "): rows must be in time order");
  }
  return rows;
}

}  // namespace admf::plugins

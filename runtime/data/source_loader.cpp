// One file's rows into bars, with its source's options. Validation is strict because a
// bad row silently skews every result downstream; each error names the file, the line
// and the column so the user can fix it.
#include "runtime/data/source_loader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/core/error.hpp"
#include "runtime/core/text.hpp"
#include "runtime/data/corporate_actions.hpp"
#include "runtime/data/row_checks.hpp"

namespace admf {

symbol_id symbol_table::add(const std::string& name, const std::string& where) {
  const auto [it, inserted] = origin_.emplace(name, where);
  if (!inserted)
    throw input_error(where + ": symbol '" + name + "' is already loaded from " + it->second);
  names_.push_back(name);
  return static_cast<symbol_id>(names_.size() - 1);
}

namespace {

using namespace row_checks;

/// Words that mean "no value" in a price cell, compared in lower case: empty cells,
/// Yahoo's null and the NA spellings of R and spreadsheets. NaN is a number to
/// from_chars; only on_missing: skip counts it as missing.
bool null_word(std::string_view cell) {
  if (cell.empty())
    return true;
  if (cell.size() > 4)
    return false;
  const std::string word = lower_case(cell);
  return word == "null" || word == "na" || word == "n/a";
}

bool missing_cell(std::string_view cell) {
  return null_word(cell) || (cell.size() == 3 && lower_case(cell) == "nan");
}

// ---------------------------------------------------------------- ohlcv files

struct ohlcv_columns {
  std::size_t time, open, high, low, close, volume, adj_close;
  bool has_volume;
  bool has_adj_close;  ///< adjust: adj_close reads it
};

/// A column by the name `columns:` gives it, or by one of its usual names (any case);
/// `none` when absent. A mapped name missing from the header is an error.
class column_finder {
public:
  explicit column_finder(const csv_table& file) : file_(file) {
    for (const auto& h : file.header())
      lower_.push_back(lower_case(h));
  }

  std::size_t none() const { return lower_.size(); }

  std::size_t find(const char* field, const std::string& mapped,
                   std::initializer_list<std::string_view> usual) const {
    if (!mapped.empty()) {
      const auto& header = file_.header();
      auto it = std::find(header.begin(), header.end(), mapped);
      if (it == header.end())
        it = header.begin() + index(lower_case(mapped));
      if (it == header.end())
        file_.fail(std::string("columns: ") + field + ": '" + mapped
                   + "' is not in the header (" + joined_header() + ")");
      return static_cast<std::size_t>(it - header.begin());
    }
    std::size_t found = none();
    for (const auto name : usual)
      found = std::min(found, index(name));  // the leftmost of the usual names
    return found;
  }

private:
  std::size_t index(std::string_view lower_name) const {
    return static_cast<std::size_t>(std::find(lower_.begin(), lower_.end(), lower_name)
                                    - lower_.begin());
  }

  std::string joined_header() const {
    std::string out;
    for (const auto& h : file_.header())
      out += (out.empty() ? "" : ", ") + h;
    return out;
  }

  const csv_table& file_;
  std::vector<std::string> lower_;
};

bool mapped_any(const column_names& map) {
  for (const std::string* name : {&map.time, &map.open, &map.high, &map.low, &map.close,
                                  &map.volume, &map.adj_close})
    if (!name->empty())
      return true;
  return false;
}

/// A `columns:` map that names some columns by the file's own names but leaves open,
/// high and low out would make a close-only file of one with other price columns: the
/// file's unused columns make that an error (a file of only time and close is fine).
void check_close_only(const csv_table& file, const ohlcv_columns& cols) {
  std::vector<std::string> unused;
  for (std::size_t c = 0; c < file.columns(); ++c)
    if (c != cols.time && c != cols.close && c != cols.volume && c != cols.adj_close)
      unused.push_back("'" + file.header()[c] + "'");
  if (unused.empty())
    return;
  std::string names;
  for (const auto& name : unused)
    names += (names.empty() ? "" : ", ") + name;
  file.fail("columns: open, high and low are not mapped and the header has unused column"
            + std::string(unused.size() == 1 ? " " : "s ") + names
            + ": map them (open: NAME, ...), or remove them for a close-only file");
}

ohlcv_columns find_ohlcv_columns(const csv_table& file, const data_source_config& source) {
  const column_finder finder(file);
  const column_names& map = source.columns;
  const std::size_t none = finder.none();
  const auto require = [&](std::size_t c, const char* field) {
    if (c == none)
      file.fail(std::string("missing column '") + field + "' (name it with columns: " + field
                + ": NAME)");
    return c;
  };
  ohlcv_columns cols{};
  cols.time = finder.find("time", map.time, {"date", "datetime", "time", "timestamp"});
  if (cols.time == none)
    file.fail("missing time column (date, datetime, time or timestamp; or name it with "
              "columns: time: NAME)");
  cols.close = require(finder.find("close", map.close, {"close"}), "close");
  const std::size_t open = finder.find("open", map.open, {"open"});
  const std::size_t high = finder.find("high", map.high, {"high"});
  const std::size_t low = finder.find("low", map.low, {"low"});
  const bool close_only = open == none && high == none && low == none;
  cols.open = close_only ? cols.close : require(open, "open");
  cols.high = close_only ? cols.close : require(high, "high");
  cols.low = close_only ? cols.close : require(low, "low");
  cols.volume = finder.find("volume", map.volume, {"volume"});
  cols.has_volume = cols.volume != none;
  // Found also without adjust, for inspect; read and checked only with it.
  cols.adj_close = finder.find("adj_close", map.adj_close, {"adj close", "adj_close", "adjclose"});
  cols.has_adj_close = source.adjust == price_adjustment::adj_close;
  if (cols.has_adj_close && cols.adj_close == none)
    file.fail("adjust: adj_close needs an adjusted close column ('Adj Close', 'adj_close' or "
              "'adjclose'; or name it with columns: adj_close: NAME)");
  if (close_only && mapped_any(map))
    check_close_only(file, cols);
  return cols;
}

void describe_columns(const csv_table& file, const ohlcv_columns& cols, source_info& info) {
  const auto& h = file.header();
  info.columns = {{"time", h[cols.time]},
                  {"open", h[cols.open]},
                  {"high", h[cols.high]},
                  {"low", h[cols.low]},
                  {"close", h[cols.close]}};
  if (cols.has_volume)
    info.columns.emplace_back("volume", h[cols.volume]);
  if (cols.has_adj_close)
    info.columns.emplace_back("adj_close", h[cols.adj_close]);
  else if (cols.adj_close < h.size())
    info.columns.emplace_back("adj_close (unused: adjust none)", h[cols.adj_close]);
}

/// The first reason the row's bar cannot exist. Open or close outside [low, high] is
/// checked last, so a clippable problem means the bar has no other one.
std::optional<bar_problem> ohlcv_problem(const csv_table& file, const ohlcv_columns& cols,
                                         const bar_data& b, double adj_close) {
  const std::pair<std::size_t, double> prices[] = {
    {cols.open, b.open}, {cols.high, b.high}, {cols.low, b.low}, {cols.close, b.close}};
  for (const auto& [column, value] : prices)
    if (auto problem = price_problem(file, column, value))
      return problem;
  if (cols.has_adj_close)
    if (auto problem = price_problem(file, cols.adj_close, adj_close))
      return problem;
  const auto below_low = [&](std::size_t column) {
    return file.about(column, file.text(column) + " is below low " + file.text(cols.low));
  };
  if (b.high < b.low)
    return bar_problem{below_low(cols.high)};
  if (cols.has_volume)
    if (auto problem = volume_problem(file, cols.volume, b.volume))
      return problem;
  const std::pair<std::size_t, double> ends[] = {{cols.open, b.open}, {cols.close, b.close}};
  for (const auto& [column, value] : ends) {
    if (value < b.low)
      return bar_problem{below_low(column), true};
    if (value > b.high)
      return bar_problem{
        file.about(column, file.text(column) + " is above high " + file.text(cols.high)), true};
  }
  return std::nullopt;
}

/// Whether ohlcv_problem() finds nothing, decided by comparisons alone: almost every
/// row, and ohlcv_problem() costs more than parsing its numbers. (A NaN fails every
/// comparison, so it is never fine.)
bool plainly_fine(const ohlcv_columns& cols, const bar_data& b, double adj_close) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  const auto price = [inf](double v) { return v > 0 && v < inf; };
  return price(b.open) && price(b.high) && price(b.low) && price(b.close)
         && (!cols.has_adj_close || price(adj_close)) && b.high >= b.low
         && (!cols.has_volume || (b.volume >= 0 && b.volume < inf)) && b.open >= b.low
         && b.open <= b.high && b.close >= b.low && b.close <= b.high;
}

/// on_missing: the rows whose price cells hold no value.
class missing_row_filter {
public:
  missing_row_filter(const csv_table& file, const ohlcv_columns& cols, missing_row_policy policy,
                     source_info& info)
    : file_(file), policy_(policy), info_(info) {
    report_.path = file.path();
    const std::size_t all[] = {cols.open, cols.high, cols.low, cols.close};
    prices_.assign(std::begin(all), std::end(all));
    if (cols.has_adj_close)
      prices_.push_back(cols.adj_close);
  }

  /// Whether to load the row. Under error every row is loaded: price() reports a
  /// missing price when its number fails (no cost for the rows that are fine).
  bool keep() {
    if (policy_ == missing_row_policy::error)
      return true;
    for (const std::size_t c : prices_) {
      if (!missing_cell(file_.field(c)))
        continue;
      const std::string line =
        file_.where() + ": " + file_.about(c, "missing price '" + file_.text(c) + "'");
      if (report_.count++ == 0)
        report_.first = line;
      note(info_.missing_rows, line);
      return false;
    }
    return true;
  }

  std::optional<missing_row_report> report() const {
    return report_.count > 0 ? std::optional<missing_row_report>(report_) : std::nullopt;
  }

private:
  const csv_table& file_;
  missing_row_policy policy_;
  source_info& info_;
  std::vector<std::size_t> prices_;
  missing_row_report report_;
};

/// Throws why a price cell is not a number: one without a value (not NaN: on_bad_bar
/// judges that) says so, as on_missing: skip would have dropped the row before.
[[noreturn]] void fail_price(const csv_table& file, std::size_t column) {
  if (null_word(file.field(column)))
    file.fail(file.about(column, "missing price '" + file.text(column)
                                   + "' (on_missing: skip drops such rows)"));
  file.fail_number(column);
}

inline double price(const csv_table& file, std::size_t column) {
  double value;
  if (!file.try_number(column, value))
    fail_price(file, column);
  return value;
}

/// backtrader's adjclose: the factor close / adj_close divides open, high and low, and
/// the close becomes the adjusted close. Volume stays as traded.
void adjust_to_adj_close(bar_data& b, double adj_close) {
  const double factor = b.close / adj_close;
  b.open /= factor;
  b.high /= factor;
  b.low /= factor;
  b.close = adj_close;
}

void load_ohlcv(csv_table& file, const data_source_config& source, bad_bar_policy on_bad_bar,
                symbol_id id, const time_range& range, loaded_source& out, bool keep_going) {
  const ohlcv_columns cols = find_ohlcv_columns(file, source);
  describe_columns(file, cols, out.info);
  time_column times(source, cols.time, out.info, keep_going);
  bad_bar_filter bad_bars(file, on_bad_bar, out.info);
  missing_row_filter missing(file, cols, source.on_missing, out.info);
  const bool adjust = source.adjust == price_adjustment::adj_close;
  out.bars.reserve(file.expected_rows());
  while (file.next_row()) {
    ++out.info.rows;
    timed_bar tb;
    if (!times.read(file, tb.time))
      continue;
    if (!range.contains(tb.time)) {
      ++out.info.out_of_range;
      continue;
    }
    if (!missing.keep())
      continue;
    bar_data& b = tb.bar;
    b.symbol = id;
    b.open = price(file, cols.open);
    b.high = price(file, cols.high);
    b.low = price(file, cols.low);
    b.close = price(file, cols.close);
    b.volume = cols.has_volume ? file.number(cols.volume) : 0;
    const double adj_close = cols.has_adj_close ? price(file, cols.adj_close) : 0;
    if (!plainly_fine(cols, b, adj_close)
        && !bad_bars.keep(b, ohlcv_problem(file, cols, b, adj_close)))
      continue;
    if (adjust)
      adjust_to_adj_close(b, adj_close);
    out.bars.push_back(tb);
  }
  out.bad_bars = bad_bars.report();
  out.missing_rows = missing.report();
  range.check_not_empty(file, out, times);
}

// ---------------------------------------------------------------- wide files

/// Columns of a wide file to load: the requested symbols, or all in file order.
std::vector<std::size_t> select_wide_columns(const csv_table& file,
                                             const std::vector<std::string>& wanted) {
  const auto& header = file.header();
  if (header.size() < 2)
    file.fail("wide format needs a time column followed by one column per symbol");
  std::vector<std::size_t> columns;
  if (wanted.empty()) {
    for (std::size_t c = 1; c < header.size(); ++c) {
      if (header[c].empty())
        file.fail("column " + std::to_string(c + 1) + " has no name");
      columns.push_back(c);
    }
    return columns;
  }
  for (const auto& symbol : wanted) {
    const auto it = std::find(header.begin() + 1, header.end(), symbol);
    if (it == header.end())
      file.fail("unknown symbol '" + symbol + "': no such column");
    columns.push_back(static_cast<std::size_t>(it - header.begin()));
  }
  return columns;
}

/// A wide file has only closes: the one impossible cell is a close that is not a price.
void load_wide(csv_table& file, const data_source_config& source, bad_bar_policy on_bad_bar,
               symbol_table& symbols, const time_range& range, loaded_source& out,
               bool keep_going) {
  const std::vector<std::size_t> columns = select_wide_columns(file, source.symbols);
  const std::string where = file.path() + ":1";
  std::vector<symbol_id> ids;
  out.info.columns.emplace_back("time", file.header()[0]);
  for (const std::size_t c : columns) {
    ids.push_back(symbols.add(file.header()[c], where));
    out.info.columns.emplace_back(file.header()[c], file.header()[c]);
  }
  time_column times(source, 0, out.info, keep_going);
  bad_bar_filter bad_bars(file, on_bad_bar, out.info);
  out.bars.reserve(file.expected_rows() * columns.size());
  while (file.next_row()) {
    ++out.info.rows;
    timestamp t;
    if (!times.read(file, t))
      continue;
    if (!range.contains(t)) {
      ++out.info.out_of_range;
      continue;
    }
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string_view cell = file.field(columns[i]);
      // Symbols that did not trade yet (or any more) leave the cell empty or NA.
      if (cell.empty() || cell == "NA")
        continue;
      const double close = file.number(columns[i]);
      bar_data b{ids[i], close, close, close, close, 0};
      if (bad_bars.keep(b, price_problem(file, columns[i], close)))
        out.bars.push_back({t, b});
    }
  }
  out.bad_bars = bad_bars.report();
  range.check_not_empty(file, out, times);
}

}  // namespace

bool bar_before(const timed_bar& a, const timed_bar& b) {
  return a.time != b.time ? a.time < b.time : a.bar.symbol < b.bar.symbol;
}

loaded_source load_source(const data_source_config& source, bad_bar_policy on_bad_bar,
                          symbol_table& symbols, bool keep_going_on_order,
                          const byte_sink& on_read) {
  csv_table file(source.path, source.delimiter, source.decimal, csv_table::default_chunk_size,
                 on_read);
  loaded_source out;
  out.info.path = source.path;
  out.info.dialect = file.dialect();
  const time_range range{source.start, source.end};
  if (source.format == csv_format::wide) {
    load_wide(file, source, on_bad_bar, symbols, range, out, keep_going_on_order);
  } else {
    if (source.symbol.empty())
      throw input_error(source.path + ": an ohlcv source needs a symbol name");
    const symbol_id id = symbols.add(source.symbol, source.path);
    load_ohlcv(file, source, on_bad_bar, id, range, out, keep_going_on_order);
  }
  // A header alone is an export cut short, not a source without bars.
  if (out.info.rows == 0)
    throw input_error(source.path + ":1: no data rows");
  // A descending file's rows came newest first; reversing also reverses the symbols
  // of a wide row, which must stay in id order.
  if (source.order == row_order::descending) {
    std::reverse(out.bars.begin(), out.bars.end());
    if (source.format == csv_format::wide)
      std::sort(out.bars.begin(), out.bars.end(), bar_before);
  }
  if (!source.corporate_actions.empty()) {  // ohlcv only (read_data.cpp)
    corporate_actions actions = read_corporate_actions(source.corporate_actions, source.timezone);
    // A run cut short by `end:` never reaches the later actions: they change nothing.
    if (source.end)
      actions.actions.erase(std::remove_if(actions.actions.begin(), actions.actions.end(),
                                           [&](const corporate_action& a) { return a.date > *source.end; }),
                            actions.actions.end());
    apply_corporate_actions(out.bars, actions);
  }
  return out;
}

}  // namespace admf

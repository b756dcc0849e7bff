// CSV market data loading. Validation is strict because a bad row silently skews
// every result downstream; each error names the file and line so the user can fix it.
#include "runtime/data/market_data.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <numeric>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>

#include "runtime/core/error.hpp"
#include "runtime/data/bar_cache.hpp"
#include "runtime/core/splitmix64.hpp"

namespace admf {
namespace {

constexpr std::string_view time_column_names[] = {"date", "datetime", "time", "timestamp"};

std::string read_whole_file(const std::string& path) {
  // file_size also fails for directories, which ifstream would happily open.
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in)
    throw input_error(path + ": cannot open file");
  std::string text(size, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size)))
    throw input_error(path + ": cannot read file");
  return text;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// from_chars also accepts "nan" and "inf": they are numbers here, and the bar checks
/// below reject them as prices and volumes, so that on_bad_bar applies to them too.
bool to_number(std::string_view s, double& out) {
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

/// One CSV file being parsed: its text, header and current row, so that every
/// check can report "path:line: ..." without threading the context through.
class csv_file {
public:
  explicit csv_file(std::string path) : path_(std::move(path)), text_(read_whole_file(path_)) {
    // Spreadsheet exports often start with a UTF-8 byte order mark.
    if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0)
      pos_ = 3;
    if (!next_row())
      throw input_error(path_ + ":1: empty file, expected a header row");
    for (const auto field : fields_)
      header_.emplace_back(field);
  }

  /// Advances to the next data row; false at the end. Trailing blank lines are
  /// allowed, a blank line followed by more data is not.
  bool next_row() {
    if (pos_ >= text_.size())
      return false;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string::npos)
      end = text_.size();
    const std::string_view line = trim(std::string_view(text_).substr(pos_, end - pos_));
    pos_ = end + 1;
    ++line_;
    if (line.empty()) {
      if (text_.find_first_not_of(" \t\r\n", pos_) == std::string::npos)
        return false;
      fail("blank line");
    }
    split(line);
    if (line_ > 1 && fields_.size() != header_.size())
      fail("expected " + std::to_string(header_.size()) + " fields, found "
           + std::to_string(fields_.size()));
    return true;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw input_error(where() + ": " + what);
  }

  /// "path:line" of the current row.
  std::string where() const { return path_ + ":" + std::to_string(line_); }

  /// "column 'Name': what", the form of every complaint about one cell.
  std::string about(std::size_t column, const std::string& what) const {
    return "column '" + header_[column] + "': " + what;
  }

  const std::string& path() const { return path_; }
  std::size_t line() const { return line_; }
  const std::vector<std::string>& header() const { return header_; }
  std::string_view field(std::size_t column) const { return fields_[column]; }
  /// A cell as written, for messages.
  std::string text(std::size_t column) const { return std::string(fields_[column]); }
  /// Upper bound on the number of data rows, to reserve memory once.
  std::size_t max_rows() const {
    return static_cast<std::size_t>(std::count(text_.begin(), text_.end(), '\n')) + 1;
  }

  timestamp time(std::size_t column) const {
    const auto t = parse_timestamp(fields_[column]);
    if (!t)
      fail("bad timestamp '" + text(column)
           + "' (expected YYYY-MM-DD, optionally followed by HH:MM[:SS])");
    return *t;
  }

  double number(std::size_t column) const {
    double v;
    if (!to_number(fields_[column], v))
      fail(about(column, "'" + text(column) + "' is not a number"));
    return v;
  }

private:
  void split(std::string_view line) {
    fields_.clear();
    for (std::size_t start = 0;;) {
      const std::size_t comma = line.find(',', start);
      fields_.push_back(trim(line.substr(start, comma - start)));
      if (comma == std::string_view::npos)
        return;
      start = comma + 1;
    }
  }

  std::string path_;
  std::string text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;
};

/// Rejects a row whose time is not after the previous row's.
class time_order {
public:
  void check(const csv_file& file, timestamp t) {
    if (prev_line_ != 0 && t <= prev_) {
      const std::string previous = std::to_string(prev_line_);
      if (t == prev_)
        file.fail("duplicate timestamp " + format_timestamp(t) + ", same as line " + previous);
      file.fail("unsorted timestamp " + format_timestamp(t) + " is before "
                + format_timestamp(prev_) + " on line " + previous);
    }
    prev_ = t;
    prev_line_ = file.line();
  }

private:
  timestamp prev_ = 0;
  std::size_t prev_line_ = 0;
};

/// Numbers symbols in config order and rejects one loaded from two places.
class symbol_table {
public:
  explicit symbol_table(std::vector<std::string>& names) : names_(names) {}

  symbol_id add(const std::string& name, const std::string& where) {
    const auto [it, inserted] = origin_.emplace(name, where);
    if (!inserted)
      throw input_error(where + ": symbol '" + name + "' is already loaded from " + it->second);
    names_.push_back(name);
    return static_cast<symbol_id>(names_.size() - 1);
  }

private:
  std::vector<std::string>& names_;
  std::map<std::string, std::string> origin_;
};

/// What makes a bar impossible, worded as the error that rejects it; `clippable` when
/// clipping open and close into [low, high] is all it takes to fix it.
struct bar_problem {
  std::string what;
  bool clippable = false;
};

std::optional<bar_problem> price_problem(const csv_file& file, std::size_t column, double v) {
  if (!std::isfinite(v))
    return bar_problem{file.about(column, "price must be finite, got " + file.text(column))};
  if (v <= 0)
    return bar_problem{file.about(column, "price must be positive, got " + file.text(column))};
  return std::nullopt;
}

std::optional<bar_problem> volume_problem(const csv_file& file, std::size_t column, double v) {
  if (!std::isfinite(v))
    return bar_problem{file.about(column, "volume must be finite, got " + file.text(column))};
  if (v < 0)
    return bar_problem{file.about(column, "volume must not be negative, got " + file.text(column))};
  return std::nullopt;
}

/// Applies the on_bad_bar policy to one file's impossible bars and counts what it did.
class bad_bar_filter {
public:
  bad_bar_filter(const csv_file& file, bad_bar_policy policy) : file_(file), policy_(policy) {
    report_.path = file.path();
    report_.action = policy;
  }

  /// Whether to keep the bar, repaired if need be. Throws input_error under reject, and
  /// under repair when clipping cannot fix the bar.
  bool keep(bar_data& b, const std::optional<bar_problem>& problem) {
    if (!problem)
      return true;
    const bool fixable = policy_ == bad_bar_policy::skip
                         || (policy_ == bad_bar_policy::repair && problem->clippable);
    if (!fixable)
      file_.fail(problem->what);
    if (report_.count++ == 0)
      report_.first = file_.where() + ": " + problem->what;
    if (policy_ == bad_bar_policy::skip)
      return false;
    b.open = std::clamp(b.open, b.low, b.high);
    b.close = std::clamp(b.close, b.low, b.high);
    return true;
  }

  /// Adds this file's report to `reports` if any bar was repaired or skipped.
  void report_to(std::vector<bad_bar_report>& reports) const {
    if (report_.count > 0)
      reports.push_back(report_);
  }

private:
  const csv_file& file_;
  bad_bar_policy policy_;
  bad_bar_report report_;
};

struct ohlcv_columns {
  std::size_t time, open, high, low, close, volume;
  bool has_volume;
};

std::size_t find_column(const std::vector<std::string>& lower_header, std::string_view name) {
  return static_cast<std::size_t>(
    std::find(lower_header.begin(), lower_header.end(), name) - lower_header.begin());
}

ohlcv_columns find_ohlcv_columns(const csv_file& file) {
  std::vector<std::string> names;
  for (const auto& h : file.header())
    names.push_back(lower(h));
  const std::size_t none = names.size();
  const auto require = [&](std::string_view name) {
    const std::size_t c = find_column(names, name);
    if (c == none)
      file.fail("missing column '" + std::string(name) + "'");
    return c;
  };
  ohlcv_columns cols{};
  cols.time = none;
  for (const auto name : time_column_names)
    cols.time = std::min(cols.time, find_column(names, name));
  if (cols.time == none)
    file.fail("missing time column (date, datetime, time or timestamp)");
  cols.close = require("close");
  const bool close_only = find_column(names, "open") == none && find_column(names, "high") == none
                          && find_column(names, "low") == none;
  cols.open = close_only ? cols.close : require("open");
  cols.high = close_only ? cols.close : require("high");
  cols.low = close_only ? cols.close : require("low");
  cols.volume = find_column(names, "volume");
  cols.has_volume = cols.volume != none;
  return cols;
}

/// The first reason the row's bar cannot exist. Open or close outside [low, high] is
/// checked last, so a clippable problem means the bar has no other one.
std::optional<bar_problem> ohlcv_problem(const csv_file& file, const ohlcv_columns& cols,
                                         const bar_data& b) {
  const std::pair<std::size_t, double> prices[] = {
    {cols.open, b.open}, {cols.high, b.high}, {cols.low, b.low}, {cols.close, b.close}};
  for (const auto& [column, value] : prices)
    if (auto problem = price_problem(file, column, value))
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

std::vector<timed_bar> load_ohlcv(csv_file& file, symbol_id id, bad_bar_filter& filter) {
  const ohlcv_columns cols = find_ohlcv_columns(file);
  std::vector<timed_bar> bars;
  bars.reserve(file.max_rows());
  time_order order;
  while (file.next_row()) {
    timed_bar tb;
    tb.time = file.time(cols.time);
    order.check(file, tb.time);
    bar_data& b = tb.bar;
    b.symbol = id;
    b.open = file.number(cols.open);
    b.high = file.number(cols.high);
    b.low = file.number(cols.low);
    b.close = file.number(cols.close);
    b.volume = cols.has_volume ? file.number(cols.volume) : 0;
    if (filter.keep(b, ohlcv_problem(file, cols, b)))
      bars.push_back(tb);
  }
  return bars;
}

/// Columns of a wide file to load: the requested symbols, or all in file order.
std::vector<std::size_t> select_wide_columns(const csv_file& file,
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
/// Symbol ids are local: the i-th selected column is symbol i, named in `names`.
std::vector<timed_bar> load_wide(csv_file& file, const data_source_config& source,
                                 std::vector<std::string>& names, bad_bar_filter& filter) {
  const std::vector<std::size_t> columns = select_wide_columns(file, source.symbols);
  for (const std::size_t c : columns)
    names.push_back(file.header()[c]);
  std::vector<timed_bar> bars;
  bars.reserve(file.max_rows() * columns.size());
  time_order order;
  while (file.next_row()) {
    const timestamp t = file.time(0);
    order.check(file, t);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string_view cell = file.field(columns[i]);
      // Symbols that did not trade yet (or any more) leave the cell empty or NA.
      if (cell.empty() || cell == "NA")
        continue;
      const double close = file.number(columns[i]);
      bar_data b{static_cast<symbol_id>(i), close, close, close, close, 0};
      if (filter.keep(b, price_problem(file, columns[i], close)))
        bars.push_back({t, b});
    }
  }
  return bars;
}

bool bar_before(const timed_bar& a, const timed_bar& b) {
  return a.time != b.time ? a.time < b.time : a.bar.symbol < b.bar.symbol;
}

/// Each source is sorted and its ids exceed all earlier ones, so a linear merge
/// keeps the whole stream ordered by (time, symbol).
void merge_into(std::vector<timed_bar>& all, std::vector<timed_bar> more) {
  if (all.empty()) {
    all = std::move(more);
    return;
  }
  const auto middle = static_cast<std::ptrdiff_t>(all.size());
  all.insert(all.end(), more.begin(), more.end());
  std::inplace_merge(all.begin(), all.begin() + middle, all.end(), bar_before);
}

/// Symbol ids in name order: the order in which a strategy sees a timestamp's bars and
/// a portfolio sums its positions is then the same whatever else the data holds, so a
/// portfolio's results cannot depend on other portfolios' symbols.
void order_symbols_by_name(market_data& data) {
  const auto& names = data.symbols;
  if (std::is_sorted(names.begin(), names.end()))
    return;
  std::vector<symbol_id> by_name(names.size());
  std::iota(by_name.begin(), by_name.end(), symbol_id{0});
  std::sort(by_name.begin(), by_name.end(),
            [&](symbol_id a, symbol_id b) { return names[a] < names[b]; });
  std::vector<symbol_id> id_of(names.size());
  std::vector<std::string> sorted(names.size());
  for (symbol_id rank = 0; rank < by_name.size(); ++rank) {
    id_of[by_name[rank]] = rank;
    sorted[rank] = names[by_name[rank]];
  }
  data.symbols = std::move(sorted);
  for (auto& b : data.bars)
    b.bar.symbol = id_of[b.bar.symbol];
  std::sort(data.bars.begin(), data.bars.end(), bar_before);
}

/// One CSV source's bars, with symbol ids local to it.
source_bars parse_source(const data_source_config& source, bad_bar_policy policy) {
  csv_file file(source.path);
  bad_bar_filter filter(file, policy);
  source_bars parsed;
  if (source.format == csv_format::wide) {
    parsed.bars = load_wide(file, source, parsed.symbols, filter);
  } else {
    if (source.symbol.empty())
      throw input_error(source.path + ": an ohlcv source needs a symbol name");
    parsed.symbols.push_back(source.symbol);
    parsed.bars = load_ohlcv(file, 0, filter);
  }
  filter.report_to(parsed.bad_bars);
  return parsed;
}

/// Numbers the source's symbols after those of earlier sources and merges its bars in.
void add_source(market_data& data, symbol_table& symbols, const data_source_config& source,
                source_bars parsed) {
  // Where a symbol loaded twice is said to come from: a wide file's header names it.
  const std::string where = source.format == csv_format::wide ? source.path + ":1" : source.path;
  std::vector<symbol_id> id_of;
  for (const auto& name : parsed.symbols)
    id_of.push_back(symbols.add(name, where));
  for (auto& b : parsed.bars)
    b.bar.symbol = id_of[b.bar.symbol];
  data.bad_bars.insert(data.bad_bars.end(), parsed.bad_bars.begin(), parsed.bad_bars.end());
  merge_into(data.bars, std::move(parsed.bars));
}

} // namespace

market_data load_market_data(const data_config& config) {
  market_data data;
  symbol_table symbols(data.symbols);
  for (const auto& source : config.sources)
    add_source(data, symbols, source,
               load_source_bars(source, config.on_bad_bar, config.cache,
                                [&] { return parse_source(source, config.on_bad_bar); }));
  order_symbols_by_name(data);
  return data;
}

namespace {

double round4(double x) { return std::round(x * 1e4) / 1e4; }

} // namespace

std::string describe(const bad_bar_report& report) {
  const bool repaired = report.action == bad_bar_policy::repair;
  const char* what = repaired ? "repaired (on_bad_bar: repair)" : "skipped (on_bad_bar: skip)";
  return report.path + ": " + std::to_string(report.count)
         + (report.count == 1 ? " bar " : " bars ") + what + ", the first at " + report.first;
}

market_data synthetic_market_data(std::size_t bars, std::uint64_t seed, std::string symbol) {
  constexpr double base_price = 100;
  constexpr double step = 0.01;       // max log move of the close per bar
  constexpr double reversion = 0.002;  // pull of the log price back to the base price
  market_data data;
  data.symbols.push_back(std::move(symbol));
  data.bars.reserve(bars);
  splitmix64 rng(seed);
  const timestamp start = days_from_civil(2000, 1, 3) * ns_per_day;
  // Nanosecond timestamps end in 2262: beyond ~95,000 bars daily spacing would
  // overflow, so long series use one-minute bars (room for over 100 million).
  const auto max_days = (std::numeric_limits<timestamp>::max() - start) / ns_per_day;
  const bool daily = bars <= static_cast<std::size_t>(max_days);
  const timestamp spacing = daily ? ns_per_day : 60 * ns_per_second;
  // Log deviation from the base price. The mean reversion bounds it by step / reversion
  // (= 5), so prices stay within base * e^±5 however many bars are drawn.
  double x = 0;
  double prev_close = base_price;
  for (std::size_t i = 0; i < bars; ++i) {
    const double open = prev_close * (1 + (rng.uniform() - 0.5) * 0.004);
    x += (2 * rng.uniform() - 1) * step - reversion * x;
    const double close = base_price * std::exp(x);
    const double high = std::max(open, close) * (1 + rng.uniform() * 0.005);
    const double low = std::min(open, close) * (1 - rng.uniform() * 0.005);
    const double volume = static_cast<double>(100'000 + rng.next() % 900'000);
    // Rounding is monotonic, so low <= open, close <= high still holds afterwards.
    const bar_data bar{0, round4(open), round4(high), round4(low), round4(close), volume};
    data.bars.push_back({start + static_cast<timestamp>(i) * spacing, bar});
    prev_close = close;
  }
  return data;
}

symbol_id symbol_named(const std::vector<std::string>& symbols, const std::string& name,
                       const std::string& where) {
  const auto it = std::find(symbols.begin(), symbols.end(), name);
  if (it == symbols.end()) {
    std::string known;
    for (const auto& s : symbols)
      known += (known.empty() ? "" : ", ") + s;
    throw input_error(where + ": unknown symbol '" + name + "' (the run has: " + known + ")");
  }
  return static_cast<symbol_id>(it - symbols.begin());
}

} // namespace admf

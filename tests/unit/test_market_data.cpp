#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "runtime/core/error.hpp"
#include "runtime/data/market_data.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

std::string data_file(const std::string& name) {
  return std::string(ADMF_SOURCE_DIR) + "/data/" + name;
}

admf::data_source_config ohlcv_source(const std::string& path, const std::string& symbol) {
  admf::data_source_config s;
  s.csv = s.path = path;
  s.format = admf::csv_format::ohlcv;
  s.symbol = symbol;
  return s;
}

admf::data_source_config wide_source(const std::string& path,
                                     std::vector<std::string> symbols = {}) {
  admf::data_source_config s;
  s.csv = s.path = path;
  s.format = admf::csv_format::wide;
  s.symbols = std::move(symbols);
  return s;
}

admf::market_data load(std::vector<admf::data_source_config> sources,
                       admf::bad_bar_policy policy = admf::bad_bar_policy::reject) {
  return admf::load_market_data(admf::data_config{std::move(sources), policy});
}

admf::timestamp day(int y, unsigned m, unsigned d) {
  return admf::days_from_civil(y, m, d) * admf::ns_per_day;
}

/// Strictly increasing by (time, symbol): the contract of market_data::bars.
bool strictly_ordered(const std::vector<admf::timed_bar>& bars) {
  for (std::size_t i = 1; i < bars.size(); ++i) {
    const auto& a = bars[i - 1];
    const auto& b = bars[i];
    if (a.time > b.time || (a.time == b.time && a.bar.symbol >= b.bar.symbol))
      return false;
  }
  return true;
}

std::size_t count_symbol(const admf::market_data& data, admf::symbol_id id) {
  return static_cast<std::size_t>(std::count_if(data.bars.begin(), data.bars.end(),
                                                [&](const auto& b) { return b.bar.symbol == id; }));
}

/// A fresh directory for one test's CSV files, removed afterwards.
using admf::testing::temp_dir;

/// The input_error message of loading `sources`, checked to be a single line.
std::string error_of(std::vector<admf::data_source_config> sources,
                     admf::bad_bar_policy policy = admf::bad_bar_policy::reject) {
  try {
    load(std::move(sources), policy);
  } catch (const admf::input_error& e) {
    const std::string message = e.what();
    CHECK(message.find('\n') == std::string::npos);
    return message;
  }
  return "no error";
}

struct bad_file {
  std::string path;
  std::string message;
};

bad_file ohlcv_error(const temp_dir& dir, const std::string& text,
                     admf::bad_bar_policy policy = admf::bad_bar_policy::reject) {
  const std::string path = dir.write("bad.csv", text);
  return {path, error_of({ohlcv_source(path, "X")}, policy)};
}

bad_file wide_error(const temp_dir& dir, const std::string& text,
                    admf::bad_bar_policy policy = admf::bad_bar_policy::reject) {
  const std::string path = dir.write("bad_wide.csv", text);
  return {path, error_of({wide_source(path)}, policy)};
}

} // namespace

TEST_CASE("loads the S&P 500 daily OHLCV file", "[market_data]") {
  const auto data = load({ohlcv_source(data_file("sp500_2000_daily_ohlcv.csv"), "SPX")});
  REQUIRE(data.symbols == std::vector<std::string>{"SPX"});
  REQUIRE(data.bars.size() == 5105);
  CHECK(strictly_ordered(data.bars));

  const auto& first = data.bars.front();
  CHECK(first.time == day(2000, 1, 3));
  CHECK(first.bar.symbol == 0);
  CHECK(first.bar.open == 1469.25);
  CHECK(first.bar.high == 1478.0);
  CHECK(first.bar.low == 1438.359985);
  CHECK(first.bar.close == 1455.219971);
  CHECK(first.bar.volume == 931800000.0);

  const auto& last = data.bars.back();
  CHECK(last.time == day(2020, 4, 17));
  CHECK(last.bar.open == 2842.429932);
  CHECK(last.bar.close == 2874.560059);
  CHECK(last.bar.volume == 5792140000.0);
}

TEST_CASE("column names are case-insensitive (MSFT has Open, High, ...)", "[market_data]") {
  const auto data = load({ohlcv_source(data_file("msft_2000_2001_daily_ohlcv.csv"), "MSFT")});
  REQUIRE(data.bars.size() == 249);
  const auto& first = data.bars.front();
  CHECK(first.time == day(2000, 9, 27));
  CHECK(first.bar.open == 63.4375);
  CHECK(first.bar.high == 63.5625);
  CHECK(first.bar.low == 59.8125);
  CHECK(first.bar.close == 60.625);
  CHECK(first.bar.volume == 53077800.0);
  const auto& last = data.bars.back();
  CHECK(last.time == day(2001, 9, 27));
  CHECK(last.bar.open == 50.1);
  CHECK(last.bar.low == 48.0);
  CHECK(last.bar.close == 49.96);
}

TEST_CASE("a close-only file gives flat bars with zero volume (USD/CHF 30 min)",
          "[market_data]") {
  const auto data = load({ohlcv_source(data_file("usdchf_30min_close.csv"), "USDCHF")});
  REQUIRE(data.bars.size() == 62496);
  CHECK(strictly_ordered(data.bars));
  const auto& first = data.bars.front().bar;
  CHECK(data.bars.front().time == day(1996, 4, 1));
  CHECK(data.bars[1].time == day(1996, 4, 1) + 30 * 60 * admf::ns_per_second);
  CHECK(first.close == 1.193);
  CHECK(first.open == first.close);
  CHECK(first.high == first.close);
  CHECK(first.low == first.close);
  CHECK(first.volume == 0);
  CHECK(data.bars.back().time == day(2001, 3, 30) + (23 * 3600 + 30 * 60) * admf::ns_per_second);
  CHECK(data.bars.back().bar.close == 1.7429);
}

TEST_CASE("loads every column of the Dow Jones wide file", "[market_data]") {
  const auto data = load({wide_source(data_file("dowjones30_1991_2001_daily_close.csv"))});
  // Numbered in name order, not in the file's column order (AA, AXP, T, BA, ..., DIS).
  REQUIRE(data.symbols.size() == 30);
  CHECK(data.symbols.front() == "AA");
  CHECK(data.symbols[1] == "AXP");
  CHECK(data.symbols[2] == "BA");
  CHECK(data.symbols.back() == "XOM");
  CHECK(std::is_sorted(data.symbols.begin(), data.symbols.end()));
  // 2529 rows x 30 symbols; the file has no NA cells.
  REQUIRE(data.bars.size() == 2529 * 30);
  CHECK(strictly_ordered(data.bars));

  const auto& aa = data.bars[0];
  CHECK(aa.time == day(1990, 12, 31));
  CHECK(aa.bar.symbol == 0);
  CHECK(aa.bar.close == 5.92);
  CHECK(aa.bar.open == 5.92);
  CHECK(aa.bar.high == 5.92);
  CHECK(aa.bar.low == 5.92);
  CHECK(aa.bar.volume == 0);
  CHECK(data.bars[1].bar.close == 4.7);  // AXP

  const auto& xom = data.bars.back();
  CHECK(xom.time == day(2001, 1, 2));
  CHECK(xom.bar.symbol == 29);
  CHECK(xom.bar.close == 43.87);
}

TEST_CASE("a wide source loads only the requested symbols, numbered in name order",
          "[market_data]") {
  const auto data =
    load({wide_source(data_file("dowjones30_1991_2001_daily_close.csv"), {"MSFT", "AA"})});
  REQUIRE(data.symbols == std::vector<std::string>{"AA", "MSFT"});
  REQUIRE(data.bars.size() == 2 * 2529);
  CHECK(strictly_ordered(data.bars));
  CHECK(data.bars[0].bar.symbol == 0);
  CHECK(data.bars[0].bar.close == 5.92);  // AA
  CHECK(data.bars[1].bar.symbol == 1);
  CHECK(data.bars[1].bar.close == 2.08);  // MSFT
  CHECK(data.bars.back().bar.close == 43.38);  // MSFT on 2001-01-02
}

TEST_CASE("wide cells that are empty or NA mean no bar", "[market_data]") {
  temp_dir dir;
  const std::string path = dir.write("gaps.csv",
                                     "date,A,B\n"
                                     "2020-01-01,1.5,NA\n"
                                     "2020-01-02,,2.5\n"
                                     "2020-01-03,1.7,2.7\n");
  const auto data = load({wide_source(path)});
  REQUIRE(data.bars.size() == 4);
  CHECK(data.bars[0].bar.symbol == 0);
  CHECK(data.bars[1].time == day(2020, 1, 2));
  CHECK(data.bars[1].bar.symbol == 1);
  CHECK(data.bars[1].bar.close == 2.5);
  CHECK(count_symbol(data, 0) == 2);
  CHECK(count_symbol(data, 1) == 2);
}

TEST_CASE("two OHLCV sources merge by time, then symbol id", "[market_data]") {
  const auto data = load({ohlcv_source(data_file("sp500_2000_daily_ohlcv.csv"), "SPX"),
                          ohlcv_source(data_file("msft_2000_2001_daily_ohlcv.csv"), "MSFT")});
  REQUIRE(data.symbols == std::vector<std::string>{"MSFT", "SPX"});  // ids in name order
  REQUIRE(data.bars.size() == 5105 + 249);
  CHECK(strictly_ordered(data.bars));
  CHECK(count_symbol(data, 0) == 249);
  CHECK(count_symbol(data, 1) == 5105);

  const auto msft_first = std::find_if(data.bars.begin(), data.bars.end(),
                                       [](const auto& b) { return b.bar.symbol == 0; });
  REQUIRE(msft_first != data.bars.begin());
  CHECK(msft_first->time == day(2000, 9, 27));
  CHECK(msft_first->bar.open == 63.4375);
  // The S&P bar of the same day comes after it: higher symbol id.
  const auto& after = *(msft_first + 1);
  CHECK(after.time == day(2000, 9, 27));
  CHECK(after.bar.symbol == 1);
}

TEST_CASE("CRLF line ends, a byte order mark and trailing blank lines are accepted",
          "[market_data]") {
  temp_dir dir;
  const std::string path = dir.write("crlf.csv",
                                     "\xEF\xBB\xBF"
                                     "Timestamp,Close,Volume\r\n"
                                     "2020-01-01 09:30,10.5,100\r\n"
                                     "2020-01-01 09:31:00,10.25,200\r\n"
                                     "\r\n\n");
  const auto data = load({ohlcv_source(path, "X")});
  REQUIRE(data.bars.size() == 2);
  CHECK(data.bars[1].time == day(2020, 1, 1) + (9 * 3600 + 31 * 60) * admf::ns_per_second);
  CHECK(data.bars[1].bar.low == 10.25);
  CHECK(data.bars[1].bar.volume == 200);
}

TEST_CASE("a symbol loaded twice is an error", "[market_data][errors]") {
  const std::string sp500 = data_file("sp500_2000_daily_ohlcv.csv");
  const std::string msft = data_file("msft_2000_2001_daily_ohlcv.csv");
  const std::string message = error_of({ohlcv_source(sp500, "X"), ohlcv_source(msft, "X")});
  CHECK_THAT(message, StartsWith(msft) && Contains("'X'") && Contains(sp500));

  const std::string dow = data_file("dowjones30_1991_2001_daily_close.csv");
  CHECK_THAT(error_of({ohlcv_source(msft, "MSFT"), wide_source(dow)}),
             StartsWith(dow + ":1: ") && Contains("'MSFT'"));
}

TEST_CASE("a missing file is an error naming it", "[market_data][errors]") {
  temp_dir dir;
  const std::string path = dir.write("x.csv", "") + ".missing";
  CHECK(error_of({ohlcv_source(path, "X")}) == path + ": cannot open file");
}

TEST_CASE("an empty file is an error on line 1", "[market_data][errors]") {
  temp_dir dir;
  const auto r = ohlcv_error(dir, "");
  CHECK_THAT(r.message, StartsWith(r.path + ":1: ") && Contains("empty"));
}

TEST_CASE("a header without data rows is an error on line 1, in every format",
          "[market_data][errors]") {
  temp_dir dir;
  auto r = ohlcv_error(dir, "date,open,high,low,close,volume\n");
  CHECK(r.message == r.path + ":1: no data rows");
  r = ohlcv_error(dir, "\xEF\xBB\xBF" "date,close\r\n\r\n\n");  // BOM, CRLF, blank lines
  CHECK(r.message == r.path + ":1: no data rows");
  r = wide_error(dir, "date,A,B");
  CHECK(r.message == r.path + ":1: no data rows");
  // Rows that a start/end range leaves out keep their own message.
  auto s = ohlcv_source(dir.write("one.csv", "date,close\n2020-01-02,1\n"), "X");
  s.start = day(2021, 1, 1);
  CHECK(error_of({s}) == s.path + ": no rows from start 2021-01-01 (the file's rows run from "
                                  "2020-01-02 to 2020-01-02)");
}

TEST_CASE("a missing required column is an error on line 1", "[market_data][errors]") {
  temp_dir dir;
  auto r = ohlcv_error(dir, "date,open,high,low,volume\n2020-01-01,1,1,1,1\n");
  CHECK(r.message == r.path + ":1: missing column 'close' (name it with columns: close: NAME)");
  r = ohlcv_error(dir, "date,open,low,close\n2020-01-01,1,1,1\n");
  CHECK(r.message == r.path + ":1: missing column 'high' (name it with columns: high: NAME)");
  r = ohlcv_error(dir, "day,close\n2020-01-01,1\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":1: ") && Contains("time column"));
}

TEST_CASE("a row with the wrong number of fields is an error", "[market_data][errors]") {
  temp_dir dir;
  const auto r = ohlcv_error(dir,
                             "date,open,high,low,close\n"
                             "2020-01-01,1,2,1,2\n"
                             "2020-01-02,1,2,1\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":3: ") && Contains("expected 5 fields, found 4"));
}

TEST_CASE("a non-numeric field is an error naming the column", "[market_data][errors]") {
  temp_dir dir;
  auto r = ohlcv_error(dir,
                       "date,Open,High,Low,Close\n"
                       "2020-01-01,1,2,1,2\n"
                       "2020-01-02,1,2x,1,2\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":3: ") && Contains("'High'") && Contains("2x"));
  r = ohlcv_error(dir, "date,close,volume\n2020-01-01,nan,1\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":2: ") && Contains("'close'"));
  r = ohlcv_error(dir, "date,close,volume\n2020-01-01,1,\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":2: ") && Contains("'volume'"));
}

TEST_CASE("a bad timestamp is an error", "[market_data][errors]") {
  temp_dir dir;
  const auto r = ohlcv_error(dir, "date,close\n2020-02-30,1\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":2: ") && Contains("bad timestamp '2020-02-30'"));
}

TEST_CASE("high below low is an error", "[market_data][errors]") {
  temp_dir dir;
  const auto r = ohlcv_error(dir,
                             "date,open,high,low,close\n"
                             "2020-01-01,1,2,1,2\n"
                             "2020-01-02,1.5,1,2,1.5\n");
  CHECK(r.message == r.path + ":3: column 'high': 1 is below low 2");
}

TEST_CASE("a non-positive price is an error naming the column", "[market_data][errors]") {
  temp_dir dir;
  auto r = ohlcv_error(dir, "date,open,high,low,close\n2020-01-01,1,2,0,2\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":2: ") && Contains("'low'") && Contains("positive"));
  r = ohlcv_error(dir, "date,open,high,low,close\n2020-01-01,-1,2,1,2\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":2: ") && Contains("'open'"));
}

TEST_CASE("a negative volume is an error", "[market_data][errors]") {
  temp_dir dir;
  const auto r = ohlcv_error(dir, "date,close,volume\n2020-01-01,1,5\n2020-01-02,1,-5\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":3: ") && Contains("volume") && Contains("-5"));
}

TEST_CASE("timestamps must strictly increase", "[market_data][errors]") {
  temp_dir dir;
  auto r = ohlcv_error(dir, "date,close\n2020-01-01,1\n2020-01-02,1\n2020-01-02,1\n");
  CHECK(r.message == r.path + ":4: duplicate timestamp 2020-01-02, same as line 3");
  r = ohlcv_error(dir, "date,close\n2020-01-01,1\n2020-01-03,1\n2020-01-02,1\n");
  CHECK(r.message
        == r.path + ":4: unsorted timestamp 2020-01-02 is before 2020-01-03 on line 3");
}

TEST_CASE("a blank line before more data is an error", "[market_data][errors]") {
  temp_dir dir;
  const auto r = ohlcv_error(dir, "date,close\n2020-01-01,1\n\n2020-01-02,1\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":3: ") && Contains("blank line"));
}

TEST_CASE("a wide source with an unknown symbol is an error naming it", "[market_data][errors]") {
  const std::string dow = data_file("dowjones30_1991_2001_daily_close.csv");
  CHECK_THAT(error_of({wide_source(dow, {"AA", "XYZ"})}),
             StartsWith(dow + ":1: ") && Contains("'XYZ'"));
}

TEST_CASE("wide cells with text other than NA are an error", "[market_data][errors]") {
  temp_dir dir;
  const auto r = wide_error(dir, "date,A,B\n2020-01-01,1,2\n2020-01-02,1,n/a\n");
  CHECK_THAT(r.message, StartsWith(r.path + ":3: ") && Contains("'B'") && Contains("n/a"));
}

TEST_CASE("open or close outside [low, high] is an error naming the column",
          "[market_data][errors][bad_bars]") {
  temp_dir dir;
  const std::string header =
    "date,open,high,low,close,volume\n2018-01-31,21.5,21.8,21.4,21.7,4000\n";
  auto r = ohlcv_error(dir, header + "2018-02-01,21.70,21.75,21.20,21.10,5000\n");
  CHECK(r.message == r.path + ":3: column 'close': 21.10 is below low 21.20");
  r = ohlcv_error(dir, header + "2018-02-01,21.70,21.75,21.20,21.76,5000\n");
  CHECK(r.message == r.path + ":3: column 'close': 21.76 is above high 21.75");
  r = ohlcv_error(dir, header + "2018-02-01,21.80,21.75,21.20,21.50,5000\n");
  CHECK(r.message == r.path + ":3: column 'open': 21.80 is above high 21.75");
  r = ohlcv_error(dir, header + "2018-02-01,21.19,21.75,21.20,21.50,5000\n");
  CHECK(r.message == r.path + ":3: column 'open': 21.19 is below low 21.20");
  // Column names as the file writes them.
  r = ohlcv_error(dir, "Date,Open,High,Low,Close\n2018-02-01,21.70,21.75,21.20,21.10\n");
  CHECK(r.message == r.path + ":2: column 'Close': 21.10 is below low 21.20");
}

TEST_CASE("prices and volumes that are not finite are errors naming the column",
          "[market_data][errors][bad_bars]") {
  temp_dir dir;
  auto r = ohlcv_error(dir, "date,open,high,low,close\n2020-01-01,1,inf,1,1\n");
  CHECK(r.message == r.path + ":2: column 'high': price must be finite, got inf");
  r = ohlcv_error(dir, "date,open,high,low,close\n2020-01-01,1,2,-inf,1\n");
  CHECK(r.message == r.path + ":2: column 'low': price must be finite, got -inf");
  r = ohlcv_error(dir, "date,close,volume\n2020-01-01,1,nan\n");
  CHECK(r.message == r.path + ":2: column 'volume': volume must be finite, got nan");
  r = ohlcv_error(dir, "date,close\n2020-01-01,0\n");  // close-only: the close is every price
  CHECK(r.message == r.path + ":2: column 'close': price must be positive, got 0");
  r = wide_error(dir, "date,A,B\n2020-01-01,1,2\n2020-01-02,1,inf\n");
  CHECK(r.message == r.path + ":3: column 'B': price must be finite, got inf");
  r = wide_error(dir, "date,A,B\n2020-01-01,-1,2\n");
  CHECK(r.message == r.path + ":2: column 'A': price must be positive, got -1");
}

namespace {

// Line 2 is sound; 3: close below low; 4: open above high; 5: open below low and close
// above high; 6 is sound.
const std::string clippable_rows = "date,open,high,low,close,volume\n"
                                   "2018-01-31,21.50,21.80,21.40,21.70,4000\n"
                                   "2018-02-01,21.70,21.75,21.20,21.10,5000\n"
                                   "2018-02-02,21.90,21.85,21.30,21.60,4500\n"
                                   "2018-02-05,21.00,21.60,21.10,21.70,4200\n"
                                   "2018-02-06,21.40,21.50,21.30,21.45,3000\n";

} // namespace

TEST_CASE("on_bad_bar repair clips open and close into [low, high] and reports it",
          "[market_data][bad_bars]") {
  temp_dir dir;
  const std::string path = dir.write("clip.csv", clippable_rows);
  const auto data = load({ohlcv_source(path, "X")}, admf::bad_bar_policy::repair);
  REQUIRE(data.bars.size() == 5);
  const auto& b = data.bars;
  CHECK(b[0].bar.open == 21.50);
  CHECK(b[0].bar.close == 21.70);
  CHECK(b[1].bar.open == 21.70);
  CHECK(b[1].bar.close == 21.20);  // 21.10 up to the low
  CHECK(b[1].bar.high == 21.75);
  CHECK(b[1].bar.low == 21.20);
  CHECK(b[1].bar.volume == 5000);
  CHECK(b[2].bar.open == 21.85);  // 21.90 down to the high
  CHECK(b[2].bar.close == 21.60);
  CHECK(b[3].bar.open == 21.10);  // both ends
  CHECK(b[3].bar.close == 21.60);
  CHECK(b[4].bar.open == 21.40);
  REQUIRE(data.bad_bars.size() == 1);
  const auto& report = data.bad_bars[0];
  CHECK(report.path == path);
  CHECK(report.action == admf::bad_bar_policy::repair);
  CHECK(report.count == 3);
  CHECK(report.first == path + ":3: column 'close': 21.10 is below low 21.20");
  CHECK(admf::describe(report)
        == path + ": 3 bars repaired (on_bad_bar: repair), the first at " + path
             + ":3: column 'close': 21.10 is below low 21.20");
}

TEST_CASE("on_bad_bar repair still rejects what clipping cannot fix",
          "[market_data][errors][bad_bars]") {
  temp_dir dir;
  const auto repair = admf::bad_bar_policy::repair;
  const std::string good = "date,open,high,low,close,volume\n2020-01-01,1,2,1,2,5\n";
  auto r = ohlcv_error(dir, good + "2020-01-02,1.5,1,2,1.5,5\n", repair);
  CHECK(r.message == r.path + ":3: column 'high': 1 is below low 2");
  r = ohlcv_error(dir, good + "2020-01-02,1,2,0,1,5\n", repair);
  CHECK(r.message == r.path + ":3: column 'low': price must be positive, got 0");
  r = ohlcv_error(dir, good + "2020-01-02,1,2,1,nan,5\n", repair);
  CHECK(r.message == r.path + ":3: column 'close': price must be finite, got nan");
  // A close outside the bar does not hide the negative volume that clipping cannot fix.
  r = ohlcv_error(dir, good + "2020-01-02,1,2,1,3,-5\n", repair);
  CHECK(r.message == r.path + ":3: column 'volume': volume must not be negative, got -5");
  r = wide_error(dir, "date,A\n2020-01-01,1\n2020-01-02,0\n", repair);
  CHECK(r.message == r.path + ":3: column 'A': price must be positive, got 0");
}

TEST_CASE("on_bad_bar skip drops every impossible bar and reports it",
          "[market_data][bad_bars]") {
  temp_dir dir;
  const auto skip = admf::bad_bar_policy::skip;
  const std::string clip = dir.write("clip.csv", clippable_rows);
  const std::string other = dir.write("other.csv",
                                      "date,open,high,low,close,volume\n"
                                      "2018-01-31,10,11,9,10,100\n"
                                      "2018-02-01,10,9,11,10,100\n"      // high < low
                                      "2018-02-02,10,11,0,10,100\n"      // low 0
                                      "2018-02-05,10,11,9,inf,100\n"     // close inf
                                      "2018-02-06,10,11,9,10,-1\n"       // volume < 0
                                      "2018-02-07,10.5,11,9,10.5,100\n");
  const auto data = load({ohlcv_source(clip, "X"), ohlcv_source(other, "Y")}, skip);
  REQUIRE(data.bars.size() == 4);
  CHECK(data.bars[0].time == day(2018, 1, 31));
  CHECK(data.bars[0].bar.symbol == 0);
  CHECK(data.bars[1].time == day(2018, 1, 31));
  CHECK(data.bars[1].bar.symbol == 1);
  CHECK(data.bars[2].time == day(2018, 2, 6));
  CHECK(data.bars[2].bar.close == 21.45);
  CHECK(data.bars[3].time == day(2018, 2, 7));
  CHECK(data.bars[3].bar.close == 10.5);
  REQUIRE(data.bad_bars.size() == 2);
  CHECK(data.bad_bars[0].path == clip);
  CHECK(data.bad_bars[0].count == 3);
  CHECK(data.bad_bars[0].first == clip + ":3: column 'close': 21.10 is below low 21.20");
  CHECK(data.bad_bars[1].path == other);
  CHECK(data.bad_bars[1].count == 4);
  CHECK(admf::describe(data.bad_bars[1])
        == other + ": 4 bars skipped (on_bad_bar: skip), the first at " + other
             + ":3: column 'high': 9 is below low 11");
}

TEST_CASE("on_bad_bar skip drops single cells of a wide file", "[market_data][bad_bars]") {
  temp_dir dir;
  const std::string path = dir.write("wide.csv",
                                     "date,A,B\n"
                                     "2020-01-01,1.5,0\n"
                                     "2020-01-02,inf,2.5\n");
  const auto data = load({wide_source(path)}, admf::bad_bar_policy::skip);
  REQUIRE(data.bars.size() == 2);
  CHECK(data.bars[0].bar.symbol == 0);
  CHECK(data.bars[0].bar.close == 1.5);
  CHECK(data.bars[1].bar.symbol == 1);
  CHECK(data.bars[1].bar.close == 2.5);
  REQUIRE(data.bad_bars.size() == 1);
  CHECK(data.bad_bars[0].count == 2);
  CHECK(data.bad_bars[0].first == path + ":2: column 'B': price must be positive, got 0");
  CHECK(admf::describe(data.bad_bars[0])
        == path + ": 2 bars skipped (on_bad_bar: skip), the first at " + path
             + ":2: column 'B': price must be positive, got 0");
}

TEST_CASE("on_bad_bar never excuses a malformed row, and clean files report nothing",
          "[market_data][bad_bars]") {
  temp_dir dir;
  for (const auto policy : {admf::bad_bar_policy::repair, admf::bad_bar_policy::skip}) {
    const auto r = ohlcv_error(dir, "date,close\n2020-01-01,1\n2020-01-02,abc\n", policy);
    CHECK(r.message == r.path + ":3: column 'close': 'abc' is not a number");
    const auto sp500 = load({ohlcv_source(data_file("sp500_2000_daily_ohlcv.csv"), "SPX")}, policy);
    CHECK(sp500.bars.size() == 5105);
    CHECK(sp500.bad_bars.empty());
  }
  const std::string one = dir.write("one.csv", "date,open,high,low,close\n2020-01-01,3,2,1,2\n");
  const auto data = load({ohlcv_source(one, "X")}, admf::bad_bar_policy::repair);
  CHECK(admf::describe(data.bad_bars.at(0))
        == one + ": 1 bar repaired (on_bad_bar: repair), the first at " + one
             + ":2: column 'open': 3 is above high 2");
}

TEST_CASE("synthetic data is deterministic per seed", "[market_data][synthetic]") {
  const auto a = admf::synthetic_market_data(2000, 42);
  const auto b = admf::synthetic_market_data(2000, 42);
  const auto c = admf::synthetic_market_data(2000, 43);
  REQUIRE(a.bars.size() == 2000);
  CHECK(a.symbols == std::vector<std::string>{"SYN"});
  bool same = true;
  bool differs = false;
  for (std::size_t i = 0; i < a.bars.size(); ++i) {
    const auto &x = a.bars[i].bar, &y = b.bars[i].bar, &z = c.bars[i].bar;
    same = same && a.bars[i].time == b.bars[i].time && x.open == y.open && x.high == y.high
           && x.low == y.low && x.close == y.close && x.volume == y.volume;
    differs = differs || x.close != z.close;
  }
  CHECK(same);
  CHECK(differs);
}

TEST_CASE("synthetic bars look like real daily quotes", "[market_data][synthetic]") {
  const auto data = admf::synthetic_market_data(50000, 7, "ABC");
  REQUIRE(data.symbols == std::vector<std::string>{"ABC"});
  REQUIRE(data.bars.size() == 50000);
  CHECK(data.bars.front().time == day(2000, 1, 3));
  CHECK(data.bars[1].time - data.bars[0].time == admf::ns_per_day);
  CHECK(strictly_ordered(data.bars));
  const auto four_decimals = [](double x) { return std::round(x * 1e4) / 1e4 == x; };
  std::size_t bad = 0;
  for (const auto& tb : data.bars) {
    const auto& b = tb.bar;
    const bool ok = b.low > 0 && b.low <= b.open && b.low <= b.close && b.high >= b.open
                    && b.high >= b.close && b.volume > 0 && four_decimals(b.open)
                    && four_decimals(b.high) && four_decimals(b.low) && four_decimals(b.close);
    bad += ok ? 0 : 1;
  }
  CHECK(bad == 0);
  // Moves of about 1% a bar, not a flat line and not a jump.
  const double move = std::abs(data.bars[1].bar.close / data.bars[0].bar.close - 1);
  CHECK(move < 0.05);
  CHECK(data.bars[500].bar.close != data.bars[0].bar.close);
  CHECK(admf::synthetic_market_data(0, 1).bars.empty());
}

TEST_CASE("synthetic series too long for daily timestamps use minute bars",
          "[market_data][synthetic]") {
  const auto daily = admf::synthetic_market_data(95000, 3);
  CHECK(daily.bars.back().time - daily.bars.front().time == 94999 * admf::ns_per_day);
  // Daily spacing would pass the int64 nanosecond limit in the year 2262.
  const auto data = admf::synthetic_market_data(1000000, 3);
  REQUIRE(data.bars.size() == 1000000);
  CHECK(data.bars.front().time == day(2000, 1, 3));
  CHECK(data.bars[1].time - data.bars[0].time == 60 * admf::ns_per_second);
  CHECK(strictly_ordered(data.bars));
}

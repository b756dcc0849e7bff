// Data files as they come: CSV dialects (quoting, BOM, CRLF, delimiters, decimal comma)
// and each per-source option, on small files written here with hand-worked values; and
// the split case through a whole run.
#include <catch2/catch.hpp>

#include "apps/engine/backtest.hpp"
#include "runtime/core/error.hpp"
#include "runtime/data/market_data.hpp"
#include "runtime/strategy/checked_config.hpp"
#include "script_strategy.hpp"
#include "temp_dir.hpp"

using namespace admf;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using testing::temp_dir;

namespace {

data_source_config source_of(const std::string& path, const std::string& symbol = "X") {
  data_source_config s;
  s.csv = s.path = path;
  s.symbol = symbol;
  return s;
}

market_data load(const data_source_config& s, bad_bar_policy policy = bad_bar_policy::reject) {
  return load_market_data(data_config{{s}, policy});
}

std::string error_of(const data_source_config& s) {
  try {
    load(s);
  } catch (const input_error& e) {
    const std::string message = e.what();
    CHECK(message.find('\n') == std::string::npos);
    return message;
  }
  return "no error";
}

timestamp day(int y, unsigned m, unsigned d) { return days_from_civil(y, m, d) * ns_per_day; }

struct ohlcv {
  double open, high, low, close, volume;
};

void check_bar(const timed_bar& tb, timestamp t, ohlcv want) {
  CHECK(tb.time == t);
  CHECK(tb.bar.open == want.open);
  CHECK(tb.bar.high == want.high);
  CHECK(tb.bar.low == want.low);
  CHECK(tb.bar.close == want.close);
  CHECK(tb.bar.volume == want.volume);
}

}  // namespace

TEST_CASE("csv: quoted header and fields, with delimiters and quotes inside", "[csv_dialects]") {
  temp_dir dir;
  const auto path = dir.write("quoted.csv",
                              "\"Date\",\"Open\",\"High\",\"Low\",\"Close\",\"Volume\",\"Note\"\n"
                              "\"2020-01-02\",\"10\",\"11\",\"9\",\"10.5\",\"100\",\"quiet, calm\"\n"
                              "2020-01-03, 10.5 ,12,10,11.5,200,\"a \"\"big\"\" day\"\n");
  const auto data = load(source_of(path));
  REQUIRE(data.bars.size() == 2);
  check_bar(data.bars[0], day(2020, 1, 2), {10, 11, 9, 10.5, 100});
  check_bar(data.bars[1], day(2020, 1, 3), {10.5, 12, 10, 11.5, 200});
}

TEST_CASE("csv: a quoted field may span lines, and the next row's line is counted right",
          "[csv_dialects]") {
  temp_dir dir;
  const auto path = dir.write("multiline.csv",
                              "date,close,note\n"
                              "2020-01-02,1,\"two\nlines\"\n"
                              "2020-01-03,x,\n");
  CHECK(error_of(source_of(path)) == path + ":4: column 'close': 'x' is not a number");
}

TEST_CASE("csv: a byte order mark with CRLF line ends and no final line break",
          "[csv_dialects]") {
  temp_dir dir;
  const auto path = dir.write("bom.csv",
                              "\xEF\xBB\xBF\"Date\",\"Close\"\r\n"
                              "2020-01-02,1.5\r\n"
                              "\"2020-01-03\",\"2.5\"");
  const auto data = load(source_of(path));
  REQUIRE(data.bars.size() == 2);
  check_bar(data.bars[1], day(2020, 1, 3), {2.5, 2.5, 2.5, 2.5, 0});
}

TEST_CASE("csv: quoted and plain lines read the same", "[csv_dialects]") {
  // The plain path splits quote-free lines itself; libcsv reads the quoted ones.
  temp_dir dir;
  const auto plain = dir.write("plain.csv",
                               "Date,Open,High,Low,Close,Volume\n"
                               "2020-01-02,  1.25,1.5 ,1\t,1.5,7\n"
                               "2020-01-03,1.5,2,1.5,1.75,8\r\n");
  const auto quoted = dir.write("quoted.csv",
                                "\"Date\",Open,High,Low,Close,Volume\n"
                                "\"2020-01-02\",  1.25,1.5 ,1\t,\"1.5\",7\n"
                                "\"2020-01-03\",1.5,2,1.5,1.75,8\r\n");
  const auto a = load(source_of(plain));
  const auto b = load(source_of(quoted));
  REQUIRE(a.bars.size() == 2);
  REQUIRE(b.bars.size() == 2);
  check_bar(a.bars[0], day(2020, 1, 2), {1.25, 1.5, 1, 1.5, 7});
  check_bar(b.bars[0], day(2020, 1, 2), {1.25, 1.5, 1, 1.5, 7});
  check_bar(a.bars[1], day(2020, 1, 3), {1.5, 2, 1.5, 1.75, 8});
  check_bar(b.bars[1], day(2020, 1, 3), {1.5, 2, 1.5, 1.75, 8});
}

TEST_CASE("csv: malformed quoting is an error on its line", "[csv_dialects][errors]") {
  temp_dir dir;
  auto path = dir.write("a.csv", "date,close\n2020-01-02,1\n2020-01-03,\"2\n");
  CHECK_THAT(error_of(source_of(path)),
             StartsWith(path + ":3: malformed CSV") && Contains("not closed"));
  path = dir.write("b.csv", "date,close\n2020-01-02,1\"5\n");
  CHECK_THAT(error_of(source_of(path)), StartsWith(path + ":2: malformed CSV"));
  path = dir.write("c.csv", "date,close\n\"2020-01-02\",\"1\",\"2\"\n");
  CHECK(error_of(source_of(path)) == path + ":2: expected 2 fields, found 3");
}

TEST_CASE("csv: a long cell is cut to 64 characters in messages, with its length",
          "[csv_dialects][errors]") {
  temp_dir dir;
  const std::string ones(5000, '1');
  auto path = dir.write("huge.csv", "date,close\n2020-01-02," + ones + "\n");
  CHECK(error_of(source_of(path)) == path + ":2: column 'close': '" + std::string(64, '1')
                                       + "... (5000 characters)' is not a number");
  // 64 characters are echoed whole; characters are UTF-8 code points, cut between them.
  const std::string e_acute = "\xC3\xA9";
  std::string word;
  for (int i = 0; i < 64; ++i)
    word += e_acute;
  path = dir.write("word.csv", "date,close\n2020-01-02," + word + "\n");
  CHECK(error_of(source_of(path)) == path + ":2: column 'close': '" + word + "' is not a number");
  path = dir.write("word65.csv", "date,close\n2020-01-02," + word + e_acute + "x\n");
  CHECK(error_of(source_of(path)) == path + ":2: column 'close': '" + word
                                       + "... (66 characters)' is not a number");
  // The time reader's own message is cut the same way.
  path = dir.write("time.csv", "date,close\n2020-01-02" + std::string(990, 'x') + ",1\n");
  const std::string message = error_of(source_of(path));
  CHECK_THAT(message, StartsWith(path + ":2: column 'date': ")
                        && Contains("2020-01-02" + std::string(54, 'x') + "... (1000 characters)"));
  CHECK(message.size() < path.size() + 300);
}

TEST_CASE("csv: semicolon delimiter with decimal comma", "[csv_dialects]") {
  temp_dir dir;
  const auto path = dir.write("de.csv",
                              "Datum;Open;High;Low;Close;Volume\n"
                              "2020-01-02;1,5;2,25;1,25;2;1000\n");
  auto s = source_of(path);
  s.columns.time = "Datum";
  // Without decimal: ',' the first price is no number, and the message says what to set.
  CHECK(error_of(s) == path
                         + ":2: column 'Open': '1,5' is not a number (set decimal: ',' if the "
                           "file writes 1,5 for one and a half)");
  s.decimal = ',';
  const auto data = load(s);
  REQUIRE(data.bars.size() == 1);
  check_bar(data.bars[0], day(2020, 1, 2), {1.5, 2.25, 1.25, 2, 1000});
  // A '.' under decimal ',' would be a thousands separator: refused, not misread.
  const auto dotted = dir.write("dotted.csv", "Datum;Close\n2020-01-02;1.500\n");
  s.path = dotted;
  CHECK(error_of(s) == dotted + ":2: column 'Close': '1.500' is not a number with decimal ','");
}

TEST_CASE("csv: tab and pipe delimiters are detected, a set delimiter is used as is",
          "[csv_dialects]") {
  temp_dir dir;
  const auto tab = dir.write("tab.csv", "date\tclose\tvolume\n2020-01-02\t1.5\t10\n");
  const auto pipe = dir.write("pipe.csv", "date|close\n2020-01-02|2.5\n");
  CHECK(load(source_of(tab)).bars.at(0).bar.volume == 10);
  CHECK(load(source_of(pipe)).bars.at(0).bar.close == 2.5);
  // The header "date;x,close" splits into more fields on ',' (2) than on ';' (2, a tie:
  // ',' first): set delimiter: ';' and the columns are "date" and "x,close".
  const auto semi = dir.write("semi.csv", "date;x,close\n2020-01-02;3\n");
  auto s = source_of(semi);
  s.delimiter = ';';
  s.columns.close = "x,close";
  CHECK(load(s).bars.at(0).bar.close == 3);
}

TEST_CASE("csv: columns maps the file's names, a close-only map included", "[csv_dialects]") {
  temp_dir dir;
  const auto path = dir.write("named.csv",
                              "Trade Date,O,H,L,Last,Qty\n"
                              "2020-01-02,10,11,9,10.5,100\n");
  auto s = source_of(path);
  s.columns = {"Trade Date", "O", "H", "L", "Last", "Qty", ""};
  check_bar(load(s).bars.at(0), day(2020, 1, 2), {10, 11, 9, 10.5, 100});
  // Only time and close mapped while the file has other columns: not silently close-only.
  s.columns = {"Trade Date", "", "", "", "Last", "", ""};
  CHECK(error_of(s) == path + ":1: columns: open, high and low are not mapped and the header "
                              "has unused columns 'O', 'H', 'L', 'Qty': map them (open: NAME, "
                              "...), or remove them for a close-only file");
  s.columns.volume = "Qty";
  CHECK(error_of(s) == path + ":1: columns: open, high and low are not mapped and the header "
                              "has unused columns 'O', 'H', 'L': map them (open: NAME, ...), or "
                              "remove them for a close-only file");
  // A file of time, close and volume alone is a close-only file.
  s.path = dir.write("close_only.csv", "Trade Date,Last,Qty\n2020-01-02,10.5,100\n");
  check_bar(load(s).bars.at(0), day(2020, 1, 2), {10.5, 10.5, 10.5, 10.5, 100});
  s.columns.volume.clear();
  s.path = dir.write("usual_volume.csv", "Trade Date,Last,Volume\n2020-01-02,10.5,100\n");
  check_bar(load(s).bars.at(0), day(2020, 1, 2), {10.5, 10.5, 10.5, 10.5, 100});
  s.path = dir.write("no_volume.csv", "Trade Date,Last\n2020-01-02,10.5\n");
  check_bar(load(s).bars.at(0), day(2020, 1, 2), {10.5, 10.5, 10.5, 10.5, 0});
  const auto extra = dir.write("extra.csv", "Trade Date,Last,Note\n2020-01-02,10.5,x\n");
  s.path = extra;
  CHECK(error_of(s) == extra + ":1: columns: open, high and low are not mapped and the header "
                               "has unused column 'Note': map them (open: NAME, ...), or remove "
                               "them for a close-only file");
  // The README's German file: every column mapped reads the real open, high and low.
  const auto euro = dir.write("euro.csv", "Datum;Er\xC3\xB6" "ffnung;Hoch;Tief;Schluss;Volumen\n"
                                          "04.01.2021;10,5;11,25;9,75;10,75;1000\n");
  auto e = source_of(euro);
  e.decimal = ',';
  e.time_format = "%d.%m.%Y";
  e.columns = {"Datum", "", "", "", "Schluss", "", ""};
  CHECK(error_of(e) == euro + ":1: columns: open, high and low are not mapped and the header "
                              "has unused columns 'Er\xC3\xB6" "ffnung', 'Hoch', 'Tief', "
                              "'Volumen': map them (open: NAME, ...), or remove them for a "
                              "close-only file");
  e.columns = {"Datum", "Er\xC3\xB6" "ffnung", "Hoch", "Tief", "Schluss", "Volumen", ""};
  check_bar(load(e).bars.at(0), day(2021, 1, 4), {10.5, 11.25, 9.75, 10.75, 1000});
  s.path = path;
  s.columns = {"Trade Date", "", "", "", "Last", "", ""};
  s.columns.close = "Price";
  CHECK(error_of(s) == path + ":1: columns: close: 'Price' is not in the header (Trade Date, O, "
                              "H, L, Last, Qty)");
}

TEST_CASE("csv: order descending reverses the rows and still checks them strictly",
          "[csv_dialects]") {
  temp_dir dir;
  const auto path = dir.write("newest_first.csv",
                              "date,close\n2020-01-03,3\n2020-01-02,2\n2020-01-01,1\n");
  auto s = source_of(path);
  // A step back from the first data row hints at the order; later ones do not.
  CHECK(error_of(s) == path + ":3: unsorted timestamp 2020-01-02 is before 2020-01-03 on line 2 "
                              "(newest first? set order: descending)");
  s.path = dir.write("late.csv", "date,close\n2020-01-01,1\n2020-01-03,3\n2020-01-02,2\n");
  CHECK(error_of(s) == s.path + ":4: unsorted timestamp 2020-01-02 is before 2020-01-03 on line 3");
  s.path = path;
  s.order = row_order::descending;
  const auto data = load(s);
  REQUIRE(data.bars.size() == 3);
  CHECK(data.bars[0].time == day(2020, 1, 1));
  CHECK(data.bars[0].bar.close == 1);
  CHECK(data.bars[2].bar.close == 3);
  const auto bad = dir.write("bad.csv", "date,close\n2020-01-03,3\n2020-01-04,4\n");
  s.path = bad;
  CHECK(error_of(s)
        == bad + ":3: unsorted timestamp 2020-01-04 is after 2020-01-03 on line 2 (order: descending)");
  const auto dup = dir.write("dup.csv", "date,close\n2020-01-03,3\n2020-01-03,4\n");
  s.path = dup;
  CHECK(error_of(s) == dup + ":3: duplicate timestamp 2020-01-03, same as line 2");
}

TEST_CASE("csv: a descending wide file keeps each time's symbols in id order", "[csv_dialects]") {
  temp_dir dir;
  const auto path = dir.write("wide.csv", "date,B,A\n2020-01-02,2,20\n2020-01-01,1,10\n");
  auto s = source_of(path);
  s.format = csv_format::wide;
  s.order = row_order::descending;
  const auto data = load(s);
  REQUIRE(data.symbols == std::vector<std::string>{"A", "B"});
  REQUIRE(data.bars.size() == 4);
  CHECK(data.bars[0].time == day(2020, 1, 1));
  CHECK(data.bars[0].bar.close == 10);  // A
  CHECK(data.bars[1].bar.close == 1);   // B
  CHECK(data.bars[3].time == day(2020, 1, 2));
  CHECK(data.bars[3].bar.close == 2);
}

TEST_CASE("csv: on_missing skip drops Yahoo's null rows and reports them, error names the cell",
          "[csv_dialects]") {
  temp_dir dir;
  const auto path = dir.write("yahoo.csv",
                              "Date,Open,High,Low,Close,Adj Close,Volume\n"
                              "2020-01-02,10,11,9,10.5,10.5,100\n"
                              "2020-01-03,null,null,null,null,null,null\n"
                              "2020-01-06,10.5,12,10,11,11,200\n"
                              "2020-01-07,NaN,NaN,NaN,NaN,NaN,0\n"
                              "2020-01-08,11,11,11,11,N/A,0\n");
  auto s = source_of(path);
  CHECK(error_of(s) == path
                         + ":3: column 'Open': missing price 'null' (on_missing: skip drops such rows)");
  s.on_missing = missing_row_policy::skip;
  // The adjusted close is a price only with adjust: adj_close; unused, its N/A drops nothing.
  auto data = load(s);
  REQUIRE(data.bars.size() == 3);
  CHECK(data.bars[2].time == day(2020, 1, 8));
  CHECK(data.missing_rows.at(0).count == 2);
  s.adjust = price_adjustment::adj_close;
  data = load(s);
  REQUIRE(data.bars.size() == 2);
  CHECK(data.bars[1].time == day(2020, 1, 6));
  REQUIRE(data.missing_rows.size() == 1);
  CHECK(data.missing_rows[0].count == 3);
  CHECK(describe(data.missing_rows[0])
        == path + ": 3 rows with a missing price skipped (on_missing: skip), the first at " + path
             + ":3: column 'Open': missing price 'null'");
  CHECK(data.bad_bars.empty());
}

TEST_CASE("csv: start and end keep the bars of an inclusive range", "[csv_dialects]") {
  temp_dir dir;
  const auto path = dir.write("range.csv",
                              "date,close\n"
                              "2020-01-01 12:00,1\n2020-01-02 12:00,2\n2020-01-03 12:00,3\n"
                              "2020-01-04 12:00,4\n");
  auto s = source_of(path);
  s.start = day(2020, 1, 2) + 12 * 3600 * ns_per_second;  // exactly the second bar
  s.end = day(2020, 1, 4) - 1;                             // as `end: 2020-01-03` reads
  const auto data = load(s);
  REQUIRE(data.bars.size() == 2);
  CHECK(data.bars[0].bar.close == 2);
  CHECK(data.bars[1].bar.close == 3);
  s.start = day(2021, 1, 1);
  s.end.reset();
  CHECK(error_of(s) == path + ": no rows from start 2021-01-01 (the file's rows run from "
                              "2020-01-01 12:00:00 to 2020-01-04 12:00:00)");
}

TEST_CASE("csv: adjust adj_close scales open, high and low by adj_close / close",
          "[csv_dialects]") {
  temp_dir dir;
  // Factor close / adj close: 4 on both days; the volume stays as traded.
  const auto path = dir.write("adj.csv",
                              "Date,Open,High,Low,Close,Adj Close,Volume\n"
                              "2021-01-04,400,404,396,400,100,1000\n"
                              "2021-01-05,400,410,400,408,102,2000\n");
  auto s = source_of(path);
  CHECK(load(s).bars[0].bar.close == 400);  // adjust: none reads the prices as written
  s.adjust = price_adjustment::adj_close;
  const auto data = load(s);
  check_bar(data.bars[0], day(2021, 1, 4), {100, 101, 99, 100, 1000});
  check_bar(data.bars[1], day(2021, 1, 5), {100, 102.5, 100, 102, 2000});
  const auto plain = dir.write("plain.csv", "Date,Close\n2021-01-04,1\n");
  s.path = plain;
  CHECK_THAT(error_of(s), StartsWith(plain + ":1: adjust: adj_close needs an adjusted close column"));
}

namespace {

/// X split 4:1 before the open of 2021-01-06: the raw closes 400, 408, 102, 110 are
/// 100, 102, 102, 110 adjusted (Adj Close as Yahoo writes it).
const char* const split_csv = "Date,Open,High,Low,Close,Adj Close,Volume\n"
                              "2021-01-04,400,400,400,400,100,1000\n"
                              "2021-01-05,400,410,400,408,102,1000\n"
                              "2021-01-06,102,104,102,102,102,4000\n"
                              "2021-01-07,104,110,104,110,110,4000\n";

portfolio_result split_run(price_adjustment adjust) {
  test::register_script_strategy();
  temp_dir dir;
  auto s = source_of(dir.write("split.csv", split_csv));
  s.adjust = adjust;
  auto data = std::make_shared<const market_data>(load(s));
  // Long X at the first close, filled at the next open with the whole 100,000.
  const auto r = run_backtest(test::scripted_config("1: X long"), data, {"", 1});
  REQUIRE(r.portfolios.at(0).ok);
  return r.portfolios.at(0);
}

}  // namespace

TEST_CASE("csv: across a 4:1 split, adjust adj_close gives the adjusted result",
          "[csv_dialects][split]") {
  // Adjusted: 100,000 / 100 = 1,000 units bought at the 2021-01-05 open of 100 (cash 0),
  // worth 1,000 x 110 = 110,000 at the last close: +10%.
  CHECK(split_run(price_adjustment::adj_close).metrics.final_equity == 110000.0);
  // Raw prices: 250 units at 400, then the split reads as a 75% fall (408 to 102) and
  // the run ends at 250 x 110 = 27,500.
  const auto raw = split_run(price_adjustment::none);
  CHECK(raw.metrics.final_equity == 27500.0);
  CHECK(raw.metrics.max_drawdown == Approx(0.75));
}

TEST_CASE("config: data options are read per source, with data-level defaults",
          "[csv_dialects][config]") {
  temp_dir dir;
  const auto a = dir.write("a.csv", "Date;Close\n2020-01-02;1,5\n");
  const auto b = dir.write("b.csv", "date,A\n2020-01-02,1\n");
  const std::string portfolio = "portfolios:\n  - id: p\n    initial_capital: 1000\n"
                                "    strategies:\n      - {id: s, type: buy_and_hold}\n";
  const std::string text = "data:\n  decimal: ','\n  order: descending\n  sources:\n"
                           "    - {csv: " + a + ", symbol: X, on_missing: skip, start: 2020-01-01,"
                           " end: 2020-01-31, adjust: none,"
                           " columns: {time: Date, close: Close}}\n"
                           "    - {csv: " + b + ", format: wide, decimal: '.', delimiter: tab}\n"
                           + portfolio;
  const auto config = load_config_text(text, dir.file("c.yaml"));
  const auto& x = config.data.sources.at(0);
  CHECK(x.decimal == ',');
  CHECK(x.order == row_order::descending);
  CHECK(x.on_missing == missing_row_policy::skip);
  CHECK(x.columns.time == "Date");
  CHECK(x.columns.close == "Close");
  CHECK(x.start == day(2020, 1, 1));
  CHECK(x.end == day(2020, 2, 1) - 1);  // a date alone as end: the whole day
  const auto& w = config.data.sources.at(1);
  CHECK(w.decimal == '.');
  CHECK(w.delimiter == '\t');
  CHECK(w.order == row_order::descending);

  const auto error = [&](const std::string& data) {
    try {
      load_config_text("data:\n" + data + portfolio, dir.file("c.yaml"));
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string c = dir.file("c.yaml");
  CHECK_THAT(error("  csv: " + a + "\n  symbol: X\n  start: 2020-02-01\n  end: 2020-01-01\n"),
             StartsWith(c + ":5: data.end: is before start '2020-02-01'"));
  CHECK_THAT(error("  csv: " + b + "\n  format: wide\n  adjust: adj_close\n"),
             StartsWith(c + ":4: data.adjust: only for format ohlcv"));
  CHECK_THAT(error("  csv: " + a + "\n  symbol: X\n  columns: {price: Close}\n"),
             StartsWith(c + ":4: data.columns.price: unknown key"));
  CHECK_THAT(error("  csv: " + a + "\n  symbol: X\n  timezone: Mars/Olympus\n"),
             StartsWith(c + ":4: data.timezone: ") && Contains("Mars/Olympus"));
  CHECK_THAT(error("  csv: " + a + "\n  symbol: X\n  delimiter: ','\n  decimal: ','\n"),
             StartsWith(c + ":5: data.decimal: decimal ',' needs a delimiter other than ','"));
  CHECK(error("  csv: " + a + "\n  symbol: X\n  decimal: 5\n")
        == c + ":4: data.decimal: expected '.' or ',', got '5'");
  CHECK_THAT(error("  csv: " + a + "\n  symbol: X\n  start: 2020-13-01\n"),
             StartsWith(c + ":4: data.start: expected a date"));
}

TEST_CASE("config: start and end on a local time a DST change skips",
          "[csv_dialects][config]") {
  temp_dir dir;
  const auto a = dir.write("a.csv", "date,close\n2020-01-02,1\n");
  const std::string portfolio = "portfolios:\n  - id: p\n    initial_capital: 1000\n"
                                "    strategies:\n      - {id: s, type: buy_and_hold}\n";
  const std::string c = dir.file("c.yaml");
  const auto read = [&](const std::string& options) {
    return load_config_text("data:\n  csv: " + a + "\n  symbol: X\n" + options + portfolio, c)
      .data.sources.at(0);
  };
  const auto error = [&](const std::string& options) {
    try {
      read(options);
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const timestamp hour = 3600 * ns_per_second;
  // Sao Paulo's clocks jumped from 00:00 (UTC-3) to 01:00 (UTC-2) on 2018-11-04: the day
  // starts at 01:00 local, 03:00 UTC. The next day starts at midnight UTC-2, 02:00 UTC.
  CHECK(read("  timezone: America/Sao_Paulo\n  start: 2018-11-04\n").start
        == day(2018, 11, 4) + 3 * hour);
  CHECK(read("  timezone: America/Sao_Paulo\n  start: 2018-11-05\n").start
        == day(2018, 11, 5) + 2 * hour);
  CHECK(read("  timezone: America/Sao_Paulo\n  end: 2018-11-04\n").end
        == day(2018, 11, 5) + 2 * hour - 1);
  CHECK(error("  timezone: America/Sao_Paulo\n  start: 2018-11-04 00:30\n")
        == c + ":5: data.start: 2018-11-04 00:30 does not exist in America/Sao_Paulo (clocks "
               "jump from 00:00 to 01:00)");
  CHECK(error("  timezone: America/New_York\n  end: 2020-03-08 02:30\n")
        == c + ":5: data.end: 2020-03-08 02:30 does not exist in America/New_York (clocks "
               "jump from 02:00 to 03:00)");
  CHECK_THAT(error("  timezone: America/New_York\n  end: 2020-02-30\n"),
             StartsWith(c + ":5: data.end: expected a date"));
}

TEST_CASE("csv: the fall-back hour in New York reads in row order, both directions",
          "[csv_dialects][dst]") {
  // 2021-11-07: clocks go from 02:00 EDT (UTC-4) back to 01:00 EST (UTC-5), so 01:00 and
  // 01:30 happen twice. Half-hourly rows: 04:30Z, 05:00Z, 05:30Z, 06:00Z, 06:30Z, 07:00Z.
  temp_dir dir;
  const timestamp t0 = day(2021, 11, 7) + (4 * 3600 + 1800) * ns_per_second;
  const timestamp half_hour = 1800 * ns_per_second;
  const auto check_times = [&](const market_data& data) {
    REQUIRE(data.bars.size() == 6);
    for (std::size_t i = 0; i < 6; ++i)
      CHECK(data.bars[i].time == t0 + static_cast<timestamp>(i) * half_hour);
    CHECK(data.bars[3].bar.close == 4);  // the second 01:00, in EST
  };
  auto s = source_of(dir.write("up.csv", "time,close\n"
                                         "2021-11-07 00:30,1\n2021-11-07 01:00,2\n"
                                         "2021-11-07 01:30,3\n2021-11-07 01:00,4\n"
                                         "2021-11-07 01:30,5\n2021-11-07 02:00,6\n"));
  s.timezone = "America/New_York";
  check_times(load(s));
  s.path = dir.write("down.csv", "time,close\n"
                                 "2021-11-07 02:00,6\n2021-11-07 01:30,5\n"
                                 "2021-11-07 01:00,4\n2021-11-07 01:30,3\n"
                                 "2021-11-07 01:00,2\n2021-11-07 00:30,1\n");
  s.order = row_order::descending;
  check_times(load(s));
  // Without a zone the same rows are UTC and go back in time: an error, not a guess.
  s.timezone.clear();
  CHECK_THAT(error_of(s), StartsWith(s.path + ":5: unsorted timestamp 2021-11-07 01:30:00"));
  // The spring-forward gap skips 02:00-03:00: a time in it is an error naming the cell.
  s = source_of(dir.write("gap.csv", "time,close\n2021-03-14 01:30,1\n2021-03-14 02:30,2\n"));
  s.timezone = "America/New_York";
  CHECK_THAT(error_of(s), StartsWith(s.path + ":3: column 'time': ") && Contains("does not exist"));
}

TEST_CASE("csv: time_format and epoch times reach the loader", "[csv_dialects]") {
  temp_dir dir;
  auto s = source_of(dir.write("de.csv", "Datum;Schluss\n02.01.2020;1,5\n03.01.2020;2\n"));
  s.columns = {"Datum", "", "", "", "Schluss", "", ""};
  s.decimal = ',';
  s.time_format = "%d.%m.%Y";
  const auto data = load(s);
  REQUIRE(data.bars.size() == 2);
  CHECK(data.bars[0].time == day(2020, 1, 2));
  CHECK(data.bars[1].bar.close == 2);
  s = source_of(dir.write("epoch.csv", "timestamp,close\n1577923200000,1\n"));
  s.time_format = "epoch_ms";
  CHECK(load(s).bars.at(0).time == day(2020, 1, 2));
}

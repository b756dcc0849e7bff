// csv_table reads its file a chunk at a time: every chunk size, from one byte up to
// the whole file, must give the same dialect, rows, line numbers and errors, whether
// a line, a quoted field, a CRLF or the byte order mark straddles a chunk boundary.
// Expected values are worked out by hand from the files written here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <csv.h>

#include "runtime/core/error.hpp"
#include "runtime/data/csv_table.hpp"
#include "runtime/data/market_data.hpp"
#include "temp_dir.hpp"

using namespace admf;
using testing::temp_dir;

namespace {

struct row {
  std::size_t line;
  std::vector<std::string> fields;
  bool operator==(const row& o) const { return line == o.line && fields == o.fields; }
};

/// The header (as line 1) and every row of the file, read with `chunk` bytes at a time.
std::vector<row> rows_of(const std::string& path, std::size_t chunk, char delimiter = 0,
                         char decimal = '.') {
  csv_table table(path, delimiter, decimal, chunk);
  std::vector<row> rows{{1, table.header()}};
  while (table.next_row()) {
    row r{table.line(), {}};
    for (std::size_t c = 0; c < table.columns(); ++c)
      r.fields.emplace_back(table.field(c));
    rows.push_back(r);
  }
  return rows;
}

/// The input_error reading the whole file with `chunk` bytes at a time gives.
std::string error_of(const std::string& path, std::size_t chunk) {
  try {
    rows_of(path, chunk);
  } catch (const input_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("csv chunks: BOM, CRLF, quoted fields over lines and no final line break, at every chunk size",
          "[csv_chunks]") {
  temp_dir dir;
  const std::string text = "\xEF\xBB\xBF\"Date\",Close,Note\r\n"
                           "2020-01-02, 1.5 ,plain\r\n"
                           "2020-01-03,2.5,\"two\r\nlines, \"\"quoted\"\"\"\r\n"
                           "2020-01-04,3.5,last";
  const auto path = dir.write("mixed.csv", text);
  const std::vector<row> want = {
    {1, {"Date", "Close", "Note"}},
    {2, {"2020-01-02", "1.5", "plain"}},
    {3, {"2020-01-03", "2.5", "two\r\nlines, \"quoted\""}},
    {5, {"2020-01-04", "3.5", "last"}},
  };
  for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
    INFO("chunk " << chunk);
    CHECK(rows_of(path, chunk) == want);
    const csv_table table(path, 0, '.', chunk);
    CHECK(table.dialect().bom);
    CHECK(table.dialect().crlf);
    CHECK(table.dialect().delimiter == ',');
  }
}

TEST_CASE("csv chunks: a header longer than a chunk still decides the delimiter",
          "[csv_chunks]") {
  temp_dir dir;
  const std::string text = "Datum;Schlusskurs;Volumen\n02.01.2020;1,5;7\n03.01.2020;2,25;8\n";
  const auto path = dir.write("semicolon.csv", text);
  const std::vector<row> want = {{1, {"Datum", "Schlusskurs", "Volumen"}},
                                 {2, {"02.01.2020", "1,5", "7"}},
                                 {3, {"03.01.2020", "2,25", "8"}}};
  for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
    INFO("chunk " << chunk);
    CHECK(rows_of(path, chunk, 0, ',') == want);
    const csv_table table(path, 0, ',', chunk);
    CHECK(table.dialect().delimiter == ';');
    CHECK_FALSE(table.dialect().crlf);
    CHECK_FALSE(table.dialect().bom);
  }
}

TEST_CASE("csv chunks: errors name the same line at every chunk size", "[csv_chunks][errors]") {
  temp_dir dir;
  const std::pair<std::string, std::string> cases[] = {
    {"date,close\n2020-01-01,1\n\n2020-01-02,1\n", ":3: blank line"},
    {"date,close\n2020-01-01,1\n \r\n\t\n\n2020-01-02,1", ":3: blank line"},
    {"date,close\n2020-01-02,1\n2020-01-03,\"2\n\n",
     ":3: malformed CSV: a quoted field is not closed"},
    {"date,close\n\"2020-01-02\",\"1\",\"2\"\n", ":2: expected 2 fields, found 3"},
    {"date,close\n2020-01-02,1\n2020-01-03,1\"5\n",
     ":3: malformed CSV: a quote inside an unquoted field, or text after a closing quote"},
    {"", ":1: empty file, expected a header row"},
  };
  for (const auto& [text, message] : cases) {
    const auto path = dir.write("bad.csv", text);
    for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
      INFO(text << " chunk " << chunk);
      CHECK(error_of(path, chunk) == path + message);
    }
  }
}

TEST_CASE("csv chunks: trailing blank lines end the file at every chunk size", "[csv_chunks]") {
  temp_dir dir;
  const std::string text = "date,close\r\n2020-01-01,1\r\n\r\n  \n\t\r\n\n";
  const auto path = dir.write("trailing.csv", text);
  const std::vector<row> want = {{1, {"date", "close"}}, {2, {"2020-01-01", "1"}}};
  for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
    INFO("chunk " << chunk);
    CHECK(rows_of(path, chunk) == want);
  }
}

TEST_CASE("csv chunks: expected rows is exact within one chunk and estimated beyond",
          "[csv_chunks]") {
  temp_dir dir;
  std::string text = "a,b\n";  // 4 bytes, then 1000 rows of 13
  for (int i = 0; i < 1000; ++i)
    text += "0123456789,1\n";
  const auto path = dir.write("rows.csv", text);
  // One chunk holds it all: 1000 line breaks after the header, + 1 for a last line
  // without one.
  CHECK(csv_table(path, 0, '.').expected_rows() == 1001);
  // 130-byte chunks: the header and 9 whole rows of 13 bytes are read; 13,000 bytes
  // remain, 1000 rows at 13 bytes, + a quarter + 1.
  CHECK(csv_table(path, 0, '.', 130).expected_rows() == 1251);
  // Rows of empty fields, 3 bytes each: the estimate 3000 / 3 * 1.25 + 1 is above the
  // bound of 3000 bytes over 3 columns, + 1.
  std::string empty_rows = "a,b,c\n";
  for (int i = 0; i < 1000; ++i)
    empty_rows += ",,\n";
  const auto empty = dir.write("empty.csv", empty_rows);
  CHECK(csv_table(empty, 0, '.', 30).expected_rows() == 1001);
}

TEST_CASE("csv chunks: a file longer than a 1 MiB chunk loads every bar", "[csv_chunks]") {
  // 40,000 one-minute bars, ~2 MB: rows straddle the default chunk boundaries. Prices are
  // multiples of 0.25, exact in binary, so the expected doubles are the written ones.
  temp_dir dir;
  const int bars = 40'000;
  std::string text = "time,open,high,low,close,volume\n";
  char line[96];
  for (int i = 0; i < bars; ++i) {
    const double close = 100 + (i % 1000) * 0.25;
    const int day = 1 + i / 1440, minute = i % 1440;
    std::snprintf(line, sizeof line, "2020-01-%02d %02d:%02d,%.2f,%.2f,%.2f,%.2f,%d\n", day,
                  minute / 60, minute % 60, close - 0.5, close + 1, close - 1, close, 1000 + i);
    text += line;
  }
  REQUIRE(text.size() > csv_table::default_chunk_size);
  data_source_config source;
  source.csv = source.path = dir.write("minutes.csv", text);
  source.symbol = "M";
  const market_data data = load_market_data(data_config{{source}, bad_bar_policy::reject});
  REQUIRE(data.bars.size() == bars);
  const timestamp start = days_from_civil(2020, 1, 1) * ns_per_day;
  for (const int i : {0, 1, 20'000, 21'845, bars - 1}) {
    INFO("bar " << i);
    const timed_bar& tb = data.bars[static_cast<std::size_t>(i)];
    const double close = 100 + (i % 1000) * 0.25;
    CHECK(tb.time == start + i * 60 * ns_per_second);
    CHECK(tb.bar.open == close - 0.5);
    CHECK(tb.bar.high == close + 1);
    CHECK(tb.bar.low == close - 1);
    CHECK(tb.bar.close == close);
    CHECK(tb.bar.volume == 1000 + i);
  }
}

TEST_CASE("csv chunks: quote-free lines split as libcsv splits them, for every delimiter",
          "[csv_chunks]") {
  // csv_table splits lines without quotes itself, eight bytes at a time; libcsv, called
  // here directly, is the reference: fields of every length (empty, around 8 bytes),
  // spaces and tabs around them, the delimiter at every offset of a word.
  temp_dir dir;
  std::mt19937_64 rng(7);
  for (const char delimiter : {',', ';', '\t', '|'}) {
    std::string alphabet = "ab1.- \t";
    alphabet.erase(std::remove(alphabet.begin(), alphabet.end(), delimiter), alphabet.end());
    const std::size_t columns = 2 + rng() % 6;
    std::string text;
    std::vector<std::vector<std::string>> want;
    for (int line = 0; line < 300; ++line) {
      std::string row;
      for (std::size_t c = 0; c < columns; ++c) {
        if (c > 0)
          row += delimiter;
        const std::size_t n = line == 0 ? 1 + c : rng() % 19;  // a header without blanks
        for (std::size_t i = 0; i < n; ++i)
          row += line == 0 ? 'h' : alphabet[rng() % alphabet.size()];
      }
      if (row.find_first_not_of(" \t") == std::string::npos)
        row.insert(0, "x");  // a blank line is an error, not a row
      text += row + "\n";
      // libcsv's fields of the same line.
      csv_parser parser;
      REQUIRE(csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) == 0);
      csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
      std::vector<std::string> fields;
      const auto on_field = [](void* data, std::size_t size, void* out) {
        static_cast<std::vector<std::string>*>(out)->emplace_back(static_cast<char*>(data), size);
      };
      REQUIRE(csv_parse(&parser, row.data(), row.size(), on_field, nullptr, &fields) == row.size());
      REQUIRE(csv_fini(&parser, on_field, nullptr, &fields) == 0);
      csv_free(&parser);
      want.push_back(fields);
    }
    const auto path = dir.write("split.csv", text);
    const auto rows = rows_of(path, csv_table::default_chunk_size, delimiter);
    REQUIRE(rows.size() == want.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      INFO("delimiter " << int(delimiter) << " line " << i + 1);
      CHECK(rows[i].fields == want[i]);
    }
  }
}

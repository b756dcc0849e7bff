// libcsv does the CSV grammar; this file feeds it one line at a time, which gives
// every row its line number and lets a blank line be told from the end of the file.
// The row's fields land back to back in one reused buffer: no allocation per row.
//
// Speed: libcsv looks at each byte in a state machine, which made loading 2.2x slower
// than the memchr splitting before it (bench/data_load_bench.cpp). A line without a
// quote or a stray CR is the one case of the grammar where the fields are exactly the
// text between delimiters, trimmed of spaces and tabs as libcsv trims them, so such a
// line is split with memchr; every line with a quote goes through libcsv (tests:
// tests/unit/test_csv_dialects.cpp checks the two give the same fields).
#include "runtime/data/csv_table.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <csv.h>

#include "runtime/core/error.hpp"

namespace admf {
namespace {

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

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

/// libcsv's parser state, freed on every path.
struct libcsv_parser {
  csv_parser p;
  explicit libcsv_parser(char delimiter) {
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);  // fails only for a null `p`
    csv_set_delim(&p, static_cast<unsigned char>(delimiter));
  }
  ~libcsv_parser() { csv_free(&p); }
  libcsv_parser(const libcsv_parser&) = delete;
  libcsv_parser& operator=(const libcsv_parser&) = delete;
};

/// How many fields `line` has when split on `delimiter` (0 if it is not valid CSV).
std::size_t count_fields(std::string_view line, char delimiter) {
  libcsv_parser parser(delimiter);
  std::size_t count = 0;
  const auto on_field = [](void*, std::size_t, void* n) { ++*static_cast<std::size_t*>(n); };
  if (csv_parse(&parser.p, line.data(), line.size(), on_field, nullptr, &count) != line.size()
      || csv_fini(&parser.p, on_field, nullptr, &count) != 0)
    return 0;
  return count;
}

char detect_delimiter(std::string_view header_line, char decimal) {
  char best = ',';
  std::size_t most = 0;
  for (const char d : detected_delimiters) {
    if (d == decimal)
      continue;
    const std::size_t n = count_fields(header_line, d);
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}

}  // namespace

std::string delimiter_name(char delimiter) {
  return delimiter == '\t' ? "TAB" : std::string("'") + delimiter + "'";
}

struct csv_table::parser : libcsv_parser {
  using libcsv_parser::libcsv_parser;

  static void on_field(void* data, std::size_t size, void* table) {
    auto& t = *static_cast<csv_table*>(table);
    t.bounds_.emplace_back(t.cells_.size(), size);
    if (size > 0)
      t.cells_.append(static_cast<const char*>(data), size);
  }
  static void on_row(int, void* table) { static_cast<csv_table*>(table)->row_done_ = true; }
};

csv_table::csv_table(std::string path, char delimiter, char decimal)
  : path_(std::move(path)), text_(read_whole_file(path_)) {
  // Spreadsheet exports often start with a UTF-8 byte order mark.
  if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    pos_ = 3;
    dialect_.bom = true;
  }
  const std::size_t eol = text_.find('\n', pos_);
  const std::string_view first_line =
    std::string_view(text_).substr(pos_, eol == std::string::npos ? std::string::npos : eol - pos_);
  dialect_.crlf = eol != std::string::npos && !first_line.empty() && first_line.back() == '\r';
  dialect_.decimal = decimal;
  dialect_.delimiter_detected = delimiter == 0;
  dialect_.delimiter = delimiter != 0 ? delimiter : detect_delimiter(first_line, decimal);
  parser_ = std::make_unique<parser>(dialect_.delimiter);
  // Most files have neither: then no line is searched for them.
  any_quote_ = std::memchr(text_.data(), '"', text_.size()) != nullptr;
  any_cr_ = std::memchr(text_.data(), '\r', text_.size()) != nullptr;

  if (!next_row())
    throw input_error(path_ + ":1: empty file, expected a header row");
  for (const auto f : fields_)
    header_.emplace_back(f);
}

csv_table::~csv_table() = default;

bool csv_table::next_row() {
  cells_.clear();
  bounds_.clear();
  fields_.clear();
  row_done_ = false;
  row_line_ = next_line_;
  bool started = false;  // a quoted field goes on past the lines fed so far
  while (!row_done_) {
    if (pos_ >= text_.size()) {
      if (!started)
        return false;
      // The last line has no line break, or a quote is never closed.
      if (csv_fini(&parser_->p, parser::on_field, parser::on_row, this) != 0)
        fail("malformed CSV: a quoted field is not closed");
      break;
    }
    std::size_t end = text_.find('\n', pos_);
    end = end == std::string::npos ? text_.size() : end + 1;
    const std::string_view line = std::string_view(text_).substr(pos_, end - pos_);
    if (!started && blank(line)) {
      if (blank(std::string_view(text_).substr(pos_)))
        return false;
      fail("blank line");
    }
    if (!started && split_plain(line)) {
      pos_ = end;
      ++next_line_;
      break;
    }
    if (csv_parse(&parser_->p, line.data(), line.size(), parser::on_field, parser::on_row, this)
        != line.size()) {
      row_line_ = next_line_;
      fail("malformed CSV: a quote inside an unquoted field, or text after a closing quote");
    }
    started = true;
    pos_ = end;
    ++next_line_;
  }
  for (const auto& [offset, size] : bounds_)
    fields_.push_back(std::string_view(cells_).substr(offset, size));
  if (!header_.empty() && fields_.size() != header_.size())
    fail("expected " + std::to_string(header_.size()) + " fields, found "
         + std::to_string(fields_.size()));
  return true;
}

bool csv_table::split_plain(std::string_view line) {
  if (!line.empty() && line.back() == '\n')
    line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  if ((any_quote_ && std::memchr(line.data(), '"', line.size()))
      || (any_cr_ && std::memchr(line.data(), '\r', line.size())))
    return false;
  const char delimiter = dialect_.delimiter;
  const auto space = [delimiter](char c) { return (c == ' ' || c == '\t') && c != delimiter; };
  for (;;) {
    const auto* hit = static_cast<const char*>(std::memchr(line.data(), delimiter, line.size()));
    const std::size_t size = hit ? static_cast<std::size_t>(hit - line.data()) : line.size();
    std::string_view f = line.substr(0, size);
    while (!f.empty() && space(f.front()))
      f.remove_prefix(1);
    while (!f.empty() && space(f.back()))
      f.remove_suffix(1);
    fields_.push_back(f);
    if (!hit)
      return true;
    line.remove_prefix(size + 1);
  }
}

void csv_table::fail(const std::string& what) const { throw input_error(where() + ": " + what); }

std::string csv_table::where() const { return path_ + ":" + std::to_string(row_line_); }

std::string csv_table::about(std::size_t column, const std::string& what) const {
  return "column '" + header_[column] + "': " + what;
}

std::string csv_table::text(std::size_t column) const {
  const std::string_view cell = field(column);
  // Characters are UTF-8 code points: count the bytes that start one.
  const auto starts = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };
  const auto characters = static_cast<std::size_t>(std::count_if(cell.begin(), cell.end(), starts));
  if (characters <= max_echoed)
    return std::string(cell);
  std::size_t end = 0;
  for (std::size_t kept = 0; kept <= max_echoed; ++end)
    kept += starts(cell[end]);
  return std::string(cell.substr(0, end - 1)) + "... (" + std::to_string(characters)
         + " characters)";
}

std::size_t csv_table::max_rows() const {
  // memchr line by line: a few instructions a line, where std::count takes a few a byte.
  std::size_t lines = 1;
  const char* p = text_.data();
  const char* const end = p + text_.size();
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))))) {
    ++lines;
    ++p;
  }
  return lines;
}

bool csv_table::comma_number(std::string_view cell, double& value) {
  char translated[64];
  if (cell.size() > sizeof translated || cell.find('.') != std::string_view::npos)
    return false;
  std::replace_copy(cell.begin(), cell.end(), translated, ',', '.');
  const char* end = translated + cell.size();
  const auto [stop, ec] = std::from_chars(translated, end, value);
  return ec == std::errc() && stop == end;
}

void csv_table::fail_number(std::size_t column) const {
  const std::string_view cell = field(column);
  std::string what = "'" + text(column) + "' is not a number";
  if (dialect_.decimal == ',')
    what += " with decimal ','";
  else if (dialect_.delimiter != ',' && cell.find(',') != std::string_view::npos)
    what += " (set decimal: ',' if the file writes 1,5 for one and a half)";
  fail(about(column, what));
}

}  // namespace admf

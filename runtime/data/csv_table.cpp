// libcsv does the CSV grammar; this file feeds it one line at a time, which gives
// every row its line number and lets a blank line be told from the end of the file.
// The row's fields land back to back in one reused buffer: no allocation per row.
//
// Memory: the file is read a chunk at a time into one buffer, the unfinished line
// carried over to the next chunk (a quoted field spanning lines is carried by libcsv,
// which is fed line by line). Reading the whole file first made its text half of a big
// load's peak (bench/README.md, admf_data_load_bench --memory). Mapping the file and
// dropping the pages read kept the peak as low and scanned 1.2 GB 0.08 s faster in CPU
// time (~2% of loading it); read() needs no care for a file that shrinks (SIGBUS).
//
// Speed: libcsv looks at each byte in a state machine, which made loading 2.2x slower
// than the memchr splitting before it (bench/data_load_bench.cpp). A line without a
// quote or a stray CR is the one case of the grammar where the fields are exactly the
// text between delimiters, trimmed of spaces and tabs as libcsv trims them, so such a
// line is split with memchr; every line with a quote goes through libcsv (tests:
// tests/unit/test_csv_dialects.cpp checks the two give the same fields).
#include "runtime/data/csv_table.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

#include <csv.h>

#include "runtime/core/error.hpp"

namespace admf {
namespace {

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

csv_table::csv_table(std::string path, char delimiter, char decimal, std::size_t chunk_size,
                     byte_sink on_read)
  : path_(std::move(path)), on_read_(std::move(on_read)), buf_(std::max<std::size_t>(chunk_size, 1), '\0') {
  // file_size also fails for directories, which open() would happily open.
  std::error_code ec;
  file_size_ = std::filesystem::file_size(path_, ec);
  if (!ec)
    file_.fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (ec || file_.fd < 0)
    throw input_error(path_ + ": cannot open file");
  posix_fadvise(file_.fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // a hint: more read-ahead
  // The first line whole: a byte order mark never holds a line break.
  std::string_view first_line = next_line();
  pos_ = 0;
  // Spreadsheet exports often start with a UTF-8 byte order mark.
  if (first_line.substr(0, 3) == "\xEF\xBB\xBF") {
    pos_ = 3;
    first_line.remove_prefix(3);
    dialect_.bom = true;
  }
  const bool eol = !first_line.empty() && first_line.back() == '\n';
  if (eol)
    first_line.remove_suffix(1);
  dialect_.crlf = eol && !first_line.empty() && first_line.back() == '\r';
  dialect_.decimal = decimal;
  dialect_.delimiter_detected = delimiter == 0;
  dialect_.delimiter = delimiter != 0 ? delimiter : detect_delimiter(first_line, decimal);
  parser_ = std::make_unique<parser>(dialect_.delimiter);

  if (!next_row())
    throw input_error(path_ + ":1: empty file, expected a header row");
  for (const auto f : fields_)
    header_.emplace_back(f);
}

csv_table::~csv_table() = default;

csv_table::descriptor::~descriptor() {
  if (fd >= 0)
    ::close(fd);
}

void csv_table::refill() {
  std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
  offset_ += pos_;
  end_ -= pos_;
  pos_ = 0;
  if (end_ == buf_.size())
    buf_.resize(2 * buf_.size());
  while (end_ < buf_.size() && !eof_) {
    const ssize_t n = ::read(file_.fd, buf_.data() + end_, buf_.size() - end_);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      throw input_error(path_ + ": cannot read file");
    if (on_read_ && n > 0)
      on_read_(std::string_view(buf_.data() + end_, static_cast<std::size_t>(n)));
    eof_ = n == 0;
    end_ += static_cast<std::size_t>(n);
  }
  // Most files have neither: then no line is searched for them.
  any_quote_ = std::memchr(buf_.data(), '"', end_) != nullptr;
  any_cr_ = std::memchr(buf_.data(), '\r', end_) != nullptr;
}

std::string_view csv_table::next_line() {
  std::size_t searched = pos_;  // no line break before this byte
  for (;;) {
    const auto* hit =
      static_cast<const char*>(std::memchr(buf_.data() + searched, '\n', end_ - searched));
    if (hit || eof_) {
      const std::size_t end = hit ? static_cast<std::size_t>(hit - buf_.data()) + 1 : end_;
      const std::string_view line(buf_.data() + pos_, end - pos_);
      pos_ = end;
      return line;
    }
    searched = end_ - pos_;
    refill();
  }
}

bool csv_table::rest_blank() {
  for (;;) {
    if (std::string_view(buf_.data() + pos_, end_ - pos_).find_first_not_of(" \t\r\n")
        != std::string_view::npos)
      return false;
    pos_ = end_;
    if (eof_)
      return true;
    refill();
  }
}

bool csv_table::next_row() {
  cells_.clear();
  bounds_.clear();
  fields_.clear();
  row_done_ = false;
  row_line_ = next_line_;
  bool started = false;  // a quoted field goes on past the lines fed so far
  while (!row_done_) {
    const std::string_view line = next_line();
    if (line.empty()) {
      if (!started)
        return false;
      // The last line has no line break, or a quote is never closed.
      if (csv_fini(&parser_->p, parser::on_field, parser::on_row, this) != 0)
        fail("malformed CSV: a quoted field is not closed");
      break;
    }
    if (!started && blank(line)) {
      if (rest_blank())
        return false;
      fail("blank line");
    }
    if (!started && split_plain(line)) {
      ++next_line_;
      break;
    }
    if (csv_parse(&parser_->p, line.data(), line.size(), parser::on_field, parser::on_row, this)
        != line.size()) {
      row_line_ = next_line_;
      fail("malformed CSV: a quote inside an unquoted field, or text after a closing quote");
    }
    started = true;
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
  // Most cells start and end with a digit: one comparison tells them from a blank.
  const auto space = [delimiter](char c) {
    return c <= ' ' && (c == ' ' || c == '\t') && c != delimiter;
  };
  const char* const begin = line.data();
  const char* const end = begin + line.size();
  const char* start = begin;  // of the field being read
  const auto field_to = [&](const char* stop) {
    const char* b = start;
    const char* e = stop;
    while (b != e && space(*b))
      ++b;
    while (e != b && space(e[-1]))
      --e;
    fields_.emplace_back(b, static_cast<std::size_t>(e - b));
    start = stop + 1;
  };
  // Eight bytes at a time (SWAR): a field is a few bytes, too short for a memchr call
  // each to pay off. High bit of byte i of `hits`: byte i is the delimiter (exactly;
  // this form has no false positives). The line lies in buf_, whose bytes past it may
  // be read (they are initialized) and are masked off.
  constexpr std::uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
  const std::uint64_t pattern = 0x0101010101010101ull * static_cast<unsigned char>(delimiter);
  const char* const readable = buf_.data() + buf_.size();
  for (const char* p = begin; p < end; p += 8) {
    std::uint64_t word = 0;
    const auto left = static_cast<std::size_t>(end - p);
    if (readable - p >= 8)
      std::memcpy(&word, p, 8);
    else
      std::memcpy(&word, p, left);
    if constexpr (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
      word = __builtin_bswap64(word);  // byte i of the text is byte i of the number
    const std::uint64_t x = word ^ pattern;
    std::uint64_t hits = ~(((x & low7) + low7) | x | low7);
    if (left < 8)
      hits &= (std::uint64_t{1} << (8 * left)) - 1;
    for (; hits != 0; hits &= hits - 1)
      field_to(p + __builtin_ctzll(hits) / 8);
  }
  field_to(end);
  return true;
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

std::size_t csv_table::expected_rows() const {
  // memchr line by line: a few instructions a line, where std::count takes a few a byte.
  std::size_t lines = 0;
  const char* const first = buf_.data() + pos_;
  const char* last = first;  // just past the last line break
  const char* const end = buf_.data() + end_;
  for (const char* p = first;
       (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));
       last = ++p)
    ++lines;
  if (eof_)
    return lines + 1;
  if (lines == 0)  // one row longer than a chunk: no guess
    return 0;
  const double mean = static_cast<double>(last - first) / static_cast<double>(lines);
  const std::uint64_t read = offset_ + pos_;  // the file may have changed since its size
  const std::uint64_t rest = file_size_ > read ? file_size_ - read : 0;
  // A row is at least its delimiters and line break: a bound when the first rows
  // are not like the others.
  const std::uint64_t most = rest / std::max<std::size_t>(columns(), 1) + 1;
  return static_cast<std::size_t>(
    std::min<double>(static_cast<double>(rest) / mean * 1.25 + 1, static_cast<double>(most)));
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

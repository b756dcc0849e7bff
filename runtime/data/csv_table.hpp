// One CSV data file read row by row through libcsv (RFC 4180: quoted fields may hold
// delimiters, quotes and line breaks; unquoted fields are trimmed of spaces and tabs),
// with its dialect and the cell readers every loader check shares, so each complaint
// says "path:line: column 'Name': what". The file is read in chunks, never whole: a
// load's memory is its bars.
#pragma once
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace admf {

/// How a file is written: as its source's options set it or as read from the file.
struct csv_dialect {
  char delimiter = ',';
  bool delimiter_detected = false;  ///< chosen from the header line, not set by `delimiter:`
  char decimal = '.';               ///< '.' or ','
  bool bom = false;                 ///< starts with a UTF-8 byte order mark
  bool crlf = false;                ///< the header line ends in "\r\n"
};

/// The delimiters tried when a source sets none, in the order that breaks ties.
constexpr char detected_delimiters[] = {',', ';', '\t', '|'};

/// Sees the bytes of a file as they are read, each once and in order (the data cache's
/// content hash is taken this way, without reading the file a second time).
using byte_sink = std::function<void(std::string_view)>;

/// "','", "';'", "TAB", "'|'": a delimiter as messages and inspect write it.
std::string delimiter_name(char delimiter);

class csv_table {
public:
  /// Bytes read from the file at a time: 1 MiB (a line longer than that grows the buffer).
  static constexpr std::size_t default_chunk_size = std::size_t{1} << 20;

  /// Opens the file and reads its header row. `delimiter` 0: the one of
  /// detected_delimiters that splits the header line into the most fields (',' is not
  /// tried with decimal ','). `chunk_size` (bytes, at least 1) is settable for tests of
  /// lines that straddle chunks. Throws input_error "path: cannot open file" (or read),
  /// "path:1: empty file, expected a header row", "path:LINE: malformed CSV ...".
  /// `on_read`, if set, sees every byte read; when next_row() has returned false it
  /// has seen the whole file.
  csv_table(std::string path, char delimiter, char decimal,
            std::size_t chunk_size = default_chunk_size, byte_sink on_read = {});
  ~csv_table();
  csv_table(const csv_table&) = delete;
  csv_table& operator=(const csv_table&) = delete;

  /// Advances to the next data row; false at the end. Trailing blank lines are
  /// allowed; a blank line followed by more data, a row with another number of fields
  /// than the header and malformed quoting are input_errors.
  bool next_row();

  [[noreturn]] void fail(const std::string& what) const;
  /// "path:line" of the current row (the line it starts on).
  std::string where() const;
  /// "column 'Name': what", the form of every complaint about one cell.
  std::string about(std::size_t column, const std::string& what) const;

  const std::string& path() const { return path_; }
  std::size_t line() const { return row_line_; }
  const csv_dialect& dialect() const { return dialect_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t columns() const { return header_.size(); }
  std::string_view field(std::size_t column) const { return fields_[column]; }
  /// A cell as written, for messages; a cell longer than max_echoed characters is cut
  /// to its first ones and "... (N characters)" so one line stays readable.
  std::string text(std::size_t column) const;
  static constexpr std::size_t max_echoed = 64;
  /// The number of data rows to reserve room for before the first next_row(): exact
  /// (an upper bound) when the file fits in one chunk, else the file's size over the
  /// mean length of the first chunk's rows, plus a quarter, and at most the size over
  /// the number of columns (a row's delimiters and line break). Reserved room that is
  /// never written costs address space, not memory.
  std::size_t expected_rows() const;

  /// The cell as a number (std::from_chars; "nan" and "inf" are numbers, the bar
  /// checks judge them); with decimal ',' the comma is the decimal point and a '.' is
  /// refused (it would be a thousands separator). Throws input_error "path:line: column
  /// 'Name': 'x' is not a number", with a hint at `decimal:` when the cell suggests it.
  double number(std::size_t column) const {
    double value;
    if (!try_number(column, value))
      fail_number(column);
    return value;
  }
  /// Throws number()'s input_error for a cell that is not a number.
  [[noreturn]] void fail_number(std::size_t column) const;
  /// number() without the error: false when the cell is not a number. Inline: it is
  /// the loader's innermost call.
  bool try_number(std::size_t column, double& value) const {
    const std::string_view cell = fields_[column];
    if (dialect_.decimal == ',')
      return comma_number(cell, value);
    if (plain_decimal(cell, value))
      return true;
    const char* end = cell.data() + cell.size();
    const auto [stop, ec] = std::from_chars(cell.data(), end, value);
    return ec == std::errc() && stop == end;
  }

  /// The value of a cell written DIGITS or DIGITS.DIGITS with at most 19 digits in
  /// all and digits making at most 2^53 (what price files hold), else false. Then the
  /// digits are an integer m and the value is m / 10^decimals, both exact doubles
  /// (10^19 is: it is 2^19 * 5^19, and 5^19 < 2^53), so the one division rounds
  /// correctly, to the very double std::from_chars gives (Clinger's fast path).
  static bool plain_decimal(std::string_view cell, double& value) {
    static constexpr double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
                                        1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
                                        1e14, 1e15, 1e16, 1e17, 1e18, 1e19};
    const char* p = cell.data();
    const char* const end = p + cell.size();
    std::uint64_t m = 0;
    const char* const first = p;
    for (; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p)
      m = m * 10 + static_cast<unsigned>(*p - '0');
    std::size_t digits = static_cast<std::size_t>(p - first);
    std::size_t decimals = 0;
    if (digits == 0)
      return false;
    if (p != end) {
      if (*p != '.')
        return false;
      const char* const fraction = ++p;
      for (; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p)
        m = m * 10 + static_cast<unsigned>(*p - '0');
      decimals = static_cast<std::size_t>(p - fraction);
      digits += decimals;
      if (p != end || decimals == 0)
        return false;
    }
    if (digits > 19 || m > (std::uint64_t{1} << 53))
      return false;
    value = static_cast<double>(m) / powers[decimals];
    return true;
  }

private:
  struct parser;
  friend struct parser;

  static bool comma_number(std::string_view cell, double& value);
  /// The next line of the file, with its "\n" (the last may lack one); empty at the end.
  /// Valid until the next call.
  std::string_view next_line();
  /// Moves the unread bytes to the front of buf_ and reads after them until the buffer
  /// is full or the file ends; a buffer full of one unfinished line is doubled first.
  void refill();
  /// Whether the rest of the file is spaces, tabs and line breaks (reads it to the end).
  bool rest_blank();
  /// The fields of `line` (ending in "\n", "\r\n" or the end of the text), trimmed of
  /// spaces and tabs (not the delimiter) as libcsv trims them, when libcsv would read
  /// it as the text between delimiters: no quote and no other CR (libcsv ends a row at
  /// a CR). False, with no fields, otherwise.
  bool split_plain(std::string_view line);

  /// Closes the file however the constructor or the table ends.
  struct descriptor {
    int fd = -1;
    descriptor() = default;
    descriptor(const descriptor&) = delete;
    descriptor& operator=(const descriptor&) = delete;
    ~descriptor();
  };

  std::string path_;
  byte_sink on_read_;
  descriptor file_;
  std::uint64_t file_size_ = 0;  // when opened, for expected_rows()
  std::string buf_;              // a window on the file: bytes [offset_, offset_ + end_)
  std::uint64_t offset_ = 0;
  std::size_t pos_ = 0;  // next unread byte of buf_
  std::size_t end_ = 0;  // bytes of buf_ read from the file
  bool eof_ = false;
  csv_dialect dialect_;
  std::size_t next_line_ = 1;  // line number of the next unread line
  std::size_t row_line_ = 0;   // line the current row starts on
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;  // the current row: into buf_ or cells_
  std::string cells_;  // fields of a row libcsv read, back to back
  std::vector<std::pair<std::size_t, std::size_t>> bounds_;  // offset, size in cells_
  bool row_done_ = false;
  bool any_quote_ = false, any_cr_ = false;  // somewhere in buf_
  std::unique_ptr<parser> parser_;
};

}  // namespace admf

// optimize.csv written as it goes: rows reach the file in job order although jobs
// finish in any order, and the file keeps its .partial name until every row is in,
// so a file named optimize.csv is always complete.
#pragma once
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace admf {

class ordered_writer {
public:
  /// Writes `csv`.partial: after the header and rows 0..next-1 a resumed run kept
  /// there when `append`, else anew from `header`. Throws io_error "CSV: cannot
  /// create: OS error" when the file cannot be opened.
  ordered_writer(std::filesystem::path csv, const std::string& header, bool append,
                 std::size_t next, std::size_t total);

  /// Row `job` (0-based, < total): written with every row after it that waits, once
  /// the rows before it are; until then only the out-of-order tail is held. Flushed
  /// as it goes: an interrupted run keeps every row written. Thread-safe; never throws
  /// for I/O: the first failed write or flush is kept (later rows are not written) and
  /// finish() reports it, since rows arrive on the runners' threads.
  void add(std::size_t job, std::string row);

  /// Rows in the file so far (kept by a resumed run included): jobs 0..rows_written()-1.
  std::size_t rows_written();

  /// Closes the file and renames it to `csv`. Throws io_error "CSV: write failed: OS
  /// error" (or close / rename failed) for a failed write, flush, close or rename, and
  /// std::runtime_error when rows are missing; either way the .partial is left for a
  /// later run to resume (it keeps the rows that are whole) and no optimize.csv appears.
  void finish();

private:
  std::filesystem::path csv_, partial_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  std::mutex mutex_;
  std::size_t next_, total_;
  std::map<std::size_t, std::string> pending_;  ///< rows that came early, by job
  int error_ = 0;  ///< errno of the first failed write or flush, 0 while none failed

  /// The io_error message "CSV: what: OS error" for errno `error`.
  std::string failure(const char* what, int error) const;
};

}  // namespace admf

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
  /// there when `append`, else anew from `header`. Throws input_error when the file
  /// cannot be opened.
  ordered_writer(std::filesystem::path csv, const std::string& header, bool append,
                 std::size_t next, std::size_t total);

  /// Row `job` (0-based, < total): written with every row after it that waits, once
  /// the rows before it are; until then only the out-of-order tail is held. Flushed
  /// as it goes: an interrupted run keeps every row written. Thread-safe.
  void add(std::size_t job, std::string row);

  /// Closes the file and renames it to `csv`; throws std::runtime_error, leaving the
  /// .partial for a later run to resume, when a write failed or rows are missing.
  void finish();

private:
  std::filesystem::path csv_, partial_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  std::mutex mutex_;
  std::size_t next_, total_;
  std::map<std::size_t, std::string> pending_;  ///< rows that came early, by job
};

}  // namespace admf

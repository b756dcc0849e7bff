// A whole file mapped into memory read-only (POSIX mmap), for reading large data files
// without copying them: bar files, and CSV files being hashed for the data cache.
#pragma once
#include <cstdint>
#include <string>

namespace admf {

class mapped_file {
public:
  /// Maps the regular file at `path`, its pages faulted in at once (MAP_POPULATE): the
  /// callers read all of it. Throws input_error "PATH: cannot open: OS error", "PATH: not
  /// a regular file" or "PATH: cannot map into memory: OS error".
  explicit mapped_file(const std::string& path);
  ~mapped_file();
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;

  const char* data() const { return data_; }  ///< nullptr for an empty file
  std::uint64_t size() const { return size_; }

  /// Throws input_error "PATH: what".
  [[noreturn]] void fail(const std::string& what) const;

private:
  std::string path_;
  const char* data_ = nullptr;
  std::uint64_t size_ = 0;
};

}  // namespace admf

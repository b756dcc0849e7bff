// A whole file mapped into memory read-only (POSIX mmap), for reading large data files
// without copying them: bar files, and CSV files being hashed for the data cache.
#pragma once
#include <cstdint>
#include <string>

namespace admf {

class mapped_file {
public:
  /// Maps the regular file at `path`. With `populate` its pages are faulted in at once
  /// (MAP_POPULATE), for a caller that reads all of it and holds little else; without,
  /// each is faulted in when first read. Throws input_error "PATH: cannot open: OS
  /// error", "PATH: not a regular file" or "PATH: cannot map into memory: OS error".
  explicit mapped_file(const std::string& path, bool populate = true);
  ~mapped_file();
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;

  const char* data() const { return data_; }  ///< nullptr for an empty file
  std::uint64_t size() const { return size_; }

  /// Faults in the pages holding bytes [offset, offset + size) at once, as `populate` does
  /// for the whole file (MADV_POPULATE_READ). Advice only: a failure is ignored.
  void populate(std::uint64_t offset, std::uint64_t size) const;

  /// Drops the pages holding bytes [offset, offset + size) from this process's memory,
  /// except the page that `offset + size` falls inside (its start may be read next). The
  /// mapping stays valid: a page read again is faulted back in from the file. This is how
  /// a reader that is done with part of a large file keeps it out of its peak memory.
  /// Advice only: a failure is ignored.
  void release(std::uint64_t offset, std::uint64_t size) const;

  /// Throws input_error "PATH: what".
  [[noreturn]] void fail(const std::string& what) const;

private:
  std::string path_;
  const char* data_ = nullptr;
  std::uint64_t size_ = 0;
};

}  // namespace admf

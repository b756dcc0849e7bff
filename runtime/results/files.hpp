// Result files: written under a temporary name and renamed into place, so a reader
// never sees half a file. What goes in them: runtime/results/format.hpp.
#pragma once
#include <cstdio>
#include <filesystem>
#include <string>

namespace admf {

/// Writes `content` to `path` atomically (temp file in the same directory + rename).
/// Throws io_error "PATH: what failed: OS error"; `path` is then left as it was.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// A file written line by line through a large buffer, as "PATH.partial", renamed
/// to PATH only on commit(). Every operation that fails throws io_error
/// "PATH: what failed: OS error" and leaves no PATH.partial behind.
class streamed_file {
public:
  explicit streamed_file(std::filesystem::path path);
  ~streamed_file();
  streamed_file(const streamed_file&) = delete;
  streamed_file& operator=(const streamed_file&) = delete;

  void write(const std::string& text);
  void commit();   ///< flush, close, rename into place
  void discard();  ///< close and delete

private:
  void remove_temp();
  /// The io_error message "PATH: what: OS error" for errno `error`.
  std::string failure(const char* what, int error) const;

  std::filesystem::path path_, temp_;
  std::FILE* file_ = nullptr;
};

} // namespace admf
